"""The article as a yardstick (see the rule catalog's last section).

Each example of the article that needs no network goes through
``asyncio-pitfalls fix --unsafe-fixes`` on a temporary copy; the result must
run on CPython 3.13 with ``-W error::DeprecationWarning`` and print the same
lines as the original does on CPython 3.10.  Lines are compared as a
multiset (the examples run things concurrently, and fixes may make serial
code concurrent), after normalising what differs from run to run: timings
(``用时: ...``) and the random detail page numbers.  The article's
``asyncio.wait`` example prints ``res.result``, a bound method, by mistake
(AIO404): such a line of the original matches any line of the fixed run with
the same text before the method, whether or not that mistake was fixed.

Both interpreters come from pyenv (``pyenv root``, else ``~/.pyenv``); a
test is skipped, saying why, when one is missing.

Environment switch: ``AIO_YARDSTICK_SLEEP_SCALE`` (default ``0.05``) scales
every ``asyncio.sleep``/``time.sleep`` of the examples through a
``sitecustomize`` put on ``PYTHONPATH``, so that the seconds of sleeping the
article does take a fraction of that; ``1`` runs them at full length.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import List, Optional

import pytest

from clirun import run_cli
from markers import FIXTURES

ARTICLE = FIXTURES / "article"
NOT_RUN = {
    "ex07_requests_in_executor.py": "fetches web pages",
    "ex08_requests_blocking.py": "fetches web pages",
    "ex11_async_context_manager.py": "pseudo-code (mysql is not defined)",
}
EXAMPLES = sorted(ARTICLE.glob("*.py"))
SLEEP_SCALE = os.environ.get("AIO_YARDSTICK_SLEEP_SCALE", "0.05")

SITECUSTOMIZE = '''\
import os
_scale = float(os.environ.get("AIO_YARDSTICK_SLEEP_SCALE", "1"))
if _scale != 1:
    import asyncio
    import time
    _asleep, _tsleep = asyncio.sleep, time.sleep

    async def _scaled(delay, result=None):
        return await _asleep(delay * _scale, result)

    asyncio.sleep = _scaled
    time.sleep = lambda seconds: _tsleep(seconds * _scale)
'''

NORMALISE = [
    (re.compile(r"用时: .*"), "用时: <time>"),
    (re.compile(r"detail\d+"), "detail<n>"),
]
#: ``print(res.result)``: the repr of a Task's bound ``result`` method
METHOD_REPR = re.compile(r"^(?P<prefix>.*)<(bound|built-in) method (\w+\.)?result of .*>$")


def _pyenv_python(minor: str) -> Optional[str]:
    roots: List[str] = []
    try:
        roots.append(subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                                    check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    roots.append(os.path.expanduser("~/.pyenv"))
    for root in roots:
        found = sorted(glob.glob(os.path.join(root, "versions", f"3.{minor}.*", "bin", "python3")))
        if found:
            return found[-1]
    return None


PY310 = _pyenv_python("10")
PY313 = _pyenv_python("13")


def _lines(output: str) -> Counter:
    out = []
    for line in output.splitlines():
        for pattern, replacement in NORMALISE:
            line = pattern.sub(replacement, line)
        out.append(line.rstrip())
    return Counter(out)


def _run(python: str, script: Path, shim: Path, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(shim), "AIO_YARDSTICK_SLEEP_SCALE": SLEEP_SCALE,
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([python, *flags, script.name], cwd=script.parent, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _importable(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_fixed_example_runs_on_313_as_the_original_on_310(example: Path, tmp_path: Path) -> None:
    if example.name in NOT_RUN:
        pytest.skip(f"{example.name} is not run: {NOT_RUN[example.name]}")
    if PY310 is None or PY313 is None:
        pytest.skip("needs CPython 3.10 and 3.13 from pyenv "
                    f"(found: 3.10={PY310}, 3.13={PY313})")
    if "uvloop" in example.read_text(encoding="utf-8"):
        missing = [py for py in (PY310, PY313) if not _importable(py, "uvloop")]
        if missing:
            pytest.skip(f"uvloop is not installed for {', '.join(missing)}")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    original = tmp_path / "original" / example.name
    fixed = tmp_path / "fixed" / example.name
    for copy in (original, fixed):
        copy.parent.mkdir()
        shutil.copyfile(example, copy)
    proc = run_cli("fix", "--unsafe-fixes", fixed.name, cwd=fixed.parent)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert b"fix dropped" not in proc.stderr, proc.stderr.decode()

    before = _run(PY310, original, shim)
    assert before.returncode == 0, f"the original fails on 3.10:\n{before.stderr}"
    after = _run(PY313, fixed, shim, "-W", "error::DeprecationWarning")
    assert after.returncode == 0, (
        f"the fixed example fails on 3.13:\n{after.stderr}\n--- fixed code:\n"
        + fixed.read_text(encoding="utf-8"))
    expected, got = _lines(before.stdout), _lines(after.stdout)
    for line in [line for line in expected.elements() if METHOD_REPR.match(line)]:
        prefix = METHOD_REPR.match(line).group("prefix")  # type: ignore[union-attr]
        match = next((g for g in got.elements() if g.startswith(prefix)), None)
        if match is not None:
            expected[line] -= 1
            got[match] -= 1
    assert +got == +expected, (before.stdout, after.stdout)


def test_the_interpreters_are_not_this_one() -> None:
    # The comparison is meaningless if both runs used the same Python.
    if PY310 and PY313:
        assert PY310 != PY313 and os.path.realpath(PY310) != os.path.realpath(sys.executable)
