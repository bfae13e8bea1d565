"""Re-run a check whenever the files of a corpus change: ``policycmp validate --watch``.

Polling, with no dependency: every ``interval`` seconds the corpus directory's entries (and the
source texts its actors name) are listed with their size and modification time; a change that
has stayed still for one more interval starts the next run, so an editor's save in several writes
is checked once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = frozenset[tuple[str, int, int, int]]


def snapshot(root: Path, extra: Iterable[Path] = ()) -> Snapshot:
    """What a change to the corpus changes: name, size, mtime and inode of each file read."""
    try:
        with os.scandir(root) as it:
            paths = [Path(e.path) for e in it]
    except OSError:
        return frozenset({("<missing>", 0, 0, 0)})
    return _entries(paths) | _entries(extra)


def _entries(paths: Iterable[Path]) -> Snapshot:
    entries: set[tuple[str, int, int, int]] = set()
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            entries.add((str(path), -1, 0, 0))
            continue
        entries.add((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return frozenset(entries)


def watch(
    run: Callable[[], Iterable[Path]],
    root: Path,
    interval: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    runs: int | None = None,
) -> None:
    """Call ``run`` now and after every change to ``root`` (``run`` returns the other files it read).

    Returns after ``runs`` runs (for tests); otherwise runs until interrupted (KeyboardInterrupt
    propagates to the caller, which decides what Ctrl-C means).
    """
    done = 0
    while True:
        before = snapshot(root)  # taken before the run: a write during the run starts another
        extra = list(run())
        done += 1
        if runs is not None and done >= runs:
            return
        baseline = before | _entries(extra)
        now = baseline
        while now == baseline:
            sleep(interval)
            now = snapshot(root, extra)
        while True:  # changed: wait until it holds still, so that one save is one run
            sleep(interval)
            later = snapshot(root, extra)
            if later == now:
                break
            now = later
