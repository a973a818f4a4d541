"""Reading Python files the way the interpreter does (PEP 263 encoding
declarations, a UTF-8 BOM), parsing them, and finding them on disk."""
from __future__ import annotations

import ast
import fnmatch
import io
import os
import symtable
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, List, Sequence, Tuple, Union

#: Directories never descended into (as flake8 and ruff skip them); a
#: directory holding ``pyvenv.cfg`` is a virtualenv and skipped as well.
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".bzr", "CVS", "__pycache__", ".tox", ".nox",
    ".eggs", "*.egg", ".venv", "venv", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", "node_modules", "site-packages", "__pypackages__",
)


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed.  ``code`` is flake8's
    (E902 for reading and decoding, E999 for syntax); line/col are 1-based."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col

    def __reduce__(self) -> tuple:  # pickled by the worker processes of --jobs
        return (type(self), (self.code, self.message, self.line, self.col))


@dataclass
class Source:
    raw: bytes
    text: str
    encoding: str  # as tokenize names it: "utf-8", "utf-8-sig", "latin-1"...


def split_lines(text: str) -> List[str]:
    """The lines of a source where Python (and flake8) ends a line: \\n,
    \\r\\n or \\r only; str.splitlines would also split at \\f, \\v,
    \\x1c... and shift the line numbers of everything after them."""
    return io.StringIO(text, newline="").readlines()


def decode(raw: bytes) -> Source:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        # tokenize says "invalid or missing encoding declaration" when the
        # first lines are not UTF-8; the codec's own error says where.
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            raise SourceError("E902", f"UnicodeDecodeError: {decode_error} "
                                      "(and no encoding is declared)") from None
        raise SourceError("E902", f"SyntaxError: {exc}") from None
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError("E902", f"{type(exc).__name__}: {exc}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return Source(raw, text, encoding)


def read(path: Union[str, Path]) -> Source:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise SourceError("E902", f"{type(exc).__name__}: {exc}") from None
    return decode(raw)


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    try:
        return ast.parse(text, filename=filename)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        raise syntax_error(exc) from None


def check_syntax(text: str, filename: str = "<unknown>") -> None:
    """Raise what :func:`parse` raises, without building the tree: the
    parser runs, but no Python object is made of each node (a third
    cheaper).  It also reports what the compiler's symbol table rejects
    (``nonlocal`` at module level...), which the interpreter would too."""
    try:
        symtable.symtable(text, filename, "exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        raise syntax_error(exc) from None


def syntax_error(exc: Exception) -> SourceError:
    if isinstance(exc, SyntaxError):
        return SourceError("E999", f"{type(exc).__name__}: {exc.msg}",
                           exc.lineno or 1, exc.offset or 1)
    return SourceError("E999", f"{type(exc).__name__}: {exc}")  # null bytes, nesting


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    name = os.path.basename(path.rstrip(os.sep)) or path
    normalized = os.path.normpath(path)
    absolute = os.path.abspath(path)
    return any(
        fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(normalized, pattern)
        or fnmatch.fnmatch(absolute, pattern)
        for pattern in patterns
    )


def discover(paths: Iterable[str], exclude: Sequence[str] = ()) -> Iterator[Tuple[str, bool]]:
    """Python files under ``paths``: yields ``(path, exists)``; a path given
    explicitly is always checked, a directory is walked (without following
    symlinks, so link loops end) skipping the default and ``exclude``
    patterns (globs matched against a name or a path)."""
    patterns = (*DEFAULT_EXCLUDES, *exclude)
    for given in paths:
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(
                    d for d in dirs
                    if not _excluded(os.path.join(root, d), patterns)
                    and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
                )
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.endswith(".py") and not _excluded(full, exclude):
                        yield full, True
        elif given == "-" or os.path.exists(given):
            yield given, True
        else:
            yield given, False


def read_stdin() -> Source:
    import sys
    return decode(sys.stdin.buffer.read())
