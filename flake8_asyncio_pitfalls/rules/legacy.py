"""AIO2xx: legacy and removed asyncio APIs (the article's examples 1, 2, 3-2,
9, 10 and its uvloop section).

Each rule flags one API that is deprecated or gone on current Python and
names its replacement; the fixes carry the article's code over to
``async def``/``await``, ``asyncio.run`` and ``asyncio.create_task``.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from ..analysis import Binding, FunctionInfo, ModuleView, Scope
from ..registry import SAFE, UNSAFE, Finding, FixData, FixSpec, Rule
from .lifecycle import ASYNCIO_COROUTINES, TRANSPARENT_DECORATORS

#: asyncio's submodules, which re-export into ``asyncio`` itself
_SUBMODULES = frozenset({
    "base_events", "coroutines", "events", "exceptions", "futures", "locks",
    "queues", "runners", "streams", "subprocess", "tasks", "threads",
    "timeouts", "unix_events", "windows_events",
})

GET_EVENT_LOOP = "asyncio.get_event_loop"
LEGACY_COROUTINE = "asyncio.coroutine"


def asyncio_name(name: Optional[str]) -> Optional[str]:
    """``asyncio.tasks.sleep`` -> ``asyncio.sleep`` (the public spelling)."""
    if name is None or not name.startswith("asyncio."):
        return name
    parts = name.split(".")
    if len(parts) > 2 and parts[1] in _SUBMODULES:
        return "asyncio." + ".".join(parts[2:])
    return name


def resolve_asyncio(view: ModuleView, expr: ast.AST, scope: Scope) -> Optional[str]:
    return asyncio_name(view.resolve(expr, scope))


def legacy_decorator(view: ModuleView, fn: FunctionInfo) -> Optional[ast.expr]:
    """The ``@asyncio.coroutine`` decorator of a function, if it has one."""
    for decorator in fn.node.decorator_list:  # type: ignore[attr-defined]
        if resolve_asyncio(view, decorator, fn.parent_scope) == LEGACY_COROUTINE:
            return decorator
    return None


def is_coroutine_function(view: ModuleView, fn: FunctionInfo) -> bool:
    """Calling ``fn`` gives a coroutine: an ``async def`` that is not an
    async generator and has no decorator that might make it something else,
    or a generator decorated with ``@asyncio.coroutine``."""
    if fn.is_async:
        return not fn.has_yield and all(
            view.resolve(d, fn.parent_scope) in TRANSPARENT_DECORATORS | {LEGACY_COROUTINE}
            for d in fn.node.decorator_list)  # type: ignore[attr-defined]
    return legacy_decorator(view, fn) is not None


def is_coroutine_call(view: ModuleView, expr: ast.AST, scope: Scope) -> bool:
    """``expr`` calls a known coroutine function: one of this module or of
    asyncio."""
    if not isinstance(expr, ast.Call):
        return False
    name = resolve_asyncio(view, expr.func, scope)
    if name is not None:
        return name in ASYNCIO_COROUTINES
    fn = view.callee(expr, scope)
    return fn is not None and is_coroutine_function(view, fn)


def coroutine_flags(view: ModuleView, expr: ast.AST, scope: Scope) -> List[bool]:
    """For a literal list/set/tuple, whether each element is a coroutine
    call; for a comprehension, whether its element is; else ``[]``."""
    if isinstance(expr, (ast.List, ast.Set, ast.Tuple)):
        return [is_coroutine_call(view, elt, scope) for elt in expr.elts]
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        inner = view.scope_of_def.get(expr, scope)
        return [is_coroutine_call(view, expr.elt, inner)]
    return []


@dataclass(frozen=True)
class LegacyFix(FixData):
    """What the family's fixes need from detection."""

    #: ``(module, name, asname)`` of the ``from ... import`` that brought the
    #: replaced name in (the fix removes it once unused)
    import_from: Optional[Tuple[str, str, Optional[str]]] = None
    #: AIO203: for each element of the literal collection passed to
    #: ``asyncio.wait`` (one for a comprehension), whether to wrap it in a task
    wrap: Tuple[bool, ...] = ()
    #: AIO208: the dotted replacement
    replacement: Optional[str] = None


def import_from(view: ModuleView, expr: ast.AST, scope: Scope
                ) -> Optional[Tuple[str, str, Optional[str]]]:
    """The ``from module import name [as asname]`` binding the root name of
    ``expr`` (``Task`` in ``Task.all_tasks``), if that is how it came in."""
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    binding = view.lookup(expr.id, scope, expr)
    if binding is None or binding.kind != "import" or not isinstance(binding.node, ast.ImportFrom):
        return None
    module, _, name = (binding.qualname or "").rpartition(".")
    return (module, name, expr.id if expr.id != name else None)


def _first_arg(call: ast.Call, keyword: str) -> Optional[ast.expr]:
    if call.args:
        first = call.args[0]
        return None if isinstance(first, ast.Starred) else first
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


