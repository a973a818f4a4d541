"""The corpus of real async-heavy code (pinned source releases) that the
benchmark and the crash-free test run over.

It lives in ``$AIO_CORPUS_CACHE`` (default ``~/.cache/aio-corpus``); when its
file list is missing it is fetched with ``$AIO_CORPUS_FETCH`` or the
project's shared ``../shared/corpus/fetch.sh`` (relative to the repository).
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
LIST_NAME = "files-packages.txt"


def cache_dir() -> Path:
    return Path(os.environ.get("AIO_CORPUS_CACHE") or Path.home() / ".cache" / "aio-corpus")


def fetch_script() -> Optional[Path]:
    given = os.environ.get("AIO_CORPUS_FETCH")
    script = Path(given) if given else ROOT.parent / "shared" / "corpus" / "fetch.sh"
    return script if script.is_file() else None


def corpus_files(fetch: bool = True) -> List[str]:
    """Every .py file of the corpus (absolute paths, sorted), fetching the
    corpus first when it is not there and ``fetch`` allows; [] when it
    cannot be had."""
    listing = cache_dir() / LIST_NAME
    if not listing.is_file() and fetch:
        script = fetch_script()
        if script is not None:
            env = dict(os.environ, AIO_CORPUS_CACHE=str(cache_dir()))
            subprocess.run(["bash", str(script)], env=env, check=False,
                           stdout=subprocess.DEVNULL)
    if not listing.is_file():
        return []
    return [line for line in listing.read_text().splitlines() if line and os.path.isfile(line)]
