"""Running the rules over one module: the single entry point that the flake8
plugin and the commands share."""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Sequence

from .analysis import ModuleView
from .config import Settings
from .registry import Finding, Rule, enabled_rules


def _triggered(rule: "type[Rule]", text: Optional[str]) -> bool:
    return text is None or not rule.triggers or any(t in text for t in rule.triggers)


def run_rules(tree: ast.AST, settings: Settings, text: Optional[str] = None,
              rules: Optional[Sequence["type[Rule]"]] = None,
              release: bool = False) -> List[Finding]:
    """Every finding of the enabled rules in one module, sorted by position.
    ``text`` (the source) lets rules whose trigger words are absent be
    skipped; the tree is walked once whatever the number of rules.
    ``release``: the caller needs no more of the findings' fix data than
    plain values, so the analysis can be released (``ModuleView.release``)."""
    candidates = [r for r in (rules if rules is not None else enabled_rules(settings))
                  if _triggered(r, text)]
    if not candidates:
        return []
    wanted = {t for r in candidates for t in r.node_types}
    view = ModuleView(tree, wanted)
    instances = [r(view, settings) for r in candidates]
    by_type: Dict[type, List[Rule]] = {}
    for rule in instances:
        for node_type in rule.node_types:
            by_type.setdefault(node_type, []).append(rule)
    for node_type, interested in by_type.items():
        for node, scope in view.nodes(node_type):
            for rule in interested:
                rule.check(node, scope)
    findings: List[Finding] = []
    for rule in instances:
        rule.finish()
        findings.extend(rule.findings)
    findings.sort(key=Finding.sort_key)
    if release:
        view.release()
    return findings
