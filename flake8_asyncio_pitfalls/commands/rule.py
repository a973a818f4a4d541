"""``asyncio-pitfalls rule CODE`` / ``rule --all``: rule documentation, the
same text as the rule's page under ``docs/rules/``."""
from __future__ import annotations

import argparse
import sys

from ..docs import rule_page
from ..registry import all_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", nargs="?", help="a rule code such as AIO100")
    parser.add_argument("--all", action="store_true",
                        help="list every rule: code, name, default, fix")


def run(args: argparse.Namespace) -> int:
    rules = {r.code: r for r in all_rules()}
    if args.all or not args.code:
        rows = [("code", "name", "default", "fix")] + [
            (r.code, r.name, "on" if r.default_enabled else "off",
             r.fix.safety if r.fix else "none") for r in rules.values()]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
        return 0
    rule = rules.get(args.code.strip().upper())
    if rule is None:
        print(f"asyncio-pitfalls: error: unknown rule {args.code!r} "
              f"(`asyncio-pitfalls rule --all` lists them)", file=sys.stderr)
        return 2
    sys.stdout.write(rule_page(rule))
    return 0
