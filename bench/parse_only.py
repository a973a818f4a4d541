"""Benchmark baseline (a): read and ``ast.parse`` every file named on the
command line, nothing else: the lower bound of any checker written in
Python."""
import ast
import sys

for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        source = handle.read()
    try:
        ast.parse(source, path)
    except (SyntaxError, ValueError):
        pass
