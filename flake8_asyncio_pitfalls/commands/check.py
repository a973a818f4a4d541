"""``asyncio-pitfalls check PATH...``: report findings, flake8-style."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from .. import sources
from ..checker import run_rules
from ..config import Settings, settings_for_path
from ..noqa import filter_suppressed
from ..registry import Finding
from .options import add_selection_arguments, exclude_patterns, settings_from_args


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[sources.SourceError] = None


def check_source(path: str, source: sources.Source, settings: Settings) -> FileResult:
    """Findings in one decoded source, ``# noqa`` applied."""
    try:
        tree = sources.parse(source, path)
    except sources.SourceError as exc:
        return FileResult(path, error=exc)
    findings = run_rules(tree, settings, source.text)
    return FileResult(path, filter_suppressed(findings, source.lines, path))


def check_file(path: str, settings: Settings) -> FileResult:
    try:
        source = sources.read_stdin() if path == "-" else sources.read(path)
    except sources.SourceError as exc:
        return FileResult(path, error=exc)
    return check_source(path, source, settings)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories to check ('-' reads standard input)")
    add_selection_arguments(parser)
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the name to report for '-'")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings")


def format_text(result: FileResult, display: str) -> List[str]:
    if result.error is not None:
        err = result.error
        return [f"{display}:{err.line}:{err.col}: {err.code} {err.message}"]
    return [f"{display}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in result.findings]


def missing(path: str) -> sources.SourceError:
    return sources.SourceError("E902", f"FileNotFoundError: No such file or directory: {path!r}")


def collect(paths: Sequence[str], settings: Settings, exclude: Sequence[str],
            explicit_target: bool = False) -> List[FileResult]:
    results = []
    for path, exists in sources.discover(paths, exclude):
        if not exists:
            results.append(FileResult(path, error=missing(path)))
            continue
        results.append(check_file(path, settings_for_path(settings, path, explicit_target)))
    results.sort(key=lambda r: r.path)
    return results


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    results = collect(args.paths, settings, exclude_patterns(args),
                      explicit_target=bool(args.target_version))
    out = sys.stdout
    for result in results:
        display = args.stdin_filename if result.path == "-" and args.stdin_filename else result.path
        for line in format_text(result, display):
            out.write(line + "\n")
    if any(r.error is not None for r in results):
        return 2
    if any(r.findings for r in results) and not args.exit_zero:
        return 1
    return 0
