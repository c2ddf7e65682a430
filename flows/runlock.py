"""One pipeline run per data directory (and per PostgreSQL schema) at a time: an OS file lock + an advisory lock."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

LOCK_FILE = ".investwatch-run.lock"
EXIT_BUSY = 3  # distinct from 1 (a failure) and 2 (bad usage / configuration) so monitoring can tell them apart
_PG_LOCK_CLASS = 4242002  # first key of the two-int advisory lock; the second is the schema's hash
_POLL_S = 0.2

# lock path -> depth: the CLI takes the lock before Prefect starts, the flow takes it again inside
_held: dict[str, int] = {}


class RunBusy(Exception):
    """Another pipeline run holds the lock of this data directory (or database)."""


@dataclass(frozen=True)
class RunLock:
    """exclusive_db: no other pipeline can be using the database (so any `running` run row is stale)."""

    path: Path
    exclusive_db: bool


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"


def _flock(fd: int, path: Path, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RunBusy(f"another investwatch run ({_holder(path)}) is using {path.parent}; "
                              f"waited {wait_s:g} s (INVESTWATCH_RUN_LOCK_WAIT_S)") from None
            time.sleep(_POLL_S)


def _pg_lock(conn: Connection, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    sql = text("SELECT pg_try_advisory_lock(:cls, hashtext(current_schema()))")
    while not conn.execute(sql, {"cls": _PG_LOCK_CLASS}).scalar_one():
        if time.monotonic() >= deadline:
            raise RunBusy(f"another investwatch run holds the PostgreSQL lock of this database schema; "
                          f"waited {wait_s:g} s (INVESTWATCH_RUN_LOCK_WAIT_S)")
        time.sleep(_POLL_S)


def sqlite_inside(db_url: str, data_dir: Path) -> bool:
    """Whether a SQLite database lives in the data dir, so the data dir's lock covers the database.

    >>> sqlite_inside("sqlite:////d/x/investwatch.db", Path("/d/x")), sqlite_inside("sqlite:////e.db", Path("/d"))
    (True, False)
    """
    url = make_url(db_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        return False
    return Path(url.database).resolve().is_relative_to(data_dir.resolve())


@contextmanager
def run_lock(data_dir: Path, db_url: str, wait_s: float = 30.0) -> Iterator[RunLock]:
    """Hold the run lock of ``data_dir`` (and, on PostgreSQL, of the database schema) for the block.

    Raises RunBusy after ``wait_s`` seconds. The OS drops both locks when the process dies, even by
    SIGKILL, so a crash never leaves a stale lock behind. Re-entrant within one process.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = (data_dir / LOCK_FILE).resolve()
    key = str(path)
    is_pg = make_url(db_url).drivername.startswith("postgresql")
    exclusive = is_pg or sqlite_inside(db_url, data_dir)
    if key in _held:
        _held[key] += 1
        try:
            yield RunLock(path, exclusive)
        finally:
            _held[key] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    engine = create_engine(db_url, isolation_level="AUTOCOMMIT") if is_pg else None
    conn: Connection | None = None
    try:
        _flock(fd, path, wait_s)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        if engine is not None:
            conn = engine.connect()  # the session-level advisory lock lives as long as this connection
            _pg_lock(conn, wait_s)
        _held[key] = 1
        try:
            yield RunLock(path, exclusive)
        finally:
            del _held[key]
    finally:
        if conn is not None:
            conn.close()
        if engine is not None:
            engine.dispose()
        os.close(fd)  # closing the descriptor releases the flock

