"""AIO3xx: awaits that run one at a time where they could overlap (the
article's examples 3-1 and 3-2, which take 6 s where example 4 takes 2 s).

Both rules are advice, so they only speak when the data flow says the calls
are independent: the module analysis tells which names each statement reads
and writes (``ModuleView.uses``); this module follows values made by awaited
calls through a loop body (loop-carried dependencies, ``break``/``return``
that depend on them) and through runs of consecutive statements.

What counts as an ordered or pacing operation is decided in one place,
:func:`is_ordered`, extended by ``Settings.ordered_calls``.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ..analysis import FunctionInfo, ModuleView, NameUse, Scope, access_path, base_path
from ..config import Settings
from ..registry import UNSAFE, Finding, FixData, FixSpec, Rule

class LibcstTypes:
    """A ``fix_target`` of several libcst node types, resolved when the fix
    engine reads it (so that the check path never imports libcst)."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def __get__(self, instance: object, owner: type) -> Tuple[type, ...]:
        import libcst
        return tuple(getattr(libcst, name) for name in self.names)


# -- ordered and pacing operations (the one list; see is_ordered) -----------
#: functions whose whole point is timing
PACING_FUNCTIONS = frozenset({"asyncio.sleep", "trio.sleep", "anyio.sleep",
                              "trio.sleep_forever", "anyio.sleep_forever"})
#: method-name prefixes of stream, socket and database operations, whose
#: order on their receiver matters (``ws.send_json``, ``conn.fetchrow``...)
ORDERED_METHOD_PREFIXES = ("send", "write", "read", "recv", "receive", "fetch", "execute",
                           # waiting for what already runs gains nothing
                           "wait")
#: methods of locks, semaphores, events, conditions, streams and database
#: transactions, ordered whatever they are called on
ORDERED_METHODS = frozenset({
    "drain", "commit", "rollback", "acquire", "release", "wait", "wait_for",
    "notify", "notify_all",
    # context and iteration protocols: entered and advanced in order
    "__aenter__", "__aexit__", "__anext__", "enter_async_context",
})
#: of those, the ones that synchronise with other tasks: a loop body that
#: awaits one (or holds ``async with lock:``) is serialised on purpose
SYNCHRONISING_METHODS = frozenset({"acquire", "wait", "wait_for", "notify", "notify_all"})
#: queue methods: ordered on a receiver that is a queue
QUEUE_METHODS = frozenset({"get", "put", "join"})
QUEUE_MAKERS = frozenset({
    "asyncio.Queue", "asyncio.LifoQueue", "asyncio.PriorityQueue",
    "asyncio.queues.Queue", "janus.Queue", "anyio.create_memory_object_stream",
})
#: steps of a resource's life, whose order matters (a response released
#: before its client closes, a server stopped before its app cleans up, an
#: index created before documents are added): AIO301 never merges them
LIFECYCLE_PREFIXES = ("close", "aclose", "release", "shutdown", "cleanup", "stop", "start",
                      "disconnect", "terminate", "flush", "setup", "teardown", "init",
                      "login", "logout", "create_index")
#: awaiting these runs several awaitables together
GATHERING = frozenset({"asyncio.gather", "asyncio.wait"})
#: awaiting these inside a loop is deliberate batching (or runs in a thread)
BATCHING = GATHERING | {"asyncio.as_completed", "asyncio.to_thread"}
#: these await their first argument: judge the call inside
WRAPPERS = frozenset({"asyncio.wait_for", "asyncio.shield", "asyncio.timeout"})


def _is_queue(view: ModuleView, receiver: ast.AST, scope: Scope) -> bool:
    if view.origin(receiver, scope) in QUEUE_MAKERS:
        return True
    path = access_path(receiver)
    last = path.rsplit(".", 1)[-1].lower() if path else ""
    return "queue" in last or last in ("q", "_q") or last.endswith("_q")


def is_ordered(view: ModuleView, call: ast.Call, scope: Scope, settings: Settings) -> bool:
    """The call is an ordered or pacing operation that AIO300 never asks to
    overlap: ``asyncio.sleep``, queue ``get/put``, lock, semaphore, event
    and condition methods, stream and database operations (matched as
    methods on a receiver, by name or prefix), or anything configured in
    ``ordered_calls`` (a dotted name, or a bare function or method name)."""
    name = view.call_name(call, scope)
    if name in PACING_FUNCTIONS:
        return True
    configured = settings.ordered_calls
    if configured and name is not None and name in configured:
        return True
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in configured:
            return True
        # a callable held in a variable (ASGI ``send``/``receive``, a
        # channel): judged by its name like a method
        binding = view.lookup(func.id, scope, func)
        return binding is not None and binding.kind not in ("def", "import", "class") \
            and _ordered_name(func.id)
    if not isinstance(func, ast.Attribute):
        return False
    if name is not None and view.resolve(func.value, scope) is not None:
        return False  # a module's function (``mylib.fetch``), not a method
    method = func.attr
    if method in configured or method.lstrip("_") in configured:
        return True
    bare = method if method.startswith("__") else method.lstrip("_")
    if _ordered_name(bare):
        return True
    return bare in QUEUE_METHODS and _is_queue(view, func.value, scope)


def _ordered_name(name: str) -> bool:
    return name in ORDERED_METHODS or name.startswith(ORDERED_METHOD_PREFIXES)


def is_sequencing_step(view: ModuleView, call: ast.Call, scope: Scope,
                       settings: Settings) -> bool:
    """A step AIO301 never merges with its neighbours: an ordered or pacing
    operation, a lifecycle step, or a wait for something done elsewhere
    (``await wait_for_index(...)``)."""
    if is_ordered(view, call, scope, settings) or synchronises(view, call, scope):
        return True
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(
        func, ast.Attribute) else ""
    bare = name.lstrip("_").lower()
    return bare.startswith(LIFECYCLE_PREFIXES) or bare.startswith("wait")


def synchronises(view: ModuleView, call: ast.Call, scope: Scope) -> bool:
    """Pacing (``asyncio.sleep``) or a lock/semaphore/event/condition wait."""
    if view.call_name(call, scope) in PACING_FUNCTIONS:
        return True
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in SYNCHRONISING_METHODS \
        and view.resolve(func.value, scope) is None


