"""The rule registry: the one place where each rule is defined.

A rule is a class (in the spirit of Fixit 2) that carries everything about it:
its code, kebab-case name, message template, documentation, fix safety,
default on/off, and the valid/invalid examples that become its tests.  Rule
classes register themselves by subclassing :class:`Rule`; the flake8 plugin,
the command line, the docs and the tests all read :func:`all_rules`.

Detection is split between the shared module analysis (see ``analysis.py``),
which walks the tree once, and a rule's ``check`` method, which is handed the
nodes of the types it asked for (``node_types``) together with their scope.
"""
from __future__ import annotations

import ast
import functools
import textwrap
from dataclasses import dataclass
from typing import (TYPE_CHECKING, ClassVar, Dict, FrozenSet, Iterable, Iterator, List, Optional,
                    Tuple, Union)

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import ModuleView, Scope
    from .config import Settings

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class FixSpec:
    """How a rule's fix behaves: safe fixes run by default, unsafe ones only
    with ``--unsafe-fixes``; ``min_python`` is the lowest target version the
    rewritten code runs on (the fix is not offered below it)."""

    safety: str
    description: str
    min_python: Tuple[int, int] = (3, 9)

    @property
    def safe(self) -> bool:
        return self.safety == SAFE


@dataclass(frozen=True)
class FixData:
    """What a rule may hand its fix through ``report(node, fix_data=...)``
    (subclass it to carry more).  ``anchor`` = ``(line, col)`` in ``ast``
    coordinates (col in UTF-8 bytes) of the node the fix rewrites, when that
    is not the reported node; ``fixable=False`` says detection already knows
    the fix cannot apply here (the finding then never counts as fixable)."""

    anchor: Optional[Tuple[int, int]] = None
    fixable: bool = True


@dataclass(frozen=True)
class Finding:
    """One problem found in one file.  ``line`` is 1-based, ``col`` 0-based
    (as in the ``ast``; flake8 and the commands print ``col + 1``)."""

    code: str
    line: int
    col: int
    message: str
    end_line: Optional[int] = None
    end_col: Optional[int] = None
    # Data the rule's fix needs (kept out of equality and hashing).
    fix_data: object = None

    def sort_key(self) -> Tuple[int, int, str]:
        return (self.line, self.col, self.code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.code, self.line, self.col, self.message) == (
            other.code, other.line, other.col, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.line, self.col, self.message))


_RULES: Dict[str, "type[Rule]"] = {}


