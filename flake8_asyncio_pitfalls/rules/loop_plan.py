"""AIO201's fix plan: how legacy loop management becomes ``asyncio.run``.

Worked out on the ``ast`` at detection time (so that ``check`` knows which
findings are fixable); the libcst side (``fixes/legacy.py``) only carries
it out.  Two shapes:

* **run**: ``loop.run_until_complete(coro)`` where ``coro`` is a coroutine
  (a call of a coroutine function, or a name bound to one) and the loop
  does nothing else: ``asyncio.run(coro)`` in its place.
* **main**: the loop runs tasks or coroutine lists made for it.  The
  statements that make them, up to the run, move into a new
  ``async def main()``; ``loop.create_task`` becomes
  ``asyncio.create_task``, ``run_until_complete(asyncio.wait(x))`` becomes
  ``await asyncio.gather(*x)``; names those statements bind that later code
  reads are returned and bound again from ``asyncio.run(main())``.

Anything else (``run_forever()``, the loop passed on or used after the run,
a result of ``asyncio.wait`` that is used, several runs...) gets no fix.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..analysis import Binding, ModuleView, Scope
from ..registry import FixData

#: calls that need a running (or current) loop when they are made
_LOOP_CALLS = frozenset({
    "asyncio.ensure_future", "asyncio.create_task", "asyncio.gather", "asyncio.shield",
    "asyncio.Future", "asyncio.Task", "asyncio.as_completed",
})
_MAIN_NAMES = ("main", "async_main", "_main", "main_")


@dataclass(frozen=True)
class LoopPlan(FixData):
    """Indexes are positions in the statement list that holds the loop
    management (``top``: index of the module-level statement that is or
    holds it; ``nested``: that list is the body of ``top``)."""

    mode: str = ""  # "run" | "main"
    top: int = 0
    nested: bool = False
    #: the ``loop = asyncio.get_event_loop()`` statement (None: inline)
    loop_stmt: Optional[int] = None
    loop_name: Optional[str] = None
    #: first statement that moves into main() (mode "main"), the run statement
    start: int = 0
    run: int = 0
    #: ``loop.close()`` statements after the run, dropped
    drop: Tuple[int, ...] = ()
    #: what ``asyncio.wait(...)`` was given becomes ``gather``'s arguments
    wait_to_gather: bool = False
    returns: Tuple[str, ...] = ()
    main_name: str = "main"


def _stmt_range(stmt: ast.stmt) -> Tuple[Tuple[int, int], Tuple[int, int]]:
    return ((stmt.lineno, stmt.col_offset),
            (stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0))


def _within(node: ast.AST, stmts: Sequence[ast.stmt]) -> bool:
    pos = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    return any(start <= pos < end for start, end in map(_stmt_range, stmts))


def same_frame(inner: Scope, outer: Scope) -> bool:
    """``inner`` is ``outer`` or a comprehension running in it."""
    while inner is not outer and inner.kind == "comprehension" and inner.parent is not None:
        inner = inner.parent
    return inner is outer


class LoopPlanner:
    """Plans for the AIO201 findings of one module.  ``loads`` maps a name
    to its loads (collected by the rule in the single walk)."""

    def __init__(self, view: ModuleView, loads: Dict[str, List[Tuple[ast.Name, Scope]]]) -> None:
        self.view = view
        self.loads = loads
        #: names given to the main() functions of this module's plans, by scope
        self.taken: Dict[Scope, Set[str]] = {}

    # ------------------------------------------------------------ container
    def _container(self, stmt: ast.stmt) -> Optional[Tuple[int, bool, List[ast.stmt]]]:
        """(top index, nested, statement list) for a statement at module
        level, or directly in the body of a module-level ``if`` or sync
        ``def``; None elsewhere."""
        module = self.view.tree
        parent = self.view.parent(stmt)
        if parent is module:
            return module.body.index(stmt), False, module.body  # type: ignore[attr-defined]
        if isinstance(parent, (ast.If, ast.FunctionDef)) and self.view.parent(parent) is module \
                and stmt in parent.body:
            if parent.body[0].lineno == parent.lineno:  # ``if x: a`` has no indented block
                return None
            return module.body.index(parent), True, parent.body  # type: ignore[attr-defined]
        return None

    def _top(self, node: ast.AST, stmts: List[ast.stmt]) -> int:
        """Index of the statement of ``stmts`` that holds ``node`` (-1: none)."""
        current: Optional[ast.AST] = node
        while current is not None:
            if isinstance(current, ast.stmt) and current in stmts:
                return stmts.index(current)
            current = self.view.parent(current)
        return -1

    # ----------------------------------------------------------------- plan
    def plan(self, getter: ast.Call, scope: Scope, binding: Optional[Binding]) -> LoopPlan:
        no = LoopPlan(fixable=False)
        view = self.view
        anchor = view.statement_of(binding.node if binding is not None else getter)
        if anchor is None:
            return no
        found = self._container(anchor)
        if found is None:
            return no
        top, nested, stmts = found
        if any(a.lineno == b.lineno for a, b in zip(stmts, stmts[1:])):
            return no  # ``a; b`` lines: statement lists of ast and libcst differ
        index = stmts.index(anchor)
        loop_stmt: Optional[int] = None
        loop_name: Optional[str] = None
        creates: List[ast.Call] = []
        drop: List[int] = []
        run_call: Optional[ast.Call] = None
        if binding is None:  # asyncio.get_event_loop().run_until_complete(...)
            parent = view.parent(getter)
            run_call = view.parent(parent)  # type: ignore[arg-type,assignment]
            if not (isinstance(parent, ast.Attribute) and parent.attr == "run_until_complete"):
                return no
        else:
            if not (isinstance(anchor, ast.Assign) and len(anchor.targets) == 1
                    and anchor.value is getter):
                return no
            loop_stmt, loop_name = index, binding.name
            for name, load_scope in self.loads.get(binding.name, ()):
                if view.lookup(name.id, load_scope, name) is not binding:
                    continue
                use = view.parent(name)
                call = view.parent(use) if use is not None else None
                if not (isinstance(use, ast.Attribute) and isinstance(call, ast.Call)
                        and call.func is use):
                    return no  # the loop object itself is passed on or stored
                if not same_frame(load_scope, scope):
                    return no
                if use.attr == "run_until_complete" and run_call is None:
                    run_call = call
                elif use.attr == "create_task":
                    creates.append(call)
                elif use.attr == "close" and not call.args \
                        and isinstance(view.parent(call), ast.Expr) \
                        and view.parent(call) in stmts:
                    drop.append(stmts.index(view.parent(call)))  # type: ignore[arg-type]
                else:
                    return no
        if run_call is None or len(run_call.args) != 1 or run_call.keywords:
            return no
        run_stmt = view.statement_of(run_call)
        if run_stmt not in stmts:
            return no
        run = stmts.index(run_stmt)  # type: ignore[arg-type]
        if run < index or not (isinstance(run_stmt, ast.Expr) or isinstance(run_stmt, ast.Assign)
                               and len(run_stmt.targets) == 1) or run_stmt.value is not run_call:
            return no
        if any(d < run for d in drop) or any(
                not index < self._top(c, stmts) <= run for c in creates):
            return no
        arg = run_call.args[0]
        base = LoopPlan(top=top, nested=nested, loop_stmt=loop_stmt, loop_name=loop_name,
                        run=run, start=run, drop=tuple(sorted(drop)))
        if not creates and self._plain_coroutine(arg, scope, stmts[:run]):
            bound = [b for bs in scope.bindings.values() for b in bs if _within(b.node, [run_stmt])]
            if not all(self._outlives_loop(b, scope) for b in bound):
                return no
            return LoopPlan(**{**base.__dict__, "mode": "run"})
        return self._main_plan(base, stmts, scope, arg, creates)

    def _plain_coroutine(self, arg: ast.expr, scope: Scope, before: Sequence[ast.stmt]) -> bool:
        """A coroutine that ``asyncio.run`` can take as it is."""
        from .legacy import is_coroutine_call, resolve_asyncio
        view = self.view
        if isinstance(arg, ast.Name):
            binding = view.lookup(arg.id, scope, arg)
            if binding is None or binding.kind != "assign" or binding.scope is not scope:
                return False
            arg = binding.value  # type: ignore[assignment]
        if not is_coroutine_call(view, arg, scope) or \
                resolve_asyncio(view, arg.func, scope) == "asyncio.wait":  # type: ignore[attr-defined]
            return False
        call: ast.Call = arg  # type: ignore[assignment]
        return not self._needs_loop([*call.args, *(k.value for k in call.keywords)], scope)

    def _needs_loop(self, nodes: Sequence[ast.AST], scope: Scope) -> bool:
        """Some call in ``nodes`` needs a loop when it is made."""
        from .legacy import is_coroutine_call, resolve_asyncio
        for node in nodes:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    name = resolve_asyncio(self.view, sub.func, scope)
                    if name in _LOOP_CALLS or (name is None and isinstance(sub.func, ast.Attribute)
                                               and sub.func.attr == "create_task"):
                        return True
                    if is_coroutine_call(self.view, sub, scope):
                        return True  # coroutine objects made for the loop move with it
        return False

    def _main_plan(self, base: LoopPlan, stmts: List[ast.stmt], scope: Scope,
                   arg: ast.expr, creates: List[ast.Call]) -> LoopPlan:
        from .legacy import resolve_asyncio
        no = LoopPlan(fixable=False)
        view = self.view
        run_stmt = stmts[base.run]
        wait = isinstance(arg, ast.Call) and resolve_asyncio(view, arg.func, scope) == "asyncio.wait"
        if wait:
            if len(arg.args) != 1 or arg.keywords or isinstance(arg.args[0], ast.Starred) \
                    or not isinstance(run_stmt, ast.Expr):  # type: ignore[union-attr]
                return no  # gather has no timeout/return_when, nor wait's result
        # Statements that make what the run needs move with it (backwards
        # from the run, through the names they read).
        first = base.run if base.loop_stmt is None else base.loop_stmt + 1
        needed = self._reads(stmts[first:base.run + 1])
        for k in range(first - 1, -1, -1):
            stmt = stmts[k]
            if k == base.loop_stmt or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                        ast.ClassDef, ast.Import, ast.ImportFrom)):
                continue
            if self._binds(stmt) & needed and self._needs_loop([stmt], scope):
                first = k
                needed |= self._reads([stmt])
        moved = [s for i, s in enumerate(stmts[first:base.run + 1], first) if i != base.loop_stmt]
        for stmt in moved:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
                                 ast.ImportFrom, ast.Global, ast.Nonlocal)):
                return no
            if any(isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom, ast.Await, ast.Global,
                                  ast.Nonlocal)) for n in ast.walk(stmt)):
                return no
        returns = self._returns(moved, stmts[base.run + 1:], scope)
        if returns is None or not all(
                self._outlives_loop(b, scope) for name in returns for b in scope.bindings[name]
                if _within(b.node, moved)):
            return no
        return LoopPlan(**{**base.__dict__, "mode": "main", "start": first,
                           "wait_to_gather": wait, "returns": tuple(returns),
                           "main_name": self._main_name(scope)})

    def _outlives_loop(self, binding: Binding, scope: Scope) -> bool:
        """A value the run made may be used after ``asyncio.run`` closed its
        loop: it is a task (or a collection of tasks), whose results stay
        readable, or it is only handed to builtins (``print``...).  Other
        values (a server, an app, a session) may need the loop that the old
        code kept open."""
        from .legacy import resolve_asyncio
        view = self.view
        value = binding.value
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)) and value.elts:
            items = list(value.elts)
        elif isinstance(value, (ast.ListComp, ast.SetComp)):
            items = [value.elt]
        else:
            items = [value] if value is not None else []
        if items and all(isinstance(i, ast.Call) and (
                resolve_asyncio(view, i.func, scope) in ("asyncio.ensure_future",
                                                         "asyncio.create_task")
                or isinstance(i.func, ast.Attribute) and i.func.attr == "create_task")
                for i in items):
            return True
        for load, load_scope in self.loads.get(binding.name, ()):
            if _within(load, [view.statement_of(binding.node)]) \
                    or view.lookup(load.id, load_scope, load) is not binding:
                continue
            call = view.parent(load)
            if not (isinstance(call, ast.Call) and load in call.args
                    and (view.resolve(call.func, load_scope) or "").startswith("builtins.")):
                return False
        return True

    @staticmethod
    def _reads(stmts: Sequence[ast.stmt]) -> Set[str]:
        """Names the statements read from their scope (not the variables
        of their comprehensions)."""
        names = {n.id for s in stmts for n in ast.walk(s)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        local = {n.id for s in stmts for c in ast.walk(s) if isinstance(c, ast.comprehension)
                 for n in ast.walk(c.target) if isinstance(n, ast.Name)}
        return names - local

    @staticmethod
    def _binds(stmt: ast.stmt) -> Set[str]:
        """Names the statement binds in its scope (not in its comprehensions)."""
        names = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)
                 and isinstance(n.ctx, ast.Store)}
        local = {n.id for c in ast.walk(stmt) if isinstance(c, ast.comprehension)
                 for n in ast.walk(c.target) if isinstance(n, ast.Name)}
        walrus = {n.target.id for n in ast.walk(stmt) if isinstance(n, ast.NamedExpr)}
        return (names - local) | walrus

    def _returns(self, moved: List[ast.stmt], after: List[ast.stmt],
                 scope: Scope) -> Optional[List[str]]:
        """Names bound by the moved statements that code after them reads
        (returned from main()), or None when a function reads one, or the
        moved code reads a name it binds that was bound before it too."""
        view = self.view
        out: List[str] = []
        for name in sorted({n for s in moved for n in self._binds(s)}):
            bindings = scope.bindings.get(name, [])
            inside = [b for b in bindings if _within(b.node, moved)]
            if not inside:
                continue  # bound in a comprehension of the moved code
            outside = [b for b in bindings if b not in inside]
            needed = False
            for load, load_scope in self.loads.get(name, ()):
                binding = view.lookup(name, load_scope, load)
                if _within(load, moved):
                    if outside and binding is not None and binding.scope is scope:
                        return None  # main() would read its own unbound local
                    continue
                if binding not in inside:
                    continue
                if load_scope is not scope or not _within(load, after):
                    return None  # a function reads it, maybe while main() runs
                needed = True
            if needed:
                out.append(name)
        first_bound = {n: min(b.pos for b in scope.bindings[n] if _within(b.node, moved))
                       for n in out}
        return sorted(out, key=first_bound.__getitem__)

    def _main_name(self, scope: Scope) -> str:
        taken = set(self.view.module_scope.bindings) | set(scope.bindings) | set(self.loads) \
            | self.taken.setdefault(scope, set())
        name = next((n for n in _MAIN_NAMES if n not in taken), None)
        index = 1
        while name is None:
            name = f"main_{index}" if f"main_{index}" not in taken else None
            index += 1
        self.taken[scope].add(name)
        return name