def holds_a_lock(stmt: ast.AST) -> bool:
    """``async with lock:`` / ``async with self._semaphore:``: a context
    manager that is an object, not a call, serialises its body."""
    return isinstance(stmt, ast.AsyncWith) and any(
        access_path(item.context_expr) is not None for item in stmt.items)


def awaited_call(view: ModuleView, node: ast.Await, scope: Scope) -> Optional[ast.Call]:
    """The coroutine call an ``await`` runs (looking inside ``wait_for`` and
    ``shield``), or None: awaiting a task or future, or batching."""
    call = node.value
    for _ in range(3):
        if not isinstance(call, ast.Call):
            return None
        name = view.call_name(call, scope)
        if name in WRAPPERS:
            call = call.args[0] if call.args else None
            continue
        if name in BATCHING or (name or "").startswith("asyncio.TaskGroup"):
            return None
        return call
    return None


def describe(call: ast.Call) -> str:
    text = access_path(call.func) or ast.unparse(call.func)
    return f"{text}()" if len(text) <= 40 else "the awaited call"


class PathSet:
    """Access paths with overlap queries in time proportional to a path's
    length, not to the size of the set (one path overlaps another when it
    is the other or a component-wise prefix of it: ``self``/``self.x``)."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.exact: Set[str] = set()
        self._longer: Dict[str, Set[str]] = {}  # strict prefix -> paths under it
        for path in paths:
            self.add(path)

    def add(self, path: str) -> bool:
        """Add a path; False when it was there already."""
        if path in self.exact:
            return False
        self.exact.add(path)
        cut = path.find(".")
        while cut != -1:
            self._longer.setdefault(path[:cut], set()).add(path)
            cut = path.find(".", cut + 1)
        return True

    def hits(self, path: str) -> Set[str]:
        """The paths of the set that overlap ``path``."""
        found = set(self._longer.get(path, ()))
        if path in self.exact:
            found.add(path)
        cut = path.find(".")
        while cut != -1:
            if path[:cut] in self.exact:
                found.add(path[:cut])
            cut = path.find(".", cut + 1)
        return found

    def overlaps(self, paths: Iterable[str]) -> bool:
        for path in paths:
            if path in self.exact or path in self._longer:
                return True
            cut = path.find(".")
            while cut != -1:
                if path[:cut] in self.exact:
                    return True
                cut = path.find(".", cut + 1)
        return False

    def __contains__(self, path: object) -> bool:
        return path in self.exact



def _overlaps(paths: Iterable[str], others: Iterable[str]) -> bool:
    if not isinstance(others, PathSet):
        others = PathSet(others)
    return others.overlaps(paths)


# -- loop bodies -------------------------------------------------------------
LOOPS = (ast.For, ast.AsyncFor, ast.While)
OWNERS = LOOPS + (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
STOPS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def loop_owner(view: ModuleView, node: ast.AST) -> Optional[ast.AST]:
    """The innermost loop whose every iteration runs ``node``: a ``for`` or
    ``while`` body (not its iterable or ``else``), a ``while`` test, a
    comprehension past its first iterable; None outside any loop of the
    function."""
    child, parent = node, view.parent(node)
    while parent is not None and not isinstance(parent, STOPS):
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child in parent.body:
            return parent
        if isinstance(parent, ast.While) and (child in parent.body or child is parent.test):
            return parent
        if isinstance(parent, ast.comprehension):
            comp = view.parent(parent)
            generators = comp.generators  # type: ignore[attr-defined]
            if not (parent is generators[0] and child is parent.iter):
                return comp
        elif isinstance(parent, OWNERS[3:]) and child is not parent.generators[0]:  # type: ignore[attr-defined]
            return parent
        child, parent = parent, view.parent(parent)
    return None


@dataclass
class Unit:
    """One step of a loop body in execution order: a simple statement, or
    the header of a compound one (an ``if`` test, ``with`` items...)."""

    node: ast.AST
    use: NameUse
    guards: Tuple[ast.AST, ...]  # tests of the ifs/whiles it runs under
    in_try: bool  # inside a try statement whose body awaits
    conditional: bool = False  # may not run in an iteration that reaches it


def linearise(view: ModuleView, body: List[ast.stmt]) -> List[Unit]:
    """The body's steps in source order (nested blocks flattened in)."""
    units: List[Unit] = []
    State = Tuple[ast.stmt, Tuple[ast.AST, ...], bool, bool]  # guards, in_try, conditional
    pending: List[State] = [(stmt, (), False, False) for stmt in reversed(body)]
    while pending:
        stmt, guards, in_try, cond = pending.pop()
        children: List[State] = []

        def unit(node: ast.AST, use: NameUse) -> None:
            units.append(Unit(node, use, guards, in_try, cond))

        if isinstance(stmt, (ast.If, ast.While)):
            unit(stmt.test, view.uses(stmt.test))
            inner = guards + (stmt.test,)
            children = [(s, inner, in_try, True) for s in stmt.body + stmt.orelse]
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            unit(stmt, _merged([view.uses(stmt.iter), view.uses(stmt.target)],
                               isinstance(stmt, ast.AsyncFor)))
            children = [(s, guards, in_try, True) for s in stmt.body + stmt.orelse]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            unit(stmt, _merged([view.uses(item) for item in stmt.items],
                               isinstance(stmt, ast.AsyncWith)))
            children = [(s, guards, in_try, cond) for s in stmt.body]
        elif isinstance(stmt, ast.Try) or stmt.__class__.__name__ == "TryStar":
            risky = in_try or any(view.uses(s).awaits for s in stmt.body)  # type: ignore[attr-defined]
            children = [(s, guards, risky, cond) for s in stmt.body]  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                children += [(s, guards, risky, True) for s in handler.body]
            children += [(s, guards, risky, True) for s in stmt.orelse]  # type: ignore[attr-defined]
            children += [(s, guards, in_try, cond) for s in stmt.finalbody]  # type: ignore[attr-defined]
        elif stmt.__class__.__name__ == "Match":
            unit(stmt.subject, view.uses(stmt.subject))  # type: ignore[attr-defined]
            inner = guards + (stmt.subject,)  # type: ignore[attr-defined]
            for case in stmt.cases:  # type: ignore[attr-defined]
                children += [(s, inner, in_try, True) for s in case.body]
        else:
            unit(stmt, view.uses(stmt))
        pending.extend(reversed(children))
    return units


