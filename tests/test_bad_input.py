"""Bad input, end to end (the README's troubleshooting table): every case
through the real ``check`` and ``fix`` commands, with its message, its exit
code, and no file lost or half-written."""
from __future__ import annotations

import os
import stat
import sys
import time

import pytest

from clirun import lines, run_cli

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
HAS_FIX = b"--diff" in run_cli("fix", "--help").stdout
needs_fix = pytest.mark.skipif(not HAS_FIX, reason="no `asyncio-pitfalls fix` in this version")


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def check(*args, cwd):
    return run_cli("check", "--jobs", "1", *args, cwd=cwd)


def fix(*args, cwd):
    return run_cli("fix", "--jobs", "1", "--unsafe-fixes", *args, cwd=cwd)


def no_traceback(proc):
    assert b"Traceback" not in proc.stdout + proc.stderr, proc.stderr.decode()[-2000:]


def assert_untouched_by_fix(tmp_path, name, data, code):
    path = write(tmp_path / name, data)
    proc = fix(name, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert f"{name}:".encode() in proc.stderr and code.encode() in proc.stderr
    assert path.read_bytes() == data
    assert sorted(os.listdir(tmp_path)) == [name]  # no temporary file left behind


# -- one row of the table each -------------------------------------------

SYNTAX_ERROR = b"def f(:\n    pass\n"
#: the same in a file that some rule's trigger words make worth parsing
#: (the one above, with none, is only checked for syntax)
ASYNC_SYNTAX_ERROR = b"import asyncio\nasync def f(:\n    pass\n"
UNDECODABLE = b"x = '\xff\xfe'\n"
NULL_BYTE = b"import time\x00\n"


@pytest.mark.parametrize("data, expected", [
    (SYNTAX_ERROR, "bad.py:1:7: E999 SyntaxError: "),
    (ASYNC_SYNTAX_ERROR, "bad.py:2:13: E999 SyntaxError: "),
    (UNDECODABLE, "bad.py:1:1: E902 UnicodeDecodeError: "),
    (NULL_BYTE, "bad.py:1:1: E999 "),
], ids=["syntax-error", "syntax-error-async", "undecodable", "null-byte"])
def test_unreadable_sources_are_reported_and_the_rest_checked(tmp_path, data, expected):
    write(tmp_path / "bad.py", data)
    write(tmp_path / "good.py", BLOCKING)
    proc = check("bad.py", "good.py", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    out = lines(proc.stdout)
    assert out[0].startswith(expected), out
    assert "null bytes" in out[0] or data is not NULL_BYTE
    assert out[1].startswith("good.py:5:5: AIO100")


@needs_fix
@pytest.mark.parametrize("data, code", [
    (SYNTAX_ERROR, "E999"), (ASYNC_SYNTAX_ERROR, "E999"), (UNDECODABLE, "E902"),
    (NULL_BYTE, "E999"),
], ids=["syntax-error", "syntax-error-async", "undecodable", "null-byte"])
def test_fix_leaves_unreadable_sources_byte_identical(tmp_path, data, code):
    assert_untouched_by_fix(tmp_path, "bad.py", data, code)


def test_file_without_trigger_words_gets_the_compilers_syntax_check(tmp_path):
    # no rule can flag this file, so it is not parsed into a tree; the
    # symbol table behind its syntax check rejects what the compiler would
    write(tmp_path / "plain.py", b"x = 1\nnonlocal y\n")
    proc = check("plain.py", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    [line] = lines(proc.stdout)  # "nonlocal declaration not allowed at module level"
    assert line.startswith("plain.py:2:1: E999 SyntaxError: nonlocal "), line


def test_empty_file(tmp_path):
    write(tmp_path / "empty.py", b"")
    proc = check("empty.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    if HAS_FIX:
        proc = fix("empty.py", cwd=tmp_path)
        assert proc.returncode == 0 and (tmp_path / "empty.py").read_bytes() == b""


def test_huge_generated_file(tmp_path):
    # 50,000 lines: 24,998 small functions and one blocking call at the end
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(24998))
    source = "import time\n" + body + "async def g():\n    time.sleep(1)\n"
    assert source.count("\n") == 49999
    write(tmp_path / "huge.py", source)
    start = time.monotonic()
    proc = check("huge.py", cwd=tmp_path)
    elapsed = time.monotonic() - start
    no_traceback(proc)
    assert lines(proc.stdout) == [
        "huge.py:49999:5: AIO100 time.sleep() blocks the event loop; use await asyncio.sleep()"]
    assert elapsed < 60
    # (fix is not run here: libcst's RemoveImportsVisitor takes minutes on
    # a file this size)


# Nesting that the parser accepts but that recursion over the tree would
# not survive (the analysis is iterative), and nesting the parser itself
# refuses (RecursionError/MemoryError/"too many nested parentheses").
DEEP_OK = {
    "attribute-chain": "import time\n\n\nasync def f():\n    time" + ".b" * 1400 + "()\n",
    "class-hierarchy": "import time\n\n\n" + "".join(
        f"class C{i}(C{i + 1}):\n    pass\n\n\n" for i in range(1400)) + (
        "class C1400:\n    def m(self):\n        time.sleep(1)\n\n\n"
        "class D(C0):\n    async def f(self):\n        self.m()\n"),
    "call-chain": "def helper0():\n    pass\n" + "".join(
        f"def helper{i}():\n    helper{i - 1}()\n" for i in range(1, 3000)) + (
        "async def main():\n    helper2999()\n"),
    "operators": "import time\n\n\nasync def f():\n    x = " + " + ".join(["time.sleep(1)"] * 1400) + "\n",
}
#: too deep for libcst's recursive walks: fix reports the file, leaves it alone
TOO_DEEP_FOR_THE_FIXER = {"operators"}
#: Python 3.9 builds the tree of 100,000 chained operators (3.11 refuses it)
ACCEPTED_BY_SOME = {"operators"}
DEEP_REFUSED = {
    "parentheses": "x = " + "(" * 500 + "1" + ")" * 500 + "\n",
    "operators": "import time\n\n\nasync def f():\n    x = " + " + ".join(["1"] * 100_000) + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_OK))
def test_deep_nesting_is_analysed(tmp_path, name):
    path = write(tmp_path / "deep.py", DEEP_OK[name])
    proc = check("--select", "AIO", "deep.py", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode in (0, 1) and not proc.stderr
    if HAS_FIX:
        # the fixer (libcst) recurses where the analysis does not: a file
        # too deep for it is reported and left as it was, never half-written
        before = path.read_bytes()
        proc = fix("--select", "AIO", "deep.py", cwd=tmp_path)
        no_traceback(proc)
        assert proc.returncode in ((2,) if name in TOO_DEEP_FOR_THE_FIXER else (0, 1))
        if proc.returncode == 2:
            assert lines(proc.stderr) == ["deep.py:1:1: E902 the file is too deeply nested for "
                                          "the fixer (libcst); it was left unchanged"]
            assert path.read_bytes() == before
        compile(path.read_bytes(), "deep.py", "exec")


@pytest.mark.parametrize("name", sorted(DEEP_REFUSED))
def test_nesting_the_parser_refuses_is_reported(tmp_path, name):
    write(tmp_path / "deep.py", DEEP_REFUSED[name])
    proc = check("deep.py", cwd=tmp_path)
    no_traceback(proc)
    if proc.returncode == 0 and name in ACCEPTED_BY_SOME:
        return  # this Python's parser takes it, and so does the analysis
    assert proc.returncode == 2
    (line,) = lines(proc.stdout)
    assert line.startswith("deep.py:") and " E999 " in line, line


def test_directory_symlink_loop(tmp_path):
    write(tmp_path / "pkg" / "sub" / "m.py", BLOCKING)
    os.symlink(os.path.join("..", ".."), tmp_path / "pkg" / "sub" / "loop")
    os.symlink(".", tmp_path / "pkg" / "self")
    proc = check("pkg", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert [line.split(" ")[0] for line in lines(proc.stdout)] == [
        os.path.join("pkg", "sub", "m.py") + ":5:5:"]


def test_path_that_does_not_exist(tmp_path):
    write(tmp_path / "good.py", BLOCKING)
    proc = check("good.py", "nope.py", "nodir/", cwd=tmp_path)
    assert proc.returncode == 2
    out = lines(proc.stdout)
    assert "good.py:5:5: AIO100" in out[0]
    assert out[1:] == [
        "nodir/:1:1: E902 FileNotFoundError: No such file or directory: 'nodir/'",
        "nope.py:1:1: E902 FileNotFoundError: No such file or directory: 'nope.py'"]
    if HAS_FIX:
        proc = fix("nope.py", cwd=tmp_path)
        assert proc.returncode == 2 and b"nope.py:1:1: E902 FileNotFoundError" in proc.stderr


@needs_fix
def test_read_only_file_for_fix(tmp_path):
    path = write(tmp_path / "ro.py", BLOCKING)
    os.chmod(path, 0o444)
    proc = fix("ro.py", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert b"ro.py:1:1: E902 " in proc.stderr and b"read-only" in proc.stderr
    assert path.read_text() == BLOCKING
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert sorted(os.listdir(tmp_path)) == ["ro.py"]


CONCURRENT_EDIT = BLOCKING + "# saved by an editor meanwhile\n"


@needs_fix
def test_file_changed_between_read_and_write_is_not_clobbered(tmp_path, monkeypatch, capsys):
    """Someone saves the file while fix works on it: fix must notice before
    writing, keep their version, and say so."""
    from flake8_asyncio_pitfalls import cli, sources

    path = write(tmp_path / "m.py", BLOCKING)
    real_read = sources.read

    def read_then_edited(name):
        source = real_read(name)
        if os.path.abspath(name) == str(path):
            path.write_text(CONCURRENT_EDIT)
        return source

    monkeypatch.setattr(sources, "read", read_then_edited)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["fix", "--jobs", "1", "m.py"])
    err = capsys.readouterr().err
    assert code == 2
    assert "m.py:1:1: E902 " in err and "changed" in err, err
    assert path.read_text() == CONCURRENT_EDIT
    assert sorted(os.listdir(tmp_path)) == ["m.py"]


def test_stdin_with_bad_bytes(tmp_path):
    proc = run_cli("check", "-", "--stdin-filename", "buf.py", cwd=tmp_path, stdin=NULL_BYTE)
    no_traceback(proc)
    assert proc.returncode == 2 and lines(proc.stdout)[0].startswith("buf.py:1:1: E999 ")


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX permissions and symlinks")
