"""libcst rewrites for the AIO2xx fixes (legacy and removed asyncio APIs).

Rules decide in detection whether a fix applies and hand over what it needs
(``rules.legacy.LegacyFix``); the functions here only build the new nodes.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import libcst as cst

from .calls import asyncio_attr
from .context import FixContext


def _forget_import(data: object, ctx: FixContext) -> None:
    """Remove the ``from ... import`` the replaced name came from, once unused."""
    origin = getattr(data, "import_from", None)
    if origin is not None:
        module, name, asname = origin
        ctx.remove_import(module, name, asname)


def rename_asyncio_call(call: cst.Call, data: object, ctx: FixContext, new: str) -> cst.Call:
    """``asyncio.old(...)`` (or ``old(...)`` from an import) -> ``asyncio.new(...)``."""
    _forget_import(data, ctx)
    return call.with_changes(func=asyncio_attr(ctx, new))


def create_task(expr: cst.BaseExpression, ctx: FixContext) -> cst.Call:
    return cst.Call(func=asyncio_attr(ctx, "create_task"), args=[cst.Arg(expr)])


def wrap_in_tasks(call: cst.Call, wrap: Sequence[bool], ctx: FixContext) -> Optional[cst.Call]:
    """The collection ``asyncio.wait(...)`` gets, with each coroutine call
    wrapped in ``asyncio.create_task(...)`` (where ``wait`` wrapped it)."""
    index = next((i for i, arg in enumerate(call.args)
                  if arg.keyword is None or arg.keyword.value == "fs"), None)
    if index is None:
        return None
    arg = call.args[index]
    value = arg.value
    if isinstance(value, (cst.List, cst.Set, cst.Tuple)):
        if len(value.elements) != len(wrap):
            return None
        elements = [el.with_changes(value=create_task(el.value, ctx)) if flag else el
                    for el, flag in zip(value.elements, wrap)]
        value = value.with_changes(elements=elements)
    elif isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        value = value.with_changes(elt=create_task(value.elt, ctx))
    elif isinstance(value, cst.Name):
        item = next(n for n in ("coro", "c", "_coro") if n not in (value.value, ctx.module_name("asyncio")))
        value = cst.ListComp(
            elt=create_task(cst.Name(item), ctx),
            for_in=cst.CompFor(target=cst.Name(item), iter=value),
        )
    else:
        return None
    args = list(call.args)
    args[index] = arg.with_changes(value=value)
    return call.with_changes(args=args)


def drop_keyword(call: cst.Call, keyword: str) -> Optional[cst.Call]:
    """``f(a, kw=x)`` -> ``f(a)``; a trailing comma stays as it was."""
    args = list(call.args)
    index = next((i for i, a in enumerate(args)
                  if a.keyword is not None and a.keyword.value == keyword), None)
    if index is None:
        return None
    removed = args.pop(index)
    if index == len(args) and args:
        args[-1] = args[-1].with_changes(comma=removed.comma)
    return call.with_changes(args=args)


def replace_name(node: cst.BaseExpression, data: object, ctx: FixContext
                 ) -> Optional[cst.BaseExpression]:
    """A removed name -> its dotted replacement (``asyncio.all_tasks``,
    ``inspect.iscoroutinefunction``, the builtin ``TimeoutError``)."""
    replacement: Optional[str] = getattr(data, "replacement", None)
    if replacement is None or not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    _forget_import(data, ctx)
    module, _, attr = replacement.rpartition(".")
    if not module:
        new: cst.BaseExpression = cst.Name(attr)
    else:
        new = cst.Attribute(value=cst.Name(ctx.module_name(module)), attr=cst.Name(attr))
    return new.with_changes(lpar=node.lpar, rpar=node.rpar)


# ------------------------------------------------------------------ AIO200
_AWAITABLE_OPERANDS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString,
                       cst.List, cst.Tuple, cst.Set, cst.Dict, cst.ListComp, cst.SetComp,
                       cst.DictComp, cst.GeneratorExp, cst.Await)


class _YieldFromToAwait(cst.CSTTransformer):
    """``yield from X`` -> ``await X`` in one function body, not in the
    functions, lambdas and classes nested in it."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Yield(self, original_node: cst.Yield, updated_node: cst.Yield
                    ) -> cst.BaseExpression:
        if not isinstance(updated_node.value, cst.From):
            return updated_node
        item = updated_node.value.item
        if not isinstance(item, _AWAITABLE_OPERANDS) and not item.lpar:
            # ``await`` binds tighter than ``yield from``: keep the operand whole
            item = item.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return cst.Await(expression=item, lpar=updated_node.lpar, rpar=updated_node.rpar)


