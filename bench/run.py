"""Benchmark: asyncio-pitfalls against the parser itself, flake8,
flake8-async and ruff, over the corpus of real async-heavy code.

    python bench/run.py [--runs 5] [--update-readme]

Run it with the Python of a virtualenv where the project is installed
(``pip install -e .``).  Every figure is the median wall time of several
whole-process runs, one process unless stated.  flake8 without our plugin
and flake8-async/ruff run from virtualenvs of their own that the script
creates once under ``bench/.cache/`` (flake8 runs every installed plugin
whatever ``--select`` says, so they must not share ours).
"""
from __future__ import annotations

import argparse
import compileall
import datetime
import importlib.util
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
from corpus import corpus_files  # noqa: E402

CACHE = HERE / ".cache"
#: flake8-async parses every file with libcst: about 0.4 s a file, so it is
#: timed on every SAMPLE_STEP-th file of the corpus.
SAMPLE_STEP = 20
README = HERE / "README.md"
TABLE_START = "<!-- bench-table:start -->"
TABLE_END = "<!-- bench-table:end -->"


@dataclass
class Case:
    key: str
    what: str
    argv: List[str]
    files: int
    runs: int
    env: Dict[str, str] = field(default_factory=dict)
    note: str = ""
    times: List[float] = field(default_factory=list)
    peak_kib: int = 0
    skipped: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def venv(name: str, requirements: Sequence[str]) -> Path:
    """A cached virtualenv holding ``requirements`` (recreated when they change)."""
    where = CACHE / name
    stamp = where / "requirements.txt"
    wanted = "\n".join(requirements) + "\n"
    python = where / "bin" / "python"
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(where)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements], check=True)
        stamp.write_text(wanted)
    return where / "bin"


