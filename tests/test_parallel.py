"""``--jobs``: files spread over processes, output as with one job."""
from __future__ import annotations

import os
import shutil

from clirun import ROOT, run_cli
from flake8_asyncio_pitfalls.parallel import map_ordered


def _pid_and_item(item):
    return os.getpid(), item


def test_map_ordered_uses_processes_and_keeps_the_order():
    items = list(range(40))
    out = list(map_ordered(_pid_and_item, items, jobs=2))
    assert [item for _, item in out] == items
    assert os.getpid() not in {pid for pid, _ in out}
    assert list(map_ordered(_pid_and_item, items[:1], jobs=2)) == [(os.getpid(), 0)]


def _tree_bytes(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_fix_with_jobs_writes_and_reports_as_with_one_job(tmp_path):
    runs = {}
    for jobs in ("1", "2"):
        tree = tmp_path / f"jobs{jobs}"
        shutil.copytree(ROOT / "fixtures", tree)
        proc = run_cli("fix", "--unsafe-fixes", "--jobs", jobs, ".", cwd=tree)
        runs[jobs] = (proc.returncode, proc.stdout, proc.stderr, _tree_bytes(tree))
    assert runs["1"] == runs["2"]
    assert runs["1"][0] in (0, 1) and runs["1"][1], runs["1"][2]
    assert runs["1"][3] != _tree_bytes(ROOT / "fixtures")  # something was fixed