# --------------------------------------------------------------------- AIO200
class LegacyCoroutineDecorator(Rule):
    code = "AIO200"
    name = "legacy-coroutine-decorator"
    message = ("@asyncio.coroutine generator-based coroutines were removed in Python 3.11; "
               "use async def and await")
    summary = """
        Flags the `@asyncio.coroutine` decorator (however `asyncio` or
        `coroutine` was imported) on generator-based coroutines.
    """
    rationale = """
        Generator-based coroutines (`@asyncio.coroutine` with `yield from`)
        were deprecated in Python 3.8 and removed in 3.11: the decorator no
        longer exists, so the module fails to import. Native coroutines
        (`async def` with `await`) are what the article itself recommends.
    """
    example = """
        import asyncio

        @asyncio.coroutine
        def fetch():
            yield from asyncio.sleep(1)
    """
    use_instead = """
        import asyncio

        async def fetch():
            await asyncio.sleep(1)
    """
    since = """
        Deprecated in Python 3.8, removed in 3.11.
    """
    fix = FixSpec(
        SAFE,
        "Drop the decorator, turn `def` into `async def` and each `yield from X` of "
        "that function (not of functions nested in it) into `await X`; other "
        "decorators stay, and `from asyncio import coroutine` goes once unused. "
        "Not offered where the body has a bare `yield`, where a converted "
        "function is `yield from`-ed by a generator that stays one, where it "
        "`yield from`s a plain generator of the module, or where a body without "
        "`yield` returns a value (the decorator awaited a returned future).",
    )
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef, ast.YieldFrom, ast.Return)
    fix_target = "FunctionDef"
    triggers = ("asyncio", "coroutine")
    invalid = (
        "import asyncio\n@asyncio.coroutine\ndef f():\n    yield from asyncio.sleep(1)\n",
        "from asyncio import coroutine as co\n@co\ndef f():\n    yield from g()\n",
        "import asyncio as aio\nclass C:\n    @aio.coroutine\n    def m(self):\n        yield\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n",
        "import types\n@types.coroutine\ndef f():\n    yield\n",
        "def coroutine(f):\n    return f\n@coroutine\ndef f():\n    yield\n",
    )

    def __init__(self, view, settings) -> None:
        super().__init__(view, settings)
        self._decorated: List[FunctionInfo] = []
        self._yield_froms: List[Tuple[FunctionInfo, ast.YieldFrom, Scope]] = []
        self._return_values: Set[FunctionInfo] = set()

    def check(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.YieldFrom):
            if scope.function is not None:
                self._yield_froms.append((scope.function, node, scope))
        elif isinstance(node, ast.Return):
            if node.value is not None and scope.function is not None:
                self._return_values.add(scope.function)
        elif any(resolve_asyncio(self.view, d, scope) == LEGACY_COROUTINE
                 for d in node.decorator_list):  # type: ignore[attr-defined]
            self._decorated.append(self.view.function_of[node])

    def finish(self) -> None:
        view = self.view
        blocked = set()  # decorated functions whose conversion would break a caller or callee
        for caller, yield_from, scope in self._yield_froms:
            callee = view.callee(yield_from.value, scope) \
                if isinstance(yield_from.value, ast.Call) else None
            if callee is None:
                continue
            if _stays_generator(view, callee):
                blocked.add(caller)   # ``await plain_generator()`` fails
            if _stays_generator(view, caller):
                blocked.add(callee)   # ``yield from native_coroutine()`` fails
        for fn in self._decorated:
            scope = fn.parent_scope
            decorators = [i for i, d in enumerate(fn.node.decorator_list)  # type: ignore[attr-defined]
                          if resolve_asyncio(view, d, scope) == LEGACY_COROUTINE]
            # Without a yield, the decorator awaited what the function returned.
            fixable = not fn.has_yield and fn not in blocked and (
                fn.has_yield_from or fn.is_async or fn not in self._return_values)
            for index in decorators:
                decorator = fn.node.decorator_list[index]  # type: ignore[attr-defined]
                self.report(decorator, fix_data=CoroutineFix(
                    anchor=(fn.node.lineno, fn.node.col_offset),  # type: ignore[attr-defined]
                    fixable=fixable, decorators=tuple(decorators),
                    total=len(fn.node.decorator_list),  # type: ignore[attr-defined]
                    import_from=import_from(view, decorator, scope)))

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import native_coroutine
        return native_coroutine(node, finding.fix_data, ctx)


@dataclass(frozen=True)
class CoroutineFix(LegacyFix):
    #: indexes of the ``@asyncio.coroutine`` decorators in the list, and
    #: its length (the function is converted once, whatever the findings)
    decorators: Tuple[int, ...] = ()
    total: int = 0


def _stays_generator(view: ModuleView, fn: FunctionInfo) -> bool:
    """A plain generator function: not async, not marked as a coroutine
    (``@asyncio.coroutine``, ``@types.coroutine``), so AIO200 leaves it one."""
    if fn.is_async or not (fn.has_yield or fn.has_yield_from):
        return False
    return not any(resolve_asyncio(view, d, fn.parent_scope) in (LEGACY_COROUTINE, "types.coroutine")
                   for d in fn.node.decorator_list)  # type: ignore[attr-defined]


