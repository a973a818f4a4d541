"""Property-based tests: arbitrary valid modules (hypothesmith) and mutations
of the fixtures go through the module analysis, every registered rule and
every fix.  Nothing may raise; every fix result compiles; fixing a fixed
source changes nothing.

Examples per test: ``AIO_FUZZ_EXAMPLES`` (default small, so that CI stays
fast; raise it for a deeper run)."""
from __future__ import annotations

import ast
import os
import warnings
from pathlib import Path
from typing import List

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, assume, given, settings, strategies as st  # noqa: E402

from flake8_asyncio_pitfalls.analysis import ModuleView  # noqa: E402
from flake8_asyncio_pitfalls.checker import run_rules  # noqa: E402
from flake8_asyncio_pitfalls.config import Settings  # noqa: E402
from flake8_asyncio_pitfalls.registry import all_rules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVERY_RULE = Settings(select=("AIO",))
EXAMPLES = int(os.environ.get("AIO_FUZZ_EXAMPLES", "40"))
# (no "explain" phase: tracing libcst's walks would take minutes on a failure)
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink], derandomize=not os.environ.get("AIO_FUZZ_EXAMPLES"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])

# the checked fixtures, not their fixed twins (fixtures/fixed*/ mirror them)
FIXTURES = sorted(str(p) for p in (ROOT / "fixtures").rglob("*.py")
                  if not p.relative_to(ROOT / "fixtures").parts[0].startswith("fixed")
                  and not p.name.endswith(".fixed.py"))
SOURCES = {p: Path(p).read_text(encoding="utf-8") for p in FIXTURES}

#: textual edits that move code between the shapes the rules tell apart
SWAPS = [
    ("async def ", "def "), ("def ", "async def "), ("await ", ""), ("return ", "await "),
    ("import asyncio", "import asyncio as aio"), ("asyncio.", "aio."), ("time.sleep", "sleep"),
    ("asyncio.sleep", "time.sleep"), ("(", "(*"), ("self.", "cls."), ("with ", "async with "),
    ("for ", "async for "), ("    ", "        "), ("create_task", "ensure_future"),
    ("gather", "wait"), ("= ", "= await "), (")\n", ").result()\n"), ("import ", "from os import "),
]


def _compiles(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<fuzz>", "exec", ast.PyCF_ONLY_AST)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


@st.composite
def mutated_fixture(draw) -> str:
    """A fixture with a few line and text edits, kept only if it parses."""
    lines: List[str] = SOURCES[draw(st.sampled_from(FIXTURES))].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "dup", "swap", "move", "text"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i:i + draw(st.integers(1, 5))]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "move":
            lines.insert(draw(st.integers(0, len(lines))), lines.pop(i))
        else:
            old, new = draw(st.sampled_from(SWAPS))
            if old in lines[i]:
                lines[i] = lines[i].replace(old, new, 1)
    text = "".join(lines)
    assume(_compiles(text))
    return text


def analyse(text: str) -> None:
    """Build the view with every node type a rule wants, ask it every query
    on what it collected, and run every rule without the trigger prefilter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    wanted = {t for r in all_rules() for t in r.node_types} | {ast.Call, ast.Name}
    view = ModuleView(tree, wanted)
    for call, scope in view.nodes(ast.Call):
        view.call_name(call, scope)
        view.origin(call, scope)
        view.callee(call, scope)
        view.is_awaited(call)
        view.statement_of(call)
    for name, scope in view.nodes(ast.Name):
        view.resolve(name, scope)
        view.lookup(name.id, scope, name)
        view.origin(name, scope)
    for fn in view.functions:
        view.callees(fn)
        view.callers(fn)
    run_rules(tree, EVERY_RULE, None)


def fix_round_trip(text: str) -> None:
    engine = pytest.importorskip("flake8_asyncio_pitfalls.fixes.engine")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # generated code's SyntaxWarnings
        _fix_round_trip(engine, text)


def _fix_round_trip(engine, text: str) -> None:
    for unsafe in (False, True):
        outcome = engine.fix_text(text, EVERY_RULE, unsafe, "fuzz.py")
        if outcome.changed:
            assert _compiles(outcome.text), outcome.text
            again = engine.fix_text(outcome.text, EVERY_RULE, unsafe, "fuzz.py")
            assert again.text == outcome.text, "a second fix changed the fixed source"


def test_fixtures_are_analysed_whole() -> None:
    # the unmutated fixtures, once each: the base the mutations start from
    for path in FIXTURES:
        analyse(SOURCES[path])


def test_fixtures_are_fixed_whole() -> None:
    # every rule's fix next to every other's (AIO103's awaits next to
    # AIO301's gathering once nested a gather per round)
    for path in FIXTURES:
        fix_round_trip(SOURCES[path])


@FUZZ
@given(mutated_fixture())
def test_mutated_fixtures_analysis(text: str) -> None:
    analyse(text)


@FUZZ
@given(mutated_fixture())
def test_mutated_fixtures_fixes(text: str) -> None:
    fix_round_trip(text)


hypothesmith = pytest.importorskip("hypothesmith")


@FUZZ
@given(hypothesmith.from_grammar() | hypothesmith.from_node())
def test_generated_modules(text: str) -> None:
    assume(_compiles(text))
    analyse(text)
    fix_round_trip(text)
