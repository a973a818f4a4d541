"""AIO4xx: tasks, coroutines and the event loop's lifecycle (the article's
Task and Future sections).

AIO400 follows the module's call graph to code where no loop can run;
AIO401 and AIO402 look at expression statements (a value made and dropped);
AIO403 at loop-running calls inside coroutines; AIO404 at Task/Future
methods named without the call.
"""
from __future__ import annotations

import ast
from collections import deque
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from ..analysis import FUNCTION_DEFS, FunctionInfo, ModuleView, Scope, local_name
from ..registry import SAFE, Finding, FixData, FixSpec, Rule

# -- shared vocabulary --------------------------------------------------------

#: functions that make a Task, by dotted name
TASK_FUNCTIONS = frozenset({
    "asyncio.create_task", "asyncio.ensure_future",
    "asyncio.tasks.create_task", "asyncio.tasks.ensure_future",
})
GATHER = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
LOOP_GETTERS = frozenset({"get_event_loop", "get_running_loop"})
#: calls whose value is an event loop, and loop types (for receivers bound
#: to one, or parameters annotated with one)
LOOP_MAKERS = frozenset({
    "asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop",
    "asyncio.events.get_event_loop", "asyncio.events.get_running_loop",
    "asyncio.events.new_event_loop", "uvloop.new_event_loop",
    "asyncio.AbstractEventLoop", "asyncio.events.AbstractEventLoop",
    "asyncio.BaseEventLoop", "asyncio.base_events.BaseEventLoop", "uvloop.Loop",
})
#: asyncio's coroutine functions: calling one without await does nothing
ASYNCIO_COROUTINES = frozenset(
    f"asyncio.{name}" for name in (
        "sleep", "wait", "wait_for", "open_connection", "open_unix_connection",
        "start_server", "start_unix_server", "create_subprocess_exec",
        "create_subprocess_shell", "to_thread", "staggered.staggered_race",
        "tasks.sleep", "tasks.wait", "tasks.wait_for", "streams.open_connection",
        "streams.start_server", "subprocess.create_subprocess_exec",
        "subprocess.create_subprocess_shell", "threads.to_thread",
    )
)
COROUTINE_PARTS = frozenset(name.rsplit(".", 1)[-1] for name in ASYNCIO_COROUTINES)
#: methods and functions that return a future, not a coroutine
FUTURE_MAKERS = frozenset({"run_in_executor", "wrap_future", "create_future",
                           "run_coroutine_threadsafe", "create_task", "ensure_future"})
#: decorators that leave an ``async def`` a coroutine function
TRANSPARENT_DECORATORS = frozenset({
    "builtins.staticmethod", "builtins.classmethod", "abc.abstractmethod",
    "typing.override", "typing_extensions.override",
})
#: exceptions whose handler makes a "no running event loop" error expected
LOOP_ERRORS = frozenset({"RuntimeError", "Exception", "BaseException"})


def _last_name(expr: ast.AST) -> Optional[str]:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def is_loop_expr(view: ModuleView, expr: ast.AST, scope: Scope) -> bool:
    """An event loop, as far as a reader can tell: a name or attribute
    ending in ``loop`` (``loop``, ``self._loop``, ``bot.loop``), a
    ``get_event_loop()``/``get_running_loop()`` call, or a name bound to
    ``asyncio.new_event_loop()`` and the like."""
    if isinstance(expr, ast.Call):
        return _last_name(expr.func) in LOOP_GETTERS or view.call_name(expr, scope) in LOOP_MAKERS
    name = _last_name(expr)
    if name is None:
        return False
    if name.lower().endswith("loop"):
        return True
    return isinstance(expr, ast.Name) and view.origin(expr, scope) in LOOP_MAKERS


def task_maker(view: ModuleView, call: ast.AST, scope: Scope) -> Optional[str]:
    """How ``call`` makes a new Task (``"asyncio.create_task"``,
    ``"loop.create_task"``...), or None when it does not make one."""
    if not isinstance(call, ast.Call):
        return None
    name = view.call_name(call, scope)
    if name in TASK_FUNCTIONS:
        return name
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "create_task":
        if is_loop_expr(view, func.value, scope):
            return "loop.create_task"
        if view.origin(func.value, scope) == "asyncio.TaskGroup":
            return "TaskGroup.create_task"
    return None