def _merged(uses: List[NameUse], awaits: bool) -> NameUse:
    return NameUse(frozenset().union(*(u.reads for u in uses)),
                   frozenset().union(*(u.writes for u in uses)),
                   frozenset().union(*(u.receivers for u in uses)),
                   awaits or any(u.awaits for u in uses))


def _arguments_use(view: ModuleView, call: ast.Call) -> NameUse:
    return _merged([view.uses(a) for a in call.args] + [view.uses(k.value) for k in call.keywords], False)


def mutated(view: ModuleView, node: ast.AST, tainted: Set[str]) -> Set[str]:
    """Receivers of method calls in a simple statement whose arguments carry
    a tainted value or an await (``results.append(await f(x))``)."""
    out: Set[str] = set()
    if not isinstance(node, ast.stmt):
        return out
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            args = _arguments_use(view, sub)
            if args.awaits or _overlaps(args.reads, tainted):
                receiver = base_path(sub.func.value)
                if receiver is not None:
                    out.add(receiver)
    return out


def derived(units: List[Unit], seeds: Iterable[str], with_awaits: bool,
            extra: Optional[Dict[int, Set[str]]] = None) -> PathSet:
    """Paths whose value comes from ``seeds`` (or from an await, when
    ``with_awaits``) anywhere in the body, in any order (values flow into
    the next iteration too).  A worklist: a unit fires once, when what it
    reads first becomes tainted."""
    tainted = PathSet()
    extra = extra or {}
    readers: Dict[str, List[int]] = {}
    for index, unit in enumerate(units):
        for read in unit.use.reads:
            readers.setdefault(read.split(".", 1)[0], []).append(index)
    fired = [False] * len(units)
    queue = [i for i, unit in enumerate(units) if with_awaits and unit.use.awaits]

    def taint(path: str) -> None:
        if tainted.add(path):
            queue.extend(readers.get(path.split(".", 1)[0], ()))

    for seed in seeds:
        taint(seed)
    while queue:
        index = queue.pop()
        unit = units[index]
        if fired[index] or not ((with_awaits and unit.use.awaits)
                                or tainted.overlaps(unit.use.reads)):
            continue
        fired[index] = True
        for path in (*unit.use.writes, *extra.get(index, ())):
            taint(path)
    return tainted


