"""Options that several subcommands share, and how they become Settings."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Dict, List, Optional

from ..config import (Settings, find_flake8_config, parse_codes, parse_target,
                      settings_for_directory, settings_from_options, split_list)
from ..parallel import default_jobs


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
    parser.add_argument("--jobs", "-j", metavar="N", type=_jobs, default=default_jobs(),
                        help="spread the files over N processes (default: the number of CPUs)")


def _jobs(value: str) -> int:
    if value == "auto":
        return default_jobs()
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected 'auto' or a number >= 1, got {value!r}")
    return jobs


class SettingsResolver:
    """The settings of each checked file: the configuration files found from
    the file's directory (see ``config.settings_for_directory``), then the
    command line, whose code lists replace the configured ones and whose call
    lists add to them."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        # flake8 finds its config from the current directory; so do we
        self.flake8_config = find_flake8_config(Path(os.getcwd()))
        self._by_dir: Dict[Path, Settings] = {}
        self._by_name: Dict[str, Settings] = {}
        self._changes: Dict[str, object] = {}
        for option in ("select", "ignore", "extend_select"):
            value = getattr(args, option, None)
            if value is not None:
                flag = "--" + option.replace("_", "-")
                self._changes[option] = parse_codes(split_list(value), flag)
        if getattr(args, "target_version", None):
            self._changes["target_version"] = parse_target(args.target_version)
        self._lists = [split_list(getattr(args, name, "")) for name in
                       ("extra_blocking_calls", "exempt_calls", "ordered_calls")]
        settings_from_options(Settings(), *self._lists, where="command line")  # validate now

    def directory_of(self, path: str) -> Path:
        if path == "-":
            name: Optional[str] = getattr(self.args, "stdin_filename", None)
            return Path(name).parent if name else Path(".")
        return Path(path).parent

    def for_path(self, path: str) -> Settings:
        directory = os.path.dirname(path) if path != "-" else "-"
        settings = self._by_name.get(directory)  # skips resolving the path again
        if settings is None:
            settings = self._by_name[directory] = self.for_directory(self.directory_of(path))
        return settings

    def for_directory(self, directory: Path) -> Settings:
        directory = directory.resolve()
        settings = self._by_dir.get(directory)
        if settings is None:
            settings = settings_for_directory(directory, self.flake8_config)
            settings = settings_from_options(settings, *self._lists, where="command line")
            if self._changes:
                settings = settings.with_options(**self._changes)
            self._by_dir[directory] = settings
        return settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The settings for files in the current directory."""
    return SettingsResolver(args).for_directory(Path(os.getcwd()))


def exclude_patterns(args: argparse.Namespace) -> List[str]:
    return split_list(args.exclude)
