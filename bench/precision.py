"""Precision on real code: run the rules over the corpus and list what they
find, for a person to sort into true and false positives.

    python bench/precision.py --select AIO4                # table to review
    python bench/precision.py --select AIO4 --verdicts docs/precision.md

By default the files are the corpus: the file list that
``../shared/corpus/fetch.sh`` writes (``$AIO_CORPUS_CACHE/files-packages.txt``,
default cache ``~/.cache/aio-corpus``; fetched when missing); ``--files``
names another list.  Where a rule finds more than ``--sample`` findings, a
random sample (fixed ``--seed``) is listed.  With ``--verdicts``, the
review table of that markdown file (rows ``| path:line | CODE | TP or FP
... | reason |``) is matched against the current findings: precision per
rule, findings nobody has judged yet, and judged findings that are gone (a
fixed false positive, or moved code).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from corpus import corpus_files as corpus_list  # noqa: E402

from flake8_asyncio_pitfalls.commands.check import check_file  # noqa: E402
from flake8_asyncio_pitfalls.config import Settings  # noqa: E402

VERDICT = re.compile(r"^\|\s*(?P<where>[^|\s]+:\d+)\s*\|\s*(?P<code>AIO\d+)\s*\|\s*(?P<verdict>TP|FP)\b")
Key = Tuple[str, str]  # ("pkg/path.py:12", "AIO401")


def corpus_files(listing: Optional[Path]) -> Tuple[str, List[str]]:
    """The files to check and the directory they are shown relative to."""
    if listing is None:
        files = corpus_list()
        if not files:
            sys.exit("no corpus: set AIO_CORPUS_CACHE, or AIO_CORPUS_FETCH to its fetch.sh")
    else:
        files = listing.read_text(encoding="utf-8").split()
    return os.path.commonpath([os.path.dirname(f) for f in files]), files


def findings(select: List[str], src: str, files: List[str]) -> Dict[str, List[Tuple[Key, str]]]:
    """Per code: ((where, code), source line) for every finding."""
    settings = Settings(select=tuple(select))
    out: Dict[str, List[Tuple[Key, str]]] = defaultdict(list)
    for path in files:
        with warnings.catch_warnings():  # the corpus's own invalid escapes etc.
            warnings.simplefilter("ignore")
            result = check_file(path, settings)
        if not result.findings:
            continue
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        rel = os.path.relpath(path, src)
        for f in result.findings:
            out[f.code].append(((f"{rel}:{f.line}", f.code), lines[f.line - 1].strip()))
    return out


def listed(found: Dict[str, List[Tuple[Key, str]]], sample: int,
           seed: int) -> Dict[str, List[Tuple[Key, str]]]:
    """The findings to review: all of them, or a fixed random sample."""
    out = {}
    for code, items in found.items():
        # sampled from the findings in the order found (the file list's)
        if len(items) > sample:
            items = random.Random(seed).sample(items, sample)
        out[code] = sorted(items, key=_order)
    return out


def _order(item: Tuple[Key, str]) -> Tuple[str, int]:
    path, _, line = item[0][0].rpartition(":")
    return path, int(line)


def read_verdicts(path: Path) -> Dict[Key, str]:
    verdicts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = VERDICT.match(line)
        if m:
            verdicts[(m["where"], m["code"])] = m["verdict"]
    return verdicts


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--select", action="append", required=True,
                        help="code prefixes, as for check (repeatable, or comma-separated)")
    parser.add_argument("--sample", type=int, default=50, help="findings listed per rule")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--verdicts", type=Path, help="markdown file with the review table")
    parser.add_argument("--files", type=Path,
                        help="a list of files to check, one a line (default: the corpus)")
    args = parser.parse_args(argv)
    select = [c for item in args.select for c in item.split(",") if c]
    src, files = corpus_files(args.files)
    found = findings(select, src, files)
    review = listed(found, args.sample, args.seed)
    print("| rule | findings | reviewed |\n|---|---|---|")
    for code in sorted(found):
        print(f"| {code} | {len(found[code])} | {len(review[code])} |")
    if args.verdicts is None:
        for code, items in sorted(review.items()):
            print(f"\n{code} ({len(items)} of {len(found[code])} listed)\n")
            print("| finding | rule | verdict | reason |\n|---|---|---|---|")
            for (where, _), text in items:
                print(f"| {where} | {code} | ? | `{text[:70]}` |")
        return 0
    verdicts = read_verdicts(args.verdicts)
    current = {key for items in review.values() for key, _ in items}
    status = 0
    for code in sorted({c for _, c in current} | {c for _, c in verdicts}):
        judged = [verdicts[k] for k in current if k[1] == code and k in verdicts]
        tally = Counter(judged)
        total = tally["TP"] + tally["FP"]
        share = f"{100 * tally['TP'] / total:.0f}% true positives" if total else "nothing judged"
        print(f"{code}: {tally['TP']} TP, {tally['FP']} FP of {total} judged ({share})")
    for key in sorted(current - set(verdicts)):
        print(f"not judged: {key[0]} {key[1]}")
        status = 1
    checked = {os.path.relpath(f, src) for f in files}
    for key in sorted(set(verdicts) - current):
        if key[1].startswith(tuple(select)) and key[0].rpartition(":")[0] in checked:
            print(f"gone: {key[0]} {key[1]} (was {verdicts[key]}; fixed, moved, or not sampled)")
    return status


if __name__ == "__main__":
    sys.exit(main())
