"""The editor paths: flake8 run exactly as the VS Code flake8 extension and
python-lsp-server's flake8 plugin run it, their output parsed as they parse
it; and ``fix -``, the "fix on save" path."""
from __future__ import annotations

import re
import subprocess
import sys

from clirun import run_cli

BLOCKING = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"

# microsoft/vscode-flake8, bundled/tool/lsp_server.py: TOOL_ARGS, the argv it
# builds (``--stdin-display-name PATH -`` for a buffer, the PATH alone for a
# saved file) and the regex it parses each output line with, after removing
# the quotes that its single-quoted --format value leaves around each line.
VSCODE_FORMAT = "--format='%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s'"
VSCODE_RE = re.compile(
    r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)")
# python-lsp-server, pylsp/plugins/flake8_lint.py: ``flake8 -`` plus
# ``--name=value`` for each configured setting, the buffer on stdin, and
# this regex over flake8's default output.
PYLSP_RE = re.compile(r"(.*):(\d*):(\d*): (\w*) (.*)")


def flake8(args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd,
                          input=stdin, capture_output=True)


def vscode_diagnostics(stdout: bytes):
    found = []
    for line in stdout.decode().splitlines():
        if line.startswith("'") and line.endswith("'"):
            line = line[1:-1]
        m = VSCODE_RE.match(line)
        if m and m["code"].startswith("AIO"):
            # the extension makes these 0-based LSP positions
            found.append((int(m["line"]) - 1, int(m["column"]) - 1, m["type"], m["code"],
                          m["message"]))
    return found


EXPECTED_VSCODE = [(4, 4, "A", "AIO100",
                    "time.sleep() blocks the event loop; use await asyncio.sleep()")]


def test_vscode_flake8_buffer_on_stdin(tmp_path):
    path = tmp_path / "app.py"
    path.write_text("")  # the buffer differs from the file on disk
    proc = flake8([VSCODE_FORMAT, "--stdin-display-name", str(path), "-"], cwd=tmp_path,
                  stdin=BLOCKING.encode())
    assert vscode_diagnostics(proc.stdout) == EXPECTED_VSCODE


def test_vscode_flake8_saved_file(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(BLOCKING)
    proc = flake8([VSCODE_FORMAT, str(path)], cwd=tmp_path)
    assert vscode_diagnostics(proc.stdout) == EXPECTED_VSCODE


def test_python_lsp_server_flake8_plugin(tmp_path):
    (tmp_path / "setup.cfg").write_text("[flake8]\nasyncio-exempt-calls = mylib.nap\n")
    source = BLOCKING + "    mylib.nap()\n"
    proc = flake8(["-", "--max-line-length=100"], cwd=tmp_path, stdin=source.encode())
    diagnostics = []
    for raw in proc.stdout.decode().splitlines():
        m = PYLSP_RE.match(raw)
        if m and m.group(4).startswith("AIO"):
            _, line, character, code, msg = m.groups()
            diagnostics.append((int(line) - 1, int(character) - 1, code, code + " " + msg))
    assert diagnostics == [(4, 4, "AIO100", "AIO100 time.sleep() blocks the event loop; "
                                            "use await asyncio.sleep()")]


def test_fix_stdin_keeps_crlf(tmp_path):
    buffer = BLOCKING.replace("\n", "\r\n").encode()
    proc = run_cli("fix", "-", cwd=tmp_path, stdin=buffer)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert b"await asyncio.sleep(1)\r\n" in out
    assert out.count(b"\n") == out.count(b"\r\n") >= buffer.count(b"\r\n")
    assert run_cli("check", "-", cwd=tmp_path, stdin=out).stdout == b""


def test_fix_stdin_syntax_error_comes_back_unchanged(tmp_path):
    buffer = b"import time\r\n\r\nasync def poll(:\r\n    time.sleep(1)\r\n"
    proc = run_cli("fix", "-", cwd=tmp_path, stdin=buffer)
    assert proc.returncode == 2
    assert proc.stdout == buffer  # the editor keeps the buffer as it was
    assert b"E999" in proc.stderr or b"SyntaxError" in proc.stderr


def test_fix_stdin_clean_buffer_is_echoed(tmp_path):
    buffer = "# café\nimport asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n".encode()
    proc = run_cli("fix", "-", cwd=tmp_path, stdin=buffer)
    assert (proc.returncode, proc.stdout) == (0, buffer)
