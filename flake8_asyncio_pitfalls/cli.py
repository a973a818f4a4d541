"""``asyncio-pitfalls``: the command line.  Each subcommand lives in its own
module under ``commands/`` with ``add_arguments(parser)`` and ``run(args)``."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from . import __version__
from .commands import check, fix, rule
from .config import ConfigError

COMMANDS = {
    "check": (check, "report asyncio pitfalls in files and directories"),
    "fix": (fix, "rewrite fixable asyncio pitfalls in place"),
    "rule": (rule, "show the documentation of a rule, or list them all"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asyncio-pitfalls",
        description="Find asyncio pitfalls and fix them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module, _ = COMMANDS[args.command]
    try:
        return module.run(args)
    except ConfigError as exc:
        print(f"asyncio-pitfalls: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
