"""Findings of some rules on the corpus of real async code, for reviewing
precision by hand (docs/precision.md records the verdicts).

    python bench/precision.py --select AIO300,AIO301 [--sample 50] [--seed 5]

The corpus (pinned source releases of async-heavy projects) is read from
$AIO_CORPUS_CACHE (default ~/.cache/aio-corpus); when its file list is
missing, the fetch script next to the repository (../shared/corpus/fetch.sh)
downloads it.  Prints the number of findings per rule, then, per rule, every
finding or a random sample of --sample of them (fixed --seed), each with the
source line, as ``path:line:col: CODE message``.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flake8_asyncio_pitfalls.commands.check import check_file  # noqa: E402
from flake8_asyncio_pitfalls.config import Settings, split_list  # noqa: E402


def corpus_files() -> list:
    cache = Path(os.environ.get("AIO_CORPUS_CACHE", Path.home() / ".cache" / "aio-corpus"))
    listing = cache / "files-packages.txt"
    if not listing.exists():
        fetch = ROOT.parent / "shared" / "corpus" / "fetch.sh"
        subprocess.run(["bash", str(fetch)], check=True)
    return listing.read_text().split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--select", default="AIO300,AIO301")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(select=tuple(split_list(args.select)))
    files = corpus_files()
    cache_root = os.path.commonpath(files)
    by_code = defaultdict(list)
    for path in files:
        result = check_file(path, settings)
        if result.error is not None:
            continue
        text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        for f in result.findings:
            shown = os.path.relpath(path, cache_root)
            by_code[f.code].append((shown, f, text[f.line - 1].strip()))
    print(f"{len(files)} files")
    for code in sorted(by_code):
        print(f"{code}: {len(by_code[code])} findings")
    for code in sorted(by_code):
        found = by_code[code]
        if len(found) > args.sample:
            found = sorted(random.Random(args.seed).sample(found, args.sample),
                           key=lambda item: (item[0], item[1].line))
            print(f"\n## {code}: random sample of {args.sample} (seed {args.seed})")
        else:
            print(f"\n## {code}: all findings")
        for shown, f, source in found:
            print(f"{shown}:{f.line}:{f.col + 1}: {f.code} {f.message}\n    {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
