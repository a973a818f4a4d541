"""Properties of ``fix`` on every fixture, in safe and unsafe mode: the
result compiles, keeps every comment, has no fixable finding left, and a
second run changes nothing.  Plus the fixes that fail: they are dropped and
reported, and the rest of the file is still fixed."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tokenize
from collections import Counter

import pytest

from clirun import ROOT, lines, run_cli
from flake8_asyncio_pitfalls import cli
from flake8_asyncio_pitfalls.commands.options import settings_from_args
from flake8_asyncio_pitfalls.fixes import engine
from flake8_asyncio_pitfalls.registry import all_rules
from markers import all_fixtures

FIXTURES = all_fixtures()
FIXABLE_CODES = {rule.code for rule in all_rules() if rule.fix is not None}


def comments(text: str) -> Counter:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(tok.string for tok in tokens if tok.type == tokenize.COMMENT)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("fx", FIXTURES, ids=[fx.id for fx in FIXTURES])
def test_fix_properties(fx, unsafe, tmp_path, capsys) -> None:
    copy = tmp_path / fx.path.name
    shutil.copyfile(fx.path, copy)
    argv = ["fix", *(["--unsafe-fixes"] if unsafe else []), *fx.cli_options(), str(copy)]
    assert cli.main(argv) in (0, 1)
    first = capsys.readouterr()
    assert "fix dropped" not in first.err, first.err
    fixed = copy.read_bytes()
    compile(fixed, str(copy), "exec", dont_inherit=True)
    original_text = fx.path.read_bytes().decode("utf-8-sig")
    fixed_text = fixed.decode("utf-8-sig")
    assert comments(fixed_text) == comments(original_text)
    settings = settings_from_args(cli.build_parser().parse_args(argv))
    outcome = engine.fix_text(original_text, settings, unsafe, str(copy))
    assert outcome.text == fixed_text
    # what is left fixable is held back by a noqa on a line the fix would change
    left = engine.fixable(outcome.remaining, settings, unsafe)
    assert [f for f in left if f not in outcome.held] == []
    # a second run has nothing to do
    assert cli.main(argv) in (0, 1)
    assert capsys.readouterr().out.splitlines()[-1].startswith("Fixed 0 findings in 0 files")
    assert copy.read_bytes() == fixed


def test_article_done_when(tmp_path) -> None:
    """``fix --unsafe-fixes`` on a copy of the article's examples leaves no
    AIO1xx finding that has a fix for ``check`` to report."""
    shutil.copytree(ROOT / "fixtures" / "article", tmp_path / "article")
    before = run_cli("check", "--select=AIO1", "article", cwd=tmp_path)
    assert any(line.split(" ")[1] in FIXABLE_CODES for line in lines(before.stdout))
    proc = run_cli("fix", "--unsafe-fixes", "--select=AIO1", "article", cwd=tmp_path)
    assert proc.returncode in (0, 1) and b"fix dropped" not in proc.stderr, proc.stderr
    after = run_cli("check", "--select=AIO1", "article", cwd=tmp_path)
    assert [line for line in lines(after.stdout) if line.split(" ")[1] in FIXABLE_CODES] == []
    assert "await asyncio.to_thread(requests.get, url)" in \
        (tmp_path / "article" / "ex08_requests_blocking.py").read_text(encoding="utf-8")


# Rules with faulty fixes, registered in a child process only.
FAULTY_RULES = '''
import ast, sys
import libcst as cst
from flake8_asyncio_pitfalls.registry import SAFE, FixSpec, Rule

class Faulty(Rule):
    code = ""
    name = message = summary = rationale = "faulty"
    fix = FixSpec(SAFE, "faulty")
    node_types = (ast.Call,)
    def check(self, node, scope):
        if isinstance(node.func, ast.Name) and node.func.id == self.callee:
            self.report(node)

class DoesNotCompile(Faulty):
    code, callee = "AIO990", "broken"
    def fix_node(self, node, finding, ctx):
        return cst.Await(node)  # await at module level

class Raises(Faulty):
    code, callee = "AIO991", "explode"
    def fix_node(self, node, finding, ctx):
        raise RuntimeError("boom")

class ChangesNothing(Faulty):
    code, callee = "AIO992", "stays"
    def fix_node(self, node, finding, ctx):
        return node.with_changes(func=cst.Name("stays"))

class ModuleWide(Faulty):
    code, callee = "AIO993", "dropme"
    fix_target = cst.Module  # a type works as well as a name
    def fix_node(self, node, finding, ctx):
        keep = [s for s in node.body if "dropme" not in node.code_for_node(s)]
        ctx.add_import("os")
        ctx.remove_import("json")  # unused: removed
        ctx.remove_import("re")  # still used: kept
        return node.with_changes(body=keep)

class Anchored(Faulty):
    code, callee = "AIO994", "removeme"
    fix_target = ("If", "SimpleStatementLine")  # a tuple of several types
    def report(self, node, fix_data=None, **fields):
        stmt = self.view.statement_of(node)
        super().report(node, FixData(anchor=(stmt.lineno, stmt.col_offset)), **fields)
    def fix_node(self, node, finding, ctx):
        return cst.RemovalSentinel.REMOVE

class LosesComment(Faulty):
    code, callee = "AIO995", "losecomment"
    fix_target = "SimpleStatementLine"
    def fix_node(self, node, finding, ctx):
        return cst.SimpleStatementLine([cst.Pass()])

class UsesContext(Faulty):
    code, callee = "AIO996", "wrapme"
    def fix_node(self, node, finding, ctx):
        from libcst.metadata import ParentNodeProvider
        parent = ctx.metadata(ParentNodeProvider, ctx.original_node)
        assert ctx.parent() is parent and isinstance(parent, cst.Expr)
        assert ctx.target_version == ctx.settings.target_version == (3, 12)
        assert ctx.view.module_alias("asyncio") == "aio"
        name = ctx.module_name("asyncio")
        return ctx.parse_expression(f"{name}.run({ctx.module.code_for_node(node.args[0])})")

from flake8_asyncio_pitfalls.registry import FixData
from flake8_asyncio_pitfalls.cli import main
sys.exit(main(sys.argv[1:]))
'''


def test_failing_fixes_are_dropped_and_reported_the_rest_applied(tmp_path) -> None:
    source = ("import time\n\nbroken()\nexplode()\nstays()\nlosecomment()  # precious\n\n\n"
              "async def f():\n    time.sleep(1)\n")
    target = tmp_path / "a.py"
    target.write_text(source)
    proc = subprocess.run([sys.executable, "-c", FAULTY_RULES, "fix", "a.py"],
                          cwd=tmp_path, capture_output=True)
    assert proc.returncode == 1, proc.stderr
    assert target.read_text() == source.replace("import time\n", "import asyncio\n") \
        .replace("time.sleep(1)", "await asyncio.sleep(1)")
    err = lines(proc.stderr)
    assert err[0].startswith("a.py:3:1: AIO990 fix dropped: the fixed code does not compile: ")
    assert err[1] == "a.py:4:1: AIO991 fix dropped: the fix raised RuntimeError: boom"
    assert err[2] == "a.py:5:1: AIO992 fix dropped: AIO992 is still reported after the fix"
    assert err[3] == "a.py:6:1: AIO995 fix dropped: the fix would lose a comment: # precious"
    assert lines(proc.stdout)[-1] == "Fixed 1 finding in 1 file"


def test_module_wide_fixes_anchors_and_removal(tmp_path) -> None:
    source = ("import json\nimport re\nimport sys\nimport asyncio as aio\n\ndropme()\nif sys:\n"
              "    x = removeme()\n    y = re\nwrapme(main())\n")
    target = tmp_path / "a.py"
    target.write_text(source)
    proc = subprocess.run([sys.executable, "-c", FAULTY_RULES, "fix", "--target-version=py312",
                           "a.py"], cwd=tmp_path, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == ("import re\nimport sys\nimport asyncio as aio\nimport os\n\n"
                                  "if sys:\n    y = re\naio.run(main())\n")
    assert lines(proc.stdout) == ["a.py: fixed 3 findings (AIO993, AIO994, AIO996)",
                                  "Fixed 3 findings in 1 file"]


def test_unused_import_removed_without_scope_analysis(monkeypatch) -> None:
    """An import whose name the fixed code no longer mentions goes without
    libcst's scope analysis of the whole module (minutes on a large file);
    one still mentioned is left to it."""
    from libcst.codemod.visitors import GatherUnusedImportsVisitor
    from flake8_asyncio_pitfalls.config import Settings

    analysed = []
    real = GatherUnusedImportsVisitor.filter_unused_imports
    monkeypatch.setattr(GatherUnusedImportsVisitor, "filter_unused_imports",
                        lambda self, found: analysed.append(1) or real(self, found))
    head = "import time\nimport os\n\n\nasync def f():\n    time.sleep(1)\n"
    unused = engine.fix_text(head, Settings())
    assert unused.text == "import os\nimport asyncio\n\n\nasync def f():\n" \
                          "    await asyncio.sleep(1)\n"
    assert analysed == []
    used = engine.fix_text(head + "\n\ndef g():\n    time.sleep(2)\n", Settings())
    assert used.text.startswith("import time\nimport os\n")
    assert analysed == [1]
