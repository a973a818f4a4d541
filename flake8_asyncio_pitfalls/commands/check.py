"""``asyncio-pitfalls check PATH...``: report findings (flake8-style text,
JSON, GitHub annotations or SARIF; see ``report.py``)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from .. import report, sources
from ..checker import detect
from ..config import Settings
from ..parallel import map_ordered
from ..registry import Finding, FixData
from .options import SettingsResolver, add_selection_arguments, exclude_patterns


NOT_FIXABLE = FixData(fixable=False)


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[sources.SourceError] = None
    settings: Settings = field(default_factory=Settings)
    #: the text of the non-ASCII lines that findings start or end on, to
    #: turn the AST's UTF-8 byte columns into character columns
    wide_lines: Dict[int, str] = field(default_factory=dict)

    def char_col(self, line: int, byte_col: int) -> int:
        text = self.wide_lines.get(line)
        if text is None:
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def check_source(path: str, source: sources.Source, settings: Settings) -> FileResult:
    """Findings in one decoded source, ``# noqa`` applied."""
    try:
        _, findings = detect(source.text, settings, path, release=True)
    except sources.SourceError as exc:
        return FileResult(path, error=exc, settings=settings)
    lines = sources.split_lines(source.text) if findings else []
    wide = {n: lines[n - 1] for f in findings for n in (f.line, f.end_line or f.line)
            if 0 < n <= len(lines) and not lines[n - 1].isascii()}
    findings = [portable(f) for f in findings]
    return FileResult(path, findings, settings=settings, wide_lines=wide)


def portable(finding: Finding) -> Finding:
    """The finding without the rule's fix data (which can be large and need
    not survive the trip back from a worker process), keeping only whether
    the fix applies at this place."""
    fixable = getattr(finding.fix_data, "fixable", True)
    return replace(finding, fix_data=None if fixable else NOT_FIXABLE)


def check_file(path: str, settings: Settings) -> FileResult:
    try:
        source = sources.read(path)
    except sources.SourceError as exc:
        return FileResult(path, error=exc, settings=settings)
    return check_source(path, source, settings)


def missing(path: str) -> sources.SourceError:
    return sources.SourceError("E902", f"FileNotFoundError: No such file or directory: {path!r}")


def _check_item(item: Tuple[str, Settings]) -> FileResult:
    return check_file(*item)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories to check ('-' reads standard input)")
    add_selection_arguments(parser)
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the name to report for '-' (its directory is where the "
                             "configuration is looked for)")
    parser.add_argument("--format", choices=report.FORMATS, default="text",
                        help="text (flake8's path:line:col: CODE message), json, "
                             "github (workflow annotations) or sarif (SARIF 2.1.0)")
    parser.add_argument("--statistics", action="store_true",
                        help="print how many times each code was found instead of the findings")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings")


def collect(paths: Sequence[str], resolver: SettingsResolver, exclude: Sequence[str],
            jobs: int = 1) -> List[FileResult]:
    """Results of every discovered file, sorted by path; files are read and
    checked by ``jobs`` processes, standard input here."""
    absent, stdin, work = [], [], []
    for path, exists in sources.discover(paths, exclude):
        settings = resolver.for_path(path)
        if not exists:
            absent.append(FileResult(path, settings=settings, error=missing(path)))
        elif path == "-":
            try:
                stdin.append(check_source(path, sources.read_stdin(), settings))
            except sources.SourceError as exc:
                stdin.append(FileResult(path, error=exc, settings=settings))
        else:
            work.append((path, settings))
    results = absent + stdin + list(map_ordered(_check_item, work, jobs))
    results.sort(key=lambda r: r.path)
    return results


def run(args: argparse.Namespace) -> int:
    if args.statistics and args.format != "text":
        print("asyncio-pitfalls: error: --statistics prints a text table; "
              "it cannot be combined with --format", file=sys.stderr)
        return 2
    resolver = SettingsResolver(args)
    results = collect(args.paths, resolver, exclude_patterns(args), args.jobs)
    if args.stdin_filename:
        for result in results:
            if result.path == "-":
                result.path = args.stdin_filename
    render = report.statistics if args.statistics else report.RENDERERS[args.format]
    sys.stdout.write(render(results))
    if any(r.error is not None for r in results):
        return 2
    if any(r.findings for r in results) and not args.exit_zero:
        return 1
    return 0
