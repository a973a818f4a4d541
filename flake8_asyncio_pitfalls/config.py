"""Settings shared by the flake8 plugin and the commands, and where they come
from: ``[tool.flake8-asyncio-pitfalls]`` in ``pyproject.toml`` (the commands),
flake8's own config sections (``[flake8]`` in setup.cfg, tox.ini, .flake8)
for the options the plugin registers, ``requires-python`` for the default
target version, and the command line.  Every setting is parsed and
validated here, whatever its source."""
from __future__ import annotations

import configparser
import functools
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .registry import codes

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

#: ``[tool.<this>]`` in pyproject.toml, and the keys it accepts.
PYPROJECT_TABLE = "flake8-asyncio-pitfalls"
PYPROJECT_KEYS = ("select", "ignore", "extend-select", "extra-blocking-calls",
                  "exempt-calls", "ordered-calls", "target-version")


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


_CODE = re.compile(r"^[A-Z]+[0-9]*$")


def parse_codes(values: Iterable[str], where: str) -> Tuple[str, ...]:
    """Codes or code prefixes (``AIO``, ``AIO1``, ``AIO100``) that name at
    least one registered rule."""
    known = codes()
    out = []
    for value in values:
        value = value.strip().upper()
        if not _CODE.match(value) or not any(code.startswith(value) for code in known):
            raise ConfigError(f"{where}: {value!r} is not a rule code or prefix "
                              f"(such as AIO, AIO1 or {known[0] if known else 'AIO100'})")
        out.append(value)
    return tuple(out)


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


def flake8_target(path: Path) -> Optional[Tuple[int, int]]:
    """``asyncio-target-version`` of a ``[flake8]`` section, if set."""
    parser = configparser.RawConfigParser()
    parser.read(path, encoding="utf-8")
    value = parser.get("flake8", "asyncio-target-version", fallback="").strip()
    return parse_target(value, f"{path} [flake8]: asyncio-target-version") if value else None


# -- pyproject.toml ----------------------------------------------------------

def read_pyproject(path: Path) -> Dict[str, Any]:
    # imported here: most runs find no pyproject.toml to read
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


@functools.lru_cache(maxsize=None)
def _pyproject(path: Path) -> Dict[str, Any]:
    return read_pyproject(path)


def _table(data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    tool = data.get("tool")
    table = tool.get(PYPROJECT_TABLE) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


@functools.lru_cache(maxsize=None)
def find_pyprojects(directory: Path) -> Tuple[Optional[Path], Optional[Path]]:
    """For files in ``directory``: (the nearest pyproject.toml with a
    ``[tool.flake8-asyncio-pitfalls]`` table, the nearest pyproject.toml at
    all), looking in the directory and its parents (as ruff does)."""
    nearest = table = None
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / "pyproject.toml"
        if not candidate.is_file():
            continue
        nearest = nearest or candidate
        if _table(_pyproject(candidate)) is not None:
            table = candidate
            break
    return table, nearest


def _string_list(value: object, where: str) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return [v.strip() for v in value if v.strip()]


def pyproject_settings(path: Path, base: Settings) -> Settings:
    """``base`` with the ``[tool.flake8-asyncio-pitfalls]`` table of ``path``."""
    table = _table(_pyproject(path)) or {}
    where = f"{path} [tool.{PYPROJECT_TABLE}]"
    unknown = sorted(set(table) - set(PYPROJECT_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} "
                          f"(known keys: {', '.join(PYPROJECT_KEYS)})")
    changes: Dict[str, object] = {}
    for key, attr in (("select", "select"), ("ignore", "ignore"),
                      ("extend-select", "extend_select")):
        if key in table:
            changes[attr] = parse_codes(_string_list(table[key], f"{where}: {key}"),
                                        f"{where}: {key}")
    if "target-version" in table:
        value = table["target-version"]
        if not isinstance(value, str):
            raise ConfigError(f"{where}: target-version: expected a string such as 'py311'")
        changes["target_version"] = parse_target(value, f"{where}: target-version")
    lists = {key: _string_list(table.get(key, []), f"{where}: {key}")
             for key in ("extra-blocking-calls", "exempt-calls", "ordered-calls")}
    return settings_from_options(base.with_options(**changes), lists["extra-blocking-calls"],
                                 lists["exempt-calls"], lists["ordered-calls"], where=where)


_LOWER_BOUND = re.compile(r"(>=|~=|==|>)\s*3\.(\d+)")


def requires_python_floor(spec: str) -> Optional[Tuple[int, int]]:
    """The lowest ``(3, minor)`` a ``requires-python`` specifier admits
    (``">=3.10"``, ``"~=3.11"``, ``">=3.9,<4"``), None if it names none."""
    floors = [(3, int(m.group(2))) for m in _LOWER_BOUND.finditer(spec)]
    return max(floors) if floors else None


def project_target(directory: Path) -> Optional[Tuple[int, int]]:
    """The lower bound of ``requires-python`` in the nearest pyproject.toml
    at or above ``directory`` (the nearest decides, even when it names
    none).  It may be below the oldest target the options accept
    (``>=3.7``): fixes that need a newer Python are then not offered."""
    nearest = find_pyprojects(directory.resolve())[1]
    if nearest is None:
        return None
    project = _pyproject(nearest).get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    return requires_python_floor(spec) if isinstance(spec, str) else None


def default_target(directory: Path) -> Tuple[int, int]:
    """The target version when none is configured: the project's (see
    :func:`project_target`), else 3.9."""
    return project_target(directory) or DEFAULT_TARGET


def settings_for_directory(directory: Path, flake8_config: Optional[Path]) -> Settings:
    """The configured settings for files in ``directory``: the nearest
    ``[tool.flake8-asyncio-pitfalls]`` table if there is one (it then
    replaces the ``[flake8]`` section entirely), else the asyncio options of
    ``flake8_config``; the target version, when neither sets it, is the
    lower bound of ``requires-python`` of the nearest pyproject.toml."""
    table = find_pyprojects(directory.resolve())[0]
    target: Optional[Tuple[int, int]] = None
    if table is not None:
        settings = pyproject_settings(table, Settings())
        if "target-version" in (_table(_pyproject(table)) or {}):
            target = settings.target_version
    elif flake8_config is not None:
        settings = settings_from_flake8_config(flake8_config, Settings())
        target = flake8_target(flake8_config)
    else:
        settings = Settings()
    return settings.with_options(target_version=target or default_target(directory))
