"""A watchdog process: when the pipeline process dies (even by kill -9), kill what it started.

Prefect's temporary API server is started by Prefect itself, so it cannot be given a parent-death
signal; this watchdog, in its own session, remembers the parent's descendants and ends them.
Run as ``python -m flows.watchdog PARENT_PID`` (``start_watchdog`` does).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spiders.procs import clean_dead_crawl_dirs, pid_alive

POLL_S = 0.5
GRACE_S = 3.0


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in clock ticks) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _children(pid: int) -> list[int] | None:
    """Direct children from /proc/PID/task/*/children (kernels with CONFIG_PROC_CHILDREN), or None when the
    kernel has no such file: reading a few files per poll instead of every process's stat (the full scan
    cost the watchdog ~2 CPU-seconds of a 27-second run)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []  # gone
    out: list[int] = []
    for task in tasks:
        try:
            out.extend(int(c) for c in (task / "children").read_text().split())
        except FileNotFoundError:
            if not (task / "stat").exists():
                continue  # the thread ended between listing and reading
            return None
        except (OSError, ValueError):
            continue
    return out


def descendants(root: int) -> dict[int, int]:
    """pid -> start time of every process below ``root`` (start times guard against pid reuse)."""
    out: dict[int, int] = {}
    todo = [root]
    while todo:
        kids = _children(todo.pop())
        if kids is None:
            return _descendants_by_scan(root)
        for pid in kids:
            if pid not in out and (st := _stat(pid)) is not None:
                out[pid] = st[1]
                todo.append(pid)
    return out


def _descendants_by_scan(root: int) -> dict[int, int]:
    """`descendants` from every process's parent pid (any Linux)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None:
            children.setdefault(st[0], []).append((int(entry), st[1]))
    out: dict[int, int] = {}
    todo = [root]
    while todo:
        for pid, start in children.get(todo.pop(), []):
            if pid not in out:
                out[pid] = start
                todo.append(pid)
    return out


def _still_same(pid: int, start: int) -> bool:
    st = _stat(pid)
    return st is not None and st[1] == start


def kill_all(procs: dict[int, int], grace_s: float = GRACE_S) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``, every process that is still the one we recorded."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid, start in procs.items():
            if _still_same(pid, start):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and any(_still_same(p, s) and pid_alive(p) for p, s in procs.items()):
            time.sleep(0.1)


def watch(parent: int) -> None:
    seen: dict[int, int] = {}
    me = os.getpid()
    while pid_alive(parent):
        seen.update({p: s for p, s in descendants(parent).items() if p != me})
        seen = {p: s for p, s in seen.items() if _still_same(p, s)}
        time.sleep(POLL_S)
    # the orphans were re-parented; the recorded pids and start times still name them
    kill_all(seen)
    clean_dead_crawl_dirs()


@contextmanager
def watchdog() -> Iterator[subprocess.Popen[bytes] | None]:
    """Watch this process while the block runs (Linux only: it reads /proc); stopped when the block ends.

    The watchdog has its own session, so a signal to our process group does not take it down before it
    has done its job; if we die inside the block, it outlives us and ends our descendants.
    """
    if not Path("/proc/self/stat").exists():
        yield None
        return
    proc = subprocess.Popen([sys.executable, "-m", "flows.watchdog", str(os.getpid())], start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    watch(int(sys.argv[1]))
