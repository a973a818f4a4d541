"""What libcst alone costs on the files that ``fix`` must rewrite: the floor
under figure (f) of the benchmark, whatever our own code does.

    python bench/fix_floor.py

Over the corpus, in one process, best of ``--runs``: ``ast.parse`` of every
file (as (a), without start-up), then, on the files that hold a fixable
finding (``fix --unsafe-fixes``), ``libcst.parse_module`` and the code
generation of the parsed module.  Also the share of those files' bytes held
by the top-level statements (and by the methods of top-level classes) that
hold a fixable finding: what libcst would still parse if it were handed only
the statements to rewrite.
"""
from __future__ import annotations

import argparse
import ast
import gc
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import corpus_files  # noqa: E402

import libcst  # noqa: E402

from flake8_asyncio_pitfalls import sources  # noqa: E402
from flake8_asyncio_pitfalls.checker import detect  # noqa: E402
from flake8_asyncio_pitfalls.config import Settings  # noqa: E402
from flake8_asyncio_pitfalls.fixes.engine import fixable  # noqa: E402


def best(runs: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def fix_lines(files: List[str], settings: Settings) -> Dict[str, List[Tuple[int, int]]]:
    """File -> the line spans of its fixable findings."""
    found = {}
    for path in files:
        try:
            text = sources.read(path).text
            _, findings = detect(text, settings, path)
        except sources.SourceError:
            continue
        spans = [(f.line, f.end_line or f.line) for f in fixable(findings, settings, True)]
        if spans:
            found[path] = spans
    return found


def statement_bytes(text: str, spans: List[Tuple[int, int]]) -> Tuple[int, int]:
    """Bytes of the top-level statements holding a span, and of the
    smallest of those statements or, in a top-level class, its members."""
    lines = sources.split_lines(text)

    def size(node: ast.stmt) -> int:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return sum(len(line.encode()) for line in lines[first - 1:node.end_lineno])

    def holds(node: ast.stmt) -> bool:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return any(first <= end and start <= node.end_lineno for start, end in spans)  # type: ignore[operator]

    top = inner = 0
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):  # fixes may add or drop imports
            top += size(node)
            inner += size(node)
        elif holds(node):
            top += size(node)
            members = node.body if isinstance(node, ast.ClassDef) else [node]
            inner += sum(size(m) for m in members if holds(m))
    return top, inner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = corpus_files()
    if not files:
        raise SystemExit("no corpus: set AIO_CORPUS_CACHE, or AIO_CORPUS_FETCH to its fetch.sh")
    raws = [Path(f).read_bytes() for f in files]

    def parse_all() -> None:
        for raw in raws:
            try:
                ast.parse(raw)
            except (SyntaxError, ValueError):
                pass

    a = best(args.runs, parse_all)
    spans = fix_lines(files, Settings())
    texts = [sources.read(path).text for path in spans]
    total = sum(len(t.encode()) for t in texts)
    parse = best(args.runs, lambda: [libcst.parse_module(t) for t in texts])
    modules = [libcst.parse_module(t) for t in texts]
    codegen = best(args.runs, lambda: [m.code for m in modules])
    top = inner = 0
    for (path, file_spans), text in zip(spans.items(), texts):
        t, i = statement_bytes(text, file_spans)
        top, inner = top + t, inner + i
    print(f"ast.parse of all {len(files)} files: {a:.2f} s (1.00x)")
    print(f"files with a fixable finding: {len(texts)}, {total:,} bytes")
    print(f"libcst.parse_module of them: {parse:.2f} s ({parse / a:.2f}x)")
    print(f"code generation of them: {codegen:.2f} s ({codegen / a:.2f}x)")
    print(f"bytes in top-level statements holding a fix (and the imports): {top:,} "
          f"({top / total:.0%}); in those statements or class members: {inner:,} "
          f"({inner / total:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