#: context managers that expect an exception (or warning) named as argument
RAISES_CONTEXTS = frozenset({"raises", "assertRaises", "assertRaisesRegex", "suppress"})
WARNS_CONTEXTS = frozenset({"warns", "assertWarns", "assertWarnsRegex"})
NEVER_AWAITED = frozenset({"RuntimeWarning", "Warning"})
ASSERT_RAISES = RAISES_CONTEXTS - {"suppress"}


def _names(expr: ast.AST) -> List[Optional[str]]:
    elts = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    return [_last_name(e) for e in elts]


def _any_of(exceptions: Optional[FrozenSet[str]], expr: ast.AST) -> bool:
    return exceptions is None or bool(exceptions & set(_names(expr)))


def expects(view: ModuleView, node: ast.AST, exceptions: Optional[FrozenSet[str]],
            contexts: FrozenSet[str] = RAISES_CONTEXTS, handlers: bool = True) -> bool:
    """``node`` runs where one of ``exceptions`` is expected: in the body
    of a ``try`` with a handler for it (the usual probe "is a loop
    running?"; only if ``handlers``), or of a ``with`` block such as
    ``pytest.raises(...)``, ``self.assertWarns(...)`` or
    ``contextlib.suppress(...)`` given it (``contexts``).  ``exceptions``
    None: any exception will do."""
    child, current = node, view.parent(node)
    while current is not None and not isinstance(current, (*FUNCTION_DEFS, ast.Lambda,
                                                           ast.ClassDef, ast.Module)):
        body = getattr(current, "body", None)
        if isinstance(body, list) and child in body:
            for handler in getattr(current, "handlers", ()) if handlers else ():  # Try, TryStar
                if handler.type is None or _any_of(exceptions, handler.type):
                    return True
            items = current.items if isinstance(current, (ast.With, ast.AsyncWith)) else ()
            for item in items:
                ctx = item.context_expr
                if not isinstance(ctx, ast.Call) or _last_name(ctx.func) not in contexts:
                    continue
                # suppress(*exceptions); raises(exception, ...), assertRaises(...)
                named = ctx.args if _last_name(ctx.func) == "suppress" else ctx.args[:1]
                if any(_any_of(exceptions, arg) for arg in named):
                    return True
        child, current = current, view.parent(current)
    return False


# -- AIO400 -------------------------------------------------------------------