class SequentialAwaitInLoop(Rule):
    code = "AIO300"
    name = "sequential-await-in-loop"
    message = ("{call} is awaited once per item, one after another; start all the calls "
               "first (asyncio.gather) so they overlap")
    summary = """
        Flags a `for` loop (or list comprehension) in async code whose body
        awaits a coroutine call that takes the loop variable, directly or
        through a value derived from it, when no iteration needs a result of
        an earlier one, no `break`/`return` depends on an awaited result, and
        the call is not an ordered or pacing operation.
    """
    rationale = """
        Each iteration waits for its call to finish before the next one
        starts, so ten one-second requests take ten seconds. When the calls
        are independent they can run concurrently and take about as long as
        the slowest one (the article's example 3-1 takes 6 s, example 4
        with tasks 2 s). Not flagged: loops paced with `asyncio.sleep` or
        serialised by a lock (`await lock.acquire()`, `async with lock:`),
        loops whose next iteration needs the previous result (pagination,
        retries), loops that stop on a result (`break`, `return`, `raise`,
        `assert` on it, or right after the await), awaits of tasks created
        earlier (`for t in tasks: await t`), `async for`, batching with
        `asyncio.gather`/`asyncio.wait`, calling each of a list of callables
        (hooks and callbacks run in registration order), two or more awaited
        methods of one shared object per iteration (a conversation on one
        connection), and ordered operations on a receiver: `send*`,
        `write*`, `read*`, `recv*`, `receive*`, `fetch*`, `execute*`,
        `wait*`, `drain`, `commit`, `rollback`, lock/semaphore/event/
        condition methods, `__aenter__`/`__anext__`/`enter_async_context`,
        queue `get`/`put`, plus whatever `--asyncio-ordered-calls` lists.
    """
    example = """
        async def crawl(urls):
            for url in urls:
                html = await download(url)
                print(html)
    """
    use_instead = """
        import asyncio

        async def crawl(urls):
            for html in await asyncio.gather(*(download(url) for url in urls)):
                print(html)
    """
    since = """
        The fix uses `asyncio.gather`, which exists on every supported
        Python, at every target version. It does not use `asyncio.TaskGroup`
        (3.11+): a TaskGroup wraps errors in an `ExceptionGroup`, which
        would break the `except SomeError` around the loop that the
        original code relies on.
    """
    fix = FixSpec(
        UNSAFE,
        "Start every call before awaiting the first, with `asyncio.gather(*(call "
        "for item in items))`, and handle the results in the original order: the loop "
        "then runs over the results (zipped with the items when the body still needs "
        "them; a comprehension becomes the awaited gather), keeping the body's other "
        "statements. Offered where the loop body has one await, a direct statement of "
        "the body, nothing with side effects before it, no break/return/raise, and "
        "where the call reads nothing the body changes; the iterable is evaluated once. "
        "Unsafe: the calls now run concurrently, all of them start even if one fails, "
        "and the body's statements run after all calls finished.",
        min_python=(3, 7),
    )
    node_types = (ast.For, ast.comprehension, ast.Await)
    triggers = ("await",)
    invalid = (
        "async def f(urls):\n    for u in urls:\n        await get(u)\n",
        "async def f(urls):\n    for u in urls:\n        r = await get(u)\n        print(r)\n",
        "async def f(urls):\n    return [await get(u) for u in urls]\n",
        "async def f(clients):\n    for ws in clients:\n        await ws.close()\n",
        "async def f(xs):\n    total = 0\n    for x in xs:\n        total += await size(x)\n",
    )
    valid = (
        "async def f(tasks):\n    for t in tasks:\n        await t\n",
        "import asyncio\nasync def f(xs):\n    for x in xs:\n        await get(x)\n"
        "        await asyncio.sleep(1)\n",
        "async def f(xs):\n    async for x in xs:\n        await get(x)\n",
        "async def f(n):\n    page = None\n    for _ in range(n):\n"
        "        page = await get(page)\n",
        "async def f(xs):\n    for x in xs:\n        if await ok(x):\n            return x\n",
        "async def f(conn, rows):\n    for row in rows:\n        await conn.execute(row)\n",
        "def f(xs):\n    for x in xs:\n        get(x)\n",
    )

    def __init__(self, view: ModuleView, settings: Settings) -> None:
        super().__init__(view, settings)
        self._loops: List[Tuple[ast.For, Scope]] = []
        self._comps: List[Tuple[ast.comprehension, Scope]] = []
        self._awaits: Dict[ast.AST, List[Tuple[ast.Await, Scope]]] = {}

    def check(self, node: ast.AST, scope: Scope) -> None:
        if not scope.is_async:
            return
        if isinstance(node, ast.Await):
            owner = loop_owner(self.view, node)
            if owner is not None:
                self._awaits.setdefault(owner, []).append((node, scope))
        elif isinstance(node, ast.For):
            self._loops.append((node, scope))
        else:
            self._comps.append((node, scope))  # type: ignore[arg-type]

    def finish(self) -> None:
        qualifying: List[Tuple[ast.AST, object, ast.Call, Scope]] = []
        for loop, scope in self._loops:
            call = self._judge_loop(loop, scope)
            if call is not None:
                qualifying.append((loop, loop, call, scope))
        seen: Set[ast.AST] = set()
        for gen, scope in self._comps:
            comp = self.view.parent(gen)
            if comp in seen:
                continue
            seen.add(comp)  # type: ignore[arg-type]
            found = self._judge_comprehension(comp, scope)  # type: ignore[arg-type]
            if found is not None:
                qualifying.append((comp, found[0], found[1], scope))  # type: ignore[arg-type]
        # In nested loops only the innermost loop that qualifies is flagged.
        outer: Set[ast.AST] = set()
        for node, _, _, _ in qualifying:
            parent = self.view.parent(node)
            while parent is not None and not isinstance(parent, STOPS):
                outer.add(parent)
                parent = self.view.parent(parent)
        for node, where, call, scope in qualifying:
            if node not in outer:
                if isinstance(node, ast.For):
                    plan = plan_loop_fix(self.view, node, call, scope, self._awaits[node])
                else:
                    plan = plan_comprehension_fix(self.view, node, call, scope)
                self.report(where, fix_data=plan, call=describe(call))  # type: ignore[arg-type]

    # -- the fix (libcst, loaded only by the fix command) -----------------------
    fix_target = LibcstTypes("For", "ListComp")  # type: ignore[assignment]

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes import gather
        if isinstance(finding.fix_data, LoopFix):
            return gather.gather_loop(node, finding.fix_data, ctx)
        return gather.gather_comprehension(node, finding.fix_data, ctx)

    # -- the loop statement ---------------------------------------------------
    def _judge_loop(self, loop: ast.For, scope: Scope) -> Optional[ast.Call]:
        """The awaited call that makes ``loop`` qualify, or None."""
        awaits = self._awaits.get(loop)
        if not awaits:
            return None
        view, settings = self.view, self.settings
        calls: List[ast.Call] = []
        for node, await_scope in awaits:
            if isinstance(node.value, ast.Call) and synchronises(view, node.value, await_scope):
                return None  # paced or serialised on purpose
            call = awaited_call(view, node, await_scope)
            if call is not None:
                calls.append(call)
        if not calls:
            return None
        units = linearise(view, loop.body)
        if any(holds_a_lock(unit.node) for unit in units) or self._inside_a_lock(loop):
            return None
        loop_vars = set(view.uses(loop.target).writes)
        from_item = derived(units, loop_vars, with_awaits=False)
        candidates = [c for c in calls
                      if _overlaps(view.uses(c).reads, from_item)
                      and not is_ordered(view, c, scope, settings)
                      # calling each of a list of callables (hooks, handlers,
                      # callbacks) runs them in registration order on purpose
                      and not (isinstance(c.func, ast.Name) and c.func.id in from_item)]
        if not candidates or self._converses(calls, from_item):
            return None
        candidates = self._not_after_an_ordered_step(units, calls, candidates, scope)
        if not candidates:
            return None
        if self._carried(loop, units, candidates) or self._exits_on_result(loop, units):
            return None
        return candidates[0]

    def _inside_a_lock(self, loop: ast.AST) -> bool:
        """The loop runs inside ``async with lock:`` in its function: a
        critical section meant to process items one at a time."""
        parent = self.view.parent(loop)
        while parent is not None and not isinstance(parent, STOPS):
            if holds_a_lock(parent):
                return True
            parent = self.view.parent(parent)
        return False

    def _not_after_an_ordered_step(self, units: List[Unit], calls: List[ast.Call],
                                   candidates: List[ast.Call], scope: Scope) -> List[ast.Call]:
        """Candidates that no awaited ordered operation precedes in the
        iteration (``await req.send(conn)`` then ``await req.close()``: the
        later call belongs to an ordered sequence)."""
        view = self.view
        ordered = [c for c in calls if c not in candidates
                   and is_ordered(view, c, scope, self.settings)]
        if not ordered:
            return candidates
        def index_of(call: ast.Call) -> int:
            found = _unit_index(view, units, call)
            return -1 if found is None else found

        first = min(index_of(c) for c in ordered)
        return [c for c in candidates if index_of(c) <= first]

    def _converses(self, calls: List[ast.Call], from_item: Set[str]) -> bool:
        """Each iteration awaits two or more methods of one shared object
        (``await cur.query(q)`` then ``await cur.nextset()``): a sequence of
        steps on one connection, cursor or client, which is ordered."""
        seen: Set[str] = set()
        for call in calls:
            func = call.func
            if isinstance(func, ast.Attribute) and not _overlaps(self.view.uses(func.value).reads,
                                                                 from_item):
                key = ast.dump(func.value)
                if key in seen:
                    return True
                seen.add(key)
        return False

    def _carried(self, loop: ast.For, units: List[Unit], calls: List[ast.Call]) -> bool:
        """A value made by an awaited call in one iteration reaches a later
        iteration's candidate calls, the tests guarding awaits, or the
        iterable."""
        view = self.view
        taint: Set[str] = set()
        mutations = {i: mutated(view, u.node, taint) for i, u in enumerate(units)}
        made = derived(units, set(), with_awaits=True, extra=mutations)
        mutations = {i: mutated(view, u.node, made) for i, u in enumerate(units)}
        made = derived(units, set(), with_awaits=True, extra=mutations)
        if _overlaps(view.uses(loop.iter).reads, made):
            return True
        # Where each path is first written on every path through the body;
        # a read before that (or by the writing call itself) sees the value
        # the previous iteration left.
        killed: Dict[str, int] = {}
        for index, unit in enumerate(units):
            if not unit.conditional:
                for path in unit.use.writes:
                    killed.setdefault(path, index)
        call_reads: Dict[int, Set[str]] = {}
        for call in calls:
            index = _unit_index(view, units, call)
            if index is not None:
                call_reads.setdefault(index, set()).update(_arguments_use(view, call).reads)
                call_reads[index].update(view.uses(call.func).reads)
        previous: Set[str] = set()
        end = len(units)
        for index, unit in enumerate(units):
            for read in unit.use.reads:
                previous.update(p for p in made.hits(read) if index < killed.get(p, end))
            for read in call_reads.get(index, ()):
                previous.update(p for p in made.hits(read) if index == killed.get(p, end))
        if not previous:
            return False
        reach = derived(units, previous, with_awaits=False)
        for index, unit in enumerate(units):
            if _overlaps(call_reads.get(index, ()), reach):
                return True
            if unit.use.awaits and any(_overlaps(view.uses(g).reads, reach) for g in unit.guards):
                return True
            if unit.use.awaits and isinstance(unit.node, (ast.With, ast.AsyncWith, ast.For,
                                                          ast.AsyncFor)) \
                    and _overlaps(unit.use.reads, reach):
                return True
        return False

    def _exits_on_result(self, loop: ast.For, units: List[Unit]) -> bool:
        """The loop stops on an awaited result: a ``break``, ``return``,
        ``raise`` or ``assert`` that reads one, runs under a test that reads
        one, sits in a ``try`` that awaits, or (``break``/``return``) comes
        after an await on the same path, so that the loop stops at the first
        item that gets that far."""
        view = self.view
        made = derived(units, set(), with_awaits=True)
        awaited_on: List[Tuple[ast.AST, ...]] = []  # guards of the awaits so far
        for unit in units:
            node = unit.node
            stops = isinstance(node, ast.Return) or (
                isinstance(node, ast.Break) and self._nearest_loop(node) is loop)
            checks = isinstance(node, (ast.Raise, ast.Assert))
            if stops or checks:
                if unit.in_try or unit.use.awaits or _overlaps(unit.use.reads, made):
                    return True
                if any(_overlaps(view.uses(g).reads, made) or view.uses(g).awaits
                       for g in unit.guards):
                    return True
                if stops and any(unit.guards[:len(g)] == g for g in awaited_on):
                    return True
            if unit.use.awaits:
                awaited_on.append(unit.guards)
        return False

    def _nearest_loop(self, node: ast.AST) -> Optional[ast.AST]:
        parent = self.view.parent(node)
        while parent is not None and not isinstance(parent, LOOPS + STOPS):
            parent = self.view.parent(parent)
        return parent

    # -- comprehensions -------------------------------------------------------
    def _judge_comprehension(self, comp: ast.AST, scope: Scope):
        if not isinstance(comp, (ast.ListComp, ast.SetComp, ast.DictComp)):
            return None  # a generator expression runs lazily, item by item
        generators: List[ast.comprehension] = comp.generators  # type: ignore[attr-defined]
        if any(g.is_async for g in generators):
            return None
        awaits = self._awaits.get(comp)
        if not awaits:
            return None
        view, settings = self.view, self.settings
        best: Optional[Tuple[int, ast.Call]] = None
        for node, await_scope in awaits:
            if isinstance(node.value, ast.Call) and synchronises(view, node.value, await_scope):
                return None
            call = awaited_call(view, node, await_scope)
            if call is None or is_ordered(view, call, await_scope, settings):
                continue
            reads = view.uses(call).reads
            for index in range(len(generators) - 1, -1, -1):
                if _overlaps(reads, view.uses(generators[index].target).writes):
                    if best is None or index > best[0]:
                        best = (index, call)
                    break
        if best is None:
            return None
        target = generators[best[0]].target
        where = SimpleNamespace(lineno=target.lineno, col_offset=max(target.col_offset - 4, 0))
        return where, best[1]


