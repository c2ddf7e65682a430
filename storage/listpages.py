"""Failed list pages kept in the frontier (`list_pages`): pending with back-off, retried first, given up after N."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from alerts.redact import mask_secrets
from storage.models import ListPage, Source

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_BASE_S = 900.0
RETRY_MAX_S = 86400.0


def retry_delay(attempts: int, base_s: float = DEFAULT_RETRY_BASE_S, max_s: float = RETRY_MAX_S) -> timedelta:
    """How long a list page that has failed ``attempts`` times in a row waits before the next try.

    The first retry is the next run (runs are hours apart; within a run Scrapy already retried it with
    back-off); later ones wait base, 2 × base, 4 × base … up to ``max_s``.

    >>> [retry_delay(n, 900).total_seconds() for n in (1, 2, 3, 4)]
    [0.0, 900.0, 1800.0, 3600.0]
    >>> retry_delay(30, 900).total_seconds()
    86400.0
    """
    if attempts <= 1 or base_s <= 0:
        return timedelta(0)
    return timedelta(seconds=min(max_s, base_s * 2 ** min(attempts - 2, 40)))


@dataclass(frozen=True)
class PendingListPage:
    """A list page to fetch first in this run (what the crawler's job file carries)."""

    source: str
    url: str
    page_no: int
    attempts: int

    def to_json(self) -> dict[str, str | int]:
        return {"source": self.source, "url": self.url, "page_no": self.page_no, "attempts": self.attempts}


def due(session: Session, source_ids: Iterable[int], now: datetime) -> list[PendingListPage]:
    """Pending list pages of these sources whose back-off has passed, oldest failure first."""
    rows = session.execute(
        select(ListPage, Source.name).join(Source, Source.id == ListPage.source_id)
        .where(ListPage.source_id.in_(list(source_ids)), ListPage.status == "pending",
               or_(ListPage.next_attempt_at.is_(None), ListPage.next_attempt_at <= now))
        .order_by(ListPage.first_failed_at, ListPage.id)
    ).all()
    return [PendingListPage(source=name, url=r.url, page_no=r.page_no, attempts=r.attempts) for r, name in rows]


def record_failure(session: Session, source_id: int, url: str, page_no: int, error: str, now: datetime, *,
                   run_id: int | None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                   retry_base_s: float = DEFAULT_RETRY_BASE_S) -> ListPage:
    """Count one more failed fetch of a list page; past ``max_attempts`` it is `given_up` (no longer retried).

    An entry page (page_no 1) is never given up: the source starts from it every run anyway.
    Select-then-write is safe here: one run at a time holds the data directory's lock.
    """
    row = session.execute(
        select(ListPage).where(ListPage.source_id == source_id, ListPage.url == url)
    ).scalar_one_or_none()
    if row is None:
        row = ListPage(source_id=source_id, url=url, page_no=page_no, attempts=0, first_failed_at=now)
        session.add(row)
    row.attempts += 1
    row.page_no = min(row.page_no, page_no) if row.page_no else page_no
    row.last_error = mask_secrets(error)[:2000]
    row.last_attempt_at = now
    row.run_id = run_id
    row.status = "given_up" if row.attempts >= max_attempts and row.page_no > 1 else "pending"
    row.next_attempt_at = now + retry_delay(row.attempts, retry_base_s) if row.status == "pending" else None
    session.flush()
    return row


def record_ok(session: Session, source_id: int, urls: Iterable[str]) -> int:
    """List pages fetched and parsed fine this run: their failure rows go (the branch is whole again)."""
    wanted = list(set(urls))
    removed = 0
    for i in range(0, len(wanted), 500):  # bounded IN lists
        result = session.execute(delete(ListPage).where(ListPage.source_id == source_id,
                                                        ListPage.url.in_(wanted[i:i + 500])))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


def failing(session: Session, source_id: int) -> list[ListPage]:
    """The source's list pages failing now (pending or given up), most attempts first."""
    return list(session.execute(
        select(ListPage).where(ListPage.source_id == source_id)
        .order_by(ListPage.attempts.desc(), ListPage.page_no, ListPage.id)
    ).scalars())
