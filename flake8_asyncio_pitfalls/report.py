"""The output formats of ``check``: one small renderer each, from the same
list of per-file results.

- ``text``: flake8's ``path:line:col: CODE message`` (columns as flake8
  prints them: 1-based, in UTF-8 bytes for non-ASCII lines);
- ``json``: a list of findings; ``github``: workflow commands that GitHub
  Actions turns into annotations; ``sarif``: SARIF 2.1.0 for code scanning.
  These three count columns in characters, 1-based; an end column points
  just past the flagged code (SARIF's convention).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence
from urllib.parse import quote

from . import __version__
from .docs import REPOSITORY_URL, first_sentence, rule_page, rule_url
from .registry import Rule, all_rules

if TYPE_CHECKING:  # pragma: no cover
    from .commands.check import FileResult

FORMATS = ("text", "json", "github", "sarif")
TOOL_NAME = "asyncio-pitfalls"


@dataclass
class Item:
    """One reported problem: a rule's finding, or a file that could not be
    read or parsed (code E902/E999, no rule)."""

    path: str
    line: int
    column: int  # 1-based, in characters
    end_line: Optional[int]
    end_column: Optional[int]
    code: str
    name: Optional[str]
    message: str
    fix_available: bool
    fix_safety: Optional[str]
    url: Optional[str]


def items(results: Iterable["FileResult"]) -> List[Item]:
    rules: Dict[str, "type[Rule]"] = {r.code: r for r in all_rules()}
    out = []
    for result in results:
        if result.error is not None:
            err = result.error
            out.append(Item(result.path, err.line, err.col, None, None, err.code, None,
                            err.message, False, None, None))
            continue
        for f in result.findings:
            rule = rules[f.code]
            end_line = f.end_line
            end_col = None if f.end_col is None or end_line is None \
                else result.char_col(end_line, f.end_col) + 1
            out.append(Item(
                result.path, f.line, result.char_col(f.line, f.col) + 1, end_line, end_col,
                f.code, rule.name, f.message, rule.fixable(f, result.settings, unsafe=True),
                rule.fix.safety if rule.fix else None, rule_url(f.code)))
    return out


def text(results: Sequence["FileResult"]) -> str:
    lines = []
    for result in results:
        if result.error is not None:
            err = result.error
            lines.append(f"{result.path}:{err.line}:{err.col}: {err.code} {err.message}\n")
        lines.extend(f"{result.path}:{f.line}:{f.col + 1}: {f.code} {f.message}\n"
                     for f in result.findings)
    return "".join(lines)


def as_json(results: Sequence["FileResult"]) -> str:
    return json.dumps([asdict(item) for item in items(results)], indent=2,
                      ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    # the workflow-command syntax: %, CR and LF escaped in the message...
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    # ...and also : and , in the key=value properties
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(results: Sequence["FileResult"]) -> str:
    lines = []
    for item in items(results):
        props = {"file": item.path, "line": item.line, "col": item.column}
        if item.end_line is not None and item.end_column is not None:
            props.update(endLine=item.end_line, endColumn=item.end_column)
        props["title"] = item.code if item.name is None else f"{item.code} ({item.name})"
        rendered = ",".join(f"{key}={_escape_property(str(value))}" for key, value in props.items())
        lines.append(f"::error {rendered}::{_escape_data(item.message)}\n")
    return "".join(lines)


def _uri(path: str) -> str:
    if os.path.isabs(path):
        return "file://" + quote(path.replace(os.sep, "/"))
    return quote(os.path.normpath(path).replace(os.sep, "/"))


def _sarif_rule(rule: "type[Rule]") -> Dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": first_sentence(rule.doc("summary"))},
        "fullDescription": {"text": " ".join(rule.doc("summary").split())},
        "help": {"text": " ".join(rule.doc("rationale").split()), "markdown": rule_page(rule)},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"enabled": rule.default_enabled, "level": "warning"},
        "properties": {"fix": rule.fix.safety if rule.fix else "none"},
    }


def _region(item: Item) -> Dict[str, int]:
    region = {"startLine": item.line, "startColumn": item.column}
    if item.end_line is not None and item.end_column is not None:
        region.update(endLine=item.end_line, endColumn=item.end_column)
    return region


def _location(item: Item) -> Dict[str, object]:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(item.path)},
                                 "region": _region(item)}}


def sarif(results: Sequence["FileResult"]) -> str:
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    found = items(results)
    run_results = [{
        "ruleId": item.code,
        "ruleIndex": index[item.code],
        "level": "warning",
        "message": {"text": item.message},
        "locations": [_location(item)],
    } for item in found if item.name is not None]
    # unreadable and unparsable files are the tool's trouble, not results
    notifications = [{
        "level": "error",
        "descriptor": {"id": item.code},
        "message": {"text": item.message},
        "locations": [_location(item)],
    } for item in found if item.name is None]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [_sarif_rule(rule) for rule in rules],
            }},
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
            "results": run_results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def statistics(results: Sequence["FileResult"]) -> str:
    """How many times each code was found, most frequent first (as ruff's
    ``--statistics``): count, code, name, and ``[*]`` when a fix exists."""
    found = items(results)
    counts = Counter(item.code for item in found)
    fixable = {item.code for item in found if item.fix_available}
    names = {item.code: item.name for item in found}
    lines = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = names[code] or ("syntax-error" if code == "E999" else "io-error")
        marker = "[*]" if code in fixable else "   "
        lines.append(f"{count:>5}\t{code}\t{marker} {name}\n")
    return "".join(lines)


RENDERERS: Dict[str, Callable[[Sequence["FileResult"]], str]] = {
    "text": text, "json": as_json, "github": github, "sarif": sarif,
}