# --------------------------------------------------------------------- AIO201
class LegacyLoopManagement(Rule):
    code = "AIO201"
    name = "legacy-event-loop-management"
    message = ("asyncio.get_event_loop() to drive {method}() warns since Python 3.12 and "
               "fails since 3.14 when no loop is set; use asyncio.run(main())")
    summary = """
        Flags `asyncio.get_event_loop()` in synchronous code (module level or
        a plain `def`) whose loop then drives `loop.run_until_complete(...)`
        or `loop.run_forever()`, directly or through a name bound to it.
    """
    rationale = """
        Outside a running loop, `asyncio.get_event_loop()` used to create a
        loop on the fly. Since Python 3.12 it emits a `DeprecationWarning`
        when there is no current loop, and since 3.14 it raises
        `RuntimeError`. `asyncio.run()` creates the loop, runs one
        coroutine, cancels what is left and closes the loop properly.
    """
    example = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        loop = asyncio.get_event_loop()
        loop.run_until_complete(work())
    """
    use_instead = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        asyncio.run(work())
    """
    since = """
        `asyncio.get_event_loop()` warns without a current loop since Python
        3.12 (3.10.9 and 3.11.1 for some cases) and raises since 3.14.
    """
    fix = FixSpec(
        UNSAFE,
        "Replace the loop management with `asyncio.run(...)`. Handled shapes, at "
        "module level or directly in a module-level `if` (`if __name__ == "
        "'__main__':`) or plain `def`: (1) `loop.run_until_complete(coro)` of a "
        "coroutine (or a name bound to one) becomes `asyncio.run(coro)`; (2) where "
        "tasks or coroutine lists are made for the run (`loop.create_task`, "
        "`asyncio.ensure_future`, coroutine lists passed to `asyncio.wait`), those "
        "statements, up to the run, move into a new `async def main()` (named so "
        "that it clashes with nothing) that creates the tasks with "
        "`asyncio.create_task` and awaits `asyncio.gather(...)` for what was passed "
        "to `asyncio.wait` (other awaitables are awaited as they are); callbacks "
        "added to the tasks move with them; task lists that later code reads (the "
        "article's `task.result()` loop) are returned from `main()` and bound again "
        "from `asyncio.run(main())`. A `loop.close()` after the run goes. Not "
        "offered when the loop is used for anything else (`run_forever()`, several "
        "runs, the loop passed on), when the result of `asyncio.wait(...)` is used, "
        "when a function reads a name the moved statements bind, or when a value "
        "the run made, other than tasks, is used after it except by builtins "
        "(`print`): it may need the loop that `asyncio.run()` closes. Unsafe: "
        "`asyncio.run()` uses a new loop and closes it, and `gather` raises the "
        "first exception of a task where `wait` did not.",
    )
    # Names are collected for the fix's plan (read in finish); check sees
    # only the calls and imported names that ``names`` lets through.
    node_types = (ast.Call, ast.Name)
    fix_target = "Module"
    triggers = ("asyncio", "get_event_loop")
    DRIVERS = frozenset({"run_until_complete", "run_forever"})
    names = DRIVERS | {"asyncio.set_event_loop"}
    invalid = (
        "import asyncio\nloop = asyncio.get_event_loop()\nloop.run_until_complete(main())\n",
        "import asyncio\nasyncio.get_event_loop().run_until_complete(main())\n",
        "from asyncio import get_event_loop\ndef cli():\n    loop = get_event_loop()\n"
        "    loop.run_forever()\n",
    )
    valid = (
        "import asyncio\nloop = asyncio.new_event_loop()\nloop.run_until_complete(main())\n",
        "import asyncio\nloop = asyncio.get_event_loop()\nloop.call_soon(print)\n",
        "import asyncio\nasync def f():\n    loop = asyncio.get_event_loop()\n",
        "import asyncio\nasyncio.set_event_loop(asyncio.new_event_loop())\n"
        "loop = asyncio.get_event_loop()\nloop.run_until_complete(main())\n",
    )

    def __init__(self, view, settings) -> None:
        super().__init__(view, settings)
        self._found: Dict[ast.AST, Tuple[str, Scope, Optional[Binding]]] = {}
        #: scopes where asyncio.set_event_loop() ran, and where first
        self._loop_set: Dict[Scope, Tuple[int, int]] = {}

    def check(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Name):
            return
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        if scope.is_async:
            return
        if not isinstance(func, ast.Attribute) or func.attr not in self.DRIVERS:
            if resolve_asyncio(self.view, func, scope) == "asyncio.set_event_loop":
                self._loop_set.setdefault(scope, (call.lineno, call.col_offset))
            return
        getter, getter_scope, binding = func.value, scope, None
        if isinstance(getter, ast.Name):
            binding = self.view.lookup(getter.id, scope, call)
            if binding is None or binding.kind != "assign" or binding.value is None:
                return
            getter, getter_scope = binding.value, binding.scope
        if not isinstance(getter, ast.Call) or getter in self._found or getter_scope.is_async:
            return
        if resolve_asyncio(self.view, getter.func, getter_scope) != GET_EVENT_LOOP:
            return
        set_at = self._loop_set.get(getter_scope)
        if set_at is not None and set_at < (getter.lineno, getter.col_offset):
            return
        self._found[getter] = (func.attr, getter_scope, binding)

    def finish(self) -> None:
        if not self._found:
            return
        from .loop_plan import LoopPlanner
        # every name read, for the fix's plan
        loads: Dict[str, List[Tuple[ast.Name, Scope]]] = {}
        for name, scope in self.view.nodes(ast.Name):
            if isinstance(name.ctx, ast.Load):  # type: ignore[attr-defined]
                loads.setdefault(name.id, []).append((name, scope))  # type: ignore[arg-type, attr-defined]
        planner = LoopPlanner(self.view, loads)
        for getter, (method, scope, binding) in self._found.items():
            plan = planner.plan(getter, scope, binding)  # type: ignore[arg-type]
            self.report(getter, fix_data=plan, method=method)

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import run_with_asyncio_run
        return run_with_asyncio_run(node, finding, ctx)


