"""AIO1xx: blocking calls inside async functions (the article's example 8).

AIO100-AIO104 each own a table of blocking calls and share one detection
(:class:`BlockingCallRule`); AIO105 follows the module's call graph from a
coroutine into its synchronous helpers, using the same tables.
"""
from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from typing import ClassVar, Dict, FrozenSet, Optional, Tuple

from ..analysis import FunctionInfo, ModuleView, NameIndex, Scope, local_name
from ..config import Settings
from ..registry import SAFE, UNSAFE, Finding, FixData, FixSpec, Rule

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
#: objects whose request methods block, and those methods
SESSION_MAKERS = frozenset({
    "requests.Session", "requests.session", "requests.sessions.Session",
    "httpx.Client", "urllib3.PoolManager", "urllib3.poolmanager.PoolManager",
})
SESSION_METHODS = HTTP_VERBS | {"send", "stream", "urlopen"}
HTTP_CONNECTIONS = frozenset({"http.client.HTTPConnection", "http.client.HTTPSConnection"})
CONNECTION_METHODS = frozenset({"request", "getresponse"})
POPEN_METHODS = frozenset({"wait", "communicate"})

TO_THREAD_FIX = FixSpec(
    UNSAFE,
    "Run the call in a worker thread: `await asyncio.to_thread(fn, *args, **kwargs)`, "
    "where the call is a single expression. Unsafe: the function then runs in "
    "another thread, concurrently with the event loop.",
    min_python=(3, 9),
)


def display(name: str) -> str:
    return name[len("builtins."):] if name.startswith("builtins.") else name


@dataclass(frozen=True)
class AwaitSite(FixData):
    """Where a call that a fix awaits stands: already the operand of an
    ``await``, or the value of an attribute, subscript or call (the
    ``await`` then needs parentheses)."""

    awaited: bool = False
    parenthesize: bool = False


def await_site(view: ModuleView, call: ast.Call, scope: Scope,
               allow_with: bool = True) -> AwaitSite:
    """How ``await`` can be put around ``call``; not fixable where an
    ``await`` cannot stand (class body, plain generator expression), where
    a local name hides the asyncio module or, unless ``allow_with``, where
    the call is a ``with`` item."""
    parent = view.parent(call)
    if isinstance(parent, ast.Await):
        return AwaitSite(awaited=True)
    # The fix writes ``asyncio.<name>``: that name must reach the module here.
    asyncio_name = view.module_alias("asyncio") or "asyncio"
    fixable = (scope.can_await and (allow_with or not isinstance(parent, ast.withitem))
               and view.names_module(asyncio_name, "asyncio", scope, call))
    parenthesize = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call
                    or isinstance(parent, ast.Call) and parent.func is call)
    return AwaitSite(fixable=fixable, parenthesize=parenthesize)


class BlockingCallRule(Rule):
    """Shared detection: a call in async context whose resolved name (or
    receiver and method) is in the rule's table."""

    node_types = (ast.Call,)
    triggers = ("async",)
    async_only = True
    #: dotted names of blocking functions
    calls: ClassVar[FrozenSet[str]] = frozenset()
    #: methods that block on objects of a known origin (``match_method``)
    methods: ClassVar[FrozenSet[str]] = frozenset()

    @classmethod
    def name_parts(cls, settings: Settings) -> FrozenSet[str]:
        return frozenset(name.rsplit(".", 1)[-1] for name in cls.calls) | cls.methods

    @classmethod
    def match(cls, view: ModuleView, call: ast.Call, scope: Scope,
              settings: Settings) -> Optional[str]:
        """The dotted name to report if ``call`` is one of this rule's
        blocking calls (wherever it stands), else None."""
        name = view.call_name(call, scope)
        if name is not None:
            if name in settings.exempt_calls:
                return None
            if name in cls.calls and cls.accepts(view, call, scope, name):
                return name
        return cls.match_method(view, call, scope, settings)

    @classmethod
    def accepts(cls, view: ModuleView, call: ast.Call, scope: Scope, name: str) -> bool:
        return True

    @classmethod
    def match_method(cls, view: ModuleView, call: ast.Call, scope: Scope,
                     settings: Settings) -> Optional[str]:
        """Blocking methods of objects of a known origin (sessions, Paths...)."""
        return None

    def check(self, node: ast.AST, scope: Scope) -> None:
        if not scope.is_async:
            return
        name = self.match(self.view, node, scope, self.settings)  # type: ignore[arg-type]
        if name is not None:
            # A blocking call used as a context manager stays: only its
            # opening would move to a thread, not the I/O on the object.
            site = await_site(self.view, node, scope, allow_with=False)  # type: ignore[arg-type]
            self.report(node, fix_data=site, name=display(name), **self.extra_fields(name))

    def extra_fields(self, name: str) -> Dict[str, str]:
        return {}

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        """``await asyncio.to_thread(fn, *args, **kwargs)``."""
        from ..fixes.calls import awaited, to_thread
        site: AwaitSite = finding.fix_data  # type: ignore[assignment]
        return awaited(to_thread(node, ctx), site.awaited, site.parenthesize)


