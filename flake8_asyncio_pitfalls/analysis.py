"""The shared view of one module, built by a single walk of its ``ast``.

Every rule asks this view its questions instead of walking the tree again:

* **scopes and bindings**: which names each scope binds, how (import, def,
  class, assignment, parameter, loop target, ``with ... as``), and where;
* **name resolution**: ``view.resolve(expr, scope)`` turns ``t.sleep``,
  ``nap`` or ``urllib.request.urlopen`` into ``"time.sleep"``... through the
  module's imports, ``None`` when a local definition shadows the name;
* **async context**: ``scope.is_async`` is true for code that runs inside an
  ``async def`` (its comprehensions and nested class bodies included, the
  bodies of nested ``def``/``lambda`` excluded);
* **values**: ``view.origin(expr, scope)`` names the call that produced a
  value (``"requests.Session"`` for ``s`` after ``s = requests.Session()``);
* **call graph**: ``view.callee(call, scope)`` finds the same-module function
  or method a call reaches (``helper()``, ``self.helper()``,
  ``cls.helper()``), ``view.callees(fn)``/``view.callers(fn)`` the edges;
* **data flow**: ``view.uses(node)`` says which names (and attribute paths
  such as ``self.token``) a statement or expression reads and writes, whose
  methods it calls, and whether it awaits (memoised, composed from children).

The walk is iterative (no recursion limit on deeply nested code) and hands
each rule the nodes of the types it registered for, with their scope.
"""
from __future__ import annotations

import ast
import builtins
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

_BUILTIN_NAMES = frozenset(dir(builtins))
#: pattern nodes that bind a name held in a ``name`` field (3.10+)
_NAMING_NODES = tuple(getattr(ast, n) for n in ("MatchAs", "MatchStar") if hasattr(ast, n)) \
    + (ast.ExceptHandler,)
_MATCH_MAPPING = getattr(ast, "MatchMapping", None)

FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

# What a value is, when a method or attribute of it gives another of its kind
# (the Path arithmetic AIO103 needs); constructors that name the same kind.
_KIND_ALIASES = {
    "pathlib.PurePath": "pathlib.Path",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib.Path.cwd": "pathlib.Path",
    "pathlib.Path.home": "pathlib.Path",
}
_SAME_KIND_METHODS = {
    "pathlib.Path": frozenset({
        "with_suffix", "with_name", "with_stem", "joinpath", "resolve",
        "absolute", "expanduser", "relative_to", "with_segments",
    }),
}
_SAME_KIND_ATTRIBUTES = {"pathlib.Path": frozenset({"parent"})}


class Binding:
    """One binding of a name in a scope."""

    __slots__ = ("name", "kind", "qualname", "node", "value", "scope", "pos")

    def __init__(self, name: str, kind: str, node: ast.AST, scope: "Scope",
                 value: Optional[ast.AST] = None, qualname: Optional[str] = None) -> None:
        self.name = name
        #: import | def | class | assign | param | loop | with | except | other
        self.kind = kind
        self.qualname = qualname  # for imports: the dotted name bound
        self.node = node
        self.value = value  # the expression bound, when there is one
        self.scope = scope
        self.pos = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Binding {self.name} {self.kind} {self.qualname or ''} @{self.pos}>"


class Scope:
    """A namespace: the module, a class body, a function, a lambda or a
    comprehension."""

    __slots__ = ("kind", "node", "parent", "is_async", "function", "bindings",
                 "globals", "nonlocals", "class_info")

    def __init__(self, kind: str, node: ast.AST, parent: Optional["Scope"],
                 is_async: bool, function: Optional["FunctionInfo"]) -> None:
        self.kind = kind  # module | class | function | lambda | comprehension
        self.node = node
        self.parent = parent
        #: code directly in this scope runs inside an ``async def``
        self.is_async = is_async
        #: the function whose execution runs this code (None: module level,
        #: or a lambda body, which runs whenever someone calls it)
        self.function = function
        self.bindings: Dict[str, List[Binding]] = {}
        self.globals: Set[str] = set()
        self.nonlocals: Set[str] = set()
        self.class_info: Optional[ClassInfo] = None

    @property
    def runs_at_import(self) -> bool:
        """Code here runs when the module is imported (module level, or a
        class body or comprehension there), where no event loop runs."""
        scope: Optional[Scope] = self
        while scope is not None:
            if scope.kind in ("function", "lambda"):
                return False
            scope = scope.parent
        return True

    @property
    def can_await(self) -> bool:
        """An ``await`` may be written here without changing what the code
        is: directly in an ``async def``, or in a list/set/dict comprehension
        (or an already asynchronous generator expression) there; not in a
        class body, a lambda, or a plain generator expression (``await``
        would turn it into an async generator)."""
        scope: Optional[Scope] = self
        while scope is not None and scope.kind == "comprehension":
            node = scope.node
            if isinstance(node, ast.GeneratorExp) and not any(
                    gen.is_async for gen in node.generators):
                return False
            scope = scope.parent
        return (scope is not None and scope.kind == "function"
                and scope.function is not None and scope.function.is_async)

    def __repr__(self) -> str:  # pragma: no cover
        return f"<Scope {self.kind} async={self.is_async}>"


