"""docs/precision.md stays true: every corpus finding of the reviewed rule
families has a verdict there, and AIO401/AIO402 keep >= 95% true positives.
Needs the corpus (``../shared/corpus/fetch.sh``); skipped without it."""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

from markers import ROOT

CACHE = Path(os.environ.get("AIO_CORPUS_CACHE", Path.home() / ".cache" / "aio-corpus"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CACHE / "files-packages.txt").is_file(), reason="corpus not fetched"),
]


def _bench():
    spec = importlib.util.spec_from_file_location("precision", ROOT / "bench" / "precision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_aio4_findings_are_judged_and_precise(capsys) -> None:
    status = _bench().main(["--select", "AIO4", "--verdicts", str(ROOT / "docs" / "precision.md")])
    out = capsys.readouterr().out
    assert status == 0, out  # a finding without a verdict
    for code in ("AIO401", "AIO402"):
        m = re.search(rf"^{code}: (\d+) TP, (\d+) FP", out, re.M)
        if m:
            tp, fp = map(int, m.groups())
            assert tp + fp == 0 or tp / (tp + fp) >= 0.95, out
