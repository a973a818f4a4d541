"""The fix engine: findings in, fixed source out, nothing trusted blind.

One *round* parses the source with libcst, finds for every fixable finding
the node its rule rewrites (``Rule.fix_target`` starting at the finding's
anchor), and calls the rules' ``fix_node`` bottom-up in one transformer.
The result must compile, and detection run on it again must no longer
report what was fixed.  A round that fails is split: each fix is tried on
its own, the failing ones are dropped (and reported), the rest applied.
Rounds repeat on the new source until no fixable finding is left, so fixes
that expose other fixable findings converge, and a second run of the
command finds nothing to do.
"""
from __future__ import annotations

import ast
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .. import sources
from ..checker import run_rules
from ..config import Settings
from ..noqa import filter_suppressed
from ..registry import Finding, Rule, get_rule
from .context import FixContext

#: Rounds before giving up on a file whose fixes keep exposing new ones.
MAX_ROUNDS = 10


@dataclass(frozen=True)
class Dropped:
    """A fix that was tried and failed verification (or raised)."""

    finding: Finding
    reason: str


@dataclass
class FixOutcome:
    original: str
    text: str
    fixed: List[Finding] = field(default_factory=list)
    dropped: List[Dropped] = field(default_factory=list)
    #: unsuppressed findings of the selected rules left in ``text``
    remaining: List[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass
class _Attempt:
    text: str = ""
    applied: List[Finding] = field(default_factory=list)
    declined: List[Finding] = field(default_factory=list)
    errors: List[Dropped] = field(default_factory=list)
    problem: Optional[str] = None
    tree: Optional[ast.Module] = None
    findings: List[Finding] = field(default_factory=list)


def split_lines(text: str) -> List[str]:
    """Lines as the parser numbers them (``\\n``, ``\\r\\n``, ``\\r``)."""
    return io.StringIO(text, newline="").readlines()


def detect(text: str, settings: Settings, path: str) -> Tuple[ast.Module, List[Finding]]:
    """The tree and the unsuppressed findings of a source text (raises
    :class:`sources.SourceError` when it does not parse)."""
    tree = sources.parse(sources.Source(b"", text, "utf-8"), path)
    findings = run_rules(tree, settings, text)
    return tree, filter_suppressed(findings, text.splitlines(keepends=True), path)


def fixable(findings: Iterable[Finding], settings: Settings, unsafe: bool) -> List[Finding]:
    return [f for f in findings if get_rule(f.code).fixable(f, settings, unsafe)]


def fix_text(text: str, settings: Settings, unsafe: bool = False,
             path: str = "<unknown>") -> FixOutcome:
    """Apply every fixable finding's fix to ``text`` (see the module
    docstring).  Raises :class:`sources.SourceError` if ``text`` does not
    parse; never returns text that does not compile."""
    tree, findings = detect(text, settings, path)
    outcome = FixOutcome(text, text)
    # Findings a fix declined or failed on, by code and source text, so
    # that later rounds do not try them again.
    skip: Set[Tuple[str, str]] = set()
    rounds = 0
    while True:
        jobs = [f for f in fixable(findings, settings, unsafe) if _key(text, f) not in skip]
        if not jobs:
            break
        rounds += 1
        if rounds > MAX_ROUNDS:
            outcome.dropped.extend(Dropped(f, "fixes did not converge") for f in jobs)
            break
        attempt = _attempt(text, tree, findings, jobs, settings, path)
        if attempt.problem is not None:
            attempt = _isolate(text, tree, findings, jobs, settings, path, outcome, skip)
        for dropped in attempt.errors:
            outcome.dropped.append(dropped)
            skip.add(_key(text, dropped.finding))
        skip.update(_key(text, f) for f in attempt.declined)
        if not attempt.applied:
            continue
        outcome.fixed.extend(attempt.applied)
        # Keys of the new text: positions moved, source segments did not.
        text, tree, findings = attempt.text, attempt.tree, attempt.findings  # type: ignore[assignment]
    outcome.text = text
    outcome.remaining = findings
    return outcome


def _isolate(text: str, tree: ast.Module, findings: List[Finding], jobs: List[Finding],
             settings: Settings, path: str, outcome: FixOutcome,
             skip: Set[Tuple[str, str]]) -> _Attempt:
    """A combined round failed: try each fix alone, drop those that fail,
    apply the others together (or, if they only fail together, the first)."""
    good: List[Finding] = []
    declined: List[Finding] = []
    for job in jobs:
        single = _attempt(text, tree, findings, [job], settings, path)
        if single.problem is not None or single.errors:
            reason = single.problem or single.errors[0].reason
            outcome.dropped.append(Dropped(job, reason))
            skip.add(_key(text, job))
        elif single.applied:
            good.append(job)
        else:
            declined.append(job)
    attempt = _Attempt(text=text, declined=declined)
    if good:
        attempt = _attempt(text, tree, findings, good, settings, path)
        if attempt.problem is not None:
            attempt = _attempt(text, tree, findings, good[:1], settings, path)
        attempt.declined.extend(declined)
    return attempt


def _attempt(text: str, tree: ast.Module, findings: List[Finding], jobs: List[Finding],
             settings: Settings, path: str) -> _Attempt:
    """One libcst pass applying ``jobs``, then its verification."""
    result = _Attempt(text=text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        result.problem = f"libcst cannot parse the file: {exc.message}"
        return result
    wrapper = MetadataWrapper(module)
    ctx = FixContext(wrapper, tree, settings, path)
    targets, missing = _locate(wrapper, text, jobs)
    result.errors.extend(Dropped(f, "no node to fix at the reported position") for f in missing)
    transformer = _FixTransformer(targets, ctx, result)
    new_module = wrapper.module.visit(transformer)
    if not result.applied:
        return result
    try:
        new_module = ctx.finish_imports(new_module)
        new_text = new_module.code
    except Exception as exc:  # noqa: BLE001 - a libcst helper failed: drop the fixes
        result.problem = f"adding imports failed: {type(exc).__name__}: {exc}"
        return result
    result.problem = _verify(text, new_text, findings, result, settings, path)
    return result


def _verify(text: str, new_text: str, findings: List[Finding], result: _Attempt,
            settings: Settings, path: str) -> Optional[str]:
    try:
        cst.parse_module(new_text)
        compile(new_text, path, "exec", dont_inherit=True)
        tree, new_findings = detect(new_text, settings, path)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, sources.SourceError) as exc:
        return f"the fixed code does not compile: {exc}"
    before = Counter(f.code for f in findings)
    after = Counter(f.code for f in new_findings)
    for code, count in Counter(f.code for f in result.applied).items():
        if after[code] > before[code] - count:
            return f"{code} is still reported after the fix"
    result.text, result.tree, result.findings = new_text, tree, new_findings
    return None


class _FixTransformer(cst.CSTTransformer):
    def __init__(self, targets: Dict[cst.CSTNode, List[Finding]], ctx: FixContext,
                 result: _Attempt) -> None:
        super().__init__()
        self.targets = targets
        self.ctx = ctx
        self.result = result

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        jobs = self.targets.get(original_node)
        if not jobs:
            return updated_node
        node = updated_node
        for finding in jobs:
            if not isinstance(node, type(original_node)):
                break  # replaced by another kind: later rounds see the rest
            rule = get_rule(finding.code)(self.ctx.view, self.ctx.settings)
            self.ctx.original_node = original_node
            try:
                new = rule.fix_node(node, finding, self.ctx)
            except Exception as exc:  # noqa: BLE001 - a faulty fix must not stop the others
                self.result.errors.append(Dropped(finding, f"the fix raised {type(exc).__name__}: {exc}"))
                continue
            if new is None:
                self.result.declined.append(finding)
            else:
                self.result.applied.append(finding)
                node = new
        return node


def target_type(rule: "type[Rule]") -> type:
    target = rule.fix_target
    return getattr(cst, target) if isinstance(target, str) else target  # type: ignore[return-value]


def _locate(wrapper: MetadataWrapper, text: str, jobs: Sequence[Finding]
            ) -> Tuple[Dict[cst.CSTNode, List[Finding]], List[Finding]]:
    """For each finding, the innermost node of its rule's ``fix_target``
    type that starts at its anchor (AST columns are UTF-8 bytes, libcst's
    are characters); with no explicit anchor, one that also ends where the
    finding does is preferred."""
    lines = split_lines(text)
    wanted = {target_type(get_rule(f.code)) for f in jobs}
    targets: Dict[cst.CSTNode, List[Finding]] = {}
    missing: List[Finding] = []
    index: Dict[Tuple[int, int], List[Tuple[cst.CSTNode, Tuple[int, int]]]] = {}
    if wanted - {cst.Module}:
        kinds = tuple(wanted - {cst.Module})
        for node, where in wrapper.resolve(PositionProvider).items():
            if isinstance(node, kinds):
                index.setdefault((where.start.line, where.start.column), []).append(
                    (node, (where.end.line, where.end.column)))
    for finding in jobs:
        kind = target_type(get_rule(finding.code))
        if kind is cst.Module:
            targets.setdefault(wrapper.module, []).append(finding)
            continue
        anchor = getattr(finding.fix_data, "anchor", None)
        line, col = anchor or (finding.line, finding.col)
        start = (line, _char_col(lines, line, col))
        candidates = [(node, end) for node, end in index.get(start, ()) if isinstance(node, kind)]
        if not candidates:
            missing.append(finding)
            continue
        if anchor is None and finding.end_line is not None and finding.end_col is not None:
            end = (finding.end_line, _char_col(lines, finding.end_line, finding.end_col))
            exact = [c for c in candidates if c[1] == end]
            candidates = exact or candidates
        node = min(candidates, key=lambda c: c[1])[0]
        targets.setdefault(node, []).append(finding)
    return targets, missing


def _char_col(lines: List[str], line: int, col: int) -> int:
    if not 0 < line <= len(lines):
        return col
    return len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


def _key(text: str, finding: Finding) -> Tuple[str, str]:
    """A finding's identity across rounds: its code and source text."""
    lines = split_lines(text)
    if not 0 < finding.line <= len(lines):
        return (finding.code, "")
    end_line = finding.end_line or finding.line
    chunk = "".join(lines[finding.line - 1:end_line]).encode("utf-8")
    last = len("".join(lines[finding.line - 1:end_line - 1]).encode("utf-8"))
    end = last + finding.end_col if finding.end_col is not None else len(chunk)
    return (finding.code, chunk[finding.col:end].decode("utf-8", "replace"))