class FunctionInfo:
    """A ``def`` or ``async def`` of the module."""

    __slots__ = ("node", "name", "qualname", "is_async", "scope", "parent_scope",
                 "class_info", "calls", "has_yield", "has_yield_from", "has_await")

    def __init__(self, node: ast.AST, qualname: str, scope: Scope,
                 parent_scope: Scope, class_info: Optional["ClassInfo"]) -> None:
        self.node = node
        self.name: str = node.name  # type: ignore[attr-defined]
        self.qualname = qualname
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        self.scope = scope
        self.parent_scope = parent_scope
        self.class_info = class_info  # set for methods
        #: calls that run when this function runs, with their scope
        self.calls: List[Tuple[ast.Call, Scope]] = []
        self.has_yield = False
        self.has_yield_from = False
        self.has_await = False

    @property
    def is_method(self) -> bool:
        return self.class_info is not None

    @property
    def self_name(self) -> Optional[str]:
        """The name of the first parameter of a method (``self``/``cls``)."""
        if self.class_info is None:
            return None
        args = self.node.args  # type: ignore[attr-defined]
        params = [*args.posonlyargs, *args.args]
        return params[0].arg if params else None

    def __repr__(self) -> str:  # pragma: no cover
        return f"<Function {self.qualname} async={self.is_async}>"


class ClassInfo:
    __slots__ = ("node", "name", "qualname", "scope", "methods")

    def __init__(self, node: ast.ClassDef, qualname: str, scope: Scope) -> None:
        self.node = node
        self.name = node.name
        self.qualname = qualname
        self.scope = scope
        self.methods: Dict[str, FunctionInfo] = {}


def _param_nodes(args: ast.arguments) -> Iterable[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg:
        yield args.kwarg


class NameUse:
    """What running a statement or expression does with names, as access
    paths (``"x"``, ``"self.token"``): ``reads``, ``writes`` (assignment
    targets, ``del``, the container of ``x[k] = v`` or ``x.a = v``),
    ``receivers`` (objects whose methods it calls, which may mutate them),
    and ``awaits`` (it suspends: ``await``, ``async for``/``async with``, an
    async comprehension; bodies of nested ``def``/``lambda`` and generator
    expressions do not run here and do not count)."""

    __slots__ = ("reads", "writes", "receivers", "awaits")

    def __init__(self, reads: frozenset = frozenset(), writes: frozenset = frozenset(),
                 receivers: frozenset = frozenset(), awaits: bool = False) -> None:
        self.reads = reads
        self.writes = writes
        self.receivers = receivers
        self.awaits = awaits

    def __repr__(self) -> str:  # pragma: no cover
        return (f"<NameUse r={sorted(self.reads)} w={sorted(self.writes)} "
                f"recv={sorted(self.receivers)} await={self.awaits}>")


_EMPTY_USE = NameUse()


def access_path(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    attrs: List[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(attrs)])


def local_name(node: ast.AST) -> Tuple[Optional[str], bool]:
    """The name a call (by its function), an attribute or a name goes by
    where it stands (``get`` for ``session.get(u)``), and whether that is a
    plain name (which an import may have bound to anything); None for
    other nodes (``f()()``, ``a[0].b`` has ``b``)."""
    if node.__class__ is ast.Call:
        node = node.func  # type: ignore[attr-defined]
    kind = node.__class__
    if kind is ast.Attribute:
        return node.attr, False  # type: ignore[attr-defined]
    if kind is ast.Name:
        return node.id, True  # type: ignore[attr-defined]
    return None, False


class NameIndex:
    """Things (checks, rules) filed under the last parts of the names they
    look for, so that those a call, attribute or name node may concern are
    found with one lookup of its ``local_name``: the ones filed under it,
    or all of them for a name an import binds (an alias may stand for any
    name)."""

    __slots__ = ("by_part", "every")

    def __init__(self) -> None:
        self.by_part: Dict[str, list] = {}
        self.every: list = []

    def add(self, parts: Iterable[str], item: object) -> None:
        self.every.append(item)
        for part in parts:
            self.by_part.setdefault(part, []).append(item)

    def lookup(self, node: ast.AST, imported: Set[str]) -> Sequence:
        key, plain = local_name(node)
        if plain and key in imported:
            return self.every
        return self.by_part.get(key, ())  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.every)


def base_path(node: ast.AST) -> Optional[str]:
    """The access path of the object a target or receiver lives in:
    ``a.b`` for ``a.b``, ``a`` for ``a[i].x``."""
    while True:
        path = access_path(node)
        if path is not None or not isinstance(node, (ast.Attribute, ast.Subscript)):
            return path
        node = node.value