def _unit_index(view: ModuleView, units: List[Unit], node: ast.AST) -> Optional[int]:
    """The index of the unit that runs ``node`` (memoised per unit list)."""
    key = ("AIO300-units", id(units))
    table = view.memo.get(key)
    if table is None or table[0] is not units:  # type: ignore[index]
        table = (units, {id(unit.node): i for i, unit in enumerate(units)})
        view.memo[key] = table
    positions = table[1]  # type: ignore[index]
    current: Optional[ast.AST] = node
    while current is not None and not isinstance(current, STOPS):
        if id(current) in positions:
            return positions[id(current)]
        current = view.parent(current)
    return None


# -- consecutive awaits ---------------------------------------------------------
def statement_await(stmt: ast.stmt) -> Optional[ast.Await]:
    """The await of ``await f()``, ``x = await f()`` or ``x: T = await f()``."""
    if isinstance(stmt, ast.Expr):
        value = stmt.value
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        value = stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        value = stmt.value
    else:
        return None
    if isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
        return value
    return None


def _position_in_block(view: ModuleView, stmt: ast.stmt) -> Optional[Tuple[List[ast.stmt], int]]:
    """``(the statement list holding stmt, index in it)``, memoised per
    block so that finding every statement's neighbour stays linear."""
    parent = view.parent(stmt)
    if parent is None:
        parent = view.tree
    key = ("AIO3xx-blocks", parent)
    table = view.memo.get(key)
    if table is None:
        table = {}
        for name in ("body", "orelse", "finalbody"):
            block = getattr(parent, name, None)
            if isinstance(block, list):
                for index, item in enumerate(block):
                    table[item] = (block, index)
        view.memo[key] = table
    return table.get(stmt)  # type: ignore[union-attr]


