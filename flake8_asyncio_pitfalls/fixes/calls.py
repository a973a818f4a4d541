"""libcst building blocks for fixes that rewrite a call: awaiting it where
it stands, and moving it to a worker thread with ``asyncio.to_thread``."""
from __future__ import annotations

import ast

import libcst as cst

from .context import FixContext


def asyncio_attr(ctx: FixContext, name: str) -> cst.Attribute:
    """``asyncio.<name>`` under the name the module imports asyncio as."""
    return cst.Attribute(value=cst.Name(ctx.module_name("asyncio")), attr=cst.Name(name))


def awaited(expr: cst.BaseExpression, already: bool = False,
            parenthesize: bool = False) -> cst.BaseExpression:
    """``await expr`` in place of ``expr``.  ``already``: ``expr`` is the
    operand of an ``await`` (which stays the only one); ``parenthesize``:
    the ``await`` is the value of an attribute, subscript or call
    (``(await f()).json()``).  Parentheses of ``expr`` move outside."""
    if already:
        return expr
    lpar, rpar = list(expr.lpar), list(expr.rpar)
    if not lpar and parenthesize:
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    return cst.Await(expression=expr.with_changes(lpar=(), rpar=()), lpar=lpar, rpar=rpar)


def to_thread(call: cst.Call, ctx: FixContext) -> cst.Call:
    """``fn(*args, **kwargs)`` -> ``asyncio.to_thread(fn, *args, **kwargs)``:
    the arguments (and the comments and layout between them) are kept."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if call.args \
        else cst.MaybeSentinel.DEFAULT
    func = call.func
    return cst.Call(
        func=asyncio_attr(ctx, "to_thread"),
        args=[cst.Arg(value=func, comma=comma), *call.args],
        whitespace_before_args=call.whitespace_before_args,
        lpar=call.lpar, rpar=call.rpar,
    )


def drop_import_of(callee: cst.BaseExpression, ctx: FixContext) -> None:
    """The fix no longer calls ``callee`` (``time.sleep``, ``nap``): remove
    the module-level import it came through if nothing else uses it.  An
    import line with a comment stays (the comment would go with it)."""
    while isinstance(callee, cst.Attribute):
        callee = callee.value
    if not isinstance(callee, cst.Name):
        return
    bindings = ctx.view.module_scope.bindings.get(callee.value)
    if not bindings or bindings[-1].kind != "import":
        return
    stmt = bindings[-1].node
    lines = ctx.text.splitlines()[stmt.lineno - 1:stmt.end_lineno]
    if any("#" in line for line in lines):
        return
    for alias in stmt.names:
        if (alias.asname or alias.name.split(".", 1)[0]) != callee.value:
            continue
        if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            ctx.remove_import(stmt.module, alias.name, alias.asname)
        elif isinstance(stmt, ast.Import):
            ctx.remove_import(alias.name, None, alias.asname)
