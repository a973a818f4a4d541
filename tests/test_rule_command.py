"""``asyncio-pitfalls rule``: one rule's documentation, or the list."""
from __future__ import annotations

from clirun import lines, run_cli
from flake8_asyncio_pitfalls.docs import rule_page
from flake8_asyncio_pitfalls.registry import all_rules


def test_rule_prints_the_rules_page():
    for rule in all_rules():
        proc = run_cli("rule", rule.code.lower())
        assert proc.returncode == 0
        assert proc.stdout.decode() == rule_page(rule)


def test_rule_all_lists_code_name_default_fix():
    out = lines(run_cli("rule", "--all").stdout)
    assert out[0].split() == ["code", "name", "default", "fix"]
    assert [line.split() for line in out[1:]] == [
        [r.code, r.name, "on" if r.default_enabled else "off", r.fix.safety if r.fix else "none"]
        for r in all_rules()]


def test_unknown_rule_exits_2():
    proc = run_cli("rule", "AIO999")
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"unknown rule 'AIO999'" in proc.stderr