def _merge(uses: Iterable[NameUse]) -> NameUse:
    uses = [u for u in uses if u is not _EMPTY_USE]
    if not uses:
        return _EMPTY_USE
    if len(uses) == 1:
        return uses[0]
    return NameUse(frozenset().union(*(u.reads for u in uses)),
                   frozenset().union(*(u.writes for u in uses)),
                   frozenset().union(*(u.receivers for u in uses)),
                   any(u.awaits for u in uses))


def _child_nodes(node: ast.AST) -> List[ast.AST]:
    return [child for child in ast.iter_child_nodes(node)
            if not isinstance(child, (ast.expr_context, ast.operator, ast.boolop,
                                      ast.cmpop, ast.unaryop))]


def _subscripts_and_calls(node: ast.AST) -> List[ast.AST]:
    """The keys and calls inside a store target's object chain
    (``f(x)[i].a = v`` evaluates ``f(x)`` and ``i``)."""
    out: List[ast.AST] = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Subscript):
            out.append(node.slice)
        node = node.value
    if not isinstance(node, ast.Name):
        out.append(node)
    return out


def _binds_module(alias: ast.alias, module: str, name: str) -> bool:
    """``import ...`` clause ``alias`` binds ``name`` to ``module``."""
    if alias.asname:
        return alias.name == module and alias.asname == name
    # ``import asyncio.subprocess`` binds ``asyncio`` too
    return name == module and (alias.name == module or alias.name.startswith(module + "."))


def _is_static(node: ast.AST) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod"
               for d in node.decorator_list)  # type: ignore[attr-defined]


#: Fields that never hold a child worth walking: expression contexts and
#: operators (shared singleton instances), and plain values.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "module", "level",
                           "conversion", "is_async", "simple", "kind", "type_comment",
                           "kwd_attrs", "rest", "tag"})
#: node class -> its child fields, last first (filled as classes are met)
_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {ast.Constant: ()}


def _child_fields(cls: type) -> Tuple[str, ...]:
    return tuple(f for f in reversed(cls._fields) if f not in _NOT_CHILDREN)  # type: ignore[attr-defined]


