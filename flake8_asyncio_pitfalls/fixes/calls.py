"""libcst building blocks for fixes that rewrite a call: awaiting it where
it stands, and moving it to a worker thread with ``asyncio.to_thread``."""
from __future__ import annotations

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
