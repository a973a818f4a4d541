"""Settings shared by the flake8 plugin and the commands, and where they come
from: flake8's own config sections (``[flake8]`` in setup.cfg, tox.ini,
.flake8) for the options the plugin registers, and the command line."""
from __future__ import annotations

import configparser
import functools
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_TARGET: Tuple[int, int] = (3, 9)
SUPPORTED_TARGETS = tuple((3, minor) for minor in range(9, 15))

#: flake8 option name (without ``--``) -> Settings field; the plugin and the
#: commands share these names so one config line works for both.
OPTION_FIELDS = {
    "asyncio-extra-blocking-calls": "extra_blocking_calls",
    "asyncio-exempt-calls": "exempt_calls",
    "asyncio-ordered-calls": "ordered_calls",
}

FLAKE8_CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")


class ConfigError(Exception):
    """A setting has a bad value; the message names the file and key."""


@dataclass(frozen=True)
class Settings:
    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    #: dotted name -> suggested replacement ("" when none was given)
    extra_blocking_calls: Dict[str, str] = field(default_factory=dict)
    exempt_calls: frozenset = frozenset()
    ordered_calls: frozenset = frozenset()
    target_version: Tuple[int, int] = DEFAULT_TARGET

    def with_options(self, **changes: object) -> "Settings":
        return replace(self, **changes)

    def __hash__(self) -> int:  # dict field: hash what identifies settings
        return hash((self.select, self.ignore, self.extend_select,
                     tuple(sorted(self.extra_blocking_calls.items())),
                     self.exempt_calls, self.ordered_calls, self.target_version))


def split_list(value: object) -> List[str]:
    """A comma- or whitespace-separated string, or a list, as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[str] = re.split(r"[,\s]+", value)
    else:
        items = (str(v) for v in value)  # type: ignore[union-attr]
    return [item.strip() for item in items if item and item.strip()]


def parse_blocking_calls(items: Iterable[str]) -> Dict[str, str]:
    """``name`` or ``name=replacement`` entries as a mapping."""
    out: Dict[str, str] = {}
    for item in items:
        name, _, replacement = item.partition("=")
        out[name.strip()] = replacement.strip()
    return out


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def check_dotted(names: Iterable[str], where: str) -> None:
    for name in names:
        if not _DOTTED.match(name):
            raise ConfigError(f"{where}: {name!r} is not a dotted name such as 'mylib.fetch'")


def parse_target(value: str, where: str = "--target-version") -> Tuple[int, int]:
    m = re.fullmatch(r"py3(\d+)|3\.(\d+)", value.strip())
    version = (3, int(m.group(1) or m.group(2))) if m else None
    if version not in SUPPORTED_TARGETS:
        choices = ", ".join(f"py3{minor}" for _, minor in SUPPORTED_TARGETS)
        raise ConfigError(f"{where}: {value!r} is not a supported target (one of {choices})")
    return version  # type: ignore[return-value]


def settings_from_options(
    base: Settings,
    extra_blocking_calls: Sequence[str] = (),
    exempt_calls: Sequence[str] = (),
    ordered_calls: Sequence[str] = (),
    where: str = "options",
) -> Settings:
    """Settings with the three call lists (as given to flake8 or the command)."""
    extra = parse_blocking_calls(extra_blocking_calls)
    check_dotted(extra, f"{where}: asyncio-extra-blocking-calls")
    check_dotted(exempt_calls, f"{where}: asyncio-exempt-calls")
    check_dotted(ordered_calls, f"{where}: asyncio-ordered-calls")
    return base.with_options(
        extra_blocking_calls={**base.extra_blocking_calls, **extra},
        exempt_calls=base.exempt_calls | frozenset(exempt_calls),
        ordered_calls=base.ordered_calls | frozenset(ordered_calls),
    )


def find_flake8_config(start: Path) -> Optional[Path]:
    """The first of setup.cfg / tox.ini / .flake8 with a [flake8] section,
    looking in ``start`` and its parents (as flake8 does)."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in FLAKE8_CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                parser = configparser.RawConfigParser()
                try:
                    parser.read(candidate, encoding="utf-8")
                except (configparser.Error, UnicodeDecodeError):
                    continue
                if parser.has_section("flake8"):
                    return candidate
    return None


def settings_from_flake8_config(path: Path, base: Settings) -> Settings:
    parser = configparser.RawConfigParser()
    parser.read(path, encoding="utf-8")
    values = {
        key: split_list(parser.get("flake8", key, fallback=""))
        for key in OPTION_FIELDS
    }
    return settings_from_options(
        base,
        values["asyncio-extra-blocking-calls"],
        values["asyncio-exempt-calls"],
        values["asyncio-ordered-calls"],
        where=f"{path} [flake8]",
    )


_LOWER_BOUND = re.compile(r"(>=|~=|==|>)\s*3\.(\d+)")


def requires_python_floor(spec: str) -> Optional[Tuple[int, int]]:
    """The lowest ``(3, minor)`` a ``requires-python`` specifier admits
    (``">=3.10"``, ``"~=3.11"``, ``">=3.9,<4"``), None if it names none."""
    floors = [(3, int(m.group(2))) for m in _LOWER_BOUND.finditer(spec)]
    return max(floors) if floors else None


@functools.lru_cache(maxsize=None)
def _directory_target(directory: Path) -> Optional[Tuple[int, int]]:
    candidate = directory / "pyproject.toml"
    if candidate.is_file():
        try:
            with open(candidate, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{candidate}: {exc}") from None
        spec = data.get("project", {}).get("requires-python")
        # The nearest pyproject.toml decides, even when it names no floor.
        return requires_python_floor(spec) if isinstance(spec, str) else None
    parent = directory.parent
    return None if parent == directory else _directory_target(parent)


def project_target(start: Path) -> Optional[Tuple[int, int]]:
    """The lower bound of ``requires-python`` in the nearest
    ``pyproject.toml`` at or above ``start`` (a file or directory).  It may
    be below the oldest target the options accept (``>=3.7``): fixes that
    need a newer Python are then not offered."""
    start = start.resolve()
    return _directory_target(start if start.is_dir() else start.parent)


def settings_for_path(settings: Settings, path: str, explicit_target: bool) -> Settings:
    """The settings for one file: without ``--target-version`` the target is
    the project's (see :func:`project_target`), else the default."""
    if explicit_target:
        return settings
    found = project_target(Path(os.getcwd()) if path == "-" else Path(path))
    if found is None or found == settings.target_version:
        return settings
    return settings.with_options(target_version=found)