# --------------------------------------------------------------------- AIO202
class GetEventLoopInCoroutine(Rule):
    code = "AIO202"
    name = "get-event-loop-in-coroutine"
    message = "use asyncio.get_running_loop() inside a coroutine, not asyncio.get_event_loop()"
    summary = """
        Flags `asyncio.get_event_loop()` called inside an `async def`.
    """
    rationale = """
        Inside a coroutine a loop is always running, and
        `asyncio.get_running_loop()` says so: it returns that loop and never
        creates one. `get_event_loop()` carries the deprecated policy-based
        behaviour, and reading it in a coroutine hides the intent.
    """
    example = """
        import asyncio

        async def main():
            loop = asyncio.get_event_loop()
    """
    use_instead = """
        import asyncio

        async def main():
            loop = asyncio.get_running_loop()
    """
    since = """
        `asyncio.get_running_loop()` exists since Python 3.7.
    """
    fix = FixSpec(SAFE, "Replace the call with `asyncio.get_running_loop()`.")
    node_types = (ast.Call,)
    triggers = ("asyncio", "get_event_loop")
    async_only = True
    names = frozenset({GET_EVENT_LOOP})
    invalid = (
        "import asyncio\nasync def f():\n    asyncio.get_event_loop()\n",
        "from asyncio import get_event_loop\nasync def f():\n    return get_event_loop()\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    asyncio.get_running_loop()\n",
        "import asyncio\nasync def f():\n    def cb():\n        asyncio.get_event_loop()\n",
        "async def f(loop_source):\n    loop_source.get_event_loop()\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        func = node.func  # type: ignore[attr-defined]
        if scope.is_async and resolve_asyncio(self.view, func, scope) == GET_EVENT_LOOP:
            self.report(node, fix_data=LegacyFix(import_from=import_from(self.view, func, scope)))

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import rename_asyncio_call
        return rename_asyncio_call(node, finding.fix_data, ctx, "get_running_loop")


# --------------------------------------------------------------------- AIO203
class WaitOnBareCoroutines(Rule):
    code = "AIO203"
    name = "wait-on-bare-coroutines"
    message = ("asyncio.wait() given bare coroutines raises TypeError since Python 3.11; "
               "wrap them in asyncio.create_task() or use asyncio.gather()")
    summary = """
        Flags `asyncio.wait(...)` given coroutines rather than tasks: a
        literal list, set or tuple, or a comprehension, holding at least one
        call of a coroutine function (of this module or of asyncio), or a
        name whose last binding before the call, in the same scope, is one.
    """
    rationale = """
        `asyncio.wait()` used to wrap coroutines into tasks silently; that
        was deprecated in Python 3.8 and raises `TypeError` since 3.11.
        The tasks it made were also invisible to the caller, so the `done`
        set could not be matched against what was passed in.
    """
    example = """
        import asyncio

        async def fetch(url):
            await asyncio.sleep(1)

        async def main(urls):
            await asyncio.wait([fetch(u) for u in urls])
    """
    use_instead = """
        import asyncio

        async def fetch(url):
            await asyncio.sleep(1)

        async def main(urls):
            await asyncio.wait([asyncio.create_task(fetch(u)) for u in urls])
    """
    since = """
        Deprecated in Python 3.8, `TypeError` since 3.11.
    """
    fix = FixSpec(
        SAFE,
        "Inside a coroutine, wrap each coroutine in `asyncio.create_task(...)` "
        "where `asyncio.wait()` would have wrapped it (for a name bound to a "
        "list of coroutines: `[asyncio.create_task(c) for c in name]`). At "
        "module level this goes with AIO201's fix.",
    )
    node_types = (ast.Call,)
    triggers = ("asyncio", "wait")
    names = frozenset({"asyncio.wait"})
    invalid = (
        "import asyncio\nasync def g(): pass\nasync def f():\n    await asyncio.wait([g(), g()])\n",
        "import asyncio\nasync def g(): pass\nasync def f():\n    cs = [g() for _ in range(3)]\n"
        "    await asyncio.wait(cs)\n",
        "import asyncio\nasync def f():\n    await asyncio.wait({asyncio.sleep(1)})\n",
    )
    valid = (
        "import asyncio\nasync def g(): pass\nasync def f():\n"
        "    await asyncio.wait([asyncio.create_task(g())])\n",
        "import asyncio\nasync def g(): pass\nasync def f(tasks):\n    await asyncio.wait(tasks)\n",
        "import asyncio\nasync def g(): pass\nasync def f():\n    cs = [g()]\n"
        "    cs = [asyncio.ensure_future(c) for c in cs]\n    await asyncio.wait(cs)\n",
        "import asyncio\nfrom lib import g\nasync def f():\n    await asyncio.wait([g()])\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        if resolve_asyncio(self.view, call.func, scope) != "asyncio.wait":
            return
        arg = _first_arg(call, "fs")
        if arg is None:
            return
        expr = arg
        if isinstance(arg, ast.Name):
            binding = self.view.lookup(arg.id, scope, call)
            if binding is None or binding.scope is not scope \
                    or binding.kind not in ("assign", "walrus") or binding.value is None:
                return
            expr = binding.value
        flags = coroutine_flags(self.view, expr, scope)
        if not any(flags):
            return
        # The fix wraps at the call: the elements of a literal or the
        # element of a comprehension, or (for a name) every item.
        fixable = scope.can_await and (expr is arg or all(flags))
        self.report(call, fix_data=LegacyFix(fixable=fixable, wrap=tuple(flags)))

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import wrap_in_tasks
        return wrap_in_tasks(node, finding.fix_data.wrap, ctx)  # type: ignore[union-attr]


# --------------------------------------------------------------------- AIO204
class EnsureFutureOfCoroutine(Rule):
    code = "AIO204"
    name = "ensure-future-of-coroutine"
    message = "use asyncio.create_task() to schedule a coroutine, not asyncio.ensure_future()"
    summary = """
        Flags `asyncio.ensure_future(...)` inside an `async def` when its
        argument is a call of a known coroutine function (an `async def` of
        the module, or one of asyncio's).
    """
    rationale = """
        `asyncio.ensure_future()` accepts futures, awaitables and
        coroutines and, outside a running loop, falls back on the deprecated
        `get_event_loop()`. For a coroutine inside a coroutine,
        `asyncio.create_task()` says what happens and fails loudly if no
        loop runs.
    """
    example = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        async def main():
            task = asyncio.ensure_future(work())
            await task
    """
    use_instead = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        async def main():
            task = asyncio.create_task(work())
            await task
    """
    since = """
        `asyncio.create_task()` exists since Python 3.7.
    """
    fix = FixSpec(SAFE, "Replace `asyncio.ensure_future(coro)` with `asyncio.create_task(coro)`.")
    node_types = (ast.Call,)
    triggers = ("asyncio", "ensure_future")
    async_only = True
    names = frozenset({"asyncio.ensure_future"})
    invalid = (
        "import asyncio\nasync def g(): pass\nasync def f():\n    t = asyncio.ensure_future(g())\n",
        "from asyncio import ensure_future, sleep\nasync def f():\n"
        "    t = ensure_future(sleep(1))\n",
    )
    valid = (
        "import asyncio\nasync def g(): pass\nt = asyncio.ensure_future(g())\n",
        "import asyncio\nasync def f(fut):\n    t = asyncio.ensure_future(fut)\n",
        "import asyncio\nasync def g(): pass\nasync def f():\n    t = asyncio.create_task(g())\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        if not scope.is_async or \
                resolve_asyncio(self.view, call.func, scope) != "asyncio.ensure_future":
            return
        arg = _first_arg(call, "coro_or_future")
        if arg is not None and is_coroutine_call(self.view, arg, scope):
            # create_task() takes no loop=: with it, the fix is not offered.
            self.report(call, fix_data=LegacyFix(
                fixable=len(call.args) == 1 and not call.keywords,
                import_from=import_from(self.view, call.func, scope)))

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import rename_asyncio_call
        return rename_asyncio_call(node, finding.fix_data, ctx, "create_task")


# --------------------------------------------------------------------- AIO205
class RunInDefaultExecutor(Rule):
    code = "AIO205"
    name = "run-in-default-executor"
    message = "use await asyncio.to_thread(fn, *args) instead of loop.run_in_executor(None, fn, *args)"
    summary = """
        Flags `loop.run_in_executor(None, fn, *args)` (the default executor)
        inside an `async def` when it is awaited: directly, or through a name
        bound to it that is awaited later.
    """
    rationale = """
        `asyncio.to_thread()` does the same in one call without fetching the
        loop first, takes keyword arguments, and carries the current
        `contextvars` context into the thread.
    """
    example = """
        import asyncio, time

        async def main():
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, time.sleep, 1)
    """
    use_instead = """
        import asyncio, time

        async def main():
            await asyncio.to_thread(time.sleep, 1)
    """
    since = """
        `asyncio.to_thread()` exists since Python 3.9.
    """
    fix = FixSpec(SAFE, "Replace a directly awaited `loop.run_in_executor(None, fn, *args)` "
                        "with `asyncio.to_thread(fn, *args)`.", min_python=(3, 9))
    node_types = (ast.Await,)
    triggers = ("await", "run_in_executor")
    invalid = (
        "import asyncio\nasync def f(fn):\n"
        "    await asyncio.get_running_loop().run_in_executor(None, fn)\n",
        "async def f(loop, fn):\n    fut = loop.run_in_executor(None, fn, 1)\n    return await fut\n",
    )
    valid = (
        "async def f(loop, pool, fn):\n    await loop.run_in_executor(pool, fn)\n",
        "def f(loop, fn):\n    return loop.run_in_executor(None, fn)\n",
        "async def f(loop, fn):\n    fut = loop.run_in_executor(None, fn)\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        value = node.value  # type: ignore[attr-defined]
        direct = True
        if isinstance(value, ast.Name):
            binding = self.view.lookup(value.id, scope, node)
            if binding is None or binding.kind != "assign" or binding.scope is not scope:
                return
            value, direct = binding.value, False
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "run_in_executor" and value.args \
                and isinstance(value.args[0], ast.Constant) and value.args[0].value is None:
            if direct or not any(f.line == value.lineno and f.col == value.col_offset
                                 for f in self.findings):
                self.report(value, fix_data=FixData(fixable=direct))

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.calls import asyncio_attr
        args = list(node.args[1:])
        if not args or any(arg.keyword is not None for arg in args):
            return None
        return node.with_changes(func=asyncio_attr(ctx, "to_thread"), args=args)


# --------------------------------------------------------------------- AIO206
@dataclass(frozen=True)
class UvloopFix(LegacyFix):
    #: the spellings of the module's ``asyncio.run`` calls
    runs: Tuple[str, ...] = ()


class EventLoopPolicy(Rule):
    code = "AIO206"
    name = "event-loop-policy"
    message = "{name}() is part of the event loop policy API, deprecated in Python 3.14; {advice}"
    summary = """
        Flags the event loop policy API: `asyncio.set_event_loop_policy()`,
        `asyncio.get_event_loop_policy()`, `uvloop.install()` and
        `uvloop.EventLoopPolicy()` (the latter not again when it is the
        argument of a flagged call).
    """
    rationale = """
        Python 3.14 deprecates the policy system (to be removed in 3.16).
        A different loop is chosen per run instead: `uvloop.run(main())`,
        or `asyncio.run(main(), loop_factory=...)` on Python 3.12+.
    """
    example = """
        import asyncio
        import uvloop

        async def main():
            await asyncio.sleep(1)

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        asyncio.run(main())
    """
    use_instead = """
        import asyncio
        import uvloop

        async def main():
            await asyncio.sleep(1)

        uvloop.run(main())
    """
    since = """
        Deprecated in Python 3.14; `uvloop.run()` exists since uvloop 0.18.
    """
    fix = FixSpec(
        UNSAFE,
        "Where `asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())` or "
        "`uvloop.install()` is a statement of its own and the module runs its "
        "coroutines with `asyncio.run(...)` only, remove it and write "
        "`uvloop.run(...)` for each `asyncio.run(...)`. Unsafe: code elsewhere "
        "that relied on the process-wide policy gets asyncio's default loop.",
    )
    node_types = (ast.Call,)
    fix_target = "Module"
    triggers = (("uvloop", "asyncio"), ("uvloop", "policy"))
    #: other ways to make or drive a loop: with them, the policy may matter
    OTHER_LOOPS = frozenset({"asyncio.new_event_loop", "asyncio.get_event_loop",
                             "asyncio.Runner", "asyncio.set_event_loop"})
    CALLS = {
        "asyncio.set_event_loop_policy": "choose the loop per run: uvloop.run(main()) or "
                                         "asyncio.run(main(), loop_factory=...)",
        "asyncio.get_event_loop_policy": "use asyncio.get_running_loop() or asyncio.Runner",
        "uvloop.install": "use uvloop.run(main())",
        "uvloop.EventLoopPolicy": "use uvloop.run(main()) or uvloop.new_event_loop",
    }
    names = frozenset(CALLS)
    invalid = (
        "import asyncio, uvloop\nasyncio.set_event_loop_policy(uvloop.EventLoopPolicy())\n",
        "import uvloop\nuvloop.install()\n",
        "import asyncio\npolicy = asyncio.get_event_loop_policy()\n",
    )
    valid = (
        "import uvloop\nuvloop.run(main())\n",
        "import asyncio, uvloop\nasyncio.run(main(), loop_factory=uvloop.new_event_loop)\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        name = self._name(node, scope)
        if name is None:
            return
        parent = self.view.parent(node)
        if isinstance(parent, ast.Call) and node in parent.args \
                and self._name(parent, scope) is not None:
            return
        self._found.append((node, scope, name))  # type: ignore[arg-type]

    def __init__(self, view, settings) -> None:
        super().__init__(view, settings)
        self._found: List[Tuple[ast.Call, Scope, str]] = []

    def finish(self) -> None:
        runs = self._asyncio_runs() if len(self._found) == 1 else None
        for call, scope, name in self._found:
            fixable = runs is not None and self._installs_uvloop(call, scope)
            self.report(call, fix_data=UvloopFix(
                fixable=fixable, runs=tuple(runs or ()),
                import_from=import_from(self.view, call.args[0].func, scope)
                if fixable and call.args else None),
                name=name, advice=self.CALLS[name])

    def _installs_uvloop(self, call: ast.Call, scope: Scope) -> bool:
        """``asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())`` or
        ``uvloop.install()`` as a statement of its own at module level."""
        statement = self.view.parent(call)
        if not (isinstance(statement, ast.Expr) and self.view.parent(statement) is self.view.tree):
            return False
        name = self._name(call, scope)
        if name == "uvloop.install":
            return not call.args and not call.keywords
        return (name == "asyncio.set_event_loop_policy" and len(call.args) == 1
                and not call.keywords and isinstance(call.args[0], ast.Call)
                and not call.args[0].args and not call.args[0].keywords
                and self._name(call.args[0], scope) == "uvloop.EventLoopPolicy")

    def _asyncio_runs(self) -> Optional[List[str]]:
        """How the module spells its ``asyncio.run`` calls (``asyncio.run``,
        ``aio.run``, ``run``), if it runs its coroutines with them only."""
        view = self.view
        spellings: List[str] = []
        calls = [*view.module_calls(), *(c for fn in view.functions for c in fn.calls)]
        for call, scope in calls:
            name = resolve_asyncio(view, call.func, scope)
            if name in self.OTHER_LOOPS:
                return None
            if name == "asyncio.run":
                if any(k.arg == "loop_factory" for k in call.keywords):
                    return None
                spellings.append(ast.unparse(call.func))
        return sorted(set(spellings)) or None

    def _name(self, call: ast.AST, scope: Scope) -> Optional[str]:
        name = resolve_asyncio(self.view, call.func, scope)  # type: ignore[attr-defined]
        if name is not None and name.startswith("uvloop."):
            name = "uvloop." + name.rsplit(".", 1)[-1]
        return name if name in self.CALLS else None

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import run_with_uvloop
        return run_with_uvloop(node, finding, ctx)


# --------------------------------------------------------------------- AIO207
class LoopArgument(Rule):
    code = "AIO207"
    name = "loop-argument"
    message = "the loop= argument of asyncio.{name}() was removed in Python 3.10; remove it"
    summary = """
        Flags the `loop=` keyword argument of asyncio's high-level APIs:
        `sleep`, `wait`, `wait_for`, `gather`, `shield`, `as_completed`,
        `open_connection`, `start_server`, `open_unix_connection`,
        `start_unix_server`, `create_subprocess_exec/shell`, the queues
        (`Queue`, `LifoQueue`, `PriorityQueue`) and the synchronisation
        primitives (`Lock`, `Event`, `Condition`, `Semaphore`,
        `BoundedSemaphore`).
    """
    rationale = """
        These APIs find the running loop themselves. The argument was
        deprecated in Python 3.8 and removed in 3.10, where passing it raises
        `TypeError`.
    """
    example = """
        import asyncio

        async def main():
            await asyncio.sleep(1, loop=asyncio.get_running_loop())
    """
    use_instead = """
        import asyncio

        async def main():
            await asyncio.sleep(1)
    """
    since = """
        Deprecated in Python 3.8, removed in 3.10.
    """
    fix = FixSpec(SAFE, "Remove the `loop=` argument.")
    node_types = (ast.Call,)
    triggers = ("asyncio", "loop")
    NAMES = frozenset({
        "sleep", "wait", "wait_for", "gather", "shield", "as_completed", "open_connection",
        "start_server", "open_unix_connection", "start_unix_server",
        "create_subprocess_exec", "create_subprocess_shell", "Queue", "LifoQueue",
        "PriorityQueue", "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore",
    })
    invalid = (
        "import asyncio\nq = asyncio.Queue(loop=loop)\n",
        "from asyncio import gather\nasync def f(loop):\n    await gather(a(), loop=loop)\n",
    )
    valid = (
        "import asyncio\nq = asyncio.Queue()\n",
        "import asyncio\nasync def f(loop):\n    await loop.create_server(p, loop=loop)\n",
        "import asyncio\nasync def f(kw):\n    await asyncio.sleep(1, **kw)\n",
    )

    names = frozenset(f"asyncio.{name}" for name in NAMES)

    def check(self, node: ast.AST, scope: Scope) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        if not any(kw.arg == "loop" for kw in call.keywords):
            return
        name = resolve_asyncio(self.view, call.func, scope)
        if name is not None and name.count(".") == 1 and name.startswith("asyncio.") \
                and name[len("asyncio."):] in self.NAMES:
            self.report(call, name=name[len("asyncio."):])

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import drop_keyword
        return drop_keyword(node, "loop")


# --------------------------------------------------------------------- AIO208
_CHILD_WATCHERS = ("get_child_watcher", "set_child_watcher", "AbstractChildWatcher",
                   "SafeChildWatcher", "FastChildWatcher", "ThreadedChildWatcher",
                   "MultiLoopChildWatcher", "PidfdChildWatcher")


class RemovedAsyncioName(Rule):
    code = "AIO208"
    name = "removed-asyncio-name"
    message = "{name} {status}; {advice}"
    summary = """
        Flags other removed or deprecated asyncio names:
        `asyncio.Task.all_tasks()` and `asyncio.Task.current_task()`
        (removed in 3.9), `asyncio.iscoroutinefunction` (deprecated in
        3.14), the child watchers (deprecated in 3.12, removed in 3.14) and,
        when the target is Python 3.11 or newer, `asyncio.TimeoutError`
        (an alias of the builtin `TimeoutError` there).
    """
    rationale = """
        Removed names fail at import or call time on current Python;
        deprecated ones warn and will. Each has a direct replacement, except
        the child watchers, which asyncio no longer needs.
    """
    example = """
        import asyncio

        def running():
            return asyncio.Task.all_tasks()
    """
    use_instead = """
        import asyncio

        def running():
            return asyncio.all_tasks()
    """
    since = """
        `asyncio.all_tasks()`/`current_task()` exist since 3.7; `asyncio.TimeoutError`
        is the builtin `TimeoutError` since 3.11.
    """
    fix = FixSpec(SAFE, "Write the replacement (`asyncio.all_tasks`, `asyncio.current_task`, "
                        "`inspect.iscoroutinefunction`, `TimeoutError`); the child "
                        "watchers have none.")
    node_types = (ast.Attribute, ast.Name)
    fix_target = "BaseExpression"
    triggers = ("asyncio", ("all_tasks", "current_task", "iscoroutinefunction", "TimeoutError",
                            "ChildWatcher", "child_watcher"))
    #: name -> (status, replacement or None, lowest target where it is flagged)
    NAMES: Dict[str, Tuple[str, Optional[str], Tuple[int, int]]] = {
        "asyncio.Task.all_tasks": ("was removed in Python 3.9", "asyncio.all_tasks", (3, 0)),
        "asyncio.Task.current_task": ("was removed in Python 3.9", "asyncio.current_task",
                                      (3, 0)),
        "asyncio.iscoroutinefunction": ("is deprecated since Python 3.14",
                                        "inspect.iscoroutinefunction", (3, 0)),
        "asyncio.TimeoutError": ("is the builtin TimeoutError since Python 3.11",
                                 "TimeoutError", (3, 11)),
        **{f"asyncio.{n}": ("is deprecated since Python 3.12 and removed in 3.14", None, (3, 0))
           for n in _CHILD_WATCHERS},
    }
    names = frozenset(NAMES)
    invalid = (
        "import asyncio\nasyncio.Task.current_task()\n",
        "from asyncio import iscoroutinefunction\niscoroutinefunction(f)\n",
        "import asyncio\nw = asyncio.SafeChildWatcher()\n",
    )
    valid = (
        "import asyncio\nasyncio.current_task()\n",
        "import inspect\ninspect.iscoroutinefunction(f)\n",
        "import asyncio\nasync def f():\n    try:\n        pass\n"
        "    except asyncio.CancelledError:\n        pass\n",
        "try:\n    pass\nexcept TimeoutError:\n    pass\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        if not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            return
        name = resolve_asyncio(self.view, node, scope)
        entry = self.NAMES.get(name) if name else None
        if entry is None or self.settings.target_version < entry[2]:
            return
        status, replacement, _ = entry
        advice = f"use {replacement}" if replacement else "asyncio no longer needs them"
        fixable = replacement is not None
        if replacement == "TimeoutError":  # the builtin, unless shadowed
            binding = self.view.lookup("TimeoutError", scope, node)
            fixable = binding is None or (binding.kind == "import" and asyncio_name(
                binding.qualname) == "asyncio.TimeoutError")
        self.report(node, fix_data=LegacyFix(fixable=fixable, replacement=replacement,
                                             import_from=import_from(self.view, node, scope)),
                    name=name, status=status, advice=advice)

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.legacy import replace_name
        return replace_name(node, finding.fix_data, ctx)
