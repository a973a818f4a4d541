"""Options that several subcommands share, and how they become Settings."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import List

from ..config import (Settings, find_flake8_config, settings_from_flake8_config,
                      settings_from_options, split_list, parse_target)


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", metavar="CODES",
                        help="only these codes or prefixes (comma-separated), e.g. AIO1,AIO300")
    parser.add_argument("--ignore", metavar="CODES", help="skip these codes or prefixes")
    parser.add_argument("--extend-select", metavar="CODES",
                        help="add codes to the default selection (e.g. AIO301, which is off by default)")
    parser.add_argument("--exclude", metavar="GLOBS", default="",
                        help="skip files and directories matching these globs (comma-separated)")
    parser.add_argument("--extra-blocking-calls", metavar="NAMES", default="",
                        help="more blocking calls for AIO104: dotted names, optionally name=replacement")
    parser.add_argument("--exempt-calls", metavar="NAMES", default="",
                        help="dotted names of calls that are never reported as blocking")
    parser.add_argument("--target-version", metavar="VERSION",
                        help="the oldest Python the code must run on, py39...py314 "
                             "(default: from requires-python in the nearest pyproject.toml, else py39)")
    parser.add_argument("--ordered-calls", metavar="NAMES", default="",
                        help="more ordered or pacing calls that AIO300 and AIO301 never ask to overlap")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Configuration files first (flake8's ``[flake8]`` section, found from
    the current directory up, as flake8 finds it), then the command line."""
    settings = Settings()
    config = find_flake8_config(Path(os.getcwd()))
    if config is not None:
        settings = settings_from_flake8_config(config, settings)
    settings = settings_from_options(
        settings,
        split_list(args.extra_blocking_calls),
        split_list(args.exempt_calls),
        split_list(args.ordered_calls),
        where="command line",
    )
    changes = {}
    if args.select is not None:
        changes["select"] = tuple(split_list(args.select))
    if args.ignore is not None:
        changes["ignore"] = tuple(split_list(args.ignore))
    if args.extend_select is not None:
        changes["extend_select"] = tuple(split_list(args.extend_select))
    if getattr(args, "target_version", None):
        changes["target_version"] = parse_target(args.target_version)
    return settings.with_options(**changes) if changes else settings


def exclude_patterns(args: argparse.Namespace) -> List[str]:
    return split_list(args.exclude)
