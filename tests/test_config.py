"""``[tool.flake8-asyncio-pitfalls]`` in pyproject.toml: found from each
checked file, validated, and weighed against flake8's section and the
command line as the README says."""
from __future__ import annotations

import textwrap

import pytest

from clirun import lines, run_cli, run_flake8

BLOCKING = "import time, mylib\n\n\nasync def f():\n    time.sleep(1)\n    mylib.fetch()\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def codes(proc):
    return [line.split(" ")[1] for line in lines(proc.stdout)]


def test_pyproject_table_changes_what_check_reports(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        extra-blocking-calls = ["mylib.fetch=mylib.afetch"]
        ignore = ["AIO100"]
        """)
    write(tmp_path / "m.py", BLOCKING)
    proc = run_cli("check", "m.py", cwd=tmp_path)
    assert lines(proc.stdout) == [
        "m.py:6:5: AIO104 mylib.fetch() blocks the event loop; use mylib.afetch()"]


def test_found_by_walking_up_from_the_files_not_the_current_directory(tmp_path):
    write(tmp_path / "proj" / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        exempt-calls = ["time.sleep"]
        """)
    write(tmp_path / "proj" / "src" / "pkg" / "m.py", BLOCKING)
    write(tmp_path / "other" / "m.py", BLOCKING)
    proc = run_cli("check", "proj", "other", cwd=tmp_path)
    assert [line.split(" ")[0:2] for line in lines(proc.stdout)] == [
        ["other/m.py:5:5:", "AIO100"]]


def test_nearest_table_wins_and_a_pyproject_without_one_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        select = ["AIO104"]
        extra-blocking-calls = ["mylib.fetch"]
        """)
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'a'\n")  # no table
    write(tmp_path / "a" / "m.py", BLOCKING)
    write(tmp_path / "b" / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        select = ["AIO100"]
        """)
    write(tmp_path / "b" / "m.py", BLOCKING)
    proc = run_cli("check", "a", "b", cwd=tmp_path)
    assert [line.split(" ")[0:2] for line in lines(proc.stdout)] == [
        ["a/m.py:6:5:", "AIO104"], ["b/m.py:5:5:", "AIO100"]]


def test_command_line_replaces_codes_and_extends_call_lists(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        select = ["AIO104"]
        extra-blocking-calls = ["mylib.fetch"]
        """)
    write(tmp_path / "m.py", BLOCKING + "    mylib.other()\n")
    assert codes(run_cli("check", "m.py", cwd=tmp_path)) == ["AIO104"]
    assert codes(run_cli("check", "--select", "AIO1", "--extra-blocking-calls", "mylib.other",
                         "m.py", cwd=tmp_path)) == ["AIO100", "AIO104", "AIO104"]


def test_pyproject_table_wins_over_the_flake8_section_for_the_commands(tmp_path):
    """Both configure the project: the commands read the table only; flake8
    (which does not read pyproject.toml) keeps reading its own section."""
    write(tmp_path / "setup.cfg", """\
        [flake8]
        select = AIO
        asyncio-exempt-calls = time.sleep
        """)
    write(tmp_path / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        extra-blocking-calls = ["mylib.fetch"]
        """)
    write(tmp_path / "m.py", BLOCKING)
    assert codes(run_cli("check", "m.py", cwd=tmp_path)) == ["AIO100", "AIO104"]
    assert codes(run_flake8("m.py", cwd=tmp_path)) == []
    # without the table the commands read the [flake8] section, as flake8 does
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert codes(run_cli("check", "m.py", cwd=tmp_path)) == []


@pytest.mark.parametrize("pyproject, target", [
    ("[project]\nrequires-python = '>=3.11'\n", (3, 11)),
    ("[project]\nrequires-python = '>=3.7, <4'\n", (3, 7)),  # to_thread fixes not offered
    ("[project]\nrequires-python = '~=3.12'\n", (3, 12)),
    ("[project]\nrequires-python = '==3.12.*'\n", (3, 12)),
    ("[project]\nname = 'x'\n", (3, 9)),
    ("[project]\nrequires-python = '>=3.10'\n[tool.flake8-asyncio-pitfalls]\n"
     "target-version = 'py313'\n", (3, 13)),
])
def test_target_version_from_the_table_else_requires_python(tmp_path, pyproject, target):
    from flake8_asyncio_pitfalls.config import settings_for_directory
    write(tmp_path / "pyproject.toml", pyproject)
    write(tmp_path / "pkg" / "m.py", "")
    assert settings_for_directory(tmp_path / "pkg", None).target_version == target


@pytest.mark.parametrize("table, message", [
    ("selct = ['AIO100']", "unknown key 'selct'"),
    ("select = 'AIO100'", "select: expected a list of strings"),
    ("ignore = ['E501']", "ignore: 'E501' is not a rule code or prefix"),
    ("target-version = 'py27'", "target-version: 'py27' is not a supported target"),
    ("target-version = 311", "target-version: expected a string"),
    ("exempt-calls = ['not a name!']", "exempt-calls: 'not a name!' is not a dotted name"),
    ("extra-blocking-calls = [1]", "extra-blocking-calls: expected a list of strings"),
    ("select = [", "cannot be read"),
])
def test_bad_settings_name_the_file_and_key(tmp_path, table, message):
    write(tmp_path / "pyproject.toml", "[tool.flake8-asyncio-pitfalls]\n" + table + "\n")
    write(tmp_path / "m.py", BLOCKING)
    proc = run_cli("check", "m.py", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode()
    assert str(tmp_path / "pyproject.toml") in err and message in err, err
    assert "Traceback" not in err


def test_bad_code_on_the_command_line(tmp_path):
    write(tmp_path / "m.py", BLOCKING)
    proc = run_cli("check", "--select", "AIO9", "m.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert b"--select: 'AIO9' is not a rule code or prefix" in proc.stderr


def test_stdin_filename_locates_the_configuration(tmp_path):
    write(tmp_path / "proj" / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        ignore = ["AIO100"]
        """)
    proc = run_cli("check", "-", "--stdin-filename", "proj/m.py", cwd=tmp_path,
                   stdin=BLOCKING.encode())
    assert (proc.returncode, proc.stdout) == (0, b"")


def test_one_pyproject_setting_changes_check_and_fix(tmp_path):
    source = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
    write(tmp_path / "m.py", source)
    write(tmp_path / "pyproject.toml", """\
        [tool.flake8-asyncio-pitfalls]
        exempt-calls = ["time.sleep"]
        """)
    assert run_cli("check", "m.py", cwd=tmp_path).returncode == 0
    assert run_cli("fix", "m.py", cwd=tmp_path).returncode == 0
    assert (tmp_path / "m.py").read_text() == source
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-asyncio-pitfalls]\n")
    assert run_cli("check", "m.py", cwd=tmp_path).returncode == 1
    run_cli("fix", "m.py", cwd=tmp_path)
    assert "await asyncio.sleep(1)" in (tmp_path / "m.py").read_text()
