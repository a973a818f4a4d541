"""The pre-commit hooks, through the real pre-commit: a fresh git
repository with a flawed file, the hooks run with ``pre-commit try-repo``
against a snapshot of this checkout (its working tree, committed changes or
not), and the README's snippet used as a user would use it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # a dependency of pre-commit

from clirun import ROOT

pytestmark = pytest.mark.slow

FLAWED = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"


def git_env(home: Path) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home / "pre-commit-home"),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.pop("PRE_COMMIT", None)
    return env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return git_env(tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory, env):
    """This checkout's files (tracked and untracked, not ignored) committed
    to a repository of their own: what the hooks are installed from."""
    dest = tmp_path_factory.mktemp("snapshot")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *command], cwd=dest, check=True, capture_output=True, env=env)
    return dest


def new_repo(path: Path, env: dict) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=path, check=True, env=env)
    (path / "app.py").write_text(FLAWED)
    subprocess.run(["git", "add", "app.py"], cwd=path, check=True, env=env)
    return path


def pre_commit(*args, cwd, env):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_check_hook_fails_with_the_finding(tmp_path, snapshot, env):
    repo = new_repo(tmp_path / "repo", env)
    proc = pre_commit("try-repo", str(snapshot), "asyncio-pitfalls", "--all-files",
                      cwd=repo, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app.py:5:5: AIO100 time.sleep() blocks the event loop" in proc.stdout
    assert (repo / "app.py").read_text() == FLAWED


def test_fix_hook_rewrites_the_file_and_a_second_run_passes(tmp_path, snapshot, env):
    repo = new_repo(tmp_path / "repo", env)
    first = pre_commit("try-repo", str(snapshot), "asyncio-pitfalls-fix", "--all-files",
                       cwd=repo, env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert "await asyncio.sleep(1)" in (repo / "app.py").read_text()
    second = pre_commit("try-repo", str(snapshot), "--all-files", cwd=repo, env=env)
    assert second.returncode == 0, second.stdout + second.stderr


def readme_snippet(name: str) -> dict:
    """The pre-commit configuration the README shows under ``name``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- pre-commit:%s -->\s*```yaml\n(.*?)```" % name, readme, re.S)
    assert match, f"README lacks the {name} pre-commit snippet"
    return yaml.safe_load(match.group(1))


def test_readme_snippet_names_this_repositorys_hooks():
    from flake8_asyncio_pitfalls.docs import REPOSITORY_URL
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = readme_snippet("hooks")
    (repo,) = config["repos"]
    assert repo["repo"] == REPOSITORY_URL
    assert sorted(h["id"] for h in repo["hooks"]) == sorted(h["id"] for h in hooks) \
        == ["asyncio-pitfalls", "asyncio-pitfalls-fix"]
    flake8 = readme_snippet("flake8")["repos"][0]
    assert flake8["hooks"][0]["additional_dependencies"] == ["flake8-asyncio-pitfalls"]


def test_readme_snippet_works_in_a_fresh_repository(tmp_path, snapshot, env):
    """The README's configuration, pointed at the snapshot (the one change a
    copy of it needs here: the repository and its revision)."""
    config = readme_snippet("hooks")
    config["repos"][0]["repo"] = str(snapshot)
    config["repos"][0]["rev"] = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=snapshot, check=True, capture_output=True,
        text=True).stdout.strip()
    repo = new_repo(tmp_path / "repo", env)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=repo, check=True, env=env)
    proc = pre_commit("run", cwd=repo, env=env)  # the staged files, as on commit
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    subprocess.run(["git", "add", "app.py"], cwd=repo, check=True, env=env)
    again = pre_commit("run", cwd=repo, env=env)
    assert again.returncode == 0, again.stdout + again.stderr


def test_flake8_route_finds_the_plugin_in_pre_commits_environment(tmp_path, snapshot, env):
    """The README's flake8 snippet installs the plugin with
    ``additional_dependencies``; here the flake8 hook is a local one (no
    network to clone flake8's repository) and the dependency is this
    checkout instead of the published package: the same installation."""
    flake8_hook = readme_snippet("flake8")["repos"][0]["hooks"][0]
    config = {"repos": [{"repo": "local", "hooks": [{
        "id": flake8_hook["id"], "name": "flake8", "entry": "flake8 --select=AIO",
        "language": "python", "types": ["python"],
        "additional_dependencies": ["flake8", str(snapshot)],
    }]}]}
    repo = new_repo(tmp_path / "repo", env)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    proc = pre_commit("run", "--all-files", cwd=repo, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app.py:5:5: AIO100 time.sleep() blocks the event loop" in proc.stdout
