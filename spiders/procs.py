"""Process hygiene on Linux (crawler subprocess, watchdog, crash recovery): pid liveness, die with the parent, temp dirs."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
CRAWL_TMP_PREFIX = "investwatch-crawl-"


def host_name() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a zombie counts as dead).

    >>> pid_alive(os.getpid()), pid_alive(2 ** 22 + 1)
    (True, False)
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn making the kernel SIGKILL the child when its parent thread dies (kill -9 included).

    libc is loaded here, in the parent: loading it after fork could deadlock on a lock another thread
    held. None where prctl does not exist (the watchdog, flows.watchdog, still covers those).
    """
    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def _set() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    return _set


def crawl_tmp_prefix() -> str:
    """Temp folders of a crawl carry the pid that made them, so a later run can tell a dead one's."""
    return f"{CRAWL_TMP_PREFIX}{os.getpid()}-"


# Folders of the older unnumbered naming (investwatch-crawl-XXXX) have no pid to ask: one may be a live crawl
# of an older investwatch on the same machine (seen in bench/fault: removing it lost that run's pages), so only
# one untouched for longer than any crawl runs is a dead run's.
UNNUMBERED_STALE_S = 24 * 3600.0


def _last_change(path: Path) -> float:
    """The newest mtime of a folder and its files (a live crawl keeps appending to its items file)."""
    times = [path.stat().st_mtime]
    for child in path.iterdir():
        try:
            times.append(child.stat().st_mtime)
        except OSError:  # removed while we looked
            continue
    return max(times)


def clean_dead_crawl_dirs(tmp_root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove investwatch-crawl-PID-* folders whose PID is dead (left by a killed run), and unnumbered ones
    untouched for UNNUMBERED_STALE_S; returns them."""
    root = Path(tmp_root or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    for path in root.glob(f"{CRAWL_TMP_PREFIX}*"):
        pid_part = path.name[len(CRAWL_TMP_PREFIX):].split("-", 1)[0]
        try:
            if not path.is_dir():
                continue
            dead = (not pid_alive(int(pid_part)) if pid_part.isdigit()
                    else now - _last_change(path) > UNNUMBERED_STALE_S)
        except OSError:  # removed while we looked
            continue
        if dead:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
