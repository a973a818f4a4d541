"""``asyncio-pitfalls check``: output, exit codes, bad files, walking,
configuration and ``# noqa``."""
from __future__ import annotations

import os
import textwrap

from clirun import lines, run_cli, run_flake8

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
CLEAN = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


def write(path, text, mode="w"):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_clean_file_exits_0(tmp_path):
    write(tmp_path / "ok.py", CLEAN)
    proc = run_cli("check", "ok.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_findings_exit_1_in_flake8_format(tmp_path):
    write(tmp_path / "bad.py", BLOCKING)
    proc = run_cli("check", "bad.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        "bad.py:5:5: AIO100 time.sleep() blocks the event loop; use await asyncio.sleep()"]


def test_exit_zero(tmp_path):
    write(tmp_path / "bad.py", BLOCKING)
    proc = run_cli("check", "--exit-zero", "bad.py", cwd=tmp_path)
    assert proc.returncode == 0 and len(lines(proc.stdout)) == 1


def test_output_sorted_by_path_then_line(tmp_path):
    write(tmp_path / "b.py", BLOCKING)
    write(tmp_path / "a.py", BLOCKING + "    time.sleep(2)\n")
    proc = run_cli("check", "b.py", "a.py", cwd=tmp_path)
    assert [line.split(" ")[0] for line in lines(proc.stdout)] == [
        "a.py:5:5:", "a.py:6:5:", "b.py:5:5:"]


def test_syntax_error_among_good_files_exits_2_and_checks_the_rest(tmp_path):
    write(tmp_path / "pkg" / "a.py", BLOCKING)
    write(tmp_path / "pkg" / "broken.py", "def f(:\n    pass\n")
    write(tmp_path / "pkg" / "z.py", BLOCKING)
    proc = run_cli("check", "pkg", cwd=tmp_path)
    assert proc.returncode == 2
    out = lines(proc.stdout)
    assert out[0].startswith(os.path.join("pkg", "a.py") + ":5:5: AIO100")
    assert out[1].startswith(os.path.join("pkg", "broken.py") + ":1:7: E999 SyntaxError: ")
    assert out[2].startswith(os.path.join("pkg", "z.py") + ":5:5: AIO100")


def test_undecodable_file_is_reported_clearly(tmp_path):
    write(tmp_path / "latin.py", b"x = '\xff\xfe'\n")
    write(tmp_path / "good.py", BLOCKING)
    proc = run_cli("check", "latin.py", "good.py", cwd=tmp_path)
    assert proc.returncode == 2
    out = lines(proc.stdout)
    assert out[0].startswith("good.py:5:5: AIO100")
    assert out[1].startswith("latin.py:1:1: E902 ")
    assert "can't decode byte 0xff" in out[1]


def test_declared_encoding_and_bom_are_read(tmp_path):
    write(tmp_path / "latin.py", "# -*- coding: latin-1 -*-\n".encode() + BLOCKING.encode("latin-1")
          + "# caf\xe9\n".encode("latin-1"))
    write(tmp_path / "bom.py", b"\xef\xbb\xbf" + BLOCKING.encode())
    proc = run_cli("check", "latin.py", "bom.py", cwd=tmp_path)
    assert [line.split(" ")[0] for line in lines(proc.stdout)] == ["bom.py:5:5:", "latin.py:6:5:"]


def test_empty_file_is_clean(tmp_path):
    write(tmp_path / "empty.py", "")
    proc = run_cli("check", "empty.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, b"")


def test_missing_path_exits_2(tmp_path):
    proc = run_cli("check", "nope.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert lines(proc.stdout) == [
        "nope.py:1:1: E902 FileNotFoundError: No such file or directory: 'nope.py'"]


def test_usage_error_exits_2(tmp_path):
    proc = run_cli("check", "--no-such-option", cwd=tmp_path)
    assert proc.returncode == 2 and b"usage:" in proc.stderr


def test_bad_config_value_exits_2(tmp_path):
    write(tmp_path / "a.py", CLEAN)
    proc = run_cli("check", "--target-version", "py27", "a.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert b"--target-version: 'py27' is not a supported target" in proc.stderr


def test_directory_walk_skips_default_and_excluded_folders(tmp_path):
    for folder in ("src", "src/generated", ".git", "build/venv", "src/__pycache__", ".tox/x"):
        write(tmp_path / folder / "m.py", BLOCKING)
    write(tmp_path / "build" / "venv" / "pyvenv.cfg", "home = /usr\n")
    write(tmp_path / "src" / "notes.txt", "time.sleep(1)\n")
    proc = run_cli("check", ".", "--exclude", "generated", cwd=tmp_path)
    paths = {line.split(":")[0] for line in lines(proc.stdout)}
    assert paths == {os.path.join(".", "src", "m.py")}


def test_select_and_ignore_by_prefix(tmp_path):
    write(tmp_path / "m.py", BLOCKING + "    open('x')\n")
    def codes(*opts):
        out = lines(run_cli("check", *opts, "m.py", cwd=tmp_path).stdout)
        return [line.split(" ")[1] for line in out]
    assert codes() == ["AIO100", "AIO103"]
    assert codes("--select", "AIO103") == ["AIO103"]
    assert codes("--ignore", "AIO10") == []
    assert codes("--ignore", "AIO1", "--select", "AIO100") == ["AIO100"]
    assert codes("--ignore", "AIO103") == ["AIO100"]


def test_noqa_is_honoured_as_flake8_reads_it(tmp_path):
    source = "\n".join([
        "import time",
        "",
        "",
        "async def f():",
        "    time.sleep(1)  # noqa",
        "    time.sleep(1)  # NoQA:AIO100",
        "    time.sleep(1)  # noqa: E501,AIO1 because we must",
        "    time.sleep(1)  # noqa: E501",
        "    time.sleep(",
        "        1,",
        "    )  # noqa: AIO100",
        '    time.sleep(len("""',
        '"""))  # noqa: AIO100 (the multi-line string carries it to line 12)',
        "",
    ])
    write(tmp_path / "m.py", source)
    proc = run_cli("check", "m.py", cwd=tmp_path)
    # as flake8 reads noqa: a bracketed multi-line call is not covered by a
    # comment on its last line, a multi-line string is
    assert [line.split(" ")[0] for line in lines(proc.stdout)] == ["m.py:8:5:", "m.py:9:5:"]
    assert lines(run_flake8("--isolated", "--select=AIO", "m.py", cwd=tmp_path).stdout) \
        == lines(proc.stdout)


def test_file_level_flake8_noqa(tmp_path):
    write(tmp_path / "m.py", "# flake8: noqa\n" + BLOCKING)
    assert run_cli("check", "m.py", cwd=tmp_path).returncode == 0


def test_config_from_flake8_section(tmp_path):
    write(tmp_path / "setup.cfg", textwrap.dedent("""\
        [flake8]
        asyncio-extra-blocking-calls = mylib.fetch=mylib.afetch
        asyncio-exempt-calls = time.sleep
        """))
    write(tmp_path / "m.py", "import time, mylib\n\nasync def f():\n    time.sleep(1)\n"
          "    mylib.fetch()\n")
    proc = run_cli("check", "m.py", cwd=tmp_path)
    assert lines(proc.stdout) == [
        "m.py:5:5: AIO104 mylib.fetch() blocks the event loop; use mylib.afetch()"]


def test_command_line_lists_extend_config(tmp_path):
    write(tmp_path / "m.py", "import mylib\n\nasync def f():\n    mylib.block()\n")
    proc = run_cli("check", "--extra-blocking-calls", "mylib.block", "m.py", cwd=tmp_path)
    assert lines(proc.stdout) == [
        "m.py:4:5: AIO104 mylib.block() blocks the event loop; "
        "run it with await asyncio.to_thread() instead"]


def test_bad_dotted_name_in_config_names_file_and_key(tmp_path):
    write(tmp_path / "tox.ini", "[flake8]\nasyncio-exempt-calls = not a-name!\n")
    write(tmp_path / "m.py", CLEAN)
    proc = run_cli("check", "m.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert b"tox.ini [flake8]: asyncio-exempt-calls: 'a-name!' is not a dotted name" in proc.stderr


def test_stdin(tmp_path):
    proc = run_cli("check", "-", "--stdin-filename", "buf.py", cwd=tmp_path, stdin=BLOCKING.encode())
    assert proc.returncode == 1
    assert lines(proc.stdout)[0].startswith("buf.py:5:5: AIO100")


def test_module_and_console_script_agree(tmp_path):
    import shutil
    import subprocess
    import sys
    write(tmp_path / "bad.py", BLOCKING)
    script = shutil.which("asyncio-pitfalls", path=os.path.dirname(sys.executable))
    assert script, "console script asyncio-pitfalls is not installed"
    proc = subprocess.run([script, "check", "bad.py"], cwd=tmp_path, capture_output=True)
    assert proc.stdout == run_cli("check", "bad.py", cwd=tmp_path).stdout


def test_form_feed_does_not_shift_lines_for_noqa(tmp_path):
    """A form feed is whitespace to Python, not a line break (as it is to
    str.splitlines): the noqa comment must be looked for on the right line."""
    write(tmp_path / "m.py", "import time\n\x0c\n\nasync def f():\n"
          "    time.sleep(1)  # noqa: AIO100\n    time.sleep(2)\n")
    proc = run_cli("check", "m.py", cwd=tmp_path)
    assert [line.split(" ")[0] for line in lines(proc.stdout)] == ["m.py:6:5:"]
    assert lines(run_flake8("--isolated", "--select=AIO", "m.py", cwd=tmp_path).stdout) \
        == lines(proc.stdout)
