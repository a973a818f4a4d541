"""``asyncio-pitfalls fix PATH...`` (see issue: the fix engine)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")


def run(args: argparse.Namespace) -> int:
    print("asyncio-pitfalls: fix is not implemented yet", file=sys.stderr)
    return 2
