"""The fix engine (libcst).  Imported only by the ``fix`` command: the check
path (flake8, ``asyncio-pitfalls check``) never loads libcst."""
from .context import FixContext
from .engine import Dropped, FixOutcome, fix_text

__all__ = ["Dropped", "FixContext", "FixOutcome", "fix_text"]
