"""``# noqa`` as flake8 reads it, for the commands (flake8 applies it itself
for the plugin).  flake8's own regexes and ``Violation.is_inline_ignored``
decide; what we add is flake8's mapping of a multi-line statement's lines to
the whole statement's text, so that a ``# noqa`` anywhere on it counts."""
from __future__ import annotations

import io
import tokenize
from typing import Dict, List, Sequence

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


def suppresses(line: str, code: str) -> bool:
    """Whether a ``# noqa`` on this physical line suppresses ``code``."""
    if not NOQA_INLINE_REGEXP.search(line):
        return False
    return Violation(code, "", 1, 1, "", line).is_inline_ignored(disable_noqa=False)


def filter_suppressed(findings: List[Finding], lines: Sequence[str], path: str = "") -> List[Finding]:
    """The findings no ``# noqa`` comment suppresses."""
    if not findings:
        return findings
    if file_is_disabled(lines):
        return []
    if not any(NOQA_INLINE_REGEXP.search(line) for line in lines):
        return findings
    mapping = _line_mapping(lines)
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