def _receiver_origin(view: ModuleView, call: ast.Call, scope: Scope,
                     methods: FrozenSet[str]) -> Optional[str]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in methods:
        return view.origin(func.value, scope)
    return None


class SleepInAsync(BlockingCallRule):
    code = "AIO100"
    name = "blocking-sleep-in-async"
    message = "{name}() blocks the event loop; use await asyncio.sleep()"
    summary = """
        Flags `time.sleep()` called inside an `async def` (however `time` or
        `sleep` was imported).
    """
    rationale = """
        `time.sleep()` stops the whole thread, and with it the event loop:
        no other coroutine runs until it returns. `await asyncio.sleep()`
        suspends only the current coroutine and lets the others run.
    """
    example = """
        import time

        async def poll():
            time.sleep(1)
    """
    use_instead = """
        import asyncio

        async def poll():
            await asyncio.sleep(1)
    """
    fix = FixSpec(SAFE, "Replace the call with `await asyncio.sleep(...)`, same arguments; "
                        "an import of `time` or `sleep` left unused is removed.",
                  min_python=(3, 5))
    calls = frozenset({"time.sleep"})

    def fix_node(self, node, finding: Finding, ctx):  # type: ignore[no-untyped-def]
        from ..fixes.calls import asyncio_attr, awaited, drop_import_of
        site: AwaitSite = finding.fix_data  # type: ignore[assignment]
        drop_import_of(node.func, ctx)
        return awaited(node.with_changes(func=asyncio_attr(ctx, "sleep")),
                       site.awaited, site.parenthesize)
    invalid = (
        "import time\nasync def f():\n    time.sleep(1)\n",
        "from time import sleep as nap\nasync def f():\n    nap(1)\n",
    )
    valid = (
        "import time\ndef f():\n    time.sleep(1)\n",
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n",
        "import time, asyncio\nasync def f():\n    await asyncio.to_thread(time.sleep, 1)\n",
        "from time import sleep\ndef sleep(x): pass\nasync def f():\n    sleep(1)\n",
    )


class BlockingHttpInAsync(BlockingCallRule):
    code = "AIO101"
    name = "blocking-http-in-async"
    message = ("{name}() blocks the event loop; use an async HTTP client "
               "(aiohttp, httpx.AsyncClient) or await asyncio.to_thread()")
    summary = """
        Flags blocking HTTP requests inside an `async def`: `requests.get()`
        and the other verbs, methods of a `requests.Session()`,
        `httpx.Client()` or `urllib3.PoolManager()` object,
        `urllib.request.urlopen()`/`urlretrieve()`, `urllib3.request()`,
        `httpx.get()` and friends, and `request()`/`getresponse()` on an
        `http.client.HTTP(S)Connection`.
    """
    rationale = """
        A blocking HTTP request holds the event loop for the whole round
        trip: every other coroutine waits for the network. This is the
        article's example 8, where ten "concurrent" downloads run one after
        another.
    """
    example = """
        import requests

        async def fetch(url):
            return requests.get(url).text
    """
    use_instead = """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).text
    """
    fix = TO_THREAD_FIX
    calls = frozenset(
        {f"requests.{verb}" for verb in HTTP_VERBS}
        | {f"httpx.{verb}" for verb in HTTP_VERBS | {"stream"}}
        | {"urllib.request.urlopen", "urllib.request.urlretrieve", "urllib3.request"}
    )
    methods = SESSION_METHODS | CONNECTION_METHODS
    invalid = (
        "import requests\nasync def f(u):\n    requests.get(u)\n",
        "import requests\ns = requests.Session()\nasync def f(u):\n    s.post(u)\n",
        "import urllib.request\nasync def f(u):\n    urllib.request.urlopen(u)\n",
    )
    valid = (
        "import requests, asyncio\nasync def f(u):\n    await asyncio.to_thread(requests.get, u)\n",
        "import httpx\nasync def f(u):\n    async with httpx.AsyncClient() as c:\n        await c.get(u)\n",
        "import asyncio, requests\nasync def f(u):\n"
        "    await asyncio.get_running_loop().run_in_executor(None, requests.get, u)\n",
        "async def f(requests, u):\n    requests.get(u)\n",
    )

    @classmethod
    def match_method(cls, view, call, scope, settings):
        origin = _receiver_origin(view, call, scope, SESSION_METHODS)
        if origin in SESSION_MAKERS:
            return f"{origin}().{call.func.attr}"  # type: ignore[attr-defined]
        origin = _receiver_origin(view, call, scope, CONNECTION_METHODS)
        if origin in HTTP_CONNECTIONS:
            return f"{origin}().{call.func.attr}"  # type: ignore[attr-defined]
        return None


