"""``asyncio-pitfalls fix``: modes, output, exit codes, and never losing data."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from clirun import ROOT, lines, run_cli

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
FIXED = "import time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
# the import of time, unused after the fix, goes
FIXED_WITH_IMPORT = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
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
    assert target.read_text() == "import asyncio as aio\n" + FIXED.replace(
        "asyncio.", "aio.").replace("import time\n", "")


def test_imports_left_unused_are_removed_unless_commented(tmp_path):
    text = ("import time\nfrom time import sleep as nap\nfrom os import sep  # keep\n"
            "from time import monotonic, sleep\n\n\nasync def f():\n"
            "    time.sleep(1)\n    nap(2)\n    sleep(3)\n    return monotonic(), sep\n")
    target = write(tmp_path / "a.py", text)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_text() == (
        "from os import sep  # keep\nfrom time import monotonic\nimport asyncio\n\n\n"
        "async def f():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"
        "    await asyncio.sleep(3)\n    return monotonic(), sep\n")


# -- exit codes and modes ------------------------------------------------------

def test_remaining_unsafe_finding_exits_1_and_is_counted_in_the_summary(tmp_path):
    target = write(tmp_path / "a.py", UNSAFE_ONLY)
    write(tmp_path / "b.py", BLOCKING)
    proc = run_cli("fix", "a.py", "b.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert target.read_text() == UNSAFE_ONLY
    out = lines(proc.stdout)
    assert out[0].startswith("a.py:5:12: AIO101 requests.get() blocks")
    assert out[1:] == ["b.py: fixed 1 finding (AIO100)",
                       "Fixed 1 finding in 1 file; 1 more fixable with --unsafe-fixes"]


def test_unsafe_fixes(tmp_path):
    target = write(tmp_path / "a.py", UNSAFE_ONLY)
    proc = run_cli("fix", "--unsafe-fixes", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == (
        "import requests\nimport asyncio\n\n\nasync def f(u):\n"
        "    return await asyncio.to_thread(requests.get, u)\n")


def test_diff_prints_and_writes_nothing(tmp_path):
    target = write(tmp_path / "a.py", BLOCKING)
    proc = run_cli("fix", "--diff", "a.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert target.read_text() == BLOCKING
    assert lines(proc.stdout) == [
        "--- a/a.py", "+++ b/a.py", "@@ -1,5 +1,5 @@", "-import time", "+import asyncio",
        " ", " ", " async def f():", "-    time.sleep(1)", "+    await asyncio.sleep(1)"]
    assert lines(proc.stderr) == ["a.py: would fix 1 finding (AIO100)",
                                  "Would fix 1 finding in 1 file"]
    clean = write(tmp_path / "ok.py", CLEAN)
    proc = run_cli("fix", "--diff", "ok.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, b"")
    assert clean.read_text() == CLEAN


def test_check_writes_nothing_and_exits_1_when_something_would_change(tmp_path):
    target = write(tmp_path / "a.py", BLOCKING)
    proc = run_cli("fix", "--check", "a.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert target.read_text() == BLOCKING
    assert lines(proc.stdout)[-1] == "Would fix 1 finding in 1 file"
    # an unsafe-only finding is no change in safe mode
    write(tmp_path / "b.py", UNSAFE_ONLY)
    assert run_cli("fix", "--check", "b.py", cwd=tmp_path).returncode == 0
    assert run_cli("fix", "--check", "--unsafe-fixes", "b.py", cwd=tmp_path).returncode == 1


def test_select_and_ignore(tmp_path):
    both = "import time, requests\n\n\nasync def f(u):\n    time.sleep(1)\n    requests.get(u)\n"
    target = write(tmp_path / "a.py", both)
    proc = run_cli("fix", "--unsafe-fixes", "--select=AIO101", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "time.sleep(1)" in target.read_text()
    assert "await asyncio.to_thread(requests.get, u)" in target.read_text()
    target = write(tmp_path / "b.py", both)
    proc = run_cli("fix", "--unsafe-fixes", "--ignore=AIO101", "b.py", cwd=tmp_path)
    assert proc.returncode == 0  # ignored: neither fixed nor reported
    text = target.read_text()
    assert "await asyncio.sleep(1)" in text and "    requests.get(u)" in text


def test_usage_errors_exit_2(tmp_path):
    write(tmp_path / "a.py", BLOCKING)
    assert run_cli("fix", "--target-version=py27", "a.py", cwd=tmp_path).returncode == 2
    assert run_cli("fix", "--diff", "--check", "a.py", cwd=tmp_path).returncode == 2
    proc = run_cli("fix", "-", "a.py", cwd=tmp_path, stdin=b"")
    assert proc.returncode == 2
    proc = run_cli("fix", "missing.py", "a.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert lines(proc.stderr)[0].startswith("missing.py:1:1: E902 FileNotFoundError")
    assert (tmp_path / "a.py").read_text() == FIXED_WITH_IMPORT


# -- standard input ------------------------------------------------------------

def test_stdin_to_stdout(tmp_path):
    proc = run_cli("fix", "-", cwd=tmp_path, stdin=BLOCKING.encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == FIXED_WITH_IMPORT
    assert lines(proc.stderr) == ["-: fixed 1 finding (AIO100)", "Fixed 1 finding in 1 file"]


def test_stdin_unfixable_and_broken_buffers_come_back_unchanged(tmp_path):
    proc = run_cli("fix", "--stdin-filename=x.py", "-", cwd=tmp_path, stdin=UNSAFE_ONLY.encode())
    assert (proc.returncode, proc.stdout.decode()) == (1, UNSAFE_ONLY)
    assert lines(proc.stderr)[0].startswith("x.py:5:12: AIO101")
    broken = b"async def f(:\n    pass\n"
    proc = run_cli("fix", "-", cwd=tmp_path, stdin=broken)
    assert (proc.returncode, proc.stdout) == (2, broken)
    assert b"E999 SyntaxError" in proc.stderr


# -- never lose data -----------------------------------------------------------

def test_bad_files_are_left_byte_identical_and_the_others_fixed(tmp_path):
    broken = write(tmp_path / "pkg" / "broken.py", b"import time\nasync def f(:\n    time.sleep(1)\n")
    undecodable = write(tmp_path / "pkg" / "latin.py",
                        b"import time\nasync def f():\n    time.sleep(1)  # caf\xe9\n")
    readonly = write(tmp_path / "pkg" / "readonly.py", BLOCKING)
    os.chmod(readonly, 0o444)
    good = write(tmp_path / "pkg" / "z.py", BLOCKING)
    before = {p: p.read_bytes() for p in (broken, undecodable, readonly)}
    proc = run_cli("fix", "pkg", cwd=tmp_path)
    assert proc.returncode == 2
    assert {p: p.read_bytes() for p in before} == before
    assert good.read_text() == FIXED_WITH_IMPORT
    err = lines(proc.stderr)
    assert err[0].startswith(os.path.join("pkg", "broken.py") + ":2:13: E999 SyntaxError")
    assert err[1].startswith(os.path.join("pkg", "latin.py") + ":1:1: E902 UnicodeDecodeError")
    assert err[2].startswith(os.path.join("pkg", "readonly.py") + ":1:1: E902 PermissionError")
    assert oct(os.stat(readonly).st_mode & 0o777) == oct(0o444)
    assert lines(proc.stdout)[-1] == "Fixed 1 finding in 1 file"


def test_not_a_regular_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    write(tmp_path / "a.py", BLOCKING)
    proc = subprocess.run([sys.executable, "-m", "flake8_asyncio_pitfalls", "fix", "pipe.py", "a.py"],
                          cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert lines(proc.stderr)[0] == "pipe.py:1:1: E902 not a regular file: 'pipe.py'"
    assert (tmp_path / "a.py").read_text() == FIXED_WITH_IMPORT
    assert (tmp_path / "pipe.py").is_fifo()


def test_permissions_kept_and_symlinks_followed(tmp_path):
    real = write(tmp_path / "real.py", BLOCKING)
    os.chmod(real, 0o640)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert run_cli("fix", "link.py", cwd=tmp_path).returncode == 0
    assert link.is_symlink() and real.read_text() == FIXED_WITH_IMPORT
    assert oct(os.stat(real).st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_crlf_and_bom_round_trip(tmp_path):
    raw = b"\xef\xbb\xbf" + BLOCKING.replace("\n", "\r\n").encode()
    target = write(tmp_path / "a.py", raw)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + FIXED_WITH_IMPORT.replace("\n", "\r\n").encode()


def test_encoding_declaration_kept(tmp_path):
    raw = ("# -*- coding: latin-1 -*-\n" + BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # café")
           ).encode("latin-1")
    target = write(tmp_path / "a.py", raw)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_bytes() == raw.replace(b"time.sleep(1)", b"await asyncio.sleep(1)").replace(
        b"import time\n", b"import asyncio\n")


def test_no_final_newline_and_noqa_lines_kept(tmp_path):
    text = ("import time\n\n\nasync def f():\n    time.sleep(1)  # noqa: AIO100\n"
            "    time.sleep(2)  # NOQA\n    time.sleep(3)")
    target = write(tmp_path / "a.py", text)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_text() == text.replace("time.sleep(3)", "await asyncio.sleep(3)").replace(
        "import time\n", "import time\nimport asyncio\n")


def test_non_ascii_columns(tmp_path):
    text = 'import time\n\n\nasync def f():\n    é = print("ééé", time.sleep(1))\n'
    target = write(tmp_path / "a.py", text)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    assert target.read_text().endswith('    é = print("ééé", await asyncio.sleep(1))\n')


# -- target version --------------------------------------------------------------

def test_target_version_defaults_to_requires_python(tmp_path):
    project = tmp_path / "proj"
    write(project / "pyproject.toml", '[project]\nname = "p"\nrequires-python = ">=3.8"\n')
    target = write(project / "src" / "a.py", UNSAFE_ONLY)
    proc = run_cli("fix", "--unsafe-fixes", os.path.join("proj", "src", "a.py"), cwd=tmp_path)
    assert proc.returncode == 1  # asyncio.to_thread needs 3.9
    assert target.read_text() == UNSAFE_ONLY
    assert "more fixable" not in proc.stdout.decode()
    proc = run_cli("fix", "--unsafe-fixes", "--target-version=py39",
                   os.path.join("proj", "src", "a.py"), cwd=tmp_path)
    assert proc.returncode == 0 and "to_thread" in target.read_text()
    write(project / "pyproject.toml", '[project]\nname = "p"\nrequires-python = ">=3.10,<4"\n')
    target = write(project / "src" / "b.py", UNSAFE_ONLY)
    assert run_cli("fix", "--unsafe-fixes", "src", cwd=project).returncode == 0
    assert "to_thread" in target.read_text()


def test_requires_python_floor():
    from flake8_asyncio_pitfalls.config import requires_python_floor
    assert requires_python_floor(">=3.10") == (3, 10)
    assert requires_python_floor(">= 3.9, <4") == (3, 9)
    assert requires_python_floor("~=3.11.2") == (3, 11)
    assert requires_python_floor("==3.12.*") == (3, 12)
    assert requires_python_floor(">=3.8,!=3.9.*") == (3, 8)
    assert requires_python_floor("<4") is None


def test_unreadable_pyproject_is_a_usage_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[project\n")
    write(tmp_path / "a.py", BLOCKING)
    proc = run_cli("fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 2 and b"pyproject.toml" in proc.stderr


def test_check_and_fix_share_the_per_file_target(tmp_path):
    from flake8_asyncio_pitfalls.cli import build_parser
    from flake8_asyncio_pitfalls.commands.options import SettingsResolver
    write(tmp_path / "app" / "pyproject.toml", '[project]\nrequires-python = ">=3.11"\n')
    inner = write(tmp_path / "app" / "pkg" / "m.py", CLEAN)
    outer = write(tmp_path / "other.py", CLEAN)
    for command in ("check", "fix"):
        plain = SettingsResolver(build_parser().parse_args([command, str(inner)]))
        assert plain.for_path(str(inner)).target_version == (3, 11)
        assert plain.for_path(str(outer)).target_version == (3, 9)
        explicit = SettingsResolver(
            build_parser().parse_args([command, "--target-version", "py39", str(inner)]))
        assert explicit.for_path(str(inner)).target_version == (3, 9)


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a file away")
def test_owner_kept_when_root_fixes_another_users_file(tmp_path):
    target = write(tmp_path / "a.py", BLOCKING)
    os.chown(target, 12345, 12345)
    assert run_cli("fix", "a.py", cwd=tmp_path).returncode == 0
    info = os.stat(target)
    assert (info.st_uid, info.st_gid) == (12345, 12345)
    assert target.read_text() == FIXED_WITH_IMPORT


def test_fix_loads_libcst_only_for_files_with_something_to_fix(tmp_path):
    write(tmp_path / "ok.py", CLEAN)
    write(tmp_path / "unsafe.py", UNSAFE_ONLY)
    code = ("import sys\nfrom flake8_asyncio_pitfalls import cli\n"
            "rc = cli.main(['fix', 'ok.py', 'unsafe.py'])\n"
            "assert 'libcst' not in sys.modules, 'libcst imported with nothing to fix'\n"
            "sys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True)
    assert proc.returncode == 1, proc.stderr


def test_file_wide_noqa_leaves_the_file_alone(tmp_path):
    target = write(tmp_path / "a.py", "# flake8: noqa\n" + BLOCKING)
    proc = run_cli("fix", "a.py", cwd=tmp_path)
    assert (proc.returncode, target.read_text()) == (0, "# flake8: noqa\n" + BLOCKING)
