"""Stage watermarks: what a stage saw last time, so the next run reads only what changed since."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import StageMark, utcnow


def get_mark(session: Session, name: str) -> dict[str, Any]:
    """The stage's last mark, {} when it never ran (or a mark was dropped to force a full pass)."""
    row = session.get(StageMark, name)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def set_mark(session: Session, name: str, value: dict[str, Any]) -> None:
    """Record the stage's mark in the caller's transaction: it moves only if the stage's work commits."""
    row = session.get(StageMark, name)
    if row is None:
        session.add(StageMark(name=name, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()


def drop_mark(session: Session, name: str) -> None:
    row = session.get(StageMark, name)
    if row is not None:
        session.delete(row)
