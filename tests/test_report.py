"""``check --format json|github|sarif``, ``--statistics`` and ``--jobs``:
each format against its consumer's rules (``json.loads``, the workflow
command syntax, the official SARIF 2.1.0 schema) and against the text
output, which flake8 itself is tested against."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import jsonschema
import pytest

from clirun import ROOT, lines, run_cli
from flake8_asyncio_pitfalls.docs import rule_url
from flake8_asyncio_pitfalls.registry import all_rules

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
TEXT_LINE = re.compile(r"^(.+?):(\d+):(\d+): ([A-Z]+\d+) (.*)$")
# a workflow command: ::error key=value,key=value::message (escaped as
# GitHub's toolkit escapes them: % CR LF in both, : and , in properties)
GITHUB_LINE = re.compile(r"^::error (?P<props>[^:]*)::(?P<message>[^\r\n]*)$")
PROPERTY = re.compile(r"^(file|line|col|endLine|endColumn|title)=([^,:]*)$")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The article's examples, plus a non-ASCII line and a syntax error."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "fixtures" / "article", root / "article")
    (root / "wide.py").write_text(
        'import time\n\n\nasync def f():\n    s = "héhé"; time.sleep(1)\n', encoding="utf-8")
    (root / "broken.py").write_text("def f(:\n    pass\n")
    return root


def check(project, *args):
    return run_cli("check", "--jobs", "1", *args, ".", cwd=project)


def text_findings(project):
    out = lines(check(project).stdout)
    return [TEXT_LINE.match(line).groups() for line in out]


def test_json_round_trips_and_matches_the_text_output(project):
    proc = check(project, "--format", "json")
    assert proc.returncode == 2  # the syntax error
    data = json.loads(proc.stdout)
    text = text_findings(project)
    assert [(d["path"], d["line"], d["code"], d["message"]) for d in data] == \
        [(path, int(line), code, message) for path, line, _, code, message in text]
    rules = {r.code: r for r in all_rules()}
    for d in data:
        assert set(d) == {"path", "line", "column", "end_line", "end_column", "code", "name",
                          "message", "fix_available", "fix_safety", "url"}
        if d["code"] == "E999":
            assert d["name"] is None and d["fix_available"] is False and d["end_line"] is None
            continue
        rule = rules[d["code"]]
        assert d["name"] == rule.name and d["url"] == rule_url(rule.code)
        assert d["fix_safety"] == (rule.fix.safety if rule.fix else None)
        assert not d["fix_available"] or rule.fix is not None
        assert (d["end_line"], d["end_column"]) > (d["line"], d["column"])


def test_json_fix_availability_follows_the_site_and_the_target(tmp_path):
    source = ("import requests\n\n\nasync def f(path):\n"
              "    data = open(path)\n"          # AIO103, to_thread fix (target >= 3.9)
              "    with open(path) as handle:\n"  # AIO103, no fix for `with open(...)`
              "        pass\n")
    (tmp_path / "m.py").write_text(source)
    def fixes(*args):
        data = json.loads(run_cli("check", "--format", "json", *args, "m.py", cwd=tmp_path).stdout)
        return [(d["line"], d["code"], d["fix_available"], d["fix_safety"]) for d in data]
    assert fixes() == [(5, "AIO103", True, "unsafe"), (6, "AIO103", False, "unsafe")]
    (tmp_path / "pyproject.toml").write_text("[project]\nrequires-python = '>=3.8'\n")
    assert fixes() == [(5, "AIO103", False, "unsafe"), (6, "AIO103", False, "unsafe")]
    assert fixes("--target-version", "py39")[0] == (5, "AIO103", True, "unsafe")


def test_json_columns_count_characters_where_text_counts_bytes(project):
    text = [t for t in text_findings(project) if t[0] == "./wide.py"]
    data = [d for d in json.loads(check(project, "--format", "json").stdout)
            if d["path"] == "./wide.py"]
    assert [t[2] for t in text] == ["19"]  # flake8's column: UTF-8 bytes
    assert [(d["column"], d["end_column"]) for d in data] == [(17, 30)]


def test_github_lines_follow_the_workflow_command_syntax(project):
    out = lines(check(project, "--format", "github").stdout)
    text = text_findings(project)
    assert len(out) == len(text)
    for line, (path, row, _, code, message) in zip(out, text):
        m = GITHUB_LINE.match(line)
        assert m, line
        props = dict(PROPERTY.match(p).groups() for p in m["props"].split(","))
        assert props["file"] == path and props["line"] == row
        assert props["title"].split(" ")[0] == code
        assert m["message"] == message.replace("%", "%25")
        if code != "E999":
            assert {"col", "endLine", "endColumn"} <= set(props)


def test_github_escapes_properties_and_data(tmp_path):
    (tmp_path / "a,b:c%.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    out = lines(run_cli("check", "--format", "github", "a,b:c%.py", cwd=tmp_path).stdout)
    assert out[0].startswith("::error file=a%2Cb%3Ac%25.py,line=5,col=5,endLine=5,endColumn=18,"
                             "title=AIO100 (blocking-sleep-in-async)::time.sleep() blocks")


def test_sarif_validates_against_the_official_schema(project):
    proc = check(project, "--format", "sarif")
    log = json.loads(proc.stdout)
    jsonschema.validate(log, SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    registered = all_rules()
    assert [r["id"] for r in rules] == [r.code for r in registered]
    for entry, rule in zip(rules, registered):
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] and entry["fullDescription"]["text"]
        assert entry["helpUri"] == rule_url(rule.code)
    text = [t for t in text_findings(project) if t[3] != "E999"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] \
        == [(code, path[2:], int(line)) for path, line, _, code, _ in text]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert {"startColumn", "endLine", "endColumn"} <= set(region)
    # the syntax error is reported as the tool's trouble, not as a result
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["descriptor"]["id"] for n in invocation["toolExecutionNotifications"]] == ["E999"]


def test_sarif_of_a_clean_tree_is_valid_and_empty(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    proc = run_cli("check", "--format", "sarif", ".", cwd=tmp_path)
    assert proc.returncode == 0
    log = json.loads(proc.stdout)
    jsonschema.validate(log, SCHEMA)
    assert log["runs"][0]["results"] == []


def test_schema_rejects_what_it_should(project):
    """The schema is a real check: a region with line 0 is refused."""
    log = json.loads(check(project, "--format", "sarif").stdout)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, SCHEMA)


def test_statistics_count_each_code_most_frequent_first(project):
    proc = check(project, "--statistics")
    counts = Counter(t[3] for t in text_findings(project))
    rows = [line.split("\t") for line in lines(proc.stdout)]
    assert [(int(n), code) for n, code, _ in rows] == \
        sorted(((n, c) for c, n in counts.items()), key=lambda nc: (-nc[0], nc[1]))
    assert proc.returncode == 2
    fixable = {d["code"] for d in json.loads(check(project, "--format", "json").stdout)
               if d["fix_available"]}
    for _, code, rest in rows:
        assert rest.startswith("[*] " if code in fixable else "    ")


def test_statistics_with_a_format_is_a_usage_error(project):
    proc = check(project, "--statistics", "--format", "json")
    assert proc.returncode == 2 and b"--statistics" in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_jobs_give_the_same_output_as_one_job(project, fmt):
    one = check(project, "--format", fmt)
    many = run_cli("check", "--jobs", "3", "--format", fmt, ".", cwd=project)
    assert (many.returncode, many.stdout) == (one.returncode, one.stdout)
    assert one.stdout


def test_jobs_must_be_a_positive_number(project):
    proc = run_cli("check", "--jobs", "0", ".", cwd=project)
    assert proc.returncode == 2 and b"--jobs" in proc.stderr
    assert run_cli("check", "--jobs", "auto", "--exit-zero", ".", cwd=project).returncode == 2