def _comment_line(comment: Optional[cst.Comment]) -> Sequence[cst.EmptyLine]:
    return [cst.EmptyLine(comment=comment)] if comment is not None else []


def native_coroutine(fn: cst.FunctionDef, data: object, ctx: FixContext
                     ) -> Optional[cst.FunctionDef]:
    """``@asyncio.coroutine def f(): yield from x`` -> ``async def f(): await x``;
    the decorator's comments stay (on the ``def`` line when it has none)."""
    drop = set(getattr(data, "decorators", ()))
    if not drop:
        return None
    if len(fn.decorators) != getattr(data, "total", -1):
        return fn  # an earlier finding on this function converted it already
    kept = [d for i, d in enumerate(fn.decorators) if i not in drop]
    carried = []  # comments of the removed decorators
    header = fn.body.header if isinstance(fn.body, cst.IndentedBlock) else None
    for index, decorator in enumerate(fn.decorators):
        if index not in drop:
            continue
        carried.extend(decorator.leading_lines)
        comment = decorator.trailing_whitespace.comment
        if comment is not None and header is not None and header.comment is None:
            header = header.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        else:
            carried.extend(_comment_line(comment))
    body = fn.body.visit(_YieldFromToAwait())
    if header is not None:
        body = body.with_changes(header=header)  # type: ignore[union-attr]
    _forget_import(data, ctx)
    return fn.with_changes(
        decorators=kept, lines_after_decorators=[*carried, *fn.lines_after_decorators], body=body,
        asynchronous=fn.asynchronous or cst.Asynchronous(),
    )


# ------------------------------------------------------------------ AIO201
def carried_comments(stmt: cst.CSTNode) -> List[cst.EmptyLine]:
    """The comments of a statement a fix removes, as comment lines for the
    statement that replaces it."""
    lines = [line for line in getattr(stmt, "leading_lines", ()) if line.comment is not None]
    trailing = getattr(stmt, "trailing_whitespace", None)
    if trailing is not None and trailing.comment is not None:
        lines.append(cst.EmptyLine(comment=trailing.comment))
    return [line.with_changes(indent=True) for line in lines]


def keep_spacing(removed: cst.BaseStatement, following: cst.BaseStatement) -> cst.BaseStatement:
    """The statement after a removed one, with at least as many blank lines
    before it as the removed one had."""
    def blanks(stmt: cst.BaseStatement) -> int:
        count = 0
        for line in stmt.leading_lines:
            if line.comment is not None:
                break
            count += 1
        return count
    missing = blanks(removed) - blanks(following)
    if missing <= 0:
        return following
    return following.with_changes(leading_lines=[*_blank_lines(missing), *following.leading_lines])


def _blank_lines(count: int) -> List[cst.EmptyLine]:
    return [cst.EmptyLine(indent=False) for _ in range(count)]


