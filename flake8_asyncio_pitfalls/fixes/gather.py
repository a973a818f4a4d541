"""libcst rewrites for AIO300 and AIO301: start the awaited calls together
with ``asyncio.gather`` and handle the results in the original order.

Detection decides whether a fix is possible and how (``LoopFix``,
``ComprehensionFix``, ``RunFix`` in ``rules/sequential.py``); these functions
only carry the plan out.  Comments on a statement that a fix removes or
merges move onto the statement that takes its place.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import libcst as cst
import libcst.matchers as m

from .calls import asyncio_attr
from .context import FixContext


def gather(ctx: FixContext, args: Sequence[cst.Arg]) -> cst.Await:
    """``await asyncio.gather(args...)``."""
    return cst.Await(expression=cst.Call(func=asyncio_attr(ctx, "gather"), args=list(args)))


def _starred(elt: cst.BaseExpression, target: cst.BaseAssignTargetExpression,
             iterable: cst.BaseExpression, ifs: Sequence[cst.CompIf] = ()) -> cst.Arg:
    """``*(elt for target in iterable)``."""
    comp = cst.CompFor(target=target, iter=iterable, ifs=list(ifs))
    return cst.Arg(value=cst.GeneratorExp(elt=elt, for_in=comp), star="*")


def _parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Tuple, cst.List)) and not node.lpar and isinstance(node, cst.Tuple):
        return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def _comment_lines(line: cst.SimpleStatementLine) -> List[cst.EmptyLine]:
    """A removed line's own comments, as lines to put before another."""
    lines = list(line.leading_lines)
    comment = line.trailing_whitespace.comment
    if comment is not None:
        lines.append(cst.EmptyLine(indent=True, comment=comment))
    return lines


# -- AIO300: a for loop ----------------------------------------------------------
def gather_loop(node: cst.For, plan, ctx: FixContext):  # type: ignore[no-untyped-def]
    block = node.body
    if not isinstance(block, cst.IndentedBlock) or plan.index >= len(block.body):
        return None
    statements = list(block.body)
    line = statements[plan.index]
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    small = line.body[0]
    found = m.findall(small, m.Await())
    if len(found) != 1:
        return None
    await_node: cst.Await = found[0]  # type: ignore[assignment]
    carried: List[cst.EmptyLine] = []
    if plan.result == "assign":
        result: cst.BaseAssignTargetExpression = small.targets[0].target  # type: ignore[attr-defined]
        del statements[plan.index]
        carried = _comment_lines(line)
    elif plan.result == "bare":
        result = cst.Name(plan.fresh)
        del statements[plan.index]
        carried = _comment_lines(line)
    else:
        result = cst.Name(plan.fresh)
        statements[plan.index] = line.with_changes(
            body=[small.deep_replace(await_node, cst.Name(plan.fresh))])
    footer = list(block.footer)
    if carried:
        if plan.index < len(statements):
            after = statements[plan.index]
            statements[plan.index] = after.with_changes(
                leading_lines=[*carried, *after.leading_lines])
        else:
            footer = [*carried, *footer]

    items: cst.BaseExpression = node.iter
    before: List[cst.BaseStatement] = []
    if plan.zip_items and plan.items:
        items = cst.Name(plan.items)
        before.append(cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(target=cst.Name(plan.items))],
                             value=cst.Call(func=cst.Name("list"), args=[cst.Arg(node.iter)]))],
            leading_lines=node.leading_lines))
    results = gather(ctx, [_starred(await_node.expression, node.target, items)])

    if not statements and not plan.zip_items and plan.result == "bare" and node.orelse is None:
        # Nothing else in the loop: just start them all and wait.
        comment = block.header.comment
        return cst.SimpleStatementLine(
            body=[cst.Expr(results)],
            leading_lines=[*node.leading_lines, *carried],
            trailing_whitespace=cst.TrailingWhitespace(
                whitespace=block.header.whitespace if comment else cst.SimpleWhitespace(""),
                comment=comment))
    if not statements:
        statements = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=footer)]
        footer = []
    if plan.zip_items:
        target: cst.BaseAssignTargetExpression = cst.Tuple(
            elements=[cst.Element(_parenthesized(node.target)), cst.Element(_parenthesized(result))],
            lpar=[], rpar=[])
        iterable: cst.BaseExpression = cst.Call(func=cst.Name("zip"),
                                                args=[cst.Arg(items), cst.Arg(results)])
    else:
        target, iterable = result, results
    new = node.with_changes(target=target, iter=iterable,
                            body=block.with_changes(body=statements, footer=footer))
    if before:
        return cst.FlattenSentinel([*before, new.with_changes(leading_lines=[])])
    return new


