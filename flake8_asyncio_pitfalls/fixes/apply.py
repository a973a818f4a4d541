"""The libcst half of a fixing round: find the nodes the findings' rules
rewrite and call their ``fix_node`` bottom-up (see ``engine.py`` for the
rounds and the verification around it)."""
from __future__ import annotations

import ast
import bisect
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from .. import sources
from ..config import Settings
from ..registry import Finding, Rule, get_rule
from .context import FixContext
from .engine import Dropped, Attempt, char_col, split_lines


#: libcst parses, walks and prints recursively (ast and our analysis do not)
TOO_DEEP = "the file is too deeply nested for the fixer (libcst); it was left unchanged"


def rewrite(text: str, tree: ast.Module, jobs: List[Finding], settings: Settings, path: str,
            result: Attempt) -> Optional[str]:
    """The text with the fixes of ``jobs`` applied in one libcst pass, None
    when none applied; what happened to each is recorded in ``result``.
    Raises :class:`sources.SourceError` if libcst runs out of recursion
    depth (a file the checker handles may still be too deep for it)."""
    try:
        return _rewrite(text, tree, jobs, settings, path, result)
    except RecursionError:
        raise sources.SourceError("E902", TOO_DEEP) from None


def _rewrite(text: str, tree: ast.Module, jobs: List[Finding], settings: Settings, path: str,
             result: Attempt) -> Optional[str]:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        result.problem = f"libcst cannot parse the file: {exc.message}"
        result.unparsable = True
        return None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # a tree of our own
    ctx = FixContext(wrapper, tree, settings, path, text)
    where = _statement_positions(wrapper, tree, jobs)
    targets, missing = _locate(wrapper, text, jobs, where)
    result.errors.extend(Dropped(f, "no node to fix at the reported position") for f in missing)
    transformer = _FixTransformer(targets, ctx, result, where or positions(wrapper),
                                  partial=where is not None)
    new_module = wrapper.module.visit(transformer)
    # A job the walk did not reach would otherwise be retried round after round.
    seen = {id(f) for f in (*result.applied, *result.declined, *transformer.deferred,
                            *(d.finding for d in result.errors))}
    result.errors.extend(Dropped(f, "the fix was not reached") for f in jobs if id(f) not in seen)
    if not result.applied:
        return None
    try:
        return ctx.finish_imports(new_module).code
    except Exception as exc:  # noqa: BLE001 - a libcst helper failed: drop the fixes
        result.problem = f"adding imports failed: {type(exc).__name__}: {exc}"
        return None


class _FixTransformer(cst.CSTTransformer):
    def __init__(self, targets: Dict[cst.CSTNode, List[Finding]], ctx: FixContext,
                 result: Attempt, positions: Mapping[cst.CSTNode, CodeRange],
                 partial: bool = False) -> None:
        super().__init__()
        self.targets = targets
        self.ctx = ctx
        self.result = result
        self.rules: Dict[str, Rule] = {}
        #: findings left for the next round (their node was replaced by another fix)
        self.deferred: List[Finding] = []
        self.positions = positions
        #: positions cover only the top-level statements holding a target
        self.partial = partial
        # Subtrees without a target line are not descended into (most of
        # the module); a module-wide fix needs the whole walk.
        self.lines: Optional[List[int]] = None if ctx.module in targets else sorted(
            {positions[node].start.line for node in targets})

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.lines is None:
            return True
        where = self.positions.get(node)
        if where is None and self.partial:  # a top-level statement with no target
            return isinstance(node, cst.Module)
        # The ranges of a decorated def or class, and of a block starting
        # with one, begin after the decorators: always look inside.
        if where is None or isinstance(node, cst.IndentedBlock) or getattr(node, "decorators", None):
            return True
        at = bisect.bisect_left(self.lines, where.start.line)
        return at < len(self.lines) and self.lines[at] <= where.end.line

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        jobs = self.targets.get(original_node)
        if not jobs:
            return updated_node
        node = updated_node
        for finding in jobs:
            if not isinstance(node, type(original_node)):
                self.deferred.append(finding)  # replaced by another kind: next round
                continue
            rule = self.rules.get(finding.code)
            if rule is None:
                rule = self.rules[finding.code] = get_rule(finding.code)(self.ctx.view,
                                                                         self.ctx.settings)
            self.ctx.original_node = original_node
            try:
                new = rule.fix_node(node, finding, self.ctx)
            except Exception as exc:  # noqa: BLE001 - a faulty fix must not stop the others
                reason = f"the fix raised {type(exc).__name__}: {exc}"
                self.result.errors.append(Dropped(finding, reason))
                continue
            if new is None:
                self.result.declined.append(finding)
            else:
                self.result.applied.append(finding)
                node = new
        return node


