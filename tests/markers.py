"""Expectations carried by fixture files.

A flagged line ends with a marker comment naming each expected finding as
``CODE:COLUMN`` (the 1-based column printed by flake8 and ``check``),
optionally followed by a quoted piece of the expected message::

    time.sleep(1)  # error: AIO100:5
    helper()  # error: AIO105:5 "via time.sleep (line 3)"

A line ``# fixture: key=value; key=value`` sets options for the whole file
(``target-version=py311``, ``extra-blocking-calls=mylib.fetch``,
``extend-select=AIO301``...), passed to flake8 and to the commands alike.
Without ``select``/``extend-select`` a fixture runs with the default
selection, so off-by-default rules report only where a fixture turns them
on.  Every finding must be marked and every marker found; markers of codes
that are not registered yet are skipped.

Fixed twins mirror the fixture tree: ``fixtures/fixed/X`` is what ``fix``
makes of ``fixtures/X``, ``fixtures/fixed-unsafe/X`` what ``fix
--unsafe-fixes`` makes of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

MARKER = re.compile(r"#\s*error:\s*(?P<items>.*)$")
ITEM = re.compile(r'(?P<code>[A-Z]+[0-9]+):(?P<col>[0-9]+)(?:\s+"(?P<text>[^"]*)")?')
OPTIONS = re.compile(r"^#\s*fixture:\s*(?P<opts>.*)$")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@dataclass(frozen=True)
class Expected:
    line: int
    col: int
    code: str
    text: Optional[str] = None


@dataclass
class Fixture:
    path: Path
    expected: List[Expected]
    options: Dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.path.relative_to(FIXTURES))

    def expected_keys(self, codes: Set[str]) -> Set[Tuple[int, int, str]]:
        return {(e.line, e.col, e.code) for e in self.expected if e.code in codes}

    def fixed_twin(self, unsafe: bool) -> Path:
        return twin_root(unsafe) / self.path.relative_to(FIXTURES)

    def cli_options(self) -> List[str]:
        """The fixture's options as command-line flags of ``check``/``fix``."""
        return [f"--{key}={value}" for key, value in sorted(self.options.items())]

    def flake8_options(self) -> List[str]:
        out = []
        for key, value in sorted(self.options.items()):
            if key in ("extra-blocking-calls", "exempt-calls", "ordered-calls",
                       "target-version"):
                out.append(f"--asyncio-{key}={value}")
            elif key in ("select", "extend-select", "ignore"):
                out.append(f"--{key}={value}")
        return out


def parse_fixture(path: Path) -> Fixture:
    expected: List[Expected] = []
    options: Dict[str, str] = {}
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        opt = OPTIONS.match(line.strip())
        if opt:
            for pair in opt.group("opts").split(";"):
                if "=" in pair:
                    key, value = pair.split("=", 1)
                    options[key.strip()] = value.strip()
            continue
        marker = MARKER.search(line)
        if not marker:
            continue
        items = marker.group("items")
        found = list(ITEM.finditer(items))
        if not found:
            raise ValueError(f"{path}:{number}: marker without CODE:COLUMN items: {items!r}")
        for item in found:
            expected.append(Expected(number, int(item.group("col")), item.group("code"),
                                     item.group("text")))
    return Fixture(path, expected, options)


def twin_root(unsafe: bool) -> Path:
    """Fixed twins live in a tree of their own, mirroring the fixtures, so
    that checking a fixture folder (``check fixtures/article``) shows the
    originals' findings only."""
    return FIXTURES / ("fixed-unsafe" if unsafe else "fixed")


def all_fixtures() -> List[Fixture]:
    twins = (twin_root(False), twin_root(True))
    paths = sorted(p for p in FIXTURES.rglob("*.py")
                   if not any(t in p.parents for t in twins))
    return [parse_fixture(p) for p in paths]
