"""The fix engine.  Imported only by the ``fix`` command, and libcst only
for files with something to fix (``apply.py``): the check path (flake8,
``asyncio-pitfalls check``) never loads it."""
from typing import Any

from .engine import Dropped, FixOutcome, fix_text

__all__ = ["Dropped", "FixContext", "FixOutcome", "fix_text"]


def __getattr__(name: str) -> Any:  # FixContext needs libcst: load it on demand
    if name == "FixContext":
        from .context import FixContext
        return FixContext
    raise AttributeError(name)
