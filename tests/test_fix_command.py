"""``asyncio-pitfalls fix``: modes, output, exit codes, and never losing data."""
from __future__ import annotations

import os
import subprocess
import sys

from clirun import ROOT, lines, run_cli

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
FIXED = "import time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
FIXED_WITH_IMPORT = "import time\nimport asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
CLEAN = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
UNSAFE_ONLY = "import requests\n\n\nasync def f(u):\n    return requests.get(u)\n"


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_bytes(data.encode("utf-8"))
    return path


def test_fix_rewrites_adds_import_and_exits_0(tmp_path):
    target = write(tmp_path / "a.py", BLOCKING)
    proc = run_cli("fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == FIXED_WITH_IMPORT
    assert lines(proc.stdout) == ["a.py: fixed 1 finding (AIO100)", "Fixed 1 finding in 1 file"]


def test_clean_file_is_not_touched(tmp_path):
    target = write(tmp_path / "ok.py", CLEAN)
    before = os.stat(target).st_mtime_ns
    proc = run_cli("fix", "ok.py", cwd=tmp_path)
    assert (proc.returncode, lines(proc.stdout)) == (0, ["Fixed 0 findings in 0 files"])
    assert os.stat(target).st_mtime_ns == before


def test_check_path_never_imports_libcst(tmp_path):
    write(tmp_path / "a.py", BLOCKING)
    code = ("import sys\nfrom flake8_asyncio_pitfalls import cli\n"
            "rc = cli.main(['check', 'a.py'])\n"
            "assert 'libcst' not in sys.modules, 'check imported libcst'\n"
            "from flake8_asyncio_pitfalls import plugin\n"
            "assert 'libcst' not in sys.modules\n"
            "sys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True)
    assert proc.returncode == 1, proc.stderr


def test_reuses_the_alias_asyncio_is_imported_as(tmp_path):
    target = write(tmp_path / "a.py", "import asyncio as aio\n" + BLOCKING)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_text() == "import asyncio as aio\n" + FIXED.replace("asyncio.", "aio.")
