"""Process hygiene on Linux (crawler subprocess, watchdog, crash recovery): pid liveness, die with the parent, temp dirs."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import tempfile
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


def clean_dead_crawl_dirs(tmp_root: Path | None = None) -> list[Path]:
    """Remove investwatch-crawl-PID-* folders whose PID is dead (left by a killed run); returns them."""
    root = Path(tmp_root or tempfile.gettempdir())
    removed = []
    for path in root.glob(f"{CRAWL_TMP_PREFIX}*"):
        pid_part = path.name[len(CRAWL_TMP_PREFIX):].split("-", 1)[0]
        # folders of the old unnumbered naming have no owner to ask: they can only be a dead run's
        if path.is_dir() and (not pid_part.isdigit() or not pid_alive(int(pid_part))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
