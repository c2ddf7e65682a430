"""Run liveness: the heartbeat a running pipeline writes, and the rule that says a `running` row is dead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models import Run

DEFAULT_STALE_AFTER = timedelta(minutes=2)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def heartbeat_stale(heartbeat_at: datetime | None, now: datetime, stale_after: timedelta) -> bool:
    """Whether a heartbeat is older than ``stale_after`` (no heartbeat at all: not judged by it).

    >>> t = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    >>> heartbeat_stale(t - timedelta(minutes=3), t, DEFAULT_STALE_AFTER), heartbeat_stale(t, t, DEFAULT_STALE_AFTER)
    (True, False)
    >>> heartbeat_stale(None, t, DEFAULT_STALE_AFTER)
    False
    """
    beat = as_utc(heartbeat_at)
    return beat is not None and now - beat > stale_after


def dead_reason(*, exclusive: bool, this_host: str, host: str | None, pid: int | None,
                heartbeat_at: datetime | None, now: datetime, stale_after: timedelta,
                alive: Callable[[int], bool]) -> str | None:
    """Why a `running` row belongs to a process that is gone, or None when it may still be alive.

    Holding the lock that covers the whole database, every other `running` row is dead. Otherwise a stale
    heartbeat is proof enough (the pid may exist on another host, or have been reused by an unrelated
    process); without one, only a pid of this host that no longer exists is.

    >>> t = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    >>> dead_reason(exclusive=False, this_host="a", host="b", pid=1, heartbeat_at=t - timedelta(minutes=5), now=t,
    ...             stale_after=DEFAULT_STALE_AFTER, alive=lambda pid: True)
    'no heartbeat for 300 s (found by a later run)'
    """
    if exclusive:
        return "the process running it died (found by a later run)"
    if heartbeat_stale(heartbeat_at, now, stale_after):
        age = now - (as_utc(heartbeat_at) or now)
        return f"no heartbeat for {age.total_seconds():.0f} s (found by a later run)"
    if host == this_host and pid is not None and not alive(pid):
        return "the process running it died (found by a later run)"
    return None


def beat(session: Session, run_id: int, now: datetime, *, stage: str | None = None,
         stats: dict[str, Any] | None = None) -> bool:
    """Refresh a running run's heartbeat (and, at a stage boundary, its stage and stats so far).

    Returns False when the row is no longer `running`: another run found it dead and took its claims,
    so this process must not act as its owner any more.
    """
    values: dict[str, Any] = {"heartbeat_at": now}
    if stage is not None:
        values["stage"] = stage
    if stats is not None:
        values["stats"] = stats
    result = session.execute(update(Run).where(Run.id == run_id, Run.status == "running").values(**values))
    return int(result.rowcount) == 1  # type: ignore[attr-defined]  # CursorResult; typed as Result
