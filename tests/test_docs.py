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


def test_rule_pages_are_what_the_registry_generates():
    """One page per registered rule plus the index, each exactly as
    generated, and no page for a rule that does not exist."""
    from flake8_asyncio_pitfalls.docs import RULES_DIR, rule_pages
    expected = rule_pages()
    rules_dir = ROOT / RULES_DIR
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in rules_dir.glob("*")}
    assert sorted(on_disk) == sorted(expected), "run: python -m flake8_asyncio_pitfalls.docs"
    for name, text in expected.items():
        assert on_disk[name] == text, f"{name} is stale; run: python -m flake8_asyncio_pitfalls.docs"
    assert set(expected) == {f"{code}.md" for code in codes()} | {"README.md"}


def test_generator_removes_pages_of_rules_that_no_longer_exist(tmp_path):
    from flake8_asyncio_pitfalls import docs
    (tmp_path / "README.md").write_text(f"x\n{docs.README_START}\n{docs.README_END}\n")
    stale = tmp_path / "docs" / "rules" / "AIO999.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    docs.main(tmp_path)
    assert not stale.exists()
    assert sorted(p.name for p in stale.parent.iterdir()) == sorted(docs.rule_pages())


def test_rule_page_has_every_section_from_the_rule_attributes():
    from flake8_asyncio_pitfalls.docs import rule_page
    from flake8_asyncio_pitfalls.registry import all_rules
    for rule in all_rules():
        page = rule_page(rule)
        assert page.startswith(f"# {rule.code}: {rule.name}\n")
        for heading, attr in (("What it does", "summary"), ("Why is this bad?", "rationale"),
                              ("Example", "example"), ("Use instead", "use_instead"),
                              ("Python versions", "since")):
            if getattr(rule, attr):
                assert f"## {heading}\n\n" in page and rule.doc(attr) in page
        assert "## Fix safety" in page
        if rule.fix is not None:
            assert rule.fix.description.strip() in page and rule.fix.safety in page
