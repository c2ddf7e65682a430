"""Outbox states around one send: handed to apprise (inflight), outcome unknown (unconfirmed), dead claims.

An alert is `sending` from its claim until its message is handed to apprise, then `inflight` until the
outcome is known. A run that dies leaves both behind: `sending` ones were never attempted and go back to
`pending` at once; `inflight` ones may or may not have arrived, so they become `unconfirmed` and are
re-sent once, later, marked 「重发」 — never the items of a digest that were already confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.redact import mask_secrets
from storage.models import Alert, Run

MAX_RESENDS = 1  # an unknown outcome is re-sent at most once; a second unknown one is left for the operator


def _rowcount(result: Any) -> int:
    return int(result.rowcount)  # CursorResult.rowcount; the session API types it as Result


def mark_inflight(session: Session, alert_ids: Sequence[int], run_id: int | None = None) -> list[int]:
    """Record that these alerts are about to be handed to apprise (committed before the send).

    Only alerts still claimed by ``run_id`` are marked, and only those may be sent: a run that stalled
    long enough to be found dead (stale heartbeat) has had its claims released, perhaps re-claimed by the
    next run, and must not send them too. Returns the ids marked.
    """
    owner = Alert.claimed_by_run.is_(None) if run_id is None else Alert.claimed_by_run == run_id
    return list(session.execute(
        update(Alert).where(Alert.id.in_(alert_ids), Alert.status == "sending", owner)
        .values(status="inflight").returning(Alert.id)
    ).scalars().all())


def mark_unconfirmed(session: Session, alert_id: int, error: str, now: datetime, resend_delay: timedelta) -> bool:
    """The message was sent but its outcome is unknown (read timeout, crash mid-send).

    Re-sent once after ``resend_delay``; returns False when it had already been re-sent (then it stays
    unconfirmed with no next attempt, reported by `alerts history`, never sent a third time).
    """
    alert = session.get(Alert, alert_id)
    assert alert is not None
    again = alert.resends < MAX_RESENDS
    session.execute(update(Alert).where(Alert.id == alert_id).values(
        status="unconfirmed", last_error=mask_secrets(error)[:2000], attempts=Alert.attempts + 1,
        resends=Alert.resends + 1 if again else Alert.resends, claimed_by_run=None,
        next_attempt_at=now + resend_delay if again else None))
    return again


def release_dead_claims(session: Session, now: datetime, resend_delay: timedelta = timedelta(minutes=10)) -> int:
    """Release the claims of runs that are no longer running (crashed or finished): call it at run start,
    after marking dead runs crashed. Returns the number of alerts released."""
    dead = select(Run.id).where(Run.status != "running").scalar_subquery()
    released = _rowcount(session.execute(
        update(Alert).where(Alert.status == "sending", Alert.claimed_by_run.in_(dead))
        .values(status="pending", next_attempt_at=None, claimed_by_run=None)
    ))
    for alert_id in session.execute(
        select(Alert.id).where(Alert.status == "inflight", Alert.claimed_by_run.in_(dead))
    ).scalars().all():
        mark_unconfirmed(session, alert_id, "the run sending it died during the send: delivery unknown", now,
                         resend_delay)
        released += 1
    return released