# -- AIO300: a list comprehension ---------------------------------------------------
def gather_comprehension(node: cst.ListComp, plan, ctx: FixContext):  # type: ignore[no-untyped-def]
    elt = node.elt
    if not isinstance(elt, cst.Await) or node.for_in.inner_for_in is not None:
        return None
    comp = node.for_in
    call = cst.Call(func=asyncio_attr(ctx, "gather"),
                    args=[_starred(elt.expression, comp.target, comp.iter, comp.ifs)])
    lpar, rpar = list(node.lpar), list(node.rpar)
    if not lpar and plan.parenthesize:
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    return cst.Await(expression=call, lpar=lpar, rpar=rpar)


# -- AIO301: consecutive awaits ---------------------------------------------------------
def gather_runs(node: cst.IndentedBlock, plan, ctx: FixContext):  # type: ignore[no-untyped-def]
    """Merge every fixable run of the block (all of them at once: the
    block is one node, and a run's place depends on the runs before it)."""
    original: Optional[cst.CSTNode] = ctx.original_node
    if not isinstance(original, cst.IndentedBlock) or len(node.body) != len(original.body):
        return node  # an earlier finding of this block already merged them
    statements = list(node.body)
    for start, length, placeholder in sorted(plan.runs, reverse=True):
        merged = _merge_run(statements[start:start + length], placeholder, ctx)
        if merged is None:
            return None
        statements[start:start + length] = [merged]
    return node.with_changes(body=statements)


def _merge_run(lines: Sequence[cst.BaseStatement], placeholder: str,
               ctx: FixContext) -> Optional[cst.SimpleStatementLine]:
    targets: List[cst.BaseAssignTargetExpression] = []
    calls: List[cst.Arg] = []
    leading: List[cst.EmptyLine] = []
    comments = [line.trailing_whitespace for line in lines  # type: ignore[union-attr]
                if isinstance(line, cst.SimpleStatementLine) and line.trailing_whitespace.comment]
    # one trailing comment in the run stays a trailing comment; with more,
    # all but the last line's go on lines of their own before the statement
    trailing = comments[0] if len(comments) == 1 else lines[-1].trailing_whitespace  # type: ignore[union-attr]
    for number, line in enumerate(lines):
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        small = line.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                and isinstance(small.value, cst.Await):
            targets.append(_parenthesized(small.targets[0].target))
            awaited = small.value
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Await):
            targets.append(cst.Name(placeholder))
            awaited = small.value
        else:
            return None
        calls.append(cst.Arg(awaited.expression))
        if number:
            leading.extend(line.leading_lines)
        if len(comments) > 1 and number < len(lines) - 1 \
                and line.trailing_whitespace.comment is not None:
            leading.append(cst.EmptyLine(indent=True, comment=line.trailing_whitespace.comment))
    first = lines[0]
    value = gather(ctx, calls)
    if all(isinstance(t, cst.Name) and t.value == placeholder for t in targets):
        statement: cst.BaseSmallStatement = cst.Expr(value)
    else:
        statement = cst.Assign(
            targets=[cst.AssignTarget(cst.Tuple(elements=[cst.Element(t) for t in targets],
                                                lpar=[], rpar=[]))],
            value=value)
    return cst.SimpleStatementLine(
        body=[statement],
        leading_lines=[*first.leading_lines, *leading],  # type: ignore[union-attr]
        trailing_whitespace=trailing)
