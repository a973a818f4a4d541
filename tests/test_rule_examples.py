"""Each rule carries its own examples (Fixit style): ``invalid`` snippets and
the documented ``example`` must be flagged by the rule, ``valid`` snippets and
the documented ``use_instead`` must not be."""
from __future__ import annotations

import ast
import re
import textwrap

import pytest

from flake8_asyncio_pitfalls.checker import run_rules
from flake8_asyncio_pitfalls.config import Settings
from flake8_asyncio_pitfalls.registry import SAFE, UNSAFE, all_rules

RULES = all_rules()
ALL = Settings(select=("AIO",), target_version=(3, 14))


def _codes(source: str, rule) -> list:
    return [f.code for f in run_rules(ast.parse(source), ALL, source, rules=[rule])]


def _cases(attr: str):
    for rule in RULES:
        for index, snippet in enumerate(getattr(rule, attr)):
            yield pytest.param(rule, snippet, id=f"{rule.code}-{attr}-{index}")


@pytest.mark.parametrize("rule,snippet", list(_cases("invalid")))
def test_invalid_examples_are_flagged_once(rule, snippet):
    assert _codes(snippet, rule) == [rule.code]


@pytest.mark.parametrize("rule,snippet", list(_cases("valid")))
def test_valid_examples_are_not_flagged(rule, snippet):
    assert _codes(snippet, rule) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documented_example_and_its_replacement(rule):
    example = rule.doc("example")
    use_instead = rule.doc("use_instead")
    assert example and use_instead, f"{rule.code} documents no example"
    assert rule.code in _codes(example, rule)
    assert rule.code not in _codes(use_instead, rule)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_metadata(rule):
    assert re.fullmatch(r"AIO[1-4]\d\d", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
    assert rule.invalid and rule.valid, f"{rule.code} carries no examples"
    if rule.fix is not None:
        assert rule.fix.safety in (SAFE, UNSAFE)
        assert rule.fix.description
    assert textwrap.dedent(rule.summary).strip()


def test_names_are_unique():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