def measure(case: Case, cwd: str) -> None:
    """One more run: its wall time, and the peak RSS of the process (of the
    parent only for multi-process runs), from wait4."""
    env = dict(os.environ, **case.env)
    if True:
        start = time.perf_counter()
        proc = subprocess.Popen(case.argv, cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        case.times.append(time.perf_counter() - start)
        proc.returncode = os.waitstatus_to_exitcode(status)
        case.peak_kib = max(case.peak_kib, usage.ru_maxrss)
        # 0/1 (nothing found / findings); 2 only when some file is bad
        if proc.returncode not in (0, 1):
            tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise SystemExit(f"{case.key}: {' '.join(case.argv[:4])}... exited "
                             f"{proc.returncode}: {' | '.join(tail)}")


def command_help(*argv: str) -> str:
    proc = subprocess.run([*argv, "--help"], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else ""


def other_flake8_plugins() -> List[str]:
    """flake8 plugins in this environment besides ours and flake8's own: any
    of them would run in (c) whatever --select says, and skew (c)/(c0)."""
    own = {"flake8", "pycodestyle", "pyflakes", "mccabe", "flake8-asyncio-pitfalls"}
    found = set()
    for dist in metadata.distributions():
        if any(ep.group in ("flake8.extension", "flake8.report") for ep in dist.entry_points):
            name = dist.metadata["Name"]
            if name and name.lower() not in own:
                found.add(name)
    return sorted(found)


def build_cases(files: List[str], runs: int) -> List[Case]:
    extra = other_flake8_plugins()
    if extra:
        sys.exit(f"bench: uninstall other flake8 plugins from this environment first "
                 f"(they would run inside (c)): {', '.join(extra)}")
    py = sys.executable
    tool = [py, "-m", "flake8_asyncio_pitfalls"]
    flake8_version = metadata.version("flake8")
    base = venv("flake8-only", [f"flake8=={flake8_version}"])
    others = venv("flake8-async", [f"flake8=={flake8_version}", "flake8-async", "ruff"])
    sample = files[::SAMPLE_STEP]
    check_help = command_help(*tool, "check")
    jobs1 = ["--jobs", "1"] if "--jobs" in check_help else []
    fix_help = command_help(*tool, "fix")
    has_fix = "--unsafe-fixes" in fix_help and "--diff" in fix_help
    fix_jobs1 = ["--jobs", "1"] if "--jobs" in fix_help else []
    flake8 = ["-m", "flake8", "--isolated", "--jobs", "1"]
    cases = [
        Case("a", "read + ast.parse of every file", [py, str(HERE / "parse_only.py"), *files],
             len(files), runs),
        Case("b", "asyncio-pitfalls check" + (" --jobs 1" if jobs1 else ""),
             [*tool, "check", *jobs1, *files], len(files), runs),
        Case("c", "flake8 --select=AIO (our plugin)",
             [py, *flake8, "--select=AIO", *files], len(files), runs),
        Case("c0", "flake8 --select=AIO without our plugin",
             [str(base / "python"), *flake8, "--select=AIO", *files], len(files), runs),
        Case("d", f"flake8 --select=ASYNC (flake8-async {metadata_version(others, 'flake8-async')})",
             [str(others / "python"), *flake8, "--select=ASYNC", *sample], len(sample),
             min(runs, 3), note=f"every {SAMPLE_STEP}th file"),
        Case("e", f"ruff check --select ASYNC,RUF006 (ruff {metadata_version(others, 'ruff')})",
             [str(others / "ruff"), "check", "--isolated", "--no-cache", "--quiet",
              "--select", "ASYNC,RUF006", *files], len(files), runs,
             env={"RAYON_NUM_THREADS": "1"}, note="one thread"),
        Case("f", "asyncio-pitfalls fix --diff --unsafe-fixes",
             [*tool, "fix", *fix_jobs1, "--diff", "--unsafe-fixes", *files], len(files), runs),
        Case("g", "asyncio-pitfalls check --jobs 2",
             [*tool, "check", "--jobs", "2", *files], len(files), runs, note="2 processes"),
    ]
    if not has_fix:
        cases[6].skipped = "no `fix --diff --unsafe-fixes` in this version"
    if "--jobs" not in check_help:
        cases[7].skipped = "no `check --jobs` in this version"
    return cases


def metadata_version(bin_dir: Path, dist: str) -> str:
    proc = subprocess.run([str(bin_dir / "python"), "-c",
                           f"import importlib.metadata as m; print(m.version({dist!r}))"],
                          capture_output=True, text=True)
    return proc.stdout.strip() or "?"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def table(cases: List[Case], lines: int) -> str:
    base = cases[0]
    base_rate = base.files / base.median
    rows = ["| | what | files | median s | files/s | time vs (a) | peak MiB |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for case in cases:
        if case.skipped:
            rows.append(f"| {case.key} | {case.what} | | | | skipped: {case.skipped} | |")
            continue
        rate = case.files / case.median
        what = case.what + (f" ({case.note})" if case.note else "")
        rows.append(f"| {case.key} | {what} | {case.files} | {case.median:.2f} | {rate:,.0f} "
                    f"| {base_rate / rate:.2f}x | {case.peak_kib / 1024:.0f} |")
    by = {c.key: c for c in cases if not c.skipped}
    ratios = []
    if "c" in by and "c0" in by:
        ratios.append(f"(c)/(c0) = {by['c'].median / by['c0'].median:.2f}")
    if "c" in by and "d" in by:
        faster = (by["d"].median / by["d"].files) / (by["c"].median / by["c"].files)
        ratios.append(f"(c) is {faster:.0f}x faster per file than (d)")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    runs = max(c.runs for c in cases)
    return "\n".join([
        f"{stamp}; {machine()}; corpus: {base.files} files, {lines:,} lines; "
        f"median of {runs} runs ((d): {by['d'].runs if 'd' in by else '-'}).",
        "",
        *rows,
        "",
        "; ".join(ratios) + ". Time vs (a) is the time per file over that of (a); "
        "peak MiB is the maximum resident set of the (parent) process.",
    ])


def compile_package() -> None:
    """Write the package's bytecode, as ``pip install`` does: an editable
    install where PYTHONDONTWRITEBYTECODE is set would otherwise compile
    every module from source in every run (about 30 ms each time)."""
    spec = importlib.util.find_spec("flake8_asyncio_pitfalls")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("bench: install the project in this Python's environment first")
    for where in spec.submodule_search_locations:
        compileall.compile_dir(where, quiet=1)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--only", default="", help="comma-separated keys to run (a is always run)")
    parser.add_argument("--update-readme", action="store_true",
                        help="write the table into bench/README.md")
    args = parser.parse_args(argv)
    files = corpus_files()
    if not files:
        raise SystemExit("no corpus: set AIO_CORPUS_CACHE, or AIO_CORPUS_FETCH to its fetch.sh")
    lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
    cases = build_cases(files, args.runs)
    compile_package()
    if args.only:
        keep = {"a", *args.only.split(",")}
        cases = [c for c in cases if c.key in keep]
    # cwd: an empty directory, so no tool picks up a configuration file.
    # Runs go round robin, so that a slower spell of the machine hits every
    # figure alike.
    with tempfile.TemporaryDirectory() as cwd:
        for round_ in range(max(c.runs for c in cases)):
            print(f"round {round_ + 1}...", file=sys.stderr, flush=True)
            for case in cases:
                if not case.skipped and round_ < case.runs:
                    measure(case, cwd)
    text = table(cases, lines)
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(text + "\n")
    if args.update_readme:
        readme = README.read_text()
        block = f"{TABLE_START}\n{text}\n{TABLE_END}"
        README.write_text(re.sub(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END),
                                 lambda _: block, readme, flags=re.S))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
