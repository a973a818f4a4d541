"""The fix engine: findings in, fixed source out, nothing trusted blind.

One *round* parses the source with libcst, finds for every fixable finding
the node its rule rewrites (``Rule.fix_target`` starting at the finding's
anchor), and calls the rules' ``fix_node`` bottom-up in one transformer
(``apply.py``; libcst is imported only when a file has something to fix).
The result must compile, keep every comment, leave alone every line whose
``# noqa`` suppresses the fix's code, and detection run on it again must
no longer report what was fixed.  A round that fails is split: each
fix is tried on its own, the failing ones are dropped (and reported), the
rest applied.
Rounds repeat on the new source until no fixable finding is left, so fixes
that expose other fixable findings converge, and a second run of the
command finds nothing to do.
"""
from __future__ import annotations

import ast
import difflib
import functools
import io
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Set, Tuple

from .. import sources
from ..checker import detect
from ..config import Settings
from ..noqa import suppresses
from ..registry import Finding, get_rule

#: Rounds before giving up on a file whose fixes keep exposing new ones.
MAX_ROUNDS = 10


@dataclass(frozen=True)
class Dropped:
    """A fix that was tried and failed verification (or raised)."""

    finding: Finding
    reason: str


@dataclass
class FixOutcome:
    original: str
    text: str
    fixed: List[Finding] = field(default_factory=list)
    dropped: List[Dropped] = field(default_factory=list)
    #: unsuppressed findings of the selected rules left in ``text``
    remaining: List[Finding] = field(default_factory=list)
    #: fixable findings of ``remaining`` left as they are because their fix
    #: would change a line whose ``# noqa`` suppresses their code
    held: List[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass
class Attempt:
    text: str = ""
    applied: List[Finding] = field(default_factory=list)
    declined: List[Finding] = field(default_factory=list)
    errors: List[Dropped] = field(default_factory=list)
    problem: Optional[str] = None
    #: the problem is a line the fix would change whose ``# noqa``
    #: suppresses the fix's code: the fix is declined, not dropped
    noqa: bool = False
    unparsable: bool = False
    #: the problem is that this code is reported as often as before the fix
    still_reported: Optional[str] = None
    tree: Optional[ast.Module] = None
    findings: List[Finding] = field(default_factory=list)


#: lines as the parser numbers them, asked once per finding of the same text
split_lines = functools.lru_cache(maxsize=4)(sources.split_lines)


def fixable(findings: Iterable[Finding], settings: Settings, unsafe: bool) -> List[Finding]:
    return [f for f in findings if get_rule(f.code).fixable(f, settings, unsafe)]


def fix_text(text: str, settings: Settings, unsafe: bool = False,
             path: str = "<unknown>") -> FixOutcome:
    """Apply every fixable finding's fix to ``text`` (see the module
    docstring).  Raises :class:`sources.SourceError` if ``text`` does not
    parse or is too deeply nested for libcst; never returns text that does
    not compile."""
    tree, findings = detect(text, settings, path)
    outcome = FixOutcome(text, text)
    # Findings a fix declined or failed on, by code and source text, so
    # that later rounds do not try them again.
    skip: Set[Tuple[str, str]] = set()
    held: Set[Tuple[str, str]] = set()
    rounds = 0
    while True:
        jobs = [f for f in fixable(findings, settings, unsafe) if _key(text, f) not in skip]
        if not jobs:
            break
        rounds += 1
        if rounds > MAX_ROUNDS:
            outcome.dropped.extend(Dropped(f, "fixes did not converge") for f in jobs)
            break
        attempt = _attempt(text, tree, findings, jobs, settings, path)
        if attempt.unparsable:  # no fix can work on this text
            outcome.dropped.extend(Dropped(f, attempt.problem or "") for f in jobs)
            break
        if attempt.still_reported and any(f.code != attempt.still_reported for f in jobs):
            # Other rules' fixes may have exposed new findings of that code
            # (AIO103's awaits form an AIO301 run): its fixes wait a round.
            waiting = attempt.still_reported
            attempt = _attempt(text, tree, findings, [f for f in jobs if f.code != waiting],
                               settings, path)
        if attempt.problem is not None:
            attempt = _isolate(text, tree, findings, jobs, settings, path, outcome, skip, held)
        for dropped in attempt.errors:
            outcome.dropped.append(dropped)
            skip.add(_key(text, dropped.finding))
        skip.update(_key(text, f) for f in attempt.declined)
        if not attempt.applied:
            continue
        outcome.fixed.extend(attempt.applied)
        # Keys of the new text: positions moved, source segments did not.
        text, tree, findings = attempt.text, attempt.tree, attempt.findings  # type: ignore

    outcome.text = text
    outcome.remaining = findings
    outcome.held = [f for f in findings if _key(text, f) in held]
    return outcome


def _isolate(text: str, tree: ast.Module, findings: List[Finding], jobs: List[Finding],
             settings: Settings, path: str, outcome: FixOutcome,
             skip: Set[Tuple[str, str]], held: Set[Tuple[str, str]]) -> Attempt:
    """A combined round failed: try each fix alone, drop those that fail,
    apply the others together (or, if they only fail together, the first)."""
    good: List[Finding] = []
    declined: List[Finding] = []
    for job in jobs:
        single = _attempt(text, tree, findings, [job], settings, path)
        if single.noqa:
            declined.append(job)
            held.add(_key(text, job))
        elif single.problem is not None or single.errors:
            reason = single.problem or single.errors[0].reason
            outcome.dropped.append(Dropped(job, reason))
            skip.add(_key(text, job))
        elif single.applied:
            good.append(job)
        else:
            declined.append(job)
    attempt = Attempt(text=text, declined=declined)
    if good:
        attempt = _attempt(text, tree, findings, good, settings, path)
        if attempt.problem is not None:
            attempt = _attempt(text, tree, findings, good[:1], settings, path)
        attempt.declined.extend(declined)
    return attempt


def _attempt(text: str, tree: ast.Module, findings: List[Finding], jobs: List[Finding],
             settings: Settings, path: str) -> Attempt:
    """One libcst pass applying ``jobs``, then its verification."""
    from .apply import rewrite  # libcst is loaded only for files with fixes to make

    result = Attempt(text=text)
    new_text = rewrite(text, tree, jobs, settings, path, result)
    if new_text is not None:
        result.problem = _verify(text, new_text, findings, result, settings, path)
    return result


def _verify(text: str, new_text: str, findings: List[Finding], result: Attempt,
            settings: Settings, path: str) -> Optional[str]:
    # compile() is the parse check, and a stricter one than libcst's parser
    # (it also rejects an await outside a coroutine); re-parsing with libcst
    # would double the cost of fixing.
    try:
        compile(new_text, path, "exec", dont_inherit=True)
        tree, new_findings = detect(new_text, settings, path)
    except (SyntaxError, ValueError, sources.SourceError) as exc:
        return f"the fixed code does not compile: {exc}"
    except Exception as exc:  # noqa: BLE001 - a rule failing on the result rejects it
        return f"detection failed on the fixed code: {type(exc).__name__}: {exc}"
    lost = comments(text) - comments(new_text)
    if lost:
        return f"the fix would lose a comment: {next(iter(lost))}"
    suppressed = _touched_noqa(text, new_text, {f.code for f in result.applied})
    if suppressed:
        result.noqa = True
        return f"the fix would change a line whose noqa suppresses {suppressed}"
    before = Counter(f.code for f in findings)
    after = Counter(f.code for f in new_findings)
    for code, count in Counter(f.code for f in result.applied).items():
        if after[code] > before[code] - count:
            result.still_reported = code
            return f"{code} is still reported after the fix"
    result.text, result.tree, result.findings = new_text, tree, new_findings
    return None


def _touched_noqa(text: str, new_text: str, codes: Set[str]) -> Optional[str]:
    """A code of ``codes`` that a ``# noqa`` on a line the rewrite changes
    suppresses: a fix leaves such a line alone, even when the finding it
    fixes is reported on another line (a loop, a run of statements)."""
    if "noqa" not in text.lower():
        return None
    old = split_lines(text)
    matcher = difflib.SequenceMatcher(None, old, split_lines(new_text), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        for line in old[i1:i2]:
            for code in sorted(codes):
                if suppresses(line, code):
                    return code
    return None


def comments(text: str) -> Counter:
    """The comments of a source (a multiset: fixes may move them, not drop them)."""
    if "#" not in text:
        return Counter()
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(tok.string.rstrip() for tok in tokens if tok.type == tokenize.COMMENT)


def char_col(lines: List[str], line: int, col: int) -> int:
    if not 0 < line <= len(lines):
        return col
    return len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


def _key(text: str, finding: Finding) -> Tuple[str, str]:
    """A finding's identity across rounds: its code and source text."""
    lines = split_lines(text)
    if not 0 < finding.line <= len(lines):
        return (finding.code, "")
    end_line = finding.end_line or finding.line
    chunk = "".join(lines[finding.line - 1:end_line]).encode("utf-8")
    last = len("".join(lines[finding.line - 1:end_line - 1]).encode("utf-8"))
    end = last + finding.end_col if finding.end_col is not None else len(chunk)
    return (finding.code, chunk[finding.col:end].decode("utf-8", "replace"))
