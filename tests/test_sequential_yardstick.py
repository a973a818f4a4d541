"""The yardstick of AIO300: the article's serial examples 3-1 and 3-2 take
about 6 s; after ``fix --unsafe-fixes`` (on a temporary copy, the sleeps
kept as they are) each must finish in well under half that time, about the
2 s of the article's example 4, and print the same lines.

Both versions run for real, side by side, on CPython 3.10 (the article's
code uses APIs that later versions removed: ``asyncio.wait`` of bare
coroutines).  The URLs carry ``random.randint`` numbers and the last line
the elapsed time, so those are normalised; concurrent runs print in another
order, so the lines are compared as a multiset."""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from clirun import ROOT, run_cli

EXAMPLES = ["ex03_1_await_serial.py", "ex03_2_crawl_lists.py"]


def python310() -> Optional[str]:
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    found = sorted(glob.glob(f"{root}/versions/3.10.*/bin/python3")) or \
        [p for p in (shutil.which("python3.10"),) if p]
    return found[-1] if found else None


def normalise(output: str) -> Counter:
    lines = []
    for line in output.splitlines():
        line = re.sub(r"detail\d+", "detailN", line)
        line = re.sub(r"(用时: )[\d.]+", r"\1T", line)
        lines.append(line)
    return Counter(lines)


def run_one(python: str, path: Path) -> Tuple[float, str]:
    start = time.monotonic()
    proc = subprocess.run([python, "-W", "ignore::DeprecationWarning", str(path)],
                          capture_output=True, cwd=path.parent, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    return elapsed, proc.stdout.decode("utf-8")


def run_all(python: str, paths: List[Path]) -> List[Tuple[float, str]]:
    """Run the scripts side by side (they mostly sleep); wall time of each."""
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(lambda path: run_one(python, path), paths))


@pytest.mark.slow
def test_serial_examples_overlap_after_the_fix(tmp_path: Path) -> None:
    python = python310()
    if python is None:
        pytest.skip("CPython 3.10 is needed to run the article's original code")
    originals, fixed = [], []
    for name in EXAMPLES:
        original = tmp_path / "original" / name
        copy = tmp_path / "fixed" / name
        original.parent.mkdir(exist_ok=True)
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(ROOT / "fixtures" / "article" / name, original)
        shutil.copyfile(original, copy)
        originals.append(original)
        fixed.append(copy)
    proc = run_cli("fix", "--unsafe-fixes", *[p.name for p in fixed], cwd=tmp_path / "fixed")
    assert proc.returncode in (0, 1) and b"fix dropped" not in proc.stderr, proc.stderr
    for path in fixed:
        assert "asyncio.gather(" in path.read_text(encoding="utf-8"), path.name
    results = run_all(python, originals + fixed)
    for index, name in enumerate(EXAMPLES):
        (slow, before), (fast, after) = results[index], results[index + len(EXAMPLES)]
        print(f"{name}: {slow:.2f} s before the fix, {fast:.2f} s after")
        assert slow > 5.5, (name, slow)  # the serial original: about 6 s
        assert fast < slow / 2 and fast < 3.0, (name, slow, fast)  # about 2 s
        assert normalise(after) == normalise(before), name
