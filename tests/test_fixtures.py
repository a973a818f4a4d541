"""One parametrized test over every fixture: the findings of flake8 (with the
plugin, run as users run it) and of ``asyncio-pitfalls check`` must be
exactly the fixture's markers: code, line and column.  Both run with their
default selection (off-by-default rules stay off) unless the fixture's
options select codes."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from typing import Dict, List, Set, Tuple

import pytest

from flake8_asyncio_pitfalls.registry import codes
from markers import ROOT, Fixture, all_fixtures

FIXTURES = all_fixtures()
REGISTERED = set(codes())
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")
Found = Dict[str, List[Tuple[int, int, str, str]]]


def _parse(output: str) -> Found:
    found: Found = defaultdict(list)
    for line in output.splitlines():
        m = LINE.match(line)
        if m:
            found[m["path"]].append((int(m["line"]), int(m["col"]), m["code"], m["text"]))
    return found


def _run_grouped(make_cmd) -> Found:
    """One process per distinct set of fixture options (not one per file)."""
    groups: Dict[Tuple[str, ...], List[Fixture]] = defaultdict(list)
    for fx in FIXTURES:
        groups[tuple(make_cmd(fx, []))].append(fx)
    found: Found = defaultdict(list)
    for _, members in groups.items():
        cmd = make_cmd(members[0], [str(fx.path.relative_to(ROOT)) for fx in members])
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode in (0, 1), proc.stderr
        for path, items in _parse(proc.stdout).items():
            found[path].extend(items)
    return found


def _flake8_cmd(fx: Fixture, files: List[str]) -> List[str]:
    return [sys.executable, "-m", "flake8", "--isolated", *fx.flake8_options(), *files]


def _check_cmd(fx: Fixture, files: List[str]) -> List[str]:
    return [sys.executable, "-m", "flake8_asyncio_pitfalls", "check", *fx.cli_options(), *files]


@pytest.fixture(scope="session")
def flake8_found() -> Found:
    return _run_grouped(_flake8_cmd)


@pytest.fixture(scope="session")
def check_found() -> Found:
    return _run_grouped(_check_cmd)


def _compare(fx: Fixture, found: Found) -> None:
    rel = str(fx.path.relative_to(ROOT))
    got = [f for f in found.get(rel, []) if f[2] in REGISTERED]
    got_keys: Set[Tuple[int, int, str]] = {(line, col, code) for line, col, code, _ in got}
    expected = fx.expected_keys(REGISTERED)
    assert sorted(got_keys) == sorted(expected), (
        f"{rel}: unexpected {sorted(got_keys - expected)}, missing {sorted(expected - got_keys)}")
    assert len(got) == len(got_keys), f"{rel}: duplicate findings {got}"
    for exp in fx.expected:
        if exp.text and exp.code in REGISTERED:
            messages = [text for line, col, code, text in got
                        if (line, col, code) == (exp.line, exp.col, exp.code)]
            assert any(exp.text in m for m in messages), (rel, exp, messages)


@pytest.mark.parametrize("fx", FIXTURES, ids=[fx.id for fx in FIXTURES])
def test_flake8_matches_markers(fx: Fixture, flake8_found: Found) -> None:
    _compare(fx, flake8_found)


@pytest.mark.parametrize("fx", FIXTURES, ids=[fx.id for fx in FIXTURES])
def test_check_matches_markers(fx: Fixture, check_found: Found) -> None:
    _compare(fx, check_found)


def test_every_registered_rule_has_a_fixture_line() -> None:
    marked = {e.code for fx in FIXTURES for e in fx.expected}
    assert REGISTERED <= marked, sorted(REGISTERED - marked)
