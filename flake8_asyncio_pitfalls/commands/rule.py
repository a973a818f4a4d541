"""``asyncio-pitfalls rule CODE`` / ``rule --all``: rule documentation."""
from __future__ import annotations

import argparse
import sys

from ..registry import all_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", nargs="?", help="a rule code such as AIO100")
    parser.add_argument("--all", action="store_true", help="list every rule")


def run(args: argparse.Namespace) -> int:
    rules = {r.code: r for r in all_rules()}
    if args.all or not args.code:
        for r in rules.values():
            print(f"{r.code}  {r.name}")
        return 0
    rule = rules.get(args.code.upper())
    if rule is None:
        print(f"asyncio-pitfalls: error: unknown rule {args.code!r}", file=sys.stderr)
        return 2
    print(f"{rule.code} ({rule.name})\n\n{rule.doc('summary')}\n\n{rule.doc('rationale')}")
    return 0