def _strip_blank_prefix(stmt: cst.BaseStatement) -> cst.BaseStatement:
    lines = list(stmt.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    return stmt.with_changes(leading_lines=lines)


def _tuple_or_name(names: Sequence[str]) -> cst.BaseExpression:
    if len(names) == 1:
        return cst.Name(names[0])
    return cst.Tuple([cst.Element(cst.Name(n)) for n in names], lpar=[], rpar=[])


class _LoopToAsyncio(cst.CSTTransformer):
    """``loop.create_task(x)`` -> ``asyncio.create_task(x)`` in moved code."""

    def __init__(self, loop_name: Optional[str], ctx: FixContext) -> None:
        super().__init__()
        self.loop_name = loop_name
        self.ctx = ctx

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if self.loop_name and isinstance(func, cst.Attribute) and func.attr.value == "create_task" \
                and isinstance(func.value, cst.Name) and func.value.value == self.loop_name:
            return updated_node.with_changes(func=asyncio_attr(self.ctx, "create_task"))
        return updated_node


def _top_index(module: cst.Module, original: cst.Module, ctx: FixContext, line: int) -> Optional[int]:
    """Where the original module-level statement starting on ``line`` is in
    the (already updated) module: found by content, as other module-wide
    fixes of the round may have moved it."""
    from libcst.metadata import PositionProvider
    index = next((i for i, stmt in enumerate(original.body)
                  if ctx.metadata(PositionProvider, stmt).start.line == line), None)
    if index is None:
        return None
    stmt = original.body[index]
    if index < len(module.body) and module.body[index].deep_equals(stmt):
        return index
    same = [i for i, s in enumerate(module.body) if s.deep_equals(stmt)]
    if len(same) == 1:
        return same[0]
    # Changed inside by another fix of this round: trust the index if the
    # module still has the same shape.
    return index if len(module.body) == len(original.body) else None


def run_with_asyncio_run(module: cst.Module, finding: object, ctx: FixContext
                         ) -> Optional[cst.Module]:
    """Carry out an AIO201 plan (``rules.loop_plan``)."""
    plan = finding.fix_data  # type: ignore[attr-defined]
    top_line = ctx.view.tree.body[plan.top].lineno  # type: ignore[attr-defined]
    top = _top_index(module, ctx.module, ctx, top_line)
    if top is None:
        return None
    if plan.nested:
        holder = module.body[top]
        if not isinstance(getattr(holder, "body", None), cst.IndentedBlock):
            return None
        stmts = list(holder.body.body)  # type: ignore[attr-defined]
        delta, level = 0, 1
    else:
        stmts = list(module.body)
        delta, level = top - plan.top, 0
    at = {name: value + delta for name, value in (("start", plan.start), ("run", plan.run))}
    loop_at = plan.loop_stmt + delta if plan.loop_stmt is not None else None
    drop = {d + delta for d in plan.drop}
    if not 0 <= at["start"] <= at["run"] < len(stmts):
        return None
    run_line = stmts[at["run"]]
    if not isinstance(run_line, cst.SimpleStatementLine) or len(run_line.body) != 1:
        return None
    # The plan's statements must still be where it says (another fix of the
    # round may have changed the list): the run, and the loop's statement.
    if "run_until_complete" not in module.code_for_node(run_line) or (
            loop_at is not None and not (0 <= loop_at < len(stmts) and "get_event_loop"
                                         in module.code_for_node(stmts[loop_at]))):
        return None
    small = run_line.body[0]
    run_call = getattr(small, "value", None)
    if not isinstance(run_call, cst.Call) or len(run_call.args) != 1:
        return None
    coro = run_call.args[0].value
    carried: List[cst.EmptyLine] = []
    removed = {i for i in (loop_at,) if i is not None} | drop
    for i in sorted(removed):
        carried.extend(carried_comments(stmts[i]))
    asyncio_run = asyncio_attr(ctx, "run")
    blank = 1 if level else 2
    if plan.mode == "run":
        new_run = run_line.with_changes(
            body=[small.with_changes(value=cst.Call(func=asyncio_run, args=[cst.Arg(coro)]))],
            leading_lines=[*run_line.leading_lines, *carried])
        if loop_at is not None:  # the removed ``loop = ...`` line's blank lines stay
            new_run = keep_spacing(stmts[loop_at], new_run)
        body = [new_run if i == at["run"] else s for i, s in enumerate(stmts) if i not in removed]
    else:
        if plan.wait_to_gather:
            if not isinstance(coro, cst.Call) or len(coro.args) != 1:
                return None
            waited = coro.args[0].value
            if isinstance(waited, (cst.List, cst.Tuple)) and not any(
                    isinstance(e, cst.StarredElement) for e in waited.elements):
                args = [cst.Arg(e.value) for e in waited.elements]
            else:
                args = [cst.Arg(waited, star="*")]
            coro = cst.Call(func=asyncio_attr(ctx, "gather"), args=args)
        awaited_run = run_line.with_changes(body=[small.with_changes(value=cst.Await(coro))])
        moved = [awaited_run if i == at["run"] else s
                 for i, s in enumerate(stmts[at["start"]:at["run"] + 1], at["start"])
                 if i not in removed]
        moved = [s.visit(_LoopToAsyncio(plan.loop_name, ctx)) for s in moved]  # type: ignore[misc]
        moved[0] = _strip_blank_prefix(moved[0])
        if plan.returns:
            moved.append(cst.SimpleStatementLine([cst.Return(_tuple_or_name(plan.returns))]))
        main_def = cst.FunctionDef(
            name=cst.Name(plan.main_name), params=cst.Parameters(),
            body=cst.IndentedBlock(body=moved), asynchronous=cst.Asynchronous(),
            leading_lines=_blank_lines(blank))
        call_main = cst.Call(func=asyncio_run,
                             args=[cst.Arg(cst.Call(func=cst.Name(plan.main_name)))])
        statement: cst.BaseSmallStatement = cst.Expr(call_main)
        if plan.returns:
            statement = cst.Assign(targets=[cst.AssignTarget(_tuple_or_name(plan.returns))],
                                   value=call_main)
        new_run = cst.SimpleStatementLine(body=[statement],
                                          leading_lines=[*_blank_lines(blank), *carried])
        body = [s for i, s in enumerate(stmts[:at["start"]]) if i not in removed]
        body += [main_def, new_run]
        body += [s for i, s in enumerate(stmts[at["run"] + 1:], at["run"] + 1) if i not in removed]
    if plan.nested:
        holder = module.body[top]
        block = holder.body  # type: ignore[attr-defined]
        new_holder = holder.with_changes(body=block.with_changes(body=body))
        return module.with_changes(body=[new_holder if i == top else s
                                         for i, s in enumerate(module.body)])
    return module.with_changes(body=body)


# ------------------------------------------------------------------ AIO206
class _RunWithUvloop(cst.CSTTransformer):
    def __init__(self, module: cst.Module, spellings: Sequence[str], ctx: FixContext) -> None:
        super().__init__()
        self.module = module
        self.spellings = set(spellings)
        self.ctx = ctx
        self.replaced = 0

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if self.module.code_for_node(updated_node.func) not in self.spellings:
            return updated_node
        self.replaced += 1
        uvloop = cst.Name(self.ctx.module_name("uvloop"))
        return updated_node.with_changes(func=cst.Attribute(value=uvloop, attr=cst.Name("run")))


def run_with_uvloop(module: cst.Module, finding: object, ctx: FixContext) -> Optional[cst.Module]:
    """Remove the statement that installs uvloop's policy and run each
    coroutine with ``uvloop.run(...)`` instead of ``asyncio.run(...)``; the
    removed statement's comments go above the first such run."""
    data = finding.fix_data  # type: ignore[attr-defined]
    index = _top_index(module, ctx.module, ctx, finding.line)  # type: ignore[attr-defined]
    if index is None:
        return None
    removed = module.body[index]
    body = list(module.body[:index]) + list(module.body[index + 1:])
    if index < len(body):
        body[index] = keep_spacing(removed, body[index])
    carried = carried_comments(removed)
    new_body: List[cst.BaseStatement] = []
    total = 0
    for stmt in body:
        swap = _RunWithUvloop(module, data.runs, ctx)
        new = stmt.visit(swap)
        if swap.replaced and carried:
            new = new.with_changes(leading_lines=[*new.leading_lines, *carried])  # type: ignore[union-attr]
            carried = []
        total += swap.replaced
        new_body.append(new)  # type: ignore[arg-type]
    if not total:
        return None
    _forget_import(data, ctx)
    return module.with_changes(body=new_body)