def positions(wrapper: MetadataWrapper) -> Mapping[cst.CSTNode, CodeRange]:
    """``wrapper.resolve(PositionProvider)`` without its extra cost: libcst
    follows every resolve with a walk of the whole module for the
    batchable providers, even when there are none (PositionProvider has no
    dependencies).  Stored where ``resolve`` finds it, so ``ctx.metadata``
    reuses it."""
    metadata = getattr(wrapper, "_metadata", None)
    if not isinstance(metadata, dict):  # another libcst: the public way
        return wrapper.resolve(PositionProvider)
    if PositionProvider not in metadata:
        metadata[PositionProvider] = PositionProvider()._gen(wrapper)
    return metadata[PositionProvider]


def target_types(rule: "type[Rule]") -> Tuple[type, ...]:
    """A rule's ``fix_target`` as libcst classes: it may be a class, a class
    name (``"Call"``), or a tuple of either (``("For", "ListComp")``)."""
    target = rule.fix_target
    items = target if isinstance(target, tuple) else (target,)
    return tuple(getattr(cst, item) if isinstance(item, str) else item for item in items)


def _statement_positions(wrapper: MetadataWrapper, tree: ast.Module, jobs: Sequence[Finding]
                         ) -> Optional[Dict[cst.CSTNode, CodeRange]]:
    """Positions of the nodes of the top-level statements that hold a
    finding, found without a codegen of the whole module: each statement's
    first line comes from the ``ast``, less its leading blank and comment
    lines.  None (positions of the whole module needed) for a module-wide
    fix, or when a statement's computed start disagrees with the ``ast``."""
    if any(cst.Module in target_types(get_rule(f.code)) for f in jobs):
        return None
    wanted = sorted({line for f in jobs
                     for line in (getattr(f.fix_data, "anchor", None) or (f.line,))[:1]})
    module = wrapper.module
    provider = PositionProvider()
    index = 0
    for stmt in module.body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        group = tree.body[index:index + count]
        index += count
        if len(group) != count:
            return None
        first = group[0]
        decorators = getattr(first, "decorator_list", None) or []
        begin = min([first.lineno, *(d.lineno for d in decorators)])
        at = bisect.bisect_left(wanted, begin)
        if at == len(wanted) or wanted[at] > max(g.end_lineno or g.lineno for g in group):
            continue
        skipped = len(stmt.leading_lines)
        if decorators:
            skipped += len(getattr(stmt, "decorators")[0].leading_lines)
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent, default_newline=module.default_newline,
            provider=provider, line=begin - skipped)
        stmt._codegen(state)
        if provider._computed[stmt].start.line != first.lineno:
            return None
    if index != len(tree.body):
        return None
    return provider._computed


def _locate(wrapper: MetadataWrapper, text: str, jobs: Sequence[Finding],
            known: Optional[Mapping[cst.CSTNode, CodeRange]] = None
            ) -> Tuple[Dict[cst.CSTNode, List[Finding]], List[Finding]]:
    """For each finding, the innermost node of its rule's ``fix_target``
    type that starts at its anchor (AST columns are UTF-8 bytes, libcst's
    are characters); with no explicit anchor, one that also ends where the
    finding does is preferred."""
    lines = split_lines(text)
    wanted = {kind for f in jobs for kind in target_types(get_rule(f.code))} - {cst.Module}
    targets: Dict[cst.CSTNode, List[Finding]] = {}
    missing: List[Finding] = []
    index: Dict[Tuple[int, int], List[Tuple[cst.CSTNode, Tuple[int, int]]]] = {}
    if wanted:
        kinds = tuple(wanted)
        for node, where in (known if known is not None else positions(wrapper)).items():
            if isinstance(node, kinds):
                index.setdefault((where.start.line, where.start.column), []).append(
                    (node, (where.end.line, where.end.column)))
    for finding in jobs:
        kind = target_types(get_rule(finding.code))
        if cst.Module in kind:
            targets.setdefault(wrapper.module, []).append(finding)
            continue
        anchor = getattr(finding.fix_data, "anchor", None)
        line, col = anchor or (finding.line, finding.col)
        start = (line, char_col(lines, line, col))
        candidates = [(node, end) for node, end in index.get(start, ()) if isinstance(node, kind)]
        if not candidates:
            missing.append(finding)
            continue
        if anchor is None and finding.end_line is not None and finding.end_col is not None:
            end = (finding.end_line, char_col(lines, finding.end_line, finding.end_col))
            exact = [c for c in candidates if c[1] == end]
            candidates = exact or candidates
        node = min(candidates, key=lambda c: c[1])[0]
        targets.setdefault(node, []).append(finding)
    return targets, missing