class ConsecutiveIndependentAwaits(Rule):
    code = "AIO301"
    name = "consecutive-independent-awaits"
    message = ("{count} consecutive awaits do not use each other's results; "
               "run them concurrently with asyncio.gather()")
    summary = """
        Flags two or more consecutive statements in async code that each
        await a coroutine call (`await f()`, `x = await f()`), where no
        later call reads a result of an earlier one and no two are method
        calls on the same receiver. Off by default.
    """
    rationale = """
        Each await waits for the previous call to finish, although neither
        needs the other: together they take the sum of their times instead
        of the longest. Order can matter in ways no linter sees (a login
        before a request, a write before a read elsewhere), so this rule is
        off by default; turn it on with `--extend-select AIO301`. Two calls
        on the same object (its methods, a callable variable, or the object
        handed to a method of another; aliases such as `pipe` of `async
        with r.pipeline() as pipe` count as `r`) are taken to be ordered
        and end a run. So do steps whose order is their point: pacing and
        waits (`asyncio.sleep`, `wait*`), the ordered operations AIO300
        knows (stream and database I/O, locks, queues,
        `--asyncio-ordered-calls`) and lifecycle steps (`close`,
        `release`, `shutdown`, `cleanup`, `start`, `stop`, `flush`,
        `login`, ...). An awaited `asyncio.gather(...)` or
        `asyncio.wait(...)` already runs its calls together: it neither
        starts nor joins a run.
    """
    example = """
        async def page(user_id):
            user = await load_user(user_id)
            posts = await load_posts(user_id)
            return user, posts
    """
    use_instead = """
        import asyncio

        async def page(user_id):
            user, posts = await asyncio.gather(load_user(user_id), load_posts(user_id))
            return user, posts
    """
    fix = FixSpec(
        UNSAFE,
        "Merge the run into one statement, `a, b = await asyncio.gather(f(), g())` "
        "(`_` stands for the result of a bare `await`). Unsafe: the calls run "
        "concurrently, and the second starts before the first finished.",
        min_python=(3, 7),
    )
    default_enabled = False
    node_types = (ast.Await,)
    triggers = ("await",)
    invalid = (
        "async def f():\n    a = await one()\n    b = await two()\n",
        "async def f():\n    await one()\n    await two()\n    await three()\n",
        "async def f(x):\n    await x.a()\n    await one()\n",
    )
    valid = (
        "async def f():\n    a = await one()\n    b = await two(a)\n",
        "async def f(c):\n    await c.post(1)\n    await c.post(2)\n",
        "async def f():\n    a = await one()\n    print(a)\n    b = await two()\n",
        "import asyncio\nasync def f():\n    await one()\n    await asyncio.sleep(1)\n",
        "def f():\n    one()\n    two()\n",
    )

    def __init__(self, view: ModuleView, settings: Settings) -> None:
        super().__init__(view, settings)
        self._blocks: Dict[int, Dict[int, Tuple[ast.stmt, ast.Call, Scope]]] = {}
        self._block_lists: Dict[int, List[ast.stmt]] = {}

    def check(self, node: ast.AST, scope: Scope) -> None:
        if not scope.is_async or not isinstance(node.value, ast.Call):  # type: ignore[attr-defined]
            return
        stmt = self.view.parent(node)
        if stmt is None or statement_await(stmt) is not node:  # type: ignore[arg-type]
            return
        call = node.value  # type: ignore[attr-defined]
        if is_sequencing_step(self.view, call, scope, self.settings) \
                or self._gathers(call, scope):
            return
        where = _position_in_block(self.view, stmt)  # type: ignore[arg-type]
        if where is not None:
            block, index = where
            self._block_lists[id(block)] = block
            self._blocks.setdefault(id(block), {})[index] = (stmt, call, scope)  # type: ignore[assignment]

    def finish(self) -> None:
        for key, block in self._blocks.items():
            runs: List[List[int]] = []
            written = PathSet()
            receivers: Set[str] = set()
            arguments: Set[str] = set()
            last = -2
            for index in sorted(block):
                stmt, call, scope = block[index]
                use = self.view.uses(stmt)
                my_receivers, my_arguments = self._objects(call, scope)
                # two calls on one object, or one object handed to a method
                # of another, are ordered
                joins = (index == last + 1 and runs
                         and not written.overlaps(use.reads)
                         and not written.overlaps(use.writes)
                         and not my_receivers & receivers
                         and not my_receivers & arguments
                         and not my_arguments & receivers)
                if not joins:
                    runs.append([])
                    written, receivers, arguments = PathSet(), set(), set()
                runs[-1].append(index)
                for path in use.writes:
                    written.add(path)
                receivers |= my_receivers
                arguments |= my_arguments
                last = index
            runs = [run for run in runs if len(run) >= 2]
            if runs:
                self._report_block(self._block_lists[key], block, runs)

    def _report_block(self, statements: List[ast.stmt],
                      block: Dict[int, Tuple[ast.stmt, ast.Call, Scope]],
                      runs: List[List[int]]) -> None:
        """One finding per run; each carries the plan for every fixable run
        of its block, since the fix rewrites the block as a whole."""
        scope = block[runs[0][0]][2]
        one_per_line = all(later.lineno > earlier.end_lineno  # type: ignore[operator]
                           for earlier, later in zip(statements, statements[1:]))
        fixable = [run for run in runs
                   if one_per_line and scope.can_await
                   and not any(isinstance(block[i][0], ast.AnnAssign) for i in run)]
        placeholder = fresh_name(self.view, scope.function, ("_", "_unused"))
        first = statements[0]
        plans = tuple((run[0], len(run), placeholder) for run in fixable)
        for run in runs:
            stmt = block[run[0]][0]
            self.report(stmt, fix_data=RunFix(anchor=(first.lineno, first.col_offset),
                                              fixable=run in fixable, runs=plans),
                        count=len(run))

    fix_target = "IndentedBlock"

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes import gather
        return gather.gather_runs(node, finding.fix_data, ctx)

    def _gathers(self, call: ast.Call, scope: Scope) -> bool:
        """``await asyncio.gather(...)`` (also inside ``wait_for``/``shield``)
        already runs its calls together: it neither starts nor joins a run.
        Joining would gather the gather (this rule's own fix output) one
        level deeper on every fix."""
        for _ in range(3):
            name = self.view.call_name(call, scope)
            if name not in WRAPPERS:
                return name in GATHERING
            if not call.args or not isinstance(call.args[0], ast.Call):
                return False
            call = call.args[0]
        return False

    def _objects(self, call: ast.Call, scope: Scope) -> Tuple[Set[str], Set[str]]:
        """The objects a call works on, as root names followed through
        simple aliases (``pipe`` of ``async with r.pipeline() as pipe`` is
        ``r``): its receiver (or the callable variable it calls), and the
        objects it is handed as arguments."""
        func = call.func
        receiver = func.value if isinstance(func, ast.Attribute) else func
        arguments = set()
        for value in [*call.args, *(k.value for k in call.keywords)]:
            arguments |= self._roots(value, scope)
        return self._roots(receiver, scope), arguments

    def _roots(self, expr: ast.AST, scope: Scope, depth: int = 0) -> Set[str]:
        node = expr
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.Await, ast.Starred)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if not isinstance(node, ast.Name):
            return set()
        binding = self.view.lookup(node.id, scope, node)
        if binding is None:
            return set() if self.view.resolve(node, scope) else {node.id}
        if binding.kind in ("def", "class", "import"):
            return set()  # a function or module, not an object with state
        roots = {node.id}
        if binding.kind in ("assign", "with", "walrus") and binding.value is not None and depth < 3:
            roots |= self._roots(binding.value, binding.scope, depth + 1)
        return roots