class BlockingProcessInAsync(BlockingCallRule):
    code = "AIO102"
    name = "blocking-subprocess-in-async"
    message = ("{name}() blocks the event loop; use asyncio.create_subprocess_exec() "
               "or asyncio.create_subprocess_shell()")
    summary = """
        Flags blocking process calls inside an `async def`:
        `subprocess.run/call/check_call/check_output/getoutput/getstatusoutput/Popen`,
        `os.system`, `os.popen`, `os.spawn*` (not with `os.P_NOWAIT`),
        `os.posix_spawn*`, `os.wait*`, and `.wait()`/`.communicate()` on a
        `subprocess.Popen` object.
    """
    rationale = """
        These calls wait for another process while holding the event loop.
        `asyncio.create_subprocess_exec()` starts the process and lets other
        coroutines run while it works.
    """
    example = """
        import subprocess

        async def build():
            subprocess.run(["make"], check=True)
    """
    use_instead = """
        import asyncio

        async def build():
            proc = await asyncio.create_subprocess_exec("make")
            await proc.wait()
    """
    fix = TO_THREAD_FIX
    calls = frozenset(
        {f"subprocess.{n}" for n in ("run", "call", "check_call", "check_output",
                                     "getoutput", "getstatusoutput", "Popen")}
        | {"os.system", "os.popen", "os.posix_spawn", "os.posix_spawnp",
           "os.wait", "os.wait3", "os.wait4", "os.waitpid", "os.waitid"}
        | {f"os.spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")}
    )
    methods = POPEN_METHODS
    invalid = (
        "import subprocess\nasync def f():\n    subprocess.run(['ls'])\n",
        "import os\nasync def f():\n    os.system('ls')\n",
    )
    valid = (
        "import asyncio\nasync def f():\n    await asyncio.create_subprocess_exec('ls')\n",
        "import os\nasync def f():\n    os.spawnl(os.P_NOWAIT, '/bin/ls', 'ls')\n",
    )

    @classmethod
    def accepts(cls, view, call, scope, name):
        if name.startswith("os.spawn") and call.args:
            mode = view.resolve(call.args[0], scope)
            return mode not in ("os.P_NOWAIT", "os.P_NOWAITO")
        return True

    @classmethod
    def match_method(cls, view, call, scope, settings):
        origin = _receiver_origin(view, call, scope, POPEN_METHODS)
        if origin == "subprocess.Popen":
            return f"subprocess.Popen().{call.func.attr}"  # type: ignore[attr-defined]
        return None


