"""Running the rules over one module: the single entry point that the flake8
plugin and the commands share."""
from __future__ import annotations

import ast
import functools
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

from . import sources
from .analysis import ModuleView, NameIndex, Scope
from .config import Settings
from .registry import Finding, Rule, enabled_rules

Check = Callable[[ast.AST, Scope], None]
#: node types that a rule's ``names`` filter
NAMED_TYPES = frozenset({ast.Call, ast.Attribute, ast.Name})
NamedCheck = Tuple[bool, Check]  # (async only, check)
Dispatch = Tuple[List[Check], List[Check], NameIndex]  # of NamedCheck


def triggered_rules(rules: Sequence["type[Rule]"], text: Optional[str]) -> List["type[Rule]"]:
    """The rules whose trigger words (``Rule.triggers``) all occur in
    ``text`` (all of them when the text is unknown); each word is looked
    for once."""
    if text is None:
        return list(rules)
    seen: Dict[str, bool] = {}

    def has(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            found = seen[word] = word in text
        return found

    return [rule for rule in rules
            if all(any(has(word) for word in group) for group in rule.trigger_groups)]


def detect(text: str, settings: Settings, path: str = "<unknown>",
           release: bool = False) -> Tuple[Optional[ast.Module], List[Finding]]:
    """The tree and the findings no ``# noqa`` suppresses of one source, for
    the commands.  A source in which no enabled rule's trigger words occur
    cannot hold a finding: it is only checked for syntax errors, not parsed
    into a tree (the tree is then None).  Raises ``sources.SourceError``
    when the text does not parse."""
    rules = triggered_rules(enabled_rules(settings), text)
    if not rules:
        sources.check_syntax(text, path)
        return None, []
    tree = sources.parse(text, path)
    findings = run_rules(tree, settings, rules=rules, release=release)
    if findings and "noqa" in text.lower():  # "# noqa" and "# flake8: noqa" in any case
        from .noqa import filter_suppressed  # flake8's noqa machinery, when needed
        findings = filter_suppressed(findings, sources.split_lines(text), path, tree)
    return tree, findings


@functools.lru_cache(maxsize=256)  # the same for every file with these settings
def _name_parts(rule: "type[Rule]", settings: Settings) -> FrozenSet[str]:
    return rule.name_parts(settings)


def _dispatch(instances: Sequence[Rule], settings: Settings) -> Dict[type, Dispatch]:
    """For each node type: the checks that want its nodes anywhere, those
    that want them in async context only, and those that want only nodes
    with some names (``Rule.names``), filed by name."""
    table: Dict[type, Dispatch] = {}
    for rule in instances:
        for node_type in rule.node_types:
            everywhere, in_async, named = table.setdefault(node_type, ([], [], NameIndex()))
            parts = _name_parts(type(rule), settings) if node_type in NAMED_TYPES else None
            if parts:
                named.add(parts, (rule.async_only, rule.check))
            else:
                (in_async if rule.async_only else everywhere).append(rule.check)
    return table


def run_rules(tree: ast.AST, settings: Settings, text: Optional[str] = None,
              rules: Optional[Sequence["type[Rule]"]] = None,
              release: bool = False) -> List[Finding]:
    """Every finding of ``rules`` (default: the enabled ones) in one module,
    sorted by position.  ``text`` (the source) lets rules whose trigger
    words are absent be skipped; the tree is walked once whatever the
    number of rules.  ``release``: the caller needs no more of the
    findings' fix data than plain values, so the analysis can be released
    (``ModuleView.release``)."""
    candidates = triggered_rules(rules if rules is not None else enabled_rules(settings), text)
    if not candidates:
        return []
    wanted = {t for r in candidates for t in r.node_types}
    view = ModuleView(tree, wanted)
    instances = [r(view, settings) for r in candidates]
    for node_type, dispatch in _dispatch(instances, settings).items():
        everywhere, in_async, named = dispatch
        imported = view.imported_names()
        for node, scope in view.nodes(node_type):
            for check in everywhere:
                check(node, scope)
            if scope.is_async:
                for check in in_async:
                    check(node, scope)
            if named:
                for async_only, check in named.lookup(node, imported):
                    if scope.is_async or not async_only:
                        check(node, scope)
    findings: List[Finding] = []
    for rule in instances:
        rule.finish()
        findings.extend(rule.findings)
    findings.sort(key=Finding.sort_key)
    if release:
        view.release()
    return findings
