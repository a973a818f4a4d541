"""Spreading per-file work over processes, for ``check`` and ``fix``.

Results come back in the order of the inputs whatever the number of
processes, so the output of ``--jobs 8`` is byte for byte that of
``--jobs 1``."""
from __future__ import annotations

import gc
import os
from functools import partial
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def map_ordered(func: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """``func(item) for item in items``, in that order, computed by up to
    ``jobs`` processes; results are yielded as soon as they are next in
    order (the fix command writes each file while others are being fixed).
    ``func``, the items and the results must be picklable (a module-level
    function, plain data).  One item or one job runs in this process: a
    pool costs more than it saves there (flake8 decides the same way)."""
    jobs = min(jobs, len(items))
    func = partial(_one_item, func)
    if jobs <= 1:
        yield from map(func, items)
        return
    # several items per task keep the inter-process traffic small; enough
    # tasks per worker keep the workers evenly loaded
    chunksize = max(1, len(items) // (jobs * 4))
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: 10 ms to import

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(func, items, chunksize=chunksize)


def _one_item(func: Callable[[T], R], item: T) -> R:
    """``func(item)`` with the cyclic garbage collector paused, then one
    young-generation collection of what it left.  A file's trees and
    analysis are many small objects with a few cycles (scopes and their
    functions): collecting them while they are alive is wasted work, and
    collecting after each file keeps memory flat whatever the file count."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return func(item)
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)
