"""``asyncio-pitfalls fix PATH...``: rewrite fixable findings in place.

Exit codes: 0 nothing left to fix, 1 findings remain (with ``--check`` or
``--diff``: changes would be made), 2 a usage error or a file that could not
be read, parsed or written (reported; the other files are still fixed).
"""
from __future__ import annotations

import argparse
import difflib
import os
import stat
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import List, Optional, TextIO, Tuple

from .. import report, sources
from ..config import Settings
from ..registry import Finding, get_rule
from ..parallel import map_ordered
from .check import FileResult, missing, portable
from .options import SettingsResolver, add_selection_arguments, exclude_patterns


@dataclass
class FileFix:
    path: str
    source: Optional[sources.Source] = None
    outcome: object = None  # fixes.FixOutcome
    new_raw: bytes = b""
    error: Optional[sources.SourceError] = None
    #: remaining findings that ``--unsafe-fixes`` would fix
    unsafe_fixable: List[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.error is None and self.source is not None and self.new_raw != self.source.raw


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories to fix ('-' fixes standard input "
                             "and writes the result to standard output)")
    add_selection_arguments(parser)
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also apply unsafe fixes (they may change behaviour: threads, "
                             "ordering, timing)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true",
                      help="print a unified diff of the fixes and write nothing")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any file would change")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the name of the file on standard input (for messages and "
                             "the pyproject.toml lookup)")


def fix_source(path: str, source: sources.Source, settings: Settings, unsafe: bool) -> FileFix:
    from ..fixes import engine  # libcst only for files with fixes to make (fixes/apply.py)

    result = FileFix(path, source)
    try:
        outcome = engine.fix_text(source.text, settings, unsafe, path)
        result.new_raw = outcome.text.encode(source.encoding) if outcome.changed else source.raw
    except sources.SourceError as exc:
        result.error = exc
        return result
    except UnicodeEncodeError as exc:
        result.error = sources.SourceError(
            "E902", f"the fixed text cannot be encoded as {source.encoding}: {exc}")
        return result
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the others
        result.error = sources.SourceError("E902", "internal error while fixing (file left "
                                                   f"unchanged): {type(exc).__name__}: {exc}")
        return result
    result.outcome = outcome
    if not unsafe:
        result.unsafe_fixable = [f for f in engine.fixable(outcome.remaining, settings, True)
                                 if not get_rule(f.code).fix.safe]  # type: ignore[union-attr]
    return result


