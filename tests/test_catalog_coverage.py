"""docs/catalog-coverage.md maps each case of the rule catalog to fixture
lines: `path:line CODE` must carry a marker of CODE, `path:line -CODE "text"`
must contain text and carry no marker of CODE in a fixture that runs CODE.
So the coverage claim fails loudly when a fixture changes under it."""
from __future__ import annotations

import re
from typing import List, Tuple

import pytest

from flake8_asyncio_pitfalls.registry import all_rules
from markers import ROOT, parse_fixture

DOC = ROOT / "docs" / "catalog-coverage.md"
REF = re.compile(r'`(?P<path>fixtures/[^`:\s]+\.py):(?P<line>\d+) (?P<neg>-?)(?P<code>AIO\d{3})(?: "(?P<text>[^`]*)")?`')


def references() -> List[Tuple[str, int, bool, str, str]]:
    return [(m["path"], int(m["line"]), bool(m["neg"]), m["code"], m["text"] or "")
            for m in REF.finditer(DOC.read_text(encoding="utf-8"))]


REFS = references()
RULES = {rule.code: rule for rule in all_rules()}


def test_the_table_lists_references() -> None:
    assert len(REFS) >= 300
    assert {code for _, _, neg, code, _ in REFS if not neg} == set(RULES)


def runs(options: dict, code: str) -> bool:
    """Whether a fixture with these options runs rule ``code``."""
    if "select" in options:
        return any(code.startswith(p.strip()) for p in options["select"].split(","))
    extra = options.get("extend-select", "")
    return RULES[code].default_enabled or any(
        code.startswith(p.strip()) for p in extra.split(",") if p.strip())


@pytest.mark.parametrize("path, line, negative, code, text", REFS,
                         ids=[f"{p}:{n}{'-' if neg else ' '}{c}" for p, n, neg, c, _ in REFS])
def test_reference_holds(path: str, line: int, negative: bool, code: str, text: str) -> None:
    fixture = parse_fixture(ROOT / path)
    lines = fixture.path.read_text(encoding="utf-8").splitlines()
    assert 0 < line <= len(lines), f"{path} has no line {line}"
    marked = any(e.line == line and e.code == code for e in fixture.expected)
    if negative:
        assert text, "a negative reference names the text of its line"
        assert text in lines[line - 1], f"{path}:{line} no longer reads {text!r}"
        assert runs(fixture.options, code), f"{path} does not run {code}"
        assert not marked, f"{path}:{line} now carries a {code} marker"
    else:
        assert marked, f"{path}:{line} carries no {code} marker"
