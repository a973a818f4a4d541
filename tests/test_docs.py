"""Generated documentation must match the registry."""
from __future__ import annotations

import re

from flake8_asyncio_pitfalls.docs import readme_with_table
from flake8_asyncio_pitfalls.registry import codes
from markers import ROOT


def test_readme_rule_table_lists_exactly_the_registered_codes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[(AIO\d{3})\]\(docs/rules/AIO\d{3}\.md\) \|", readme, flags=re.M)
    assert listed == codes()


def test_readme_rule_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme, "run: python -m flake8_asyncio_pitfalls.docs"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, flags=re.S).group(1)
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert commands[0].endswith("asyncio-pitfalls check fixtures/article")
    assert "pip install -e '.[test]'" in commands[1] and commands[1].endswith("python -m pytest")