def _read(path: str) -> sources.Source:
    """The file's source; a path that is not a regular file is refused (a
    FIFO would block, a device has no place to be written back)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise sources.SourceError("E902", f"not a regular file: {path!r}")
    except OSError as exc:
        raise sources.SourceError("E902", f"{type(exc).__name__}: {exc}") from None
    return sources.read(path)


def write_atomic(path: str, data: bytes, original: bytes) -> None:
    """Replace the file's content at once: a temporary file in the same
    directory, with the file's permissions, renamed over it; a symlink is
    followed, not replaced.  Refused when the file is not writable or
    changed since it was read."""
    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    # No write bit counts as read-only even for root, whom os.access lets write.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise sources.SourceError("E902", f"PermissionError: the file is read-only: {path!r}")
    with open(target, "rb") as handle:
        if handle.read() != original:
            raise sources.SourceError("E902", f"the file changed while being fixed: {path!r}")
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".aio-fix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        info = os.stat(target)
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()) and hasattr(os, "chown"):
            try:  # keep the owner when allowed to (root fixing someone's file)
                os.chown(temp, info.st_uid, info.st_gid)
            except OSError:
                pass
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _display(path: str, args: argparse.Namespace) -> str:
    return args.stdin_filename if path == "-" and args.stdin_filename else path


def _fix_path(item: Tuple[str, Settings, bool]) -> FileFix:
    """Read and fix one file (in a worker process with ``--jobs``); the
    result carries no rule fix data, only what is reported."""
    path, settings, unsafe = item
    try:
        source = sources.read_stdin() if path == "-" else _read(path)
    except sources.SourceError as exc:
        return FileFix(path, error=exc)
    fix = fix_source(path, source, settings, unsafe)
    outcome = fix.outcome
    if outcome is not None:
        outcome.fixed = [portable(f) for f in outcome.fixed]  # type: ignore[attr-defined]
        outcome.remaining = [portable(f) for f in outcome.remaining]  # type: ignore[attr-defined]
        outcome.dropped = [replace(d, finding=portable(d.finding))  # type: ignore[attr-defined]
                           for d in outcome.dropped]  # type: ignore[attr-defined]
    fix.unsafe_fixable = [portable(f) for f in fix.unsafe_fixable]
    return fix


def _summary(fixes: List[FileFix], would: bool) -> str:
    fixed = sum(len(f.outcome.fixed) for f in fixes if f.outcome is not None and f.changed)
    files = sum(1 for f in fixes if f.changed)
    more = sum(len(f.unsafe_fixable) for f in fixes)
    verb = "Would fix" if would else "Fixed"
    text = f"{verb} {fixed} finding{'s' * (fixed != 1)} in {files} file{'s' * (files != 1)}"
    if more:
        text += f"; {more} more fixable with --unsafe-fixes"
    return text


def _report(fix: FileFix, display: str, out: TextIO, err: TextIO, would: bool) -> None:
    if fix.error is not None:
        err.write(report.text([FileResult(display, error=fix.error)]))
        return
    outcome = fix.outcome
    for dropped in outcome.dropped:  # type: ignore[attr-defined]
        f = dropped.finding
        err.write(f"{display}:{f.line}:{f.col + 1}: {f.code} fix dropped: {dropped.reason}\n")
    if fix.changed:
        counts = Counter(f.code for f in outcome.fixed)  # type: ignore[attr-defined]
        total = sum(counts.values())
        detail = ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items()))
        verb = "would fix" if would else "fixed"
        out.write(f"{display}: {verb} {total} finding{'s' * (total != 1)} ({detail})\n")
    if not would:
        for f in outcome.remaining:  # type: ignore[attr-defined]
            out.write(f"{display}:{f.line}:{f.col + 1}: {f.code} {f.message}\n")


def _diff(fix: FileFix, display: str) -> str:
    assert fix.source is not None and fix.outcome is not None
    old = fix.source.text.splitlines(keepends=True)
    new = fix.outcome.text.splitlines(keepends=True)  # type: ignore[attr-defined]
    return "".join(difflib.unified_diff(old, new, f"a/{display}", f"b/{display}"))


def run(args: argparse.Namespace) -> int:
    resolver = SettingsResolver(args)
    would = args.check or args.diff
    stdin_mode = "-" in args.paths
    if stdin_mode and len(args.paths) > 1:
        print("asyncio-pitfalls: error: '-' cannot be combined with other paths", file=sys.stderr)
        return 2
    # Standard output carries the diff or the fixed buffer when there is one.
    out = sys.stderr if stdin_mode or args.diff else sys.stdout
    fixes: List[FileFix] = []
    found = list(sources.discover(args.paths, exclude_patterns(args)))
    work = [(path, resolver.for_path(path), args.unsafe_fixes) for path, exists in found if exists]
    if args.jobs > 1 and len(work) > 1:
        from ..fixes import apply  # noqa: F401  (libcst loaded once: forked workers inherit it)
    # files are read and fixed by --jobs processes; written and reported here, in order
    done = map_ordered(_fix_path, work, args.jobs)
    for path, exists in found:
        fix = next(done) if exists else FileFix(path, error=missing(path))
        display = _display(path, args)
        if fix.error is None and fix.changed and not would and path != "-":
            try:
                write_atomic(path, fix.new_raw, fix.source.raw)  # type: ignore[union-attr]
            except (OSError, sources.SourceError) as exc:
                fix.error = exc if isinstance(exc, sources.SourceError) else \
                    sources.SourceError("E902", f"{type(exc).__name__}: {exc}")
        if fix.error is None and args.diff and fix.changed:
            sys.stdout.write(_diff(fix, display))
        if path == "-" and not args.diff:
            if args.check:
                pass
            elif fix.error is None:
                sys.stdout.buffer.write(fix.new_raw)
            elif fix.source is not None:
                sys.stdout.buffer.write(fix.source.raw)  # unchanged, never lost
        _report(fix, display, out, sys.stderr, would)
        fixes.append(fix)
    out.write(_summary(fixes, would) + "\n")
    out.flush()
    if any(f.error is not None for f in fixes):
        return 2
    if would:
        return 1 if any(f.changed for f in fixes) else 0
    return 1 if any(f.outcome is not None and f.outcome.remaining for f in fixes) else 0