class BlockingFileIoInAsync(BlockingCallRule):
    code = "AIO103"
    name = "blocking-file-io-in-async"
    message = ("{name}() does blocking file I/O in the event loop; use aiofiles, "
               "anyio.open_file() or await asyncio.to_thread()")
    summary = """
        Flags blocking file I/O inside an `async def`: the builtin `open()`,
        `io.open()`, `codecs.open()`, `os.fdopen()`,
        `read_text/read_bytes/write_text/write_bytes/open` on a value known
        to be a `pathlib.Path`, and `shutil.copy/copy2/copyfile/copytree/move/rmtree`.
    """
    rationale = """
        Disk reads and writes block the thread; on a slow or network file
        system every coroutine stalls with them.
    """
    example = """
        async def load(path):
            with open(path) as f:
                return f.read()
    """
    use_instead = """
        import asyncio
        from pathlib import Path

        async def load(path):
            return await asyncio.to_thread(Path(path).read_text)
    """
    fix = TO_THREAD_FIX
    calls = frozenset({"builtins.open", "io.open", "codecs.open", "os.fdopen"}
                      | {f"shutil.{n}" for n in ("copy", "copy2", "copyfile", "copytree",
                                                 "move", "rmtree")})
    methods = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"})
    invalid = (
        "async def f(p):\n    open(p).read()\n",
        "from pathlib import Path\nasync def f():\n    Path('x').read_text()\n",
    )
    valid = (
        "import aiofiles\nasync def f(p):\n    async with aiofiles.open(p) as fh:\n        await fh.read()\n",
        "async def f(p):\n    p.read_text()\n",
    )

    @classmethod
    def match_method(cls, view, call, scope, settings):
        origin = _receiver_origin(view, call, scope, cls.methods)
        if origin == "pathlib.Path":
            return f"pathlib.Path.{call.func.attr}"  # type: ignore[attr-defined]
        return None


class OtherBlockingInAsync(BlockingCallRule):
    code = "AIO104"
    name = "blocking-call-in-async"
    message = "{name}() blocks the event loop; {advice}"
    summary = """
        Flags other blocking calls inside an `async def`: `input()`,
        `socket.create_connection/getaddrinfo/gethostbyname/gethostbyname_ex/gethostbyaddr`,
        `select.select`, `sqlite3.connect`, `psycopg2.connect`,
        `pymysql.connect`, `MySQLdb.connect`, `smtplib.SMTP`, `ftplib.FTP`,
        and every dotted name configured with `--asyncio-extra-blocking-calls`.
    """
    rationale = """
        Each of these waits on the network, a database, a terminal or the
        kernel while holding the event loop. Use the asyncio equivalent
        (`loop.getaddrinfo`, `asyncio.open_connection`, an async database
        driver), or run the call in a thread.
    """
    example = """
        import socket

        async def resolve(host):
            return socket.gethostbyname(host)
    """
    use_instead = """
        import asyncio

        async def resolve(host):
            return await asyncio.to_thread(socket.gethostbyname, host)
    """
    fix = TO_THREAD_FIX
    calls = frozenset(
        {"builtins.input", "select.select", "sqlite3.connect", "psycopg2.connect",
         "pymysql.connect", "MySQLdb.connect", "smtplib.SMTP", "ftplib.FTP"}
        | {f"socket.{n}" for n in ("create_connection", "getaddrinfo", "gethostbyname",
                                   "gethostbyname_ex", "gethostbyaddr")}
    )
    invalid = (
        "import socket\nasync def f(h):\n    socket.gethostbyname(h)\n",
        "async def f():\n    input()\n",
    )
    valid = (
        "import asyncio\nasync def f(h):\n    await asyncio.get_running_loop().getaddrinfo(h, 80)\n",
        "def f():\n    input()\n",
    )

    @classmethod
    def name_parts(cls, settings: Settings) -> FrozenSet[str]:
        return super().name_parts(settings) | frozenset(
            name.rsplit(".", 1)[-1] for name in settings.extra_blocking_calls)

    @classmethod
    def match(cls, view, call, scope, settings):
        name = super().match(view, call, scope, settings)
        if name is None and settings.extra_blocking_calls:
            resolved = view.call_name(call, scope)
            if resolved in settings.extra_blocking_calls and resolved not in settings.exempt_calls:
                return resolved
        return name

    def extra_fields(self, name: str) -> Dict[str, str]:
        replacement = self.settings.extra_blocking_calls.get(name)
        advice = (f"use {replacement}()" if replacement
                  else "run it with await asyncio.to_thread() instead")
        return {"advice": advice}


BLOCKING_RULES: Tuple["type[BlockingCallRule]", ...] = (
    SleepInAsync, BlockingHttpInAsync, BlockingProcessInAsync,
    BlockingFileIoInAsync, OtherBlockingInAsync,
)