@dataclass(frozen=True)
class RunFix(FixData):
    """Every fixable run of one block as ``(start, length, placeholder)``
    (indices into the block; ``placeholder`` is the target for a bare
    ``await``); ``anchor`` is the block's first statement."""

    runs: Tuple[Tuple[int, int, str], ...] = ()


# -- fix plans (decided during detection, carried out by fixes/gather.py) ------
@dataclass(frozen=True)
class LoopFix(FixData):
    """How to rewrite an AIO300 ``for`` loop: the await statement is
    ``body[index]``; ``result`` is "assign" (``T = await c``: T becomes the
    loop target), "bare" (``await c``) or "inline" (the await is replaced
    by the name ``fresh``); ``zip_items``: the body still needs the loop
    variable, so the loop zips the items with the results, ``items`` naming
    the list the iterable is first turned into ("" reuses the iterable)."""

    index: int = -1
    result: str = "assign"
    fresh: str = ""
    zip_items: bool = False
    items: str = ""


@dataclass(frozen=True)
class ComprehensionFix(FixData):
    parenthesize: bool = False


NOT_FIXABLE = FixData(fixable=False)
PURE_EXPRESSIONS = (ast.Name, ast.Constant, ast.Attribute, ast.Subscript, ast.BinOp,
                    ast.BoolOp, ast.Compare, ast.UnaryOp, ast.JoinedStr, ast.FormattedValue,
                    ast.Tuple, ast.List, ast.Dict, ast.Set, ast.IfExp, ast.Slice,
                    ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop,
                    ast.Starred)
REITERABLE_MAKERS = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted",
                               "builtins.set", "builtins.dict", "builtins.range"})


def is_pure(node: ast.AST) -> bool:
    """Evaluating ``node`` has no side effect we could reorder (no call)."""
    return all(isinstance(sub, PURE_EXPRESSIONS) for sub in ast.walk(node))


def _roots(paths: Iterable[str]) -> Set[str]:
    return {p.split(".", 1)[0] for p in paths}


def fresh_name(view: ModuleView, fn: Optional[FunctionInfo], wanted: Tuple[str, ...]) -> str:
    """The first of ``wanted`` (then ``wanted[-1]_2``...) that the function
    and the module do not use."""
    used: Set[str] = set(view.module_scope.bindings)
    if fn is not None:
        body = _merged([view.uses(stmt) for stmt in fn.node.body], False)  # type: ignore[attr-defined]
        used |= _roots(body.reads) | _roots(body.writes) | set(fn.scope.bindings)
    for name in wanted:
        if name not in used:
            return name
    number = 2
    while f"{wanted[-1]}_{number}" in used:
        number += 1
    return f"{wanted[-1]}_{number}"


def _reads_outside(view: ModuleView, loop: ast.AST) -> Set[str]:
    """Names the loop's function reads outside the loop (siblings of the
    loop and of each block around it, and those blocks' headers)."""
    reads: Set[str] = set()
    child, parent = loop, view.parent(loop)
    while parent is not None:
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list):
                for stmt in block:
                    if stmt is not child:
                        reads |= _roots(view.uses(stmt).reads)
        for field in ("test", "iter", "items", "subject"):
            value = getattr(parent, field, None)
            if isinstance(value, ast.AST):
                reads |= _roots(view.uses(value).reads)
            elif isinstance(value, list):
                for item in value:
                    reads |= _roots(view.uses(item).reads)
        if isinstance(parent, STOPS):
            break
        child, parent = parent, view.parent(parent)
    return reads


