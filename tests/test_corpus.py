"""Crash-free on real code: ``check`` and ``fix --unsafe-fixes`` over the
whole corpus (pinned releases of async-heavy projects, see corpus.py), every
rule selected.  Nothing may raise or report an internal error or a dropped
fix; every fixed file must parse, and fixing the fixed corpus again must
change nothing."""
from __future__ import annotations

import ast
import os
import shutil
import warnings

import pytest

from clirun import run_cli
from corpus import corpus_files

pytestmark = pytest.mark.slow

FILES = corpus_files()
ALARMS = ("Traceback", "internal error", "fix dropped", "Error:")


def _parses(path: str) -> bool:
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the corpus's invalid escapes
        try:
            ast.parse(handle.read())
        except (SyntaxError, ValueError):
            return False
    return True


@pytest.fixture(scope="module")
def parseable():
    if not FILES:
        pytest.skip("no corpus: set AIO_CORPUS_CACHE, or AIO_CORPUS_FETCH to its fetch.sh")
    return [f for f in FILES if _parses(f)]


def _alarms(text: str):
    return [line for line in text.splitlines() if any(a in line for a in ALARMS)]


def test_check_over_the_corpus(parseable):
    proc = run_cli("check", "--jobs", "2", "--select", "AIO", "--exit-zero", *FILES)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert not _alarms(out + err), _alarms(out + err)[:20]
    # errors only for the files this Python cannot parse (a Python 2 file...)
    bad = set(FILES) - set(parseable)
    errored = {line.split(":", 1)[0] for line in out.splitlines() if " E9" in line}
    assert errored == bad
    assert proc.returncode == (2 if bad else 0), err


def test_fix_over_the_corpus(parseable, tmp_path):
    root = os.path.commonpath(parseable)
    copies = []
    for path in parseable:
        copy = tmp_path / os.path.relpath(path, root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(str(copy))
    proc = run_cli("fix", "--jobs", "2", "--select", "AIO", "--unsafe-fixes", *copies)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert not _alarms(out + err), _alarms(out + err)[:20]
    assert proc.returncode in (0, 1), err  # 1: findings without a fix remain
    changed = [c for c, p in zip(copies, parseable) if open(c, "rb").read() != open(p, "rb").read()]
    assert changed, "the fixes changed nothing in the corpus"
    unparseable = [c for c in changed if not _parses(c)]
    assert not unparseable
    again = run_cli("fix", "--jobs", "2", "--select", "AIO", "--unsafe-fixes", "--diff", *copies)
    assert again.stdout.decode() == "", "a second fix changes the fixed corpus"
    assert again.returncode == 0