def blocking_match(view: ModuleView, call: ast.Call, scope: Scope,
                   settings: Settings) -> Optional[str]:
    """The dotted name of a call that one of AIO100-AIO104 would flag in
    async context, or None."""
    index = view.memo.get("blocking-rules")
    if index is None:
        index = view.memo["blocking-rules"] = NameIndex()
        for rule in BLOCKING_RULES:
            index.add(rule.name_parts(settings), rule)  # type: ignore[attr-defined]
    rules = index.lookup(call, view.imported_names())  # type: ignore[attr-defined]
    for rule in rules:
        name = rule.match(view, call, scope, settings)
        if name is not None:
            return name
    return None


class BlockingHelperInAsync(Rule):
    code = "AIO105"
    name = "blocking-helper-in-async"
    message = "{callee}() blocks the event loop via {chain}"
    summary = """
        Flags a call, inside an `async def`, of a synchronous function or
        method defined in the same module (`helper()`, `self.helper()`,
        `cls.helper()`, a nested `def`) that makes a blocking call (one that
        AIO100-AIO104 would flag), directly or through further synchronous
        functions of the module, at any depth. The message names the chain.
    """
    rationale = """
        Moving a blocking call into a helper does not make it non-blocking:
        the event loop still stalls for as long as the helper runs.
    """
    example = """
        import requests

        def load_config(url):
            return requests.get(url).json()

        async def main(url):
            config = load_config(url)
    """
    use_instead = """
        import asyncio
        import requests

        def load_config(url):
            return requests.get(url).json()

        async def main(url):
            config = await asyncio.to_thread(load_config, url)
    """
    node_types = (ast.Call,)
    triggers = ("async",)
    async_only = True
    invalid = (
        "import time\ndef helper():\n    time.sleep(1)\nasync def f():\n    helper()\n",
        "import time\nclass C:\n    def h(self):\n        time.sleep(1)\n"
        "    async def f(self):\n        self.h()\n",
    )
    valid = (
        "import time, asyncio\ndef helper():\n    time.sleep(1)\n"
        "async def f():\n    await asyncio.to_thread(helper)\n",
        "def a():\n    b()\ndef b():\n    a()\nasync def f():\n    a()\n",
    )

    def __init__(self, view: ModuleView, settings: Settings) -> None:
        super().__init__(view, settings)
        self._chain_map: Optional[Dict[FunctionInfo, str]] = None

    def check(self, node: ast.AST, scope: Scope) -> None:
        # (the callee first: most calls name no function of the module, and
        # the chains are then never computed)
        if not scope.is_async or local_name(node)[0] not in self.view.function_names():
            return
        callee = self.view.callee(node, scope)  # type: ignore[arg-type]
        if callee is None or not _runs_body(callee):
            return
        chains = self._chain_map
        if chains is None:
            chains = self._chain_map = self._chains()
        chain = chains.get(callee)
        if chain is not None:
            self.report(node, callee=callee.qualname, chain=chain)

    def _chains(self) -> Dict[FunctionInfo, str]:
        """For every sync function of the module that blocks, the shortest
        chain to a blocking call, e.g. ``read() -> open (line 3)``: found
        breadth-first from the functions that block directly, backwards
        along the call graph, so cycles and recursion end."""
        key = (self.code, "chains")
        memo = self.view.memo.get(key)
        if memo is not None:
            return memo  # type: ignore[return-value]
        chains: Dict[FunctionInfo, str] = {}
        queue: deque = deque()
        for fn in self.view.functions:
            if not _runs_body(fn):
                continue
            for call, scope in fn.calls:
                if scope.kind == "lambda":
                    continue
                name = blocking_match(self.view, call, scope, self.settings)
                if name is not None:
                    chains[fn] = f"{display(name)} (line {call.lineno})"
                    queue.append(fn)
                    break
        while queue:
            fn = queue.popleft()
            for call, _scope, caller in self.view.callers(fn):
                if caller is not None and caller not in chains and _runs_body(caller):
                    chains[caller] = f"{fn.qualname}() -> {chains[fn]}"
                    queue.append(caller)
        self.view.memo[key] = chains
        return chains


def _runs_body(fn: FunctionInfo) -> bool:
    """Calling a sync, non-generator function runs its body right away."""
    return not fn.is_async and not fn.has_yield and not fn.has_yield_from
