"""Fixed twins: ``fixtures/fixed/X`` is what ``asyncio-pitfalls fix`` makes
of ``fixtures/X``, ``fixtures/fixed-unsafe/X`` what ``fix --unsafe-fixes``
makes of it.  The real command runs on a temporary copy; the text must match exactly."""
from __future__ import annotations

import shutil

import pytest

from clirun import run_cli
from markers import all_fixtures

CASES = [
    pytest.param(fx, unsafe, id=f"{fx.id}{'-unsafe' if unsafe else ''}")
    for fx in all_fixtures()
    for unsafe in (False, True)
    if fx.fixed_twin(unsafe).exists()
]


@pytest.mark.parametrize("fx, unsafe", CASES)
def test_fix_gives_the_fixed_twin(fx, unsafe, tmp_path) -> None:
    copy = tmp_path / fx.path.name
    shutil.copyfile(fx.path, copy)
    flags = ["--unsafe-fixes"] if unsafe else []
    proc = run_cli("fix", *flags, *fx.cli_options(), copy.name, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert b"fix dropped" not in proc.stderr, proc.stderr.decode()
    assert copy.read_text(encoding="utf-8") == fx.fixed_twin(unsafe).read_text(encoding="utf-8")


def test_there_are_twins() -> None:
    assert len(CASES) >= 1
