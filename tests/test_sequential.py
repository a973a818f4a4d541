"""AIO3xx beyond the fixtures: AIO301 is off by default in flake8 and in
``check``, and each documented route turns it on; ``ordered-calls`` extends
AIO300's list of ordered operations."""
from __future__ import annotations

import pytest

from clirun import lines, run_cli, run_flake8

SOURCE = (
    "async def f(c, urls):\n"
    "    a = await one()\n"
    "    b = await two()\n"
    "    for u in urls:\n"
    "        await c.push(u)\n"
)


def _codes(output: bytes):
    return sorted({line.split(" ")[1] for line in lines(output) if " AIO" in line})


@pytest.fixture
def module(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    return tmp_path


def test_aio301_is_off_by_default(module):
    assert _codes(run_flake8("--isolated", "m.py", cwd=module).stdout) == ["AIO300"]
    assert _codes(run_cli("check", "m.py", cwd=module).stdout) == ["AIO300"]


@pytest.mark.parametrize("flag", ["--extend-select=AIO301", "--select=AIO301", "--select=AIO3"])
def test_aio301_turned_on_from_the_command_line(module, flag):
    expected = ["AIO300", "AIO301"] if flag != "--select=AIO301" else ["AIO301"]
    assert _codes(run_flake8("--isolated", flag, "m.py", cwd=module).stdout) == expected
    assert _codes(run_cli("check", flag, "m.py", cwd=module).stdout) == expected


def test_aio301_turned_on_in_the_flake8_config(module):
    (module / ".flake8").write_text("[flake8]\nextend-select = AIO301\n")
    assert _codes(run_flake8("m.py", cwd=module).stdout) == ["AIO300", "AIO301"]


def test_ordered_calls_option(module):
    assert _codes(run_flake8("--isolated", "--asyncio-ordered-calls=push", "m.py",
                             cwd=module).stdout) == []
    assert _codes(run_cli("check", "--ordered-calls=push", "m.py", cwd=module).stdout) == []
    (module / ".flake8").write_text("[flake8]\nasyncio-ordered-calls = push\n")
    assert _codes(run_cli("check", "m.py", cwd=module).stdout) == []


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    # a long loop body whose every statement feeds the next
    "\n".join(f"        v{i} = await get(u, v{i - 1} if {i} else 0)" for i in range(3000)),
    # values that flow backwards, one statement at a time
    "\n".join(f"        a{i} = a{i + 1}" for i in range(3000)) + "\n        a3000 = u\n"
    "        await get(a0)",
])
def test_data_flow_stays_linear_on_long_loop_bodies(body):
    """Regression guard: these took tens of seconds when overlap checks and
    the taint fixed point were quadratic."""
    import ast
    import time

    from flake8_asyncio_pitfalls.checker import run_rules
    from flake8_asyncio_pitfalls.config import Settings

    source = "async def f(urls):\n    for u in urls:\n" + body + "\n"
    started = time.perf_counter()
    run_rules(ast.parse(source), Settings(select=("AIO3",)), source)
    assert time.perf_counter() - started < 5


@pytest.mark.slow
def test_long_runs_of_awaits_stay_linear():
    import ast
    import time

    from flake8_asyncio_pitfalls.checker import run_rules
    from flake8_asyncio_pitfalls.config import Settings

    source = "async def f():\n" + "\n".join(f"    a{i} = await g{i}()" for i in range(5000)) + "\n"
    started = time.perf_counter()
    findings = run_rules(ast.parse(source), Settings(select=("AIO301",)), source)
    assert time.perf_counter() - started < 5
    assert [f.message.split()[0] for f in findings] == ["5000"]
