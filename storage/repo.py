"""Idempotent load and query functions; each takes a session and never commits (the caller owns it)."""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.redact import mask_secrets
from storage import runs
from storage.health import SourceHealthView, source_health  # noqa: F401 - re-exported: callers use repo.source_health
from storage.models import (
    Alert,
    Article,
    ArticleUrl,
    Failure,
    Page,
    Run,
    Source,
    SourceHealth,
    utcnow,
)

if TYPE_CHECKING:
    # parsers.neardup is imported where signatures are made: datasketch pulls in scipy (0.7 s), which a run
    # with no new page never needs
    from parsers.neardup import NearDupIndex

MAX_PARSE_ATTEMPTS = 3


def _insert(session: Session, model: type) -> Any:
    """The dialect's INSERT, which offers on_conflict_do_nothing / do_update on both backends."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database dialect: {name}")


def _rowcount(result: Any) -> int:
    """Rows an INSERT/UPDATE touched (CursorResult.rowcount; typed as Result by the session API)."""
    return int(result.rowcount)


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def text_fingerprint(text: str) -> str:
    """Hash of an article's text that ignores whitespace and width differences (NFKC).

    >>> text_fingerprint("项目 签约，总投资10亿元") == text_fingerprint("项目签约,总投资10亿元\\n")
    True
    """
    norm = unicodedata.normalize("NFKC", text)
    return sha256(re.sub(r"\s+", "", norm))


# --- runs and sources --------------------------------------------------------------------------


def start_run(session: Session, kind: str, pid: int | None = None, host: str | None = None) -> int:
    now = utcnow()
    run = Run(kind=kind, stats={}, pid=pid, host=host, started_at=now, heartbeat_at=now)
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, status: str, stats: dict[str, Any], error: str | None = None) -> None:
    now = utcnow()
    session.execute(
        update(Run)
        .where(Run.id == run_id)
        .values(status=status, stats=stats, error=error, finished_at=now, heartbeat_at=now, stage=None)
    )


def mark_crashed_runs(session: Session, *, exclusive: bool, host: str, alive: Callable[[int], bool],
                      stale_after: timedelta = runs.DEFAULT_STALE_AFTER) -> list[int]:
    """Mark `running` rows whose process is gone as `crashed`; returns their ids.

    With ``exclusive`` (the caller holds the lock covering the whole database) every `running` row is
    stale; otherwise rows whose heartbeat is older than ``stale_after``, and rows of this host whose pid
    is no longer alive (storage.runs.dead_reason).
    """
    now = utcnow()
    rows = session.execute(select(Run.id, Run.pid, Run.host, Run.heartbeat_at).where(Run.status == "running")).all()
    dead = []
    for rid, pid, rhost, beat in rows:
        why = runs.dead_reason(exclusive=exclusive, this_host=host, host=rhost, pid=pid, heartbeat_at=beat, now=now,
                               stale_after=stale_after, alive=alive)
        if why is not None:
            session.execute(update(Run).where(Run.id == rid, Run.status == "running").values(
                status="crashed", finished_at=now, error=why))
            dead.append(rid)
    return dead


def ensure_source(session: Session, name: str, url: str, kind: str = "auto",
                  city: str | None = None, district: str | None = None) -> int:
    stmt = _insert(session, Source).values(name=name, url=url, kind=kind, city=city, district=district,
                                           created_at=utcnow())
    stmt = stmt.on_conflict_do_update(index_elements=["name"],
                                      set_={"url": url, "kind": kind, "city": city, "district": district})
    session.execute(stmt)
    return int(session.execute(select(Source.id).where(Source.name == name)).scalar_one())


def record_source_health(session: Session, run_id: int, per_source: dict[int, dict[str, int]],
                         causes: dict[int, dict[str, int]] | None = None) -> None:
    """One row per source and run (idempotent: a re-recorded run overwrites its counts)."""
    for source_id, c in per_source.items():
        values: dict[str, Any] = {
            "links_found": int(c.get("links_found", 0)), "pages": int(c.get("pages", 0)),
            "new_articles": int(c.get("new_articles", 0)), "errors": int(c.get("errors", 0)),
            "empty_extractions": int(c.get("empty_extractions", 0)), "listings_ok": int(c.get("listings_ok", 0)),
            "listings_failed": int(c.get("listings_failed", 0)),
            "error_causes": dict((causes or {}).get(source_id, {}))}
        stmt = _insert(session, SourceHealth).values(run_id=run_id, source_id=source_id, created_at=utcnow(),
                                                     **values)
        session.execute(stmt.on_conflict_do_update(index_elements=["run_id", "source_id"], set_=values))


def record_failure(session: Session, stage: str, error: str, *, run_id: int | None = None,
                   source_id: int | None = None, url: str | None = None) -> None:
    # errors quote URLs and crawler stderr: mask every known secret value before it is stored
    session.add(Failure(stage=stage, error=mask_secrets(error)[:4000], run_id=run_id, source_id=source_id,
                        url=mask_secrets(url) if url else url))


# --- pages and articles --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageIn:
    """What the flow hands storage for one fetch (mirrors the spider item, without I/O types)."""

    url: str
    final_url: str | None
    status: int
    body: bytes
    encoding: str | None
    headers: dict[str, str]
    error: str | None
    list_date: date | None
    list_title: str | None
    fetched_at: datetime
    extra: dict[str, Any]


def store_page(session: Session, page: PageIn, *, source_id: int | None, run_id: int | None) -> int:
    """Insert a fetch; an identical re-fetch of the same URL updates the existing row instead (and, when
    the URL never became an article, marks it for extraction again)."""
    digest = sha256(page.body)
    values = {
        "source_id": source_id,
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "error": page.error,
        "headers": page.headers,
        "encoding": page.encoding,
        "body_gz": gzip.compress(page.body) if page.body else None,
        "body_sha256": digest,
        "list_date": page.list_date,
        "list_title": page.list_title,
        "extra": page.extra,
        "fetched_at": page.fetched_at,
        "extracted": False,
    }
    stmt = _insert(session, Page).values(**values)
    # a re-fetch of the same bytes is extracted again unless its URL already gave an article: a page that
    # failed extraction and is fetched again (it is not known, so every run) counts as failing every run
    gave_article = exists(select(ArticleUrl.id).where(ArticleUrl.url == page.url))
    stmt = stmt.on_conflict_do_update(
        index_elements=["url", "body_sha256"],
        set_={"fetched_at": page.fetched_at, "run_id": run_id, "status": page.status, "error": page.error,
              "extracted": case((gave_article, Page.extracted), else_=False)},
    )
    session.execute(stmt)
    return int(session.execute(
        select(Page.id).where(Page.url == page.url, Page.body_sha256 == digest)
    ).scalar_one())


def page_body(page: Page) -> bytes:
    return gzip.decompress(page.body_gz) if page.body_gz else b""


IN_CHUNK = 500  # values per IN (...) list (article_validators, enqueue_alerts)


def known_article_validators(session: Session) -> dict[str, dict[str, str | None]]:
    """Every stored article URL (and fetched page waiting for extraction) with the validators of its latest
    fetch (ETag, Last-Modified, lastmod), so the next crawl skips it, or revalidates it with a conditional GET.

    Reads every stored URL: the crawler looks links up by URL instead (article_validators, spiders.known), so
    this is for a store the crawler cannot open (an in-memory SQLite)."""
    return _validators(session, None)


def article_validators(session: Session, urls: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """known_article_validators restricted to ``urls`` (indexed lookups, IN_CHUNK URLs a query): what a
    crawl needs for the links of one list page, whatever the size of the store."""
    wanted = sorted(set(urls))
    out: dict[str, dict[str, str | None]] = {}
    for i in range(0, len(wanted), IN_CHUNK):
        out.update(_validators(session, wanted[i : i + IN_CHUNK]))
    return out


def _validators(session: Session, urls: list[str] | None) -> dict[str, dict[str, str | None]]:
    stored = select(ArticleUrl.url, Page.headers, Page.extra, Page.fetched_at).join(
        Page, Page.url == ArticleUrl.url, isouter=True)
    # pages stored but not yet extracted (a dead run's crawl items, ingested by this run) are known too:
    # this run extracts them, so fetching them again would only repeat the dead run's requests
    waiting = select(Page.url, Page.headers, Page.extra, Page.fetched_at).where(
        Page.extracted.is_(False), Page.status == 200, Page.error.is_(None))
    if urls is not None:
        stored, waiting = stored.where(ArticleUrl.url.in_(urls)), waiting.where(Page.url.in_(urls))
    rows = session.execute(stored.order_by(ArticleUrl.url, Page.fetched_at)).all()
    pending = session.execute(waiting.order_by(Page.fetched_at)).all()
    out: dict[str, dict[str, str | None]] = {}
    for url, headers, extra, _ in [r for r in pending if (r[2] or {}).get("role", "article") != "listing"] + list(rows):
        headers, extra = headers or {}, extra or {}  # later fetches of a URL overwrite earlier ones
        out[url] = {"etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
                    "lastmod": extra.get("lastmod")}
    return out


@dataclass(frozen=True)
class StoredArticle:
    article_id: int
    is_new: bool  # a new article text
    is_duplicate: bool  # the text was already stored under another URL
    replaced_id: int | None = None  # this text replaces that article (same URL, changed text), now history
    version_of: int | None = None  # the article this text is an edit of (same URL), history or not


def store_article(session: Session, *, url: str, source_id: int | None, page_id: int | None,
                  title: str | None, published_on: date | None, origin: str | None, text: str,
                  kind: str = "article", date_origin: str | None = None) -> StoredArticle:
    """Store an article once per distinct text; a republished copy only adds its URL.

    The same URL with a changed text is a new version: a new article row (re-parsed) that replaces the
    old one, which keeps its row (history) but loses its parsed facts.
    """
    digest = text_fingerprint(text)
    ins = _insert(session, Article).values(
        text_sha256=digest, url=url, source_id=source_id, page_id=page_id, title=title,
        published_on=published_on, origin=origin, date_origin=date_origin, text=text, kind=kind,
        parse_status="pending", parse_attempts=0,
        created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["text_sha256"]).returning(Article.id)
    inserted = session.execute(ins).scalar_one_or_none() is not None
    article_id = int(session.execute(select(Article.id).where(Article.text_sha256 == digest)).scalar_one())
    url_ins = _insert(session, ArticleUrl).values(
        url=url, article_id=article_id, source_id=source_id, page_id=page_id, first_seen_at=utcnow()
    ).on_conflict_do_nothing(index_elements=["url"]).returning(ArticleUrl.id)
    url_new = session.execute(url_ins).scalar_one_or_none() is not None
    replaced: int | None = None
    version_of: int | None = None
    if inserted and not url_new:
        previous = session.execute(select(ArticleUrl.article_id).where(ArticleUrl.url == url)).scalar_one()
        if previous != article_id:
            version_of = int(previous)
            session.execute(update(ArticleUrl).where(ArticleUrl.url == url).values(article_id=article_id))
            session.execute(update(Article).where(Article.id == article_id).values(version_of_id=previous))
            still_used = session.execute(select(ArticleUrl.id).where(ArticleUrl.article_id == previous).limit(1)
                                         ).scalar_one_or_none()
            if still_used is None:  # the old text is current nowhere else: it is history now
                replaced = int(previous)
                session.execute(update(Article).where(Article.id == replaced).values(parse_status="superseded"))
    return StoredArticle(article_id, is_new=inserted, is_duplicate=(not inserted and url_new), replaced_id=replaced,
                         version_of=version_of)


@dataclass(frozen=True)
class NearDuplicate:
    representative_id: int
    similarity: float
    demoted_id: int | None = None  # a former representative that this (earlier) article replaces


def assign_near_duplicate(session: Session, article_id: int, index: NearDupIndex) -> NearDuplicate | None:
    """Sign the article, find its near-duplicate cluster, and keep the earliest copy as representative.

    Only representatives are parsed, so counts, projects and alerts see one article per cluster.
    """
    from parsers import neardup

    art = session.get(Article, article_id)
    assert art is not None
    sig = neardup.signature(art.text)
    art.minhash = neardup.to_bytes(sig)
    previous = session.get(Article, art.version_of_id) if art.version_of_id else None
    if previous is not None and previous.duplicate_of_id is None and previous.parse_status != "superseded":
        # an edit of a cluster's representative (same URL, corrected text) takes its place: the cluster
        # keeps its original URL and its facts come from the corrected text
        index.add(article_id, sig)
        session.execute(update(Article).where(Article.duplicate_of_id == previous.id)
                        .values(duplicate_of_id=art.id))
        previous.duplicate_of_id, previous.parse_status = art.id, "duplicate"
        return NearDuplicate(art.id, float(sig.jaccard(neardup.from_bytes(previous.minhash)))
                             if previous.minhash else 1.0, demoted_id=previous.id)
    hits = [(k, j) for k, j in index.matches(sig) if k != article_id]
    if hits:  # an old version that is history is no cluster to join
        gone = set(session.execute(select(Article.id).where(Article.id.in_([k for k, _ in hits]),
                                                            Article.parse_status == "superseded")).scalars())
        hits = [(k, j) for k, j in hits if k not in gone]
    index.add(article_id, sig)
    if not hits:
        return None
    best_id, score = hits[0]
    best = session.get(Article, best_id)
    assert best is not None
    rep = session.get(Article, best.duplicate_of_id) if best.duplicate_of_id else best
    assert rep is not None
    if art.published_on and rep.published_on and art.published_on < rep.published_on:
        # the new article is the earlier copy: it becomes the representative of the whole cluster
        session.execute(update(Article).where(Article.duplicate_of_id == rep.id).values(duplicate_of_id=art.id))
        rep.duplicate_of_id, rep.similarity, rep.parse_status = art.id, score, "duplicate"
        return NearDuplicate(art.id, score, demoted_id=rep.id)
    art.duplicate_of_id, art.similarity, art.parse_status = rep.id, score, "duplicate"
    return NearDuplicate(rep.id, score)


def near_duplicate_index(session: Session) -> NearDupIndex:
    """The LSH index of every stored signature (512 bytes each: ~50 MB for 100,000 articles)."""
    from parsers import neardup

    index = neardup.NearDupIndex()
    for aid, blob in session.execute(select(Article.id, Article.minhash).where(Article.minhash.is_not(None))):
        index.add(aid, neardup.from_bytes(blob))
    return index


def _to_parse(parser_version: str) -> Any:
    return (Article.duplicate_of_id.is_(None)) & or_(
        Article.parse_status == "pending",
        (Article.parse_status == "failed") & (Article.parse_attempts < MAX_PARSE_ATTEMPTS),
        (Article.parse_status == "parsed") & (Article.parser_version != parser_version),
    )


def articles_to_parse(session: Session, parser_version: str, limit: int | None = None) -> list[Article]:
    """Articles never parsed, parsed by an older parser, or failed fewer than MAX_PARSE_ATTEMPTS times."""
    stmt = select(Article).where(_to_parse(parser_version)).order_by(Article.id)
    return list(session.execute(stmt if limit is None else stmt.limit(limit)).scalars())


def article_batch_to_parse(session: Session, parser_version: str, *, after_id: int,
                           limit: int) -> list[tuple[int, int | None]]:
    """(id, source id) of the next ``limit`` articles to parse with an id above ``after_id``: a stage walks
    them batch by batch, so it ends (each batch moves on) and never holds every text at once."""
    stmt = (select(Article.id, Article.source_id).where(_to_parse(parser_version), Article.id > after_id)
            .order_by(Article.id).limit(limit))
    return [(aid, sid) for aid, sid in session.execute(stmt).tuples()]


def count_to_parse(session: Session, parser_version: str, *, after_id: int = 0) -> int:
    return int(session.scalar(select(func.count(Article.id)).where(_to_parse(parser_version),
                                                                  Article.id > after_id)) or 0)


def mark_parse_failed(session: Session, article_id: int, error: str) -> None:
    session.execute(
        update(Article).where(Article.id == article_id).values(
            parse_status="failed", parse_error=error[:4000], parse_attempts=Article.parse_attempts + 1,
            parsed_at=utcnow(),
        )
    )


# --- alerts outbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxItem:
    key: str
    channel: str
    rule: str
    project_id: int | None
    urgent: bool
    title: str
    body: str


def enqueue_alerts(session: Session, items: Sequence[OutboxItem]) -> int:
    """Add alerts to the outbox; a key already there (sent or pending) is left alone. Returns rows added.

    The keys already there are looked up first, IN_CHUNK at a time: a run re-evaluating projects
    re-finds their alerts, and an INSERT per re-found alert cost 2 s for 4,754 projects at 10k articles. The
    INSERT keeps ON CONFLICT DO NOTHING for an alert another run adds meanwhile."""
    keys = sorted({it.key for it in items})
    there: set[tuple[str, str]] = set()
    for i in range(0, len(keys), IN_CHUNK):
        there.update(session.execute(select(Alert.key, Alert.channel).where(
            Alert.key.in_(keys[i : i + IN_CHUNK]))).tuples())
    added = 0
    for it in items:
        if (it.key, it.channel) in there:
            continue
        stmt = _insert(session, Alert).values(
            key=it.key, channel=it.channel, rule=it.rule, project_id=it.project_id, urgent=it.urgent,
            title=it.title, body=it.body, status="pending", attempts=0, created_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["key", "channel"]).returning(Alert.id)
        added += session.execute(stmt).scalar_one_or_none() is not None
    return added


LEASE = timedelta(minutes=10)


def claim_due_alerts(session: Session, now: datetime, max_attempts: int, run_id: int | None = None) -> list[Alert]:
    """Atomically take the alerts that are due for delivery: pending ones, unconfirmed ones due for their
    single re-send, and claims whose lease expired (a sender on another host died).

    The conditional UPDATE is the lock: of two concurrent runs only one flips a row to 'sending'. The claim
    names ``run_id``, so the next run releases it at once when this run dies (storage.outbox).
    """
    due = or_(
        (Alert.status == "pending") & (or_(Alert.next_attempt_at.is_(None), Alert.next_attempt_at <= now)),
        (Alert.status == "unconfirmed") & Alert.next_attempt_at.is_not(None) & (Alert.next_attempt_at <= now),
        (Alert.status == "sending") & (Alert.next_attempt_at <= now),  # lease expired: sender died
    )
    candidates = session.execute(
        select(Alert.id).where(due, Alert.attempts < max_attempts).order_by(Alert.id)
    ).scalars().all()
    claimed: list[Alert] = []
    for alert_id in candidates:
        res = session.execute(
            update(Alert)
            .where(Alert.id == alert_id, due)
            .values(status="sending", next_attempt_at=now + LEASE, claimed_by_run=run_id)
        )
        if _rowcount(res) == 1:
            alert = session.get(Alert, alert_id)
            assert alert is not None
            claimed.append(alert)
    return claimed


def mark_alert_sent(session: Session, alert_id: int) -> None:
    session.execute(update(Alert).where(Alert.id == alert_id).values(
        status="sent", sent_at=utcnow(), last_error=None, attempts=Alert.attempts + 1, next_attempt_at=None,
        claimed_by_run=None))


def mark_alert_failed(session: Session, alert_id: int, error: str, now: datetime, max_attempts: int = 20) -> bool:
    """Keep the alert pending with its error; the next run retries, then back off exponentially (max 1 day).

    Returns False when the alert has now failed ``max_attempts`` times: it is marked "failed" (given up,
    kept with its error for `investwatch alerts history`) instead of being retried forever.
    """
    alert = session.get(Alert, alert_id)
    assert alert is not None
    attempts = alert.attempts + 1
    if attempts >= max_attempts:
        session.execute(update(Alert).where(Alert.id == alert_id).values(
            status="failed", last_error=mask_secrets(error)[:2000], attempts=attempts, next_attempt_at=None,
            claimed_by_run=None))
        return False
    delay = timedelta(0) if attempts == 1 else timedelta(minutes=min(2 ** (attempts - 2), 60 * 24))
    session.execute(update(Alert).where(Alert.id == alert_id).values(
        status="pending", last_error=mask_secrets(error)[:2000], attempts=attempts, next_attempt_at=now + delay,
        claimed_by_run=None))
    return True


def now_utc() -> datetime:
    return datetime.now(UTC)
