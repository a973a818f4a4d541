"""``# noqa`` as flake8 reads it, for the commands (flake8 applies it itself
for the plugin).  flake8's own regexes and ``Violation.is_inline_ignored``
decide; what we add is flake8's mapping of a multi-line statement's lines to
the whole statement's text, so that a ``# noqa`` anywhere on it counts."""
from __future__ import annotations

import ast
import io
import tokenize
from typing import Dict, List, Optional, Sequence, Set

from flake8.defaults import NOQA_FILE, NOQA_INLINE_REGEXP
from flake8.violation import Violation

from .registry import Finding


def file_is_disabled(lines: Sequence[str]) -> bool:
    """``# flake8: noqa`` on a line of its own disables the whole file."""
    return any(NOQA_FILE.match(line) for line in lines)


def _line_mapping(lines: Sequence[str]) -> Dict[int, str]:
    """Line number -> text of all the lines of its logical line (flake8's
    ``FileProcessor._noqa_line_mapping``)."""
    mapping: Dict[int, str] = {}
    readline = io.StringIO("".join(lines)).readline
    low, high = len(lines) + 2, -1
    try:
        for tok in tokenize.generate_tokens(readline):
            if tok.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            low, high = min(low, tok.start[0]), max(high, tok.end[0])
            if tok.type in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[low - 1:high])
                for number in range(low, high + 1):
                    mapping[number] = joined
                low, high = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return mapping


_STRING_NODES = (ast.Constant, ast.JoinedStr) + tuple(
    getattr(ast, n) for n in ("TemplateStr",) if hasattr(ast, n))


def _joinable_lines(lines: Sequence[str], tree: ast.AST) -> Set[int]:
    """A superset of the lines that belong to a multi-line stretch of
    tokens in flake8's mapping: the lines of strings that span lines, and
    the lines on both sides of a backslash continuation.  Any other line
    maps to itself, so the file need not be tokenized for it."""
    joinable: Set[int] = set()
    # Only nodes spanning lines can hold a string that does: the walk does
    # not enter the others (most expressions), nor a multi-line string.
    stack = [tree]
    while stack:
        for child in ast.iter_child_nodes(stack.pop()):
            end = getattr(child, "end_lineno", None)
            if end is None:  # no position: arguments, comprehension, withitem...
                stack.append(child)
            elif end > child.lineno or getattr(child, "decorator_list", None):  # type: ignore[attr-defined]
                # (a one-line def's decorators stand on the lines above it)
                if child.__class__ in _STRING_NODES:
                    joinable.update(range(child.lineno, end + 1))  # type: ignore[attr-defined]
                else:
                    stack.append(child)
    for number, line in enumerate(lines, 1):
        if line.rstrip("\r\n").endswith("\\"):
            joinable.update((number, number + 1))
    return joinable


def _needs_mapping(findings: List[Finding], lines: Sequence[str], tree: ast.AST) -> bool:
    """Whether a finding's line may be joined to others of which one has a
    ``noqa`` (the only case where flake8's mapping changes the outcome).
    Lines that the tokenizer would number differently from the parser
    (a lone ``\\r``, a form feed split off) leave the question to it."""
    if not all(line.endswith("\n") for line in lines[:-1]):
        return True
    joinable = _joinable_lines(lines, tree)
    for finding in findings:
        line = finding.line
        if line not in joinable:
            continue
        low = high = line  # the run of joinable lines around it
        while low - 1 in joinable:
            low -= 1
        while high + 1 in joinable:
            high += 1
        if any("noqa" in text.lower() for text in lines[low - 1:high]):
            return True
    return False


def suppresses(line: str, code: str) -> bool:
    """Whether a ``# noqa`` on this physical line suppresses ``code``."""
    if not NOQA_INLINE_REGEXP.search(line):
        return False
    return Violation(code, "", 1, 1, "", line).is_inline_ignored(disable_noqa=False)


def filter_suppressed(findings: List[Finding], lines: Sequence[str], path: str = "",
                      tree: Optional[ast.AST] = None) -> List[Finding]:
    """The findings no ``# noqa`` comment suppresses.  With the module's
    ``tree``, the file is tokenized only when a multi-line token or
    continuation may carry a ``noqa`` to a finding's line."""
    if not findings:
        return findings
    if file_is_disabled(lines):
        return []
    if not any(NOQA_INLINE_REGEXP.search(line) for line in lines):
        return findings
    mapping = _line_mapping(lines) if tree is None or _needs_mapping(findings, lines, tree) else {}
    kept = []
    for finding in findings:
        physical = mapping.get(finding.line)
        if physical is None and 0 < finding.line <= len(lines):
            physical = lines[finding.line - 1]
        violation = Violation(finding.code, path, finding.line, finding.col + 1,
                              finding.message, physical)
        if not violation.is_inline_ignored(disable_noqa=False):
            kept.append(finding)
    return kept
