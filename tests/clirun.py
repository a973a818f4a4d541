"""Running the real command line and flake8 in a subprocess, as users do."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Optional, Sequence, Union

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Union[str, Path, None] = None,
            stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_asyncio_pitfalls", *args],
                          cwd=cwd or ROOT, input=stdin, capture_output=True)


def run_flake8(*args: str, cwd: Union[str, Path, None] = None,
               stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8", *args],
                          cwd=cwd or ROOT, input=stdin, capture_output=True)


def lines(output: bytes) -> Sequence[str]:
    return output.decode().splitlines()
