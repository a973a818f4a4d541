"""The plugin inside flake8, run the way users and editors run it."""
from __future__ import annotations

import textwrap

from clirun import lines, run_flake8

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def test_plugin_is_registered_under_its_name():
    proc = run_flake8("--version")
    assert b"flake8-asyncio-pitfalls" in proc.stdout


def test_stdin_with_display_name(tmp_path):
    proc = run_flake8("--isolated", "--select=AIO", "--stdin-display-name=x.py", "-",
                      cwd=tmp_path, stdin=BLOCKING.encode())
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        "x.py:5:5: AIO100 time.sleep() blocks the event loop; use await asyncio.sleep()"]


def test_noqa_in_flake8(tmp_path):
    (tmp_path / "m.py").write_text(BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: AIO100"))
    proc = run_flake8("--isolated", "--select=AIO", "m.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, b"")


def test_options_from_flake8_config(tmp_path):
    (tmp_path / ".flake8").write_text(textwrap.dedent("""\
        [flake8]
        select = AIO
        asyncio-extra-blocking-calls =
            mylib.fetch=mylib.afetch,
            mylib.other
        asyncio-exempt-calls = time.sleep
        """))
    (tmp_path / "m.py").write_text(
        "import time, mylib\n\nasync def f():\n    time.sleep(1)\n    mylib.fetch()\n    mylib.other()\n")
    proc = run_flake8("m.py", cwd=tmp_path)
    assert lines(proc.stdout) == [
        "m.py:5:5: AIO104 mylib.fetch() blocks the event loop; use mylib.afetch()",
        "m.py:6:5: AIO104 mylib.other() blocks the event loop; "
        "run it with await asyncio.to_thread() instead",
    ]


def test_options_on_the_command_line(tmp_path):
    (tmp_path / "m.py").write_text("import mylib\n\nasync def f():\n    mylib.block()\n")
    proc = run_flake8("--isolated", "--select=AIO", "--asyncio-extra-blocking-calls=mylib.block",
                      "m.py", cwd=tmp_path)
    assert [line.split(" ")[1] for line in lines(proc.stdout)] == ["AIO104"]


def test_flake8_and_check_agree_on_the_article(tmp_path):
    from clirun import ROOT, run_cli
    flake8_out = run_flake8("--isolated", "--select=AIO", "fixtures/article", cwd=ROOT)
    check_out = run_cli("check", "--select=AIO", "fixtures/article", cwd=ROOT)
    assert sorted(lines(flake8_out.stdout)) == sorted(lines(check_out.stdout))
    assert flake8_out.stdout, "the article's examples have findings"


def test_bad_option_value_is_a_clean_error(tmp_path):
    (tmp_path / ".flake8").write_text("[flake8]\nasyncio-exempt-calls = bad-name\n")
    (tmp_path / "m.py").write_text("x = 1\n")
    proc = run_flake8("m.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stdout + proc.stderr
    assert (b"flake8-asyncio-pitfalls: flake8 option: asyncio-exempt-calls: "
            b"'bad-name' is not a dotted name") in proc.stdout


def test_bad_target_version_is_a_clean_error(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    proc = run_flake8("--asyncio-target-version=py27", "m.py", cwd=tmp_path)
    assert proc.returncode == 1 and b"Traceback" not in proc.stdout + proc.stderr
    assert b"asyncio-target-version: 'py27' is not a supported target" in proc.stdout
