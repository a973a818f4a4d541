"""``noqa._joinable_lines`` decides without tokenizing which lines flake8
may join to others when it looks for a ``# noqa``; it must never miss one,
or a ``noqa`` carried by a multi-line string would be read on the wrong
line.  Checked against flake8's own mapping (tokenize) on every fixture and
on shapes the pruned walk must still enter."""
from __future__ import annotations

import ast

import pytest

from flake8_asyncio_pitfalls import sources
from flake8_asyncio_pitfalls.noqa import _joinable_lines, _line_mapping
from markers import FIXTURES

SHAPES = {
    "decorated one-line def": '@deco("""a\nb""")\ndef f(): pass\n',
    "decorated one-line class": '@deco("""a\nb""")\nclass C: pass\n',
    "string in a call": 'f(1, """\n""", 2)\n',
    "f-string": 'x = f"""{a}\n{b}"""\n',
    "string in a lambda default": 'g = lambda a="""\n""": a\n',
    "backslash": "x = 1 + \\\n    2\n",
    "string in a comprehension": 'y = [v for v in """\n""" if v]\n',
    "string in a with item": 'with open("""\n""") as f: pass\n',
    "string in an argument default": 'def h(a="""\n"""): pass\n',
}


def joined_lines(text: str):
    """Lines flake8's mapping joins to another line."""
    lines = sources.split_lines(text)
    mapping = _line_mapping(lines)
    return {n for n, joined in mapping.items() if joined != lines[n - 1]}


@pytest.mark.parametrize("text", list(SHAPES.values()), ids=list(SHAPES))
def test_shapes(text):
    joined = joined_lines(text)
    assert joined, "the shape must join lines for the test to mean anything"
    assert joined <= _joinable_lines(sources.split_lines(text), ast.parse(text))


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures(path):
    text = sources.decode(path.read_bytes()).text
    lines = sources.split_lines(text)
    assert joined_lines(text) <= _joinable_lines(lines, ast.parse(text))
