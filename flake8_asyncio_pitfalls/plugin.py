"""The flake8 plugin: registers the options and reports what the rules find
in the tree flake8 already parsed.  flake8 does the selecting, ignoring and
``# noqa`` handling itself."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar, Iterator, List, Tuple

from flake8.exceptions import ExecutionError

from . import __version__
from .checker import run_rules
from .config import (DEFAULT_TARGET, ConfigError, Settings, default_target, parse_target,
                     settings_from_options)
from .registry import all_rules


class Plugin:
    name = "flake8-asyncio-pitfalls"
    version = __version__

    settings: ClassVar[Settings] = Settings(select=("AIO",))

    def __init__(self, tree: ast.AST, lines: List[str]) -> None:
        self._tree = tree
        self._lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option(
            "--asyncio-extra-blocking-calls", default="", parse_from_config=True,
            comma_separated_list=True,
            help="More blocking calls for AIO104, as dotted names, optionally "
                 "with a replacement to suggest: 'mylib.fetch=mylib.afetch'.",
        )
        parser.add_option(
            "--asyncio-exempt-calls", default="", parse_from_config=True,
            comma_separated_list=True,
            help="Dotted names of calls that AIO1xx never reports.",
        )
        parser.add_option(
            "--asyncio-ordered-calls", default="", parse_from_config=True,
            comma_separated_list=True,
            help="More ordered or pacing calls (dotted names or method names) "
                 "that AIO300 and AIO301 never ask to overlap.",
        )
        parser.add_option(
            "--asyncio-target-version", default="", parse_from_config=True,
            help="The oldest Python the checked code must run on (py39...py314); "
                 "some rules depend on it (default: the lower bound of requires-python "
                 "in the nearest pyproject.toml, else py39).",
        )
        parser.extend_default_ignore(
            [rule.code for rule in all_rules() if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options: Any) -> None:
        try:
            value = options.asyncio_target_version
            base = Settings(select=("AIO",), target_version=parse_target(
                value, "asyncio-target-version") if value else cls.default_target())
            cls.settings = settings_from_options(
                base,
                options.asyncio_extra_blocking_calls,
                options.asyncio_exempt_calls,
                options.asyncio_ordered_calls,
                where="flake8 option",
            )
        except ConfigError as exc:
            # flake8 reports ExecutionError as a clean message, not a traceback
            raise ExecutionError(f"{cls.name}: {exc}") from None

    @staticmethod
    def default_target() -> Tuple[int, int]:
        """As in the commands: the lower bound of requires-python in the
        nearest pyproject.toml, from the directory flake8 runs in."""
        try:
            return default_target(Path.cwd())
        except ConfigError:  # a broken pyproject.toml is not flake8's business
            return DEFAULT_TARGET

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        text = "".join(self._lines)
        for finding in run_rules(self._tree, self.settings, text):
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