class NoRunningLoop(Rule):
    code = "AIO400"
    name = "no-running-loop"
    message = ("{name}() raises RuntimeError: no event loop runs here ({where}); "
               "call it inside a coroutine started by asyncio.run()")
    summary = """
        Flags `asyncio.create_task()`, `asyncio.current_task()` and
        `asyncio.get_running_loop()` where no event loop can be running: at
        module level (`if __name__ == "__main__":` included), in a class
        body there, or in a synchronous function whose only callers in the
        module are such places (followed through chains of synchronous
        callers).
    """
    rationale = """
        These functions need the loop that runs the current coroutine; with
        none they raise `RuntimeError: no running event loop`. The article
        warns that `create_task()` "must be called once the event loop
        exists"; the way to have one is to do the work inside a coroutine
        that `asyncio.run()` starts. A call inside a `try` that catches
        `RuntimeError` is a probe for a running loop and is left alone; a
        function with no callers in the module, or one only handed over as
        a callback, is not judged.
    """
    example = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        task = asyncio.create_task(work())
    """
    use_instead = """
        import asyncio

        async def work():
            await asyncio.sleep(1)

        async def main():
            task = asyncio.create_task(work())
            await task

        asyncio.run(main())
    """
    node_types = (ast.Call,)
    triggers = ("asyncio", ("create_task", "current_task", "get_running_loop"))
    NEEDS_LOOP = frozenset({
        "asyncio.create_task", "asyncio.current_task", "asyncio.get_running_loop",
        "asyncio.tasks.create_task", "asyncio.tasks.current_task",
        "asyncio.events.get_running_loop",
    })
    names = NEEDS_LOOP
    invalid = (
        "import asyncio\nloop = asyncio.get_running_loop()\n",
        "import asyncio\nclass C:\n    task = asyncio.current_task()\n",
        "import asyncio\ndef setup():\n    asyncio.create_task(work())\n"
        "if __name__ == '__main__':\n    setup()\n",
    )
    valid = (
        "import asyncio\nasync def main():\n    asyncio.get_running_loop()\n",
        "import asyncio\ndef setup():\n    asyncio.create_task(work())\n",
        "import asyncio\ndef setup():\n    return asyncio.create_task(work())\n"
        "async def main():\n    await setup()\nsetup_ref = setup\n",
        "import asyncio\ntry:\n    loop = asyncio.get_running_loop()\n"
        "except RuntimeError:\n    loop = None\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        name = self.view.call_name(node, scope)  # type: ignore[arg-type]
        if name not in self.NEEDS_LOOP or expects(self.view, node, LOOP_ERRORS):
            return
        if scope.function is None:
            if scope.runs_at_import:
                self.report(node, name=name, where="module level")
            return
        chain = self._loopless().get(scope.function)
        if chain is not None:
            self.report(node, name=name, where=f"only reached from module level: {chain}")

    def _loopless(self) -> Dict[FunctionInfo, str]:
        """Sync functions of the module that run only where no loop can
        (every caller is module-level code or another such function, and a
        chain of calls from module level reaches them), each with the
        shortest such chain, e.g. ``line 40 -> configure() -> setup()``
        (memoised)."""
        key = (self.code, "loopless")
        memo = self.view.memo.get(key)
        if memo is not None:
            return memo  # type: ignore[return-value]
        view = self.view

        def runs_body(fn: FunctionInfo) -> bool:
            return not fn.is_async and not fn.has_yield and not fn.has_yield_from

        # Greatest set closed under "all callers are loopless sites" (cycles
        # among such functions stay in): drop the functions with a caller
        # that may run with a loop, then, along the call graph, everything
        # they call (linear).  Then keep what module level reaches: a
        # function called only by itself never runs.
        candidates = {fn for fn in view.functions if runs_body(fn) and view.callers(fn)}
        dropped = [fn for fn in candidates
                   if any((caller is not None and caller not in candidates)
                          or (caller is None and not scope.runs_at_import)
                          or expects(view, call, LOOP_ERRORS)
                          for call, scope, caller in view.callers(fn))]
        candidates.difference_update(dropped)
        while dropped:
            for _, _, target in view.callees(dropped.pop()):
                if target in candidates:
                    candidates.discard(target)
                    dropped.append(target)
        chains: Dict[FunctionInfo, str] = {}
        queue = deque()
        for fn in candidates:
            lines = [call.lineno for call, _, caller in view.callers(fn) if caller is None]
            if lines:
                chains[fn] = f"line {min(lines)} -> {fn.qualname}()"
                queue.append(fn)
        while queue:
            fn = queue.popleft()
            for _, _, target in view.callees(fn):
                if target in candidates and target not in chains:
                    chains[target] = f"{chains[fn]} -> {target.qualname}()"
                    queue.append(target)
        view.memo[key] = chains
        return chains


# -- AIO401 -------------------------------------------------------------------

class DroppedTask(Rule):
    code = "AIO401"
    name = "dropped-task"
    message = ("{what} is dropped: the loop keeps only a weak reference, so it may be "
               "garbage-collected mid-flight and its exception goes unseen; keep a "
               "reference or use asyncio.TaskGroup")
    summary = """
        Flags a task created and thrown away: `asyncio.create_task(...)`,
        `asyncio.ensure_future(...)` or `loop.create_task(...)` (any receiver
        whose name ends in `loop`, a `get_event_loop()`/`get_running_loop()`
        call, or a name bound to or annotated as an event loop) used as a
        bare expression statement, also
        with `.add_done_callback(...)` chained on it, and a bare
        `asyncio.gather(...)` statement.
    """
    rationale = """
        The event loop holds only weak references to tasks. A task nobody
        references can be garbage-collected while it is still waiting, and
        then silently never finishes; if it fails, its exception is logged
        at best, never handled. `TaskGroup.create_task()` and anyio/trio's
        `nursery.start_soon()` keep their tasks and are fine.
    """
    example = """
        import asyncio

        async def main():
            asyncio.create_task(heartbeat())
    """
    use_instead = """
        import asyncio

        background_tasks = set()

        async def main():
            task = asyncio.create_task(heartbeat())
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
    """
    node_types = (ast.Expr,)
    # loop.create_task needs no asyncio import; the others resolve through one
    triggers = (("asyncio", "create_task"), ("create_task", "ensure_future", "gather"))
    #: last parts of the calls that make a task or future (task_maker, GATHER)
    MAKERS = frozenset({"create_task", "ensure_future", "gather"})
    invalid = (
        "import asyncio\nasync def f():\n    asyncio.ensure_future(g())\n",
        "async def f(self):\n    self._loop.create_task(g())\n",
        "import asyncio\nasync def f():\n    asyncio.create_task(g()).add_done_callback(print)\n",
        "import asyncio\nasync def f():\n    asyncio.gather(g(), h())\n",
        "import asyncio\nasync def f():\n    asyncio.get_running_loop().create_task(g())\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    t = asyncio.create_task(g())\n    await t\n",
        "import asyncio\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n"
        "        tg.create_task(g())\n",
        "async def f(nursery):\n    nursery.start_soon(g)\n",
        "async def f(client):\n    client.create_task('write docs')\n",
        "import asyncio\nasync def f(fut):\n    asyncio.ensure_future(fut)\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        call = node.value  # type: ignore[attr-defined]
        if not isinstance(call, ast.Call):
            return
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "add_done_callback" \
                and isinstance(func.value, ast.Call):
            call = func.value
        if not self.view.may_name(call, self.MAKERS):  # most statement calls
            return
        if self.view.call_name(call, scope) in GATHER:
            what = "the future of asyncio.gather()"
        else:
            maker = task_maker(self.view, call, scope)
            if maker is None or maker == "TaskGroup.create_task":
                return
            if maker.endswith("ensure_future") and not self._makes_task(call, scope):
                return
            what = f"the task made by {ast.unparse(call.func)}()"
        if not expects(self.view, node, None, ASSERT_RAISES, handlers=False):
            self.report(call, what=what)  # (else: a test that making it fails)

    def _makes_task(self, call: ast.Call, scope: Scope) -> bool:
        """``ensure_future(x)`` hands ``x`` back when it already is a future:
        only a coroutine, made by a call there or just before, makes a new
        task (calls known to return a future aside)."""
        arg = call.args[0] if call.args else None
        if isinstance(arg, ast.Name):
            bound = self.view.binding_value(arg, scope)
            arg = bound[1] if bound and bound[0].kind in ("assign", "walrus") else None
        return isinstance(arg, ast.Call) and _last_name(arg.func) not in FUTURE_MAKERS


# -- AIO402 -------------------------------------------------------------------

class CoroutineNotAwaited(Rule):
    code = "AIO402"
    name = "coroutine-not-awaited"
    message = "{name}() {kind}: calling it without {remedy} does nothing"
    summary = """
        Flags a coroutine function called without `await` as an expression
        statement: an `async def` of the same module (a nested one, a method
        through `self.method()`/`cls.method()`, inherited from a class of
        the same module included), an async generator function called bare,
        or one of asyncio's coroutine functions (`asyncio.sleep`,
        `asyncio.wait_for`, `asyncio.wait`, `asyncio.open_connection`,
        `asyncio.create_subprocess_exec/shell`, `asyncio.to_thread`...).
    """
    rationale = """
        Calling a coroutine function only makes a coroutine object; its body
        runs when the coroutine is awaited (or wrapped in a task). As a bare
        statement the object is dropped at once: the code never runs, and
        Python merely warns "coroutine ... was never awaited" at garbage
        collection. An async generator called bare is likewise never
        iterated. `async def` functions whose decorators may turn them into
        something else are left alone, and so are tests that expect the call
        to fail (`pytest.raises`, `assertRaises`) or to warn that it was
        never awaited (`pytest.warns`, `assertWarns`).
    """
    example = """
        import asyncio

        async def save(item):
            await asyncio.sleep(0)

        async def main(item):
            save(item)
    """
    use_instead = """
        import asyncio

        async def save(item):
            await asyncio.sleep(0)

        async def main(item):
            await save(item)
    """
    fix = FixSpec(SAFE, "Add `await` before the call, where an `await` may stand (in an "
                        "`async def`; not in sync code or a class body, nor for an async "
                        "generator, which needs `async for`).")
    node_types = (ast.Expr,)
    triggers = ("async",)
    invalid = (
        "import asyncio\nasync def f():\n    asyncio.sleep(1)\n",
        "class A:\n    async def close(self): ...\n    async def stop(self):\n        self.close()\n",
        "class A:\n    async def close(self): ...\nclass B(A):\n    def stop(self):\n        self.close()\n",
        "async def outer():\n    async def inner(): ...\n    inner()\n",
        "async def gen():\n    yield 1\nasync def f():\n    gen()\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n",
        "async def g(): ...\nasync def f():\n    asyncio.create_task(g())\n",
        "import functools\n@functools.lru_cache\nasync def g(): ...\ndef f():\n    g()\n",
        "def g(): ...\nasync def f():\n    g()\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        call = node.value  # type: ignore[attr-defined]
        if not isinstance(call, ast.Call):
            return
        view = self.view
        # an asyncio coroutine, or a function of the module (most
        # statement calls are neither)
        if not (view.may_name(call, COROUTINE_PARTS)
                or local_name(call)[0] in view.function_names()):
            return
        name = view.call_name(call, scope)
        generator = False
        if name in ASYNCIO_COROUTINES:
            shown = name
        else:
            target = view.callee(call, scope)
            if target is None or not target.is_async or not self._plain(target):
                return
            shown = ast.unparse(call.func)
            generator = target.has_yield
        if expects(view, node, NEVER_AWAITED, WARNS_CONTEXTS, handlers=False) \
                or expects(view, node, None, ASSERT_RAISES, handlers=False):
            return  # a test of the "never awaited" warning, or of a failing call
        if generator:
            self.report(call, fix_data=FixData(fixable=False), name=shown,
                        kind="is an async generator function", remedy="iterating it (async for)")
            return
        self.report(call, fix_data=FixData(fixable=scope.can_await), name=shown,
                    kind="is a coroutine function", remedy="await")

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.calls import awaited
        return awaited(node)

    def _plain(self, fn: FunctionInfo) -> bool:
        """No decorator that might make the function something else."""
        for decorator in fn.node.decorator_list:  # type: ignore[attr-defined]
            if self.view.resolve(decorator, fn.parent_scope) not in TRANSPARENT_DECORATORS:
                return False
        return True


# -- AIO403 -------------------------------------------------------------------

class NestedLoopRun(Rule):
    code = "AIO403"
    name = "loop-run-in-coroutine"
    message = ("{name}() inside a coroutine: the event loop is already running, so this "
               "raises RuntimeError; await the coroutine instead")
    summary = """
        Flags `asyncio.run(...)`, `loop.run_until_complete(...)` and
        `loop.run_forever()` in async context (a receiver whose name ends in
        `loop`, a `get_event_loop()`/`get_running_loop()` call, or a name
        bound to `asyncio.new_event_loop()` or annotated as an event loop).
    """
    rationale = """
        One thread runs one event loop at a time. Inside a coroutine a loop
        is already running, and starting one (or the same one again) raises
        `RuntimeError: asyncio.run() cannot be called from a running event
        loop` / `This event loop is already running`. Await the coroutine
        instead, or run blocking code that needs its own loop in a worker
        thread. Modules that import `nest_asyncio` patch this on purpose and
        are left alone.
    """
    example = """
        import asyncio

        async def main():
            asyncio.run(fetch_all())
    """
    use_instead = """
        import asyncio

        async def main():
            await fetch_all()
    """
    node_types = (ast.Call,)
    triggers = ("async", "run")
    async_only = True
    RUNNERS = frozenset({"asyncio.run", "asyncio.runners.run"})
    LOOP_METHODS = frozenset({"run_until_complete", "run_forever"})
    names = RUNNERS | LOOP_METHODS
    invalid = (
        "import asyncio\nasync def f():\n    asyncio.run(g())\n",
        "import asyncio\nasync def f():\n    asyncio.get_event_loop().run_until_complete(g())\n",
        "async def f(self):\n    self.loop.run_forever()\n",
    )
    valid = (
        "import asyncio\ndef f():\n    asyncio.run(g())\n",
        "import asyncio\nasync def f():\n    await asyncio.to_thread(lambda: asyncio.run(g()))\n",
        "import asyncio, nest_asyncio\nnest_asyncio.apply()\nasync def f(loop):\n"
        "    loop.run_until_complete(g())\n",
        "async def f(server):\n    server.run_forever()\n",
    )

    def check(self, node: ast.AST, scope: Scope) -> None:
        if not scope.is_async:
            return
        view = self.view
        name = view.call_name(node, scope)  # type: ignore[arg-type]
        if name in self.RUNNERS:
            shown = name
        else:
            func = node.func  # type: ignore[attr-defined]
            if not (isinstance(func, ast.Attribute) and func.attr in self.LOOP_METHODS
                    and is_loop_expr(view, func.value, scope)):
                return
            shown = ast.unparse(func)
        if not expects(view, node, LOOP_ERRORS) and not self._nested_loops_allowed():
            self.report(node, name=shown)

    def _nested_loops_allowed(self) -> bool:
        return any(binding.kind == "import" and (binding.qualname or "").split(".")[0] == "nest_asyncio"
                   for bindings in self.view.module_scope.bindings.values() for binding in bindings)


# -- AIO404 -------------------------------------------------------------------

#: callables that take a callable: a bound method named as their argument
#: is handed over to be called later, not forgotten
CALLABLE_TAKERS = frozenset({
    "add_done_callback", "remove_done_callback", "call_soon", "call_soon_threadsafe",
    "call_later", "call_at", "run_in_executor", "to_thread", "partial", "partialmethod",
    "submit", "map", "filter", "Thread", "Timer", "register", "add_signal_handler",
    "add_reader", "add_writer", "callback", "push_callback", "WeakMethod", "wait_for",
    "run_sync", "start_soon", "getattr", "callable",
    # assertion helpers that call what they are given
    "assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex", "raises",
    "warns", "deprecated_call",
})


class MethodNotCalled(Rule):
    code = "AIO404"
    name = "task-method-not-called"
    message = "{receiver}.{attr} is the bound method, not its value; call it: {receiver}.{attr}()"
    summary = """
        Flags `.result`, `.exception`, `.done` or `.cancelled` named without
        the call on a Task or Future: a name bound by `asyncio.create_task`,
        `asyncio.ensure_future`, `loop.create_task` or
        `TaskGroup.create_task`, one reached by
        iterating the `done` (or `pending`) set of `asyncio.wait` or a list
        of created tasks, or the future parameter of a callback handed to
        `add_done_callback`.
    """
    rationale = """
        Without the parentheses the expression is the method itself: it
        prints as `<built-in method result of _asyncio.Task object ...>`
        and is always true in a condition (`if task.done:` never waits).
        The article itself slips here: `print(res.result)`. A bound method
        handed over to be called later (`add_done_callback(fut.result)`,
        `loop.call_soon(...)`, `functools.partial(...)`) or kept under a
        name (`getter = task.result`) is left alone.
    """
    example = """
        import asyncio

        async def crawl(urls):
            tasks = [asyncio.create_task(fetch(u)) for u in urls]
            done, _ = await asyncio.wait(tasks)
            for res in done:
                print(res.result)
    """
    use_instead = """
        import asyncio

        async def crawl(urls):
            tasks = [asyncio.create_task(fetch(u)) for u in urls]
            done, _ = await asyncio.wait(tasks)
            for res in done:
                print(res.result())
    """
    fix = FixSpec(SAFE, "Add the call's parentheses: `task.result` becomes `task.result()`.")
    fix_target = "Attribute"
    node_types = (ast.Attribute, ast.Call)
    # the receiver is a task that asyncio, create_task or a done callback gives
    triggers = (("asyncio", "create_task", "add_done_callback"),
                ("result", "exception", "done", "cancelled"))
    METHODS = frozenset({"result", "exception", "done", "cancelled"})
    names = METHODS | {"add_done_callback"}
    invalid = (
        "import asyncio\nasync def f():\n    t = asyncio.create_task(g())\n    if t.done:\n        pass\n",
        "import asyncio\nasync def f(ts):\n    done, _ = await asyncio.wait(ts)\n"
        "    print([r.result for r in done])\n",
        "def cb(fut):\n    print(fut.exception)\nasync def f(t):\n    t.add_done_callback(cb)\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    t = asyncio.create_task(g())\n"
        "    t.add_done_callback(lambda _: None)\n    return t.result()\n",
        "import asyncio\nasync def f(loop):\n    t = asyncio.create_task(g())\n"
        "    loop.call_soon(t.cancelled)\n",
        "async def f(job):\n    print(job.result)\n",
    )

    def __init__(self, view: ModuleView, settings) -> None:
        super().__init__(view, settings)
        self._candidates: List[Tuple[ast.Attribute, Scope]] = []
        self._callbacks: List[Tuple[ast.AST, Scope]] = []

    def check(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "add_done_callback" and node.args:
                self._callbacks.append((node.args[0], scope))
            return
        if node.attr not in self.METHODS or not isinstance(node.value, ast.Name) \
                or not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            return
        parent = self.view.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            return
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node:
            return  # kept under a name, to be called later
        if isinstance(parent, ast.keyword):
            parent = self.view.parent(parent)
        if isinstance(parent, ast.Call) and _last_name(parent.func) in CALLABLE_TAKERS:
            return
        self._candidates.append((node, scope))  # type: ignore[arg-type]

    def finish(self) -> None:
        if not self._candidates:
            return
        futures = self._future_params()
        for node, scope in self._candidates:
            receiver = node.value
            binding = self.view.lookup(receiver.id, scope, receiver)  # type: ignore[attr-defined]
            if binding is None:
                continue
            if self._is_task_binding(binding) or (binding.kind == "param"
                                                  and binding.node in futures):
                self.report(node, receiver=receiver.id, attr=node.attr)  # type: ignore[attr-defined]

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        import libcst as cst
        return cst.Call(func=node)

    def _is_task_binding(self, binding) -> bool:
        view = self.view
        if binding.kind in ("assign", "walrus"):
            return task_maker(view, binding.value, binding.scope) is not None
        if binding.kind == "loop":
            return self._holds_tasks(binding.value, binding.scope)
        return False

    def _holds_tasks(self, iterable: Optional[ast.AST], scope: Scope, _depth: int = 0) -> bool:
        """A collection of tasks: a list/set/tuple (or comprehension) of
        created tasks, the done/pending sets of ``asyncio.wait``, or a name
        bound to one of these."""
        view = self.view
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            return bool(iterable.elts) and all(task_maker(view, e, scope) for e in iterable.elts)
        if isinstance(iterable, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return task_maker(view, iterable.elt, scope) is not None
        if isinstance(iterable, ast.Call):
            return view.call_name(iterable, scope) in ("asyncio.all_tasks", "asyncio.tasks.all_tasks")
        if not isinstance(iterable, ast.Name) or _depth > 8:  # (``tasks = tasks``)
            return False
        binding = view.lookup(iterable.id, scope, iterable)
        if binding is None:
            return False
        if binding.kind == "assign" and binding.value is None:
            return self._is_wait_result(binding)
        if binding.kind == "assign":
            return self._holds_tasks(binding.value, binding.scope, _depth + 1)
        return False

    def _is_wait_result(self, binding) -> bool:
        """``done`` in ``done, pending = await asyncio.wait(...)``."""
        view = self.view
        target = view.parent(binding.node)
        assign = view.parent(target) if isinstance(target, (ast.Tuple, ast.List)) else None
        if not isinstance(assign, ast.Assign) or not isinstance(assign.value, ast.Await):
            return False
        call = assign.value.value
        if not isinstance(call, ast.Call) or len(target.elts) != 2:  # type: ignore[union-attr]
            return False
        return view.call_name(call, binding.scope) in ("asyncio.wait", "asyncio.tasks.wait")

    def _future_params(self) -> Set[ast.AST]:
        """The parameters that receive the future in callbacks handed to
        ``add_done_callback`` (directly, as a bound method, through
        ``functools.partial``, or as a lambda)."""
        view = self.view
        params: Set[ast.AST] = set()
        for callback, scope in self._callbacks:
            skip = 0
            if isinstance(callback, ast.Call) and view.call_name(callback, scope) == "functools.partial" \
                    and callback.args:
                skip = len(callback.args) - 1
                callback = callback.args[0]
            if isinstance(callback, ast.Lambda):
                positional = [*callback.args.posonlyargs, *callback.args.args]
            else:
                target = view.function_ref(callback, scope)
                if target is None:
                    continue
                args = target.node.args  # type: ignore[attr-defined]
                positional = [*args.posonlyargs, *args.args]
                if isinstance(callback, ast.Attribute) and _binds_first(view, callback, scope, target):
                    skip += 1  # the bound self/cls
            if len(positional) > skip:
                params.add(positional[skip])
        return params


def _binds_first(view: ModuleView, ref: ast.Attribute, scope: Scope, method: FunctionInfo) -> bool:
    """``obj.method`` passes ``obj`` (or its class) as the first argument:
    not for static methods, nor for a plain method taken from the class."""
    decorators = {view.resolve(d, method.parent_scope)
                  for d in method.node.decorator_list}  # type: ignore[attr-defined]
    if "builtins.staticmethod" in decorators:
        return False
    if "builtins.classmethod" in decorators:
        return True
    binding = view.lookup(ref.value.id, scope, ref.value) if isinstance(ref.value, ast.Name) else None
    return binding is None or binding.kind != "class"