def plan_loop_fix(view: ModuleView, loop: ast.For, call: ast.Call, scope: Scope,
                  awaits: List[Tuple[ast.Await, Scope]]) -> FixData:
    """Whether and how the loop can start every call before awaiting the
    first: one await, a direct statement of the body, nothing with side
    effects before it, no exit from the loop, a call that reads nothing the
    body changes, an iterable the body leaves alone."""
    fn = scope.function
    if len(awaits) != 1 or fn is None or fn.has_yield or not scope.can_await:
        return NOT_FIXABLE
    node = awaits[0][0]
    stmt = view.statement_of(node)
    body = loop.body
    if stmt is None or view.parent(stmt) is not loop or stmt not in body \
            or body[0].lineno == loop.lineno:  # a one-line loop: ``for x in y: ...``
        return NOT_FIXABLE
    index = body.index(stmt)
    if any(view.uses(other).awaits for other in body if other is not stmt):
        return NOT_FIXABLE
    if any(other.lineno <= stmt.end_lineno and other.end_lineno >= stmt.lineno  # type: ignore[operator]
           for other in body if other is not stmt):
        return NOT_FIXABLE  # shares a line with another statement
    if not isinstance(loop.target, (ast.Name, ast.Tuple)) or not all(
            isinstance(n, (ast.Name, ast.Tuple, ast.Store)) for n in ast.walk(loop.target)):
        return NOT_FIXABLE
    for before in body[:index]:
        if not (isinstance(before, ast.Pass) or (
                isinstance(before, (ast.Assign, ast.AnnAssign)) and before.value is not None
                and is_pure(before.value)
                and all(isinstance(t, ast.Name) for t in (
                    before.targets if isinstance(before, ast.Assign) else [before.target])))):
            return NOT_FIXABLE
    if any(isinstance(sub, (ast.Return, ast.Break, ast.Raise, ast.Yield, ast.YieldFrom))
           for other in body for sub in ast.walk(other)):
        return NOT_FIXABLE
    # What the call evaluates must not change while the loop runs.
    loop_vars = view.uses(loop.target).writes
    changed: Set[str] = set()
    for other in body:
        use = view.uses(other)
        changed |= set(use.writes)
        if other is not stmt:
            changed |= set(use.receivers)
    call_reads = set(view.uses(call).reads)
    if _overlaps(call_reads, changed - loop_vars) or _overlaps(view.uses(loop.iter).reads, changed):
        return NOT_FIXABLE
    # The shape of the await statement.
    result = "inline"
    if isinstance(stmt, ast.Expr) and stmt.value is node:
        result = "bare"
    elif isinstance(stmt, ast.Assign) and stmt.value is node and len(stmt.targets) == 1 \
            and all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Store))
                    for n in ast.walk(stmt.targets[0])):
        result = "assign"
    elif not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
        return NOT_FIXABLE
    else:
        ancestors: Set[ast.AST] = set()
        current = view.parent(node)
        while current is not None and current is not stmt:
            ancestors.add(current)
            current = view.parent(current)
        if any(isinstance(sub, ast.Call) and sub not in ancestors
               and not _contains_node(view, node, sub) for sub in ast.walk(stmt)):
            return NOT_FIXABLE  # another call runs before or after the await
    # Does the rest of the body (or code after the loop) need the item?
    # (what the awaited call returns is the result, not the item)
    units = [u for u in linearise(view, body) if u.node is not stmt]
    from_item = derived(units, set(loop_vars), with_awaits=False)
    rest_reads: Set[str] = set()
    for other in body:
        if other is not stmt:
            rest_reads |= view.uses(other).reads
    if result == "inline":
        rest_reads |= _reads_beside(view, stmt, node)
    zip_items = _overlaps(rest_reads, from_item) or bool(_roots(loop_vars) & _reads_outside(view, loop))
    items = ""
    if zip_items and not _reiterable(view, loop.iter, scope):
        items = fresh_name(view, fn, ("items",))
    fresh = ""
    if result != "assign":
        fresh = fresh_name(view, fn, ("_", "result") if result == "bare" else ("result",))
        if items and fresh == items:
            fresh = fresh_name(view, fn, ("result", "result_2"))
    return LoopFix(anchor=(loop.lineno, loop.col_offset), index=index, result=result,
                   fresh=fresh, zip_items=zip_items, items=items)


def _reads_beside(view: ModuleView, stmt: ast.AST, node: ast.AST) -> Set[str]:
    """What ``stmt`` reads outside ``node`` (the rest of the statement that
    stays in the loop body once ``node`` is replaced by a name)."""
    path: Set[ast.AST] = set()
    current: Optional[ast.AST] = node
    while current is not None and current is not stmt:
        path.add(current)
        current = view.parent(current)
    reads: Set[str] = set()
    pending = [stmt]
    while pending:
        for child in ast.iter_child_nodes(pending.pop()):
            if child is node:
                continue
            if child in path:
                pending.append(child)
            else:
                reads |= view.uses(child).reads
    return reads


def _contains_node(view: ModuleView, outer: ast.AST, node: ast.AST) -> bool:
    current: Optional[ast.AST] = node
    while current is not None:
        if current is outer:
            return True
        current = view.parent(current)
    return False


def _reiterable(view: ModuleView, iterable: ast.AST, scope: Scope) -> bool:
    """Iterating ``iterable`` twice gives the same items: a literal or
    comprehension, ``range``/``list``/``sorted``... of pure arguments, or a
    name bound to one of those."""
    if isinstance(iterable, ast.Name):
        binding = view.lookup(iterable.id, scope, iterable)
        if binding is None or binding.kind not in ("assign",) or binding.value is None:
            return False
        return _reiterable_value(view, binding.value, binding.scope)
    return False


def _reiterable_value(view: ModuleView, value: ast.AST, scope: Scope) -> bool:
    if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp,
                          ast.SetComp, ast.DictComp)):
        return True
    return isinstance(value, ast.Call) and view.call_name(value, scope) in REITERABLE_MAKERS


def plan_comprehension_fix(view: ModuleView, comp: ast.AST, call: ast.Call,
                           scope: Scope) -> FixData:
    """``[await f(u) for u in urls]`` -> ``await asyncio.gather(*(f(u) for
    u in urls))``: a list comprehension with one generator whose element
    is the await, and pure conditions."""
    if not isinstance(comp, ast.ListComp) or len(comp.generators) != 1:
        return NOT_FIXABLE
    gen = comp.generators[0]
    outer = scope.parent if scope.kind == "comprehension" else scope
    if outer is None or not outer.can_await or not isinstance(comp.elt, ast.Await):
        return NOT_FIXABLE
    if any(not is_pure(cond) for cond in gen.ifs) or view.uses(gen.iter).awaits:
        return NOT_FIXABLE
    parent = view.parent(comp)
    parenthesize = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is comp) \
        or (isinstance(parent, ast.Call) and parent.func is comp)
    return ComprehensionFix(anchor=(comp.lineno, comp.col_offset),  # type: ignore[attr-defined]
                            parenthesize=parenthesize)
