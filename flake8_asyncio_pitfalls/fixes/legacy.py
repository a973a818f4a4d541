"""libcst rewrites for the AIO2xx fixes (legacy and removed asyncio APIs).

Rules decide in detection whether a fix applies and hand over what it needs
(``rules.legacy.LegacyFix``); the functions here only build the new nodes.
"""
from __future__ import annotations

from typing import Optional, Sequence

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
    kept = [d for i, d in enumerate(fn.decorators) if i not in drop]
    if len(kept) == len(fn.decorators):
        return fn  # an earlier finding on this function converted it already
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