class ModuleView:
    """Everything the rules know about one module (see the module docstring)."""

    def __init__(self, tree: ast.AST, collect: Iterable[type] = ()) -> None:
        self.tree = tree
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.functions: List[FunctionInfo] = []
        self.function_of: Dict[ast.AST, FunctionInfo] = {}
        self.classes: List[ClassInfo] = []
        self.class_of: Dict[ast.AST, ClassInfo] = {}
        #: the scope each def, class, lambda and comprehension opens
        self.scope_of_def: Dict[ast.AST, Scope] = {}
        self.module_scope = Scope("module", tree, None, False, None)
        self._collected: Dict[type, List[Tuple[ast.AST, Scope]]] = {t: [] for t in collect}
        self._name_cache: Dict[ast.AST, Optional[str]] = {}
        self._callees: Dict[FunctionInfo, List[Tuple[ast.Call, Scope, FunctionInfo]]] = {}
        self._callers: Optional[Dict[FunctionInfo, List[Tuple[ast.Call, Scope, FunctionInfo]]]] = None
        self._module_calls: List[Tuple[ast.Call, Scope]] = []
        self._uses: Dict[ast.AST, NameUse] = {}
        #: every name an import binds (filled by the walk)
        self._imported: Set[str] = set()
        self._function_names: Optional[FrozenSet[str]] = None
        #: derived facts that rules share (keyed by whatever the rule likes)
        self.memo: Dict[object, object] = {}
        self._walk()

    def release(self) -> None:
        """Break the reference cycles of the analysis (scopes and their
        bindings, functions and their scopes, classes and their methods) and
        drop the view's contents, so that reference counting frees a file's
        tree and analysis at once: the cyclic collector would otherwise have
        to traverse every one of their objects.  The view, and the scopes,
        functions and bindings it handed out, are unusable afterwards."""
        for scope in (self.module_scope, *self.scope_of_def.values()):
            scope.bindings = scope.parent = scope.function = scope.class_info = None  # type: ignore[assignment]
        for fn in self.functions:
            fn.scope = fn.parent_scope = fn.class_info = fn.calls = None  # type: ignore[assignment]
        for info in self.classes:
            info.scope = info.methods = None  # type: ignore[assignment]
        self.__dict__.clear()

    # ------------------------------------------------------------------ walk
    def _walk(self) -> None:
        collected = self._collected
        parents = self.parents
        special = self._SPECIAL
        child_fields = _CHILD_FIELDS
        AST = ast.AST
        Name, Constant = ast.Name, ast.Constant
        # Children that need nothing but their parent recorded are not
        # pushed: constants, and names that are read (most of the tree).
        skip_constants = Constant not in collected
        skip_loads = Name not in collected
        Load = ast.Load
        stack: List[Tuple[ast.AST, Scope]] = [(self.tree, self.module_scope)]
        pop = stack.pop
        push = stack.append
        # node class -> (its bucket, its handler, its child fields): one
        # lookup per node instead of three
        per_class: Dict[type, Tuple[Optional[list], Optional[Callable], Tuple[str, ...]]] = {}
        while stack:
            node, scope = pop()
            cls = node.__class__
            known = per_class.get(cls)
            if known is None:
                fields = child_fields.get(cls)
                if fields is None:
                    fields = child_fields[cls] = _child_fields(cls)
                known = per_class[cls] = (collected.get(cls), special.get(cls), fields)
            bucket, handler, fields = known
            if bucket is not None:
                bucket.append((node, scope))
            if handler is not None:
                children = handler(self, node, scope)
                if children is not None:
                    for child, child_scope, parent in reversed(children):
                        parents[child] = parent
                        push((child, child_scope))
                    continue
            # Generic: every AST child, in the same scope, in source order
            # (pushed last first).
            for field in fields:
                value = getattr(node, field, None)
                if value.__class__ is list:
                    for child in reversed(value):
                        if isinstance(child, AST):
                            parents[child] = node
                            kind = child.__class__
                            if not (kind is Constant and skip_constants or kind is Name
                                    and skip_loads and child.ctx.__class__ is Load):
                                push((child, scope))
                elif isinstance(value, AST):
                    parents[value] = node
                    kind = value.__class__
                    if not (kind is Constant and skip_constants or kind is Name
                            and skip_loads and value.ctx.__class__ is Load):
                        push((value, scope))

    # Handlers for nodes that open scopes or bind names.  A handler returns
    # the children to walk with their scopes, or None for the generic walk.
    def _bind(self, scope: Scope, name: str, kind: str, node: ast.AST,
              value: Optional[ast.AST] = None, qualname: Optional[str] = None) -> None:
        if scope.kind == "comprehension" and kind == "walrus":
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
            kind = "assign"
        if name in scope.globals:
            scope = self.module_scope
        scope.bindings.setdefault(name, []).append(
            Binding(name, kind, node, scope, value, qualname))

    def _on_function(self, node: ast.AST, scope: Scope):
        self._bind(scope, node.name, "def", node)  # type: ignore[attr-defined]
        owner = scope.function.qualname + ".<locals>." if scope.function else ""
        class_info = scope.class_info if scope.kind == "class" else None
        if class_info is not None:
            owner = class_info.qualname + "."
        is_async = isinstance(node, ast.AsyncFunctionDef)
        body_scope = Scope("function", node, scope, is_async, None)
        info = FunctionInfo(node, owner + node.name, body_scope, scope, class_info)  # type: ignore[attr-defined]
        body_scope.function = info
        if class_info is not None:
            class_info.methods.setdefault(info.name, info)
        self.functions.append(info)
        self.function_of[node] = info
        self.scope_of_def[node] = body_scope
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        params = list(_param_nodes(args))
        bindings = body_scope.bindings  # a new scope: no global or comprehension to mind
        for param in params:
            bindings.setdefault(param.arg, []).append(
                Binding(param.arg, "param", param, body_scope, param.annotation))
        outer: List[ast.AST] = [*node.decorator_list, *args.defaults,  # type: ignore[attr-defined]
                                *[d for d in args.kw_defaults if d is not None],
                                *[p.annotation for p in params if p.annotation is not None]]
        if node.returns is not None:  # type: ignore[attr-defined]
            outer.append(node.returns)  # type: ignore[attr-defined]
        return [(child, scope, node) for child in outer] + \
            [(stmt, body_scope, node) for stmt in node.body]  # type: ignore[attr-defined]

    def _on_lambda(self, node: ast.Lambda, scope: Scope):
        body_scope = Scope("lambda", node, scope, False, None)
        self.scope_of_def[node] = body_scope
        for param in _param_nodes(node.args):
            self._bind(body_scope, param.arg, "param", param)
        outer = [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]
        return [(child, scope, node) for child in outer] + [(node.body, body_scope, node)]

    def _on_class(self, node: ast.ClassDef, scope: Scope):
        self._bind(scope, node.name, "class", node)
        owner = ""
        if scope.kind == "class" and scope.class_info is not None:
            owner = scope.class_info.qualname + "."
        elif scope.function is not None:
            owner = scope.function.qualname + ".<locals>."
        body_scope = Scope("class", node, scope, scope.is_async, scope.function)
        info = ClassInfo(node, owner + node.name, body_scope)
        body_scope.class_info = info
        self.classes.append(info)
        self.class_of[node] = info
        self.scope_of_def[node] = body_scope
        outer = [*node.decorator_list, *node.bases, *node.keywords]
        return [(child, scope, node) for child in outer] + [(stmt, body_scope, node) for stmt in node.body]

    def _on_comprehension(self, node: ast.AST, scope: Scope):
        comp_scope = Scope("comprehension", node, scope, scope.is_async, scope.function)
        self.scope_of_def[node] = comp_scope
        generators: List[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        children: List[Tuple[ast.AST, Scope, ast.AST]] = [(generators[0].iter, scope, generators[0])]
        for index, gen in enumerate(generators):
            self.parents[gen] = node
            children.append((gen.target, comp_scope, gen))
            if index:
                children.append((gen.iter, comp_scope, gen))
            children.extend((cond, comp_scope, gen) for cond in gen.ifs)
        if isinstance(node, ast.DictComp):
            children += [(node.key, comp_scope, node), (node.value, comp_scope, node)]
        else:
            children.append((node.elt, comp_scope, node))  # type: ignore[attr-defined]
        bucket = self._collected.get(ast.comprehension)
        if bucket is not None:
            bucket.extend((gen, comp_scope) for gen in generators)
        return children

    def _on_import(self, node: ast.Import, scope: Scope):
        for alias in node.names:
            if alias.asname:
                self._bind(scope, alias.asname, "import", node, qualname=alias.name)
                self._imported.add(alias.asname)
            else:
                top = alias.name.split(".", 1)[0]
                self._bind(scope, top, "import", node, qualname=top)
                self._imported.add(top)
        return ()

    def _on_import_from(self, node: ast.ImportFrom, scope: Scope):
        module = "." * (node.level or 0) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
            self._bind(scope, alias.asname or alias.name, "import", node, qualname=qualname)
            self._imported.add(alias.asname or alias.name)
        return ()

    def _on_global(self, node: ast.Global, scope: Scope):
        scope.globals.update(node.names)
        return ()

    def _on_nonlocal(self, node: ast.Nonlocal, scope: Scope):
        scope.nonlocals.update(node.names)
        return ()

    def _on_name(self, node: ast.Name, scope: Scope):
        if isinstance(node.ctx, ast.Store):
            parent = self.parents.get(node)
            value: Optional[ast.AST] = None
            kind = "assign"
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                value = parent.value
            elif isinstance(parent, ast.NamedExpr):
                value, kind = parent.value, "walrus"
            elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
                value, kind = parent.iter, "loop"
            elif isinstance(parent, ast.withitem):
                value, kind = parent.context_expr, "with"
            elif isinstance(parent, ast.AugAssign):
                kind = "aug"
            self._bind(scope, node.id, kind, node, value)
        return ()

    def _on_except(self, node: ast.ExceptHandler, scope: Scope):
        if node.name:
            self._bind(scope, node.name, "except", node)
        return None

    def _on_call(self, node: ast.Call, scope: Scope):
        if scope.function is not None:
            scope.function.calls.append((node, scope))
        elif scope.runs_at_import:
            self._module_calls.append((node, scope))
        return None

    def _on_yield(self, node: ast.AST, scope: Scope):
        if scope.function is not None and scope.kind == "function":
            scope.function.has_yield = True
        return None

    def _on_yield_from(self, node: ast.AST, scope: Scope):
        if scope.function is not None and scope.kind == "function":
            scope.function.has_yield_from = True
        return None

    def _on_await(self, node: ast.AST, scope: Scope):
        if scope.function is not None:
            scope.function.has_await = True
        return None

    _SPECIAL = {
        ast.FunctionDef: _on_function,
        ast.AsyncFunctionDef: _on_function,
        ast.Lambda: _on_lambda,
        ast.ClassDef: _on_class,
        ast.ListComp: _on_comprehension,
        ast.SetComp: _on_comprehension,
        ast.DictComp: _on_comprehension,
        ast.GeneratorExp: _on_comprehension,
        ast.Import: _on_import,
        ast.ImportFrom: _on_import_from,
        ast.Global: _on_global,
        ast.Nonlocal: _on_nonlocal,
        ast.Name: _on_name,
        ast.ExceptHandler: _on_except,
        ast.Call: _on_call,
        ast.Yield: _on_yield,
        ast.YieldFrom: _on_yield_from,
        ast.Await: _on_await,
    }

    # ------------------------------------------------------------- queries
    def nodes(self, node_type: type) -> List[Tuple[ast.AST, Scope]]:
        """The collected nodes of one type, with their scopes, in walk order."""
        return self._collected.get(node_type, [])

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

    def is_awaited(self, node: ast.AST) -> bool:
        return isinstance(self.parents.get(node), ast.Await)

    def statement_of(self, node: ast.AST) -> Optional[ast.stmt]:
        """The statement a node is part of."""
        current: Optional[ast.AST] = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parents.get(current)
        return current  # type: ignore[return-value]

    def lookup(self, name: str, scope: Scope, at: Optional[ast.AST] = None) -> Optional[Binding]:
        """The binding a name refers to from ``scope``, following Python's
        rules (class bodies are not visible from their methods; ``global``
        and ``nonlocal`` declarations are honoured).  Within the scope of
        the use, the last binding before ``at`` wins; in enclosing scopes,
        whose code has run by the time a function is called, the last one."""
        current: Optional[Scope] = scope
        first = True
        if name in scope.globals:
            current = self.module_scope
        while current is not None:
            if first or current.kind != "class":
                bindings = current.bindings.get(name)
                if bindings and not (first and name in current.nonlocals):
                    return self._pick(bindings, at if first else None)
            first = False
            current = current.parent
        return None

    @staticmethod
    def _pick(bindings: List[Binding], at: Optional[ast.AST]) -> Binding:
        candidates = bindings
        if at is not None:
            pos = (getattr(at, "lineno", 0), getattr(at, "col_offset", 0))
            before = [b for b in bindings if b.pos < pos]
            candidates = before or bindings
        # ``except ImportError: name = None`` fallbacks do not hide an import.
        if len(candidates) > 1:
            real = [b for b in candidates
                    if not (isinstance(b.value, ast.Constant) and b.value.value is None)]
            candidates = real or candidates
        return max(candidates, key=lambda b: b.pos)

    def resolve(self, expr: ast.AST, scope: Scope) -> Optional[str]:
        """The dotted name an expression refers to through the module's
        imports (``"time.sleep"``), ``"builtins.open"`` for an unshadowed
        builtin, or None when it is a local name or not a name at all."""
        cache = self._name_cache
        if expr in cache:
            return cache[expr]
        # Down the attribute chain to its base, then back up: a loop, not
        # recursion, as generated code can chain thousands of attributes.
        chain: List[ast.Attribute] = []
        while isinstance(expr, ast.Attribute) and expr not in cache:
            chain.append(expr)
            expr = expr.value
        result: Optional[str] = None
        if expr in cache:
            result = cache[expr]
        else:
            if isinstance(expr, ast.Name):
                binding = self.lookup(expr.id, scope, expr)
                if binding is None:
                    if expr.id in _BUILTIN_NAMES:
                        result = "builtins." + expr.id
                elif binding.kind == "import":
                    result = binding.qualname
            cache[expr] = result
        for attribute in reversed(chain):
            if result is not None:
                result = f"{result}.{attribute.attr}"
            cache[attribute] = result
        return result

    def call_name(self, call: ast.Call, scope: Scope) -> Optional[str]:
        """``resolve`` of the called expression."""
        return self.resolve(call.func, scope)

    def binding_value(self, name: ast.Name, scope: Scope) -> Optional[Tuple[Binding, ast.AST]]:
        binding = self.lookup(name.id, scope, name)
        if binding is None or binding.value is None:
            return None
        return binding, binding.value

    def origin(self, expr: ast.AST, scope: Scope, _depth: int = 0) -> Optional[str]:
        """The dotted name of the call that made the value of ``expr``
        (``"requests.Session"``), following simple assignments, ``with ...
        as``, parameter annotations and same-kind Path arithmetic."""
        if _depth > 8:
            return None
        if isinstance(expr, ast.Call):
            name = self.call_name(expr, scope)
            if name is not None:
                return _KIND_ALIASES.get(name, name)
            func = expr.func
            if isinstance(func, ast.Attribute):
                kind = self.origin(func.value, scope, _depth + 1)
                if kind and func.attr in _SAME_KIND_METHODS.get(kind, ()):
                    return kind
            return None
        if isinstance(expr, ast.Name):
            binding = self.lookup(expr.id, scope, expr)
            if binding is None or binding.value is None:
                return None
            if binding.kind == "param":
                name = self.resolve(binding.value, binding.scope.parent or binding.scope)
                return _KIND_ALIASES.get(name, name) if name else None
            if binding.kind in ("assign", "walrus", "with"):
                return self.origin(binding.value, binding.scope, _depth + 1)
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            kind = self.origin(expr.left, scope, _depth + 1)
            return kind if kind == "pathlib.Path" else None
        if isinstance(expr, ast.Attribute):
            kind = self.origin(expr.value, scope, _depth + 1)
            if kind and expr.attr in _SAME_KIND_ATTRIBUTES.get(kind, ()):
                return kind
        return None

    # ---------------------------------------------------------- call graph
    def callee(self, call: ast.Call, scope: Scope) -> Optional[FunctionInfo]:
        """The function or method of this module that ``call`` runs, if it
        can be told statically."""
        return self.function_ref(call.func, scope)

    def function_ref(self, func: ast.AST, scope: Scope) -> Optional[FunctionInfo]:
        """The function or method of this module that an expression names
        (``helper``, ``self.helper``, ``cls.helper``, ``Class.method``),
        called or not: a callback handed to ``add_done_callback`` too."""
        if local_name(func)[0] not in self.function_names():
            return None  # no def of the module has that name (most calls)
        if isinstance(func, ast.Name):
            binding = self.lookup(func.id, scope, func)
            if binding is not None and binding.kind == "def":
                return self.function_of.get(binding.node)
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            receiver = func.value.id
            binding = self.lookup(receiver, scope, func.value)
            if binding is None:
                return None
            if binding.kind == "param":
                # ``self.helper()`` / ``cls.helper()``: the first parameter
                # of a method (seen from the method or code nested in it)
                owner = binding.scope.function
                if owner is not None and owner.class_info is not None \
                        and owner.self_name == receiver and not _is_static(owner.node):
                    return self.find_method(owner.class_info, func.attr)
            elif binding.kind == "class":
                return self.find_method(self.class_of.get(binding.node), func.attr)
        return None

    def function_names(self) -> FrozenSet[str]:
        """The names of the module's functions and methods."""
        names = self._function_names
        if names is None:
            names = self._function_names = frozenset(fn.name for fn in self.functions)
        return names

    def find_method(self, class_info: Optional[ClassInfo], name: str) -> Optional[FunctionInfo]:
        """A method of a class of this module, looked up through its bases
        that are classes of this module too, depth first and left to right
        (cycle-safe; a loop, not recursion, whatever the hierarchy's depth)."""
        seen: Set[ClassInfo] = set()
        stack = [class_info]
        while stack:
            info = stack.pop()
            if info is None or info in seen:
                continue
            seen.add(info)
            if name in info.methods:
                return info.methods[name]
            bases = []
            for base in info.node.bases:
                if isinstance(base, ast.Name):
                    binding = self.lookup(base.id, info.scope.parent or self.module_scope)
                    if binding is not None and binding.kind == "class":
                        bases.append(self.class_of.get(binding.node))
            stack.extend(reversed(bases))
        return None

    def callees(self, fn: FunctionInfo) -> List[Tuple[ast.Call, Scope, FunctionInfo]]:
        """Calls in ``fn`` that reach functions of this module (memoised)."""
        edges = self._callees.get(fn)
        if edges is None:
            edges = []
            for call, scope in fn.calls:
                target = self.callee(call, scope)
                if target is not None:
                    edges.append((call, scope, target))
            self._callees[fn] = edges
        return edges

    def callers(self, fn: FunctionInfo) -> List[Tuple[ast.Call, Scope, Optional[FunctionInfo]]]:
        """Calls anywhere in the module that reach ``fn``; the third item is
        the calling function, None for module-level code."""
        if self._callers is None:
            table: Dict[FunctionInfo, List[Tuple[ast.Call, Scope, Optional[FunctionInfo]]]] = {}
            for caller in self.functions:
                for call, scope, target in self.callees(caller):
                    table.setdefault(target, []).append((call, scope, caller))
            for call, scope in self._module_calls:
                target = self.callee(call, scope)
                if target is not None:
                    table.setdefault(target, []).append((call, scope, None))
            self._callers = table  # type: ignore[assignment]
        return self._callers.get(fn, [])  # type: ignore[union-attr]

    def imported_names(self) -> Set[str]:
        """The names an import binds in some scope of the module: only such
        a name can ``resolve`` to anything but a builtin or None."""
        return self._imported

    def may_name(self, node: ast.AST, last_parts: FrozenSet[str]) -> bool:
        """Whether a call (by its function), attribute or name may resolve
        to a name with one of ``last_parts`` (as ``NameIndex`` decides)."""
        key, plain = local_name(node)
        return key in last_parts or plain and key in self._imported

    def module_calls(self) -> Sequence[Tuple[ast.Call, Scope]]:
        """Calls in code that runs at import time or in class bodies there."""
        return self._module_calls

    # ----------------------------------------------------------- data flow
    def uses(self, node: ast.AST) -> NameUse:
        """What ``node`` reads, writes, calls methods on and whether it
        awaits (see :class:`NameUse`).  Memoised per node and composed from
        the children's answers, so asking about every statement of a module
        costs one pass over it; iterative, like the walk."""
        cache = self._uses
        found = cache.get(node)
        if found is not None:
            return found
        # (node, None): its children are to be answered first;
        # (node, children): they are, compose
        stack: List[Tuple[ast.AST, Optional[List[ast.AST]]]] = [(node, None)]
        while stack:
            current, children = stack.pop()
            if current in cache:
                continue
            if children is None:
                children = _child_nodes(current)
                stack.append((current, children))
                stack.extend((child, None) for child in children if child not in cache)
                continue
            cache[current] = self._compose(current, [cache[c] for c in children])
        return cache[node]

    def _compose(self, node: ast.AST, kids: List[NameUse]) -> NameUse:
        cls = node.__class__
        if cls is ast.Name:
            name = frozenset((node.id,))  # type: ignore[attr-defined]
            if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                return NameUse(reads=name)
            return NameUse(writes=name)
        if cls is ast.Attribute or cls is ast.Subscript:
            return self._compose_access(node, kids)
        if cls is ast.Call:
            use = _merge(kids)
            func = node.func  # type: ignore[attr-defined]
            receiver = base_path(func.value) if isinstance(func, ast.Attribute) else None
            if receiver is not None:
                use = NameUse(use.reads, use.writes, use.receivers | {receiver}, use.awaits)
            return use
        if cls in (ast.Await, ast.AsyncFor, ast.AsyncWith):
            use = _merge(kids)
            return NameUse(use.reads, use.writes, use.receivers, True)
        if cls is ast.AugAssign:
            use = _merge(kids)
            target = base_path(node.target)  # type: ignore[attr-defined]
            reads = use.reads | {target} if target is not None else use.reads
            return NameUse(reads, use.writes, use.receivers, use.awaits)
        if cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
            return self._compose_function(node)
        if cls in (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp):
            return self._compose_comprehension(node, kids)
        if cls is ast.ClassDef:
            use = _merge(kids)
            return NameUse(use.reads, use.writes | {node.name}, use.receivers, use.awaits)  # type: ignore[attr-defined]
        if cls in (ast.Import, ast.ImportFrom):
            names = frozenset((a.asname or a.name.split(".", 1)[0])
                              for a in node.names if a.name != "*")  # type: ignore[attr-defined]
            return NameUse(writes=names)
        bound = getattr(node, "name", None) if cls in _NAMING_NODES else None
        if cls is _MATCH_MAPPING:
            bound = node.rest  # type: ignore[attr-defined]
        use = _merge(kids)
        if isinstance(bound, str):
            use = NameUse(use.reads, use.writes | {bound}, use.receivers, use.awaits)
        return use

    def _compose_access(self, node: ast.AST, kids: List[NameUse]) -> NameUse:
        """``a.b`` reads the path ``a.b``; a store to ``a.b`` or ``a[k]``
        writes ``a.b`` or ``a`` (and reads the key)."""
        load = isinstance(node.ctx, ast.Load)  # type: ignore[attr-defined]
        path = access_path(node)
        if load and path is not None:
            return NameUse(reads=frozenset((path,)))
        if load:
            return _merge(kids)
        target = base_path(node)
        if target is None:
            return _merge(kids)
        inner = _merge([self.uses(n) for n in _subscripts_and_calls(node)])
        return NameUse(inner.reads, inner.writes | {target}, inner.receivers, inner.awaits)

    def _compose_function(self, node: ast.AST) -> NameUse:
        """A ``def`` binds its name and evaluates decorators, defaults and
        annotations; its body only captures (reads) the names it uses from
        outside.  A lambda binds nothing."""
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        outer: List[ast.AST] = [*getattr(node, "decorator_list", ()), *args.defaults,
                                *[d for d in args.kw_defaults if d is not None]]
        outer += [p.annotation for p in _param_nodes(args) if p.annotation is not None]
        if getattr(node, "returns", None) is not None:
            outer.append(node.returns)  # type: ignore[attr-defined]
        body = node.body if isinstance(node.body, list) else [node.body]  # type: ignore[attr-defined]
        inner = _merge([self.uses(stmt) for stmt in body])
        local = {p.arg for p in _param_nodes(args)} | {w for w in inner.writes if "." not in w}
        captured = frozenset(r for r in inner.reads if r.split(".", 1)[0] not in local)
        use = _merge([self.uses(n) for n in outer] + [NameUse(reads=captured)])
        writes = frozenset((node.name,)) if not isinstance(node, ast.Lambda) else frozenset()  # type: ignore[attr-defined]
        return NameUse(use.reads, use.writes | writes, use.receivers, use.awaits)

    def _compose_comprehension(self, node: ast.AST, kids: List[NameUse]) -> NameUse:
        """The loop variables are local to the comprehension; a walrus in it
        binds in the enclosing scope.  A generator expression runs lazily."""
        generators: List[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        local = set()
        for gen in generators:
            local |= self.uses(gen.target).writes
        use = _merge(kids)
        first_iter = self.uses(generators[0].iter)
        reads = frozenset(r for r in use.reads if r.split(".", 1)[0] not in local) | first_iter.reads
        writes = frozenset(w for w in use.writes if w.split(".", 1)[0] not in local)
        awaits = (use.awaits or any(g.is_async for g in generators)) \
            and not isinstance(node, ast.GeneratorExp)
        return NameUse(reads, writes, use.receivers, awaits or first_iter.awaits)

    def module_alias(self, module: str) -> Optional[str]:
        """The name a module-level ``import module [as name]`` binds the
        module to (``"aio"`` for ``import asyncio as aio``), None if there
        is none; a name rebound later to something else does not count."""
        key = ("module_alias", module)
        if key not in self.memo:
            found = None
            for name, bindings in self.module_scope.bindings.items():
                last = bindings[-1]
                if last.kind == "import" and isinstance(last.node, ast.Import) and any(
                        _binds_module(alias, module, name) for alias in last.node.names):
                    found = name
                    break
            self.memo[key] = found
        return self.memo[key]  # type: ignore[return-value]

    def names_module(self, name: str, module: str, scope: Scope, at: ast.AST) -> bool:
        """``name``, read at ``at`` in ``scope``, is the module ``module``
        (or unbound, so that a module-level import of it would be seen)."""
        binding = self.lookup(name, scope, at)
        if binding is None:
            return True
        return binding.kind == "import" and isinstance(binding.node, ast.Import) and any(
            _binds_module(alias, module, name) for alias in binding.node.names)
