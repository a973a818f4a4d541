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