class Rule:
    """Base class of every rule.  Subclasses set the class attributes below
    and implement :meth:`check` (called once per collected node of one of
    ``node_types``) and, if the rule needs the whole module first,
    :meth:`finish` (called once after every node has been seen)."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    #: ``str.format`` template; its fields are filled from ``report(**fields)``.
    message: ClassVar[str] = ""
    #: One paragraph: what the rule flags ("What it does").
    summary: ClassVar[str] = ""
    #: Why the flagged code is a problem ("Why is this bad?").
    rationale: ClassVar[str] = ""
    #: Code that is flagged, and the same code written as recommended.
    example: ClassVar[str] = ""
    use_instead: ClassVar[str] = ""
    #: Python-version notes (deprecations, removals, what a fix needs).
    since: ClassVar[str] = ""
    fix: ClassVar[Optional[FixSpec]] = None
    default_enabled: ClassVar[bool] = True
    #: Source snippets this rule must flag / must leave alone (become tests).
    invalid: ClassVar[Tuple[str, ...]] = ()
    valid: ClassVar[Tuple[str, ...]] = ()
    #: AST node types the walk collects for this rule (``view.nodes``) and
    #: hands to :meth:`check`, less those ``async_only`` and ``names`` rule out.
    node_types: ClassVar[Tuple[type, ...]] = ()
    #: Words that any source this rule can flag contains: every entry must
    #: occur, an entry being a word or a tuple of words one of which is
    #: enough (``("asyncio", ("wait", "gather"))``: "asyncio" and "wait" or
    #: "gather").  A file failing the test of every enabled rule is neither
    #: walked nor parsed beyond a syntax check.  Empty: always run.  (A rule
    #: that resolves a name to ``asyncio.X`` needs "asyncio": only an import
    #: spelling it can bind the module.)
    triggers: ClassVar[Tuple[Union[str, Tuple[str, ...]], ...]] = ()
    #: ``triggers`` with every entry as a tuple of alternatives
    trigger_groups: ClassVar[Tuple[Tuple[str, ...], ...]] = ()
    #: :meth:`check` ignores nodes outside async context (``scope.is_async``
    #: false): the runner does not hand it those at all.
    async_only: ClassVar[bool] = False
    #: :meth:`check` ignores every call, attribute and name but those that
    #: may resolve to one of these dotted names, or have one of these
    #: method or attribute names (empty: it looks at all nodes of
    #: ``node_types``); see :meth:`name_parts`.
    names: ClassVar[FrozenSet[str]] = frozenset()
    #: The libcst node type a fix rewrites (``fix_node`` gets the innermost
    #: node of this type starting at the finding's anchor); ``libcst.Module``
    #: for module-wide fixes.  Give the libcst class name as a string
    #: ("Call"), or a tuple of names for several types (("For", "ListComp")),
    #: so that rule modules need not import libcst: the check path (flake8,
    #: ``asyncio-pitfalls check``) never loads it.  Classes work too.
    fix_target: ClassVar[object] = "Call"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.code:  # abstract intermediate classes
            return
        if cls.code in _RULES:
            raise RuntimeError(f"rule {cls.code} registered twice")
        for attr in ("name", "message", "summary", "rationale"):
            if not getattr(cls, attr):
                raise RuntimeError(f"rule {cls.code} lacks {attr}")
        cls.trigger_groups = tuple((entry,) if isinstance(entry, str) else tuple(entry)
                                   for entry in cls.triggers)
        _RULES[cls.code] = cls

    def __init__(self, view: "ModuleView", settings: "Settings") -> None:
        self.view = view
        self.settings = settings
        self.findings: List[Finding] = []

    # -- hooks ---------------------------------------------------------------
    def check(self, node: ast.AST, scope: "Scope") -> None:
        """Inspect one node of ``node_types``; call :meth:`report`."""

    def finish(self) -> None:
        """Called after every node was checked (for module-wide rules)."""

    # -- helpers -------------------------------------------------------------
    def report(self, node: ast.AST, fix_data: object = None, **fields: object) -> None:
        self.findings.append(
            Finding(
                code=self.code,
                line=node.lineno,  # type: ignore[attr-defined]
                col=node.col_offset,  # type: ignore[attr-defined]
                message=self.message.format(**fields),
                end_line=getattr(node, "end_lineno", None),
                end_col=getattr(node, "end_col_offset", None),
                fix_data=fix_data,
            )
        )

    def fix_node(self, node: object, finding: Finding, ctx: object) -> object:
        """The fix: given the (already updated) libcst node of ``fix_target``
        and a ``FixContext``, return its replacement (a node, a
        ``libcst.FlattenSentinel`` or ``libcst.RemovalSentinel.REMOVE``), or
        None to decline.  Only called when ``fix`` is set."""
        return None

    @classmethod
    def name_parts(cls, settings: "Settings") -> FrozenSet[str]:
        """The last parts of the names of the calls, attributes and names
        :meth:`check` looks at (empty: all).  The runner hands it only
        the nodes that may have one of them (``analysis.NameIndex``): an
        attribute of that name, or a name that is one of them (a builtin)
        or that an import binds (an alias may stand for any name)."""
        return frozenset(name.rsplit(".", 1)[-1] for name in cls.names)

    @classmethod
    def fix_available(cls, settings: "Settings") -> bool:
        """A fix exists and the target Python has what it needs."""
        return cls.fix is not None and settings.target_version >= cls.fix.min_python

    @classmethod
    def fixable(cls, finding: Finding, settings: "Settings", unsafe: bool) -> bool:
        """The fix command would try to fix this finding (in safe mode, or
        with ``--unsafe-fixes``)."""
        return (cls.fix_available(settings) and (unsafe or cls.fix.safe)  # type: ignore[union-attr]
                and getattr(finding.fix_data, "fixable", True))

    @classmethod
    def doc(cls, attr: str) -> str:
        return textwrap.dedent(getattr(cls, attr)).strip()


def all_rules() -> List["type[Rule]"]:
    """Every registered rule, sorted by code."""
    _load_rules()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> "type[Rule]":
    _load_rules()
    return _RULES[code]


def codes() -> List[str]:
    return [rule.code for rule in all_rules()]


def _load_rules() -> None:
    # Importing the package registers every rule class it defines.
    from . import rules  # noqa: F401


def _longest_match(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def is_enabled(
    code: str,
    default_enabled: bool,
    select: Optional[Iterable[str]] = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> bool:
    """flake8's decision, for our codes: an explicit ``select`` replaces the
    defaults (and so can turn on an off-by-default rule), ``extend_select``
    adds to them; between a matching select and ignore prefix the longer
    (more specific) one wins, a tie goes to ignore."""
    if select is not None:
        selected = _longest_match(code, select)
    else:
        selected = 0 if default_enabled else -1
    selected = max(selected, _longest_match(code, extend_select))
    if selected < 0:
        return False
    return selected > _longest_match(code, ignore)


@functools.lru_cache(maxsize=32)  # asked for every file, with a few distinct settings
def enabled_rules(settings: "Settings") -> Tuple["type[Rule]", ...]:
    return tuple(
        rule
        for rule in all_rules()
        if is_enabled(rule.code, rule.default_enabled, settings.select,
                      settings.ignore, settings.extend_select)
    )


def iter_rules_by_prefix(prefix: str) -> Iterator["type[Rule]"]:
    return (rule for rule in all_rules() if rule.code.startswith(prefix))
