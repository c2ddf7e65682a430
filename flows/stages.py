"""Pipeline stages as plain functions: each takes what is pending in the database, does it, records it.

Prefect tasks in flows/pipeline.py are thin wrappers over these ("remove the decorators and it still works").
Each stage commits per item (parsing per chunk of a few articles), so a crash loses at most the work in hand
and a re-run resumes.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.config import AlertsConfig
from alerts.message import pack_messages
from alerts.rules import ProjectSnapshot, SourceHealth, evaluate_rules
from alerts.send import SendResult, deliver
from flows import crawl_items, logjson
from flows.alert_scope import MARK, alert_scope, new_mark, project_snapshots
from flows.crawl_items import as_date as _as_date
from flows.parse_bounds import DEFAULT_BUDGET_S, DEFAULT_MAX_CHARS, ParseBudgetExceeded, bounded
from flows.progress import log as progress
from parsers import PARSER_VERSION, parse_article
from parsers.html import EXTRACTOR_VERSION, PageText, extract_page
from parsers.model import ArticleFacts
from parsers.table import TABLE_VERSION, parse_project_table, table_text, with_table_rows
from spiders.config import Source as SourceConfig
from spiders.items import KnownPage
from spiders.run import FetchedPage, crawl
from storage import listpages, marks, outbox, projects, repo
from storage.db import transaction
from storage.export import export_dataset
from storage.models import Article, Page, Source
from storage.models import SourceHealth as SourceHealthRow
from storage.report import write_report
from storage.workbook import DEFAULT_MAX_ROWS

log = logging.getLogger("investwatch")

MIN_TEXT_CHARS = 30
# stored on every parsed row; a change of either parser re-parses history (see `articles_to_parse`)
FACTS_VERSION = f"{PARSER_VERSION}+table{TABLE_VERSION}"  # shorter "articles" are navigation or empty pages, not news


@dataclass
class RunStats:
    """What one pipeline pass did; the CLI prints it as the summary table."""

    pages_fetched: int = 0
    fetch_errors: int = 0
    fetch_error_causes: dict[str, int] = field(default_factory=dict)  # "DNS lookup failed" -> 14
    new_articles: int = 0
    duplicate_articles: int = 0  # exact copies under another URL and near-duplicates of a stored article
    updated_articles: int = 0  # new versions of a stored URL
    recovered_pages: int = 0  # pages a dead run had fetched, stored from its crawl items instead of re-fetched
    extract_failures: int = 0
    not_articles: int = 0  # pages judged not articles (account profiles, column indexes, search results)
    parsed_articles: int = 0
    parse_failures: int = 0
    parse_batches: int = 0  # parse_stage walks pending articles in batches of INVESTWATCH_PARSE_BATCH_SIZE
    projects: list[int] = field(default_factory=list)  # projects touched in this run
    touched: set[int] = field(default_factory=set, repr=False)  # the same ids, for membership
    alerts_sent: int = 0
    alerts_failed: int = 0  # kept pending, retried next run
    alerts_given_up: int = 0  # failed max_attempts times: status "failed", reported, not retried
    alerts_unconfirmed: int = 0  # sent but no answer in time: re-sent once later, marked 【重发】
    alert_scope: str = ""  # "incremental", or "full (<why>)": which projects the rules evaluated
    alert_projects_evaluated: int = 0
    errors: list[str] = field(default_factory=list)
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)
    # stage -> started_at, finished_at (ISO, UTC), outcome (running | ok | failed), error: for `investwatch status`
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    source_error_causes: dict[str, dict[str, int]] = field(default_factory=dict)  # source -> cause -> count
    list_pages_retried: int = 0  # list pages that failed before, fetched first this run
    list_pages_pending: int = 0  # list pages failing now, kept in the frontier for the next run
    list_pages_given_up: int = 0  # list pages that failed too many times in a row: reported, not retried

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "touched"}


# --- crawl ---------------------------------------------------------------------------------------


def crawl_stage(factory: sessionmaker[Session], sources: list[SourceConfig], work_dir: Path, run_id: int,
                stats: RunStats, *, crawl_settings: dict[str, Any] | None = None,
                timeout_s: float = 1800, list_max_attempts: int = listpages.DEFAULT_MAX_ATTEMPTS,
                list_retry_base_s: float = listpages.DEFAULT_RETRY_BASE_S, now: datetime | None = None) -> None:
    """Crawl every enabled source in one subprocess and store each fetch (article pages and failures).

    List pages that failed in earlier runs and are due (storage.listpages back-off) are fetched first; a
    list page failing now is kept pending, and given up (recorded, reported) after ``list_max_attempts``.
    A source that never found a link before reads its whole list (up to max_pages), even past known articles.
    """
    enabled = [s for s in sources if s.enabled]
    if not enabled:
        return
    now = now or repo.now_utc()
    with transaction(factory) as session:
        source_ids = {s.name: repo.ensure_source(session, s.name, s.url, s.kind, s.city, s.district) for s in enabled}
    work_dir.mkdir(parents=True, exist_ok=True)
    # a dead run's complete items are stored first, so its pages are known and not fetched again
    crawl_items.ingest_leftovers(factory, work_dir, run_id, source_ids, stats)
    # the crawler looks each list page's links up in the store (spiders.known): loading every stored URL
    # first grew with the history; an in-memory SQLite, which a child process cannot open, is sent whole
    db_url = factory.kw["bind"].url
    in_memory = db_url.get_backend_name() == "sqlite" and db_url.database in (None, "", ":memory:")
    with transaction(factory) as session:
        known = {url: KnownPage.from_json(v) for url, v in repo.known_article_validators(session).items()} \
            if in_memory else {}
        pending = [p.to_json() for p in listpages.due(session, source_ids.values(), now)]
        crawled_before = set(session.execute(select(SourceHealthRow.source_id).where(
            SourceHealthRow.links_found > 0).distinct()).scalars())
    backfill = [name for name, sid in source_ids.items() if sid not in crawled_before]
    stats.list_pages_retried = len(pending)
    items_path = crawl_items.items_path(work_dir, run_id)
    report = crawl(enabled, items_path, known_urls=known, timeout_s=timeout_s, settings=crawl_settings,
                   pending_listings=pending, backfill=backfill,
                   known_db=None if in_memory else db_url.render_as_string(hide_password=False))
    if report.returncode != 0:
        msg = f"crawler exited with {report.returncode}: {report.stderr_tail[-800:]}"
        stats.errors.append(msg)
        with transaction(factory) as session:
            repo.record_failure(session, "crawl", msg, run_id=run_id)
    for s in enabled:
        crawled = report.per_source.get(s.name, {})
        ok_listings = report.listings_ok.get(s.name, [])
        per = stats.per_source.setdefault(s.name, Counter())
        per["links_found"] = int(crawled.get("links_found", 0))
        per["listings_ok"] = len(ok_listings)
        with transaction(factory) as session:
            listpages.record_ok(session, source_ids[s.name], ok_listings)
        for cut in _limits_reached(crawled):
            stats.errors.append(f"{s.name}: {cut}")
            with transaction(factory) as session:
                repo.record_failure(session, "crawl", cut, run_id=run_id, source_id=source_ids[s.name], url=s.url)

    def keep_failed_list_page(session: Session, item: FetchedPage, source_id: int | None, cause: str) -> None:
        # a list page that also worked in this run (requested twice) is whole: not kept pending
        if item.role != "listing" or source_id is None or item.url in report.listings_ok.get(item.source, ()):
            return
        stats.per_source.setdefault(item.source, Counter())["listings_failed"] += 1
        _keep_list_page(session, item, source_id, cause, now, run_id, stats, list_max_attempts, list_retry_base_s)

    crawl_items.store_items(factory, items_path, source_ids, run_id, stats, on_failure=keep_failed_list_page)
    stats.per_source = {k: dict(v) for k, v in stats.per_source.items()}
    # every item is now a stored page (raw body kept there); a crash before this line leaves the file, and
    # the next run stores its complete items before crawling (flows.crawl_items.ingest_leftovers)
    items_path.unlink(missing_ok=True)


def _keep_list_page(session: Session, item: FetchedPage, source_id: int, cause: str, now: datetime, run_id: int,
                    stats: RunStats, max_attempts: int, retry_base_s: float) -> None:
    """A failed list page stays in the frontier: pending (retried first next run) or, after too many tries, given up."""
    row = listpages.record_failure(session, source_id, item.url, item.page_no or 1, cause, now, run_id=run_id,
                                   max_attempts=max_attempts, retry_base_s=retry_base_s)
    if row.status == "given_up":
        stats.list_pages_given_up += 1
        msg = f"{item.source}: list page {item.url} given up after {row.attempts} failed runs: {cause}"
        stats.errors.append(msg)
        repo.record_failure(session, "crawl", msg, run_id=run_id, source_id=source_id, url=item.url)
    else:
        stats.list_pages_pending += 1


def _limits_reached(crawled: dict[str, int]) -> list[str]:
    """The crawl bounds a source ran into this run (spiders.generic counts them), as failure messages.

    >>> _limits_reached({"request_limit_reached": 1, "requests": 5000, "requests_dropped": 7})
    ['request limit reached: 5000 requests made, 7 more not made (INVESTWATCH_MAX_REQUESTS_PER_SOURCE)']
    """
    out = []
    if crawled.get("request_limit_reached"):
        out.append(f"request limit reached: {crawled.get('requests', 0)} requests made, "
                   f"{crawled.get('requests_dropped', 0)} more not made (INVESTWATCH_MAX_REQUESTS_PER_SOURCE)")
    if crawled.get("sitemap_limit_reached"):
        out.append(f"sitemap limit reached after {crawled.get('sitemaps_followed', 0)} child sitemaps "
                   "(INVESTWATCH_SITEMAP_MAX_DEPTH / INVESTWATCH_SITEMAP_MAX_FILES)")
    return out


# --- extract + dedupe ----------------------------------------------------------------------------


def page_html(page: Page) -> str:
    """Decode a stored body with the encoding the crawler used (Scrapy's, right for GBK pages)."""
    body = repo.page_body(page)
    return body.decode(page.encoding or "utf-8", errors="replace")


def pages_to_extract(session: Session) -> list[int]:
    """Fetched pages not extracted yet, and those whose extraction failed or found no article under an
    earlier extractor version (a better extractor may get them: they are retried once per version)."""
    retry = and_(Page.extract_status.in_(("failed", "not_article")),
                 or_(Page.extractor_version.is_(None), Page.extractor_version != EXTRACTOR_VERSION))
    return list(session.execute(
        select(Page.id).where(or_(Page.extracted.is_(False), retry), Page.status == 200, Page.error.is_(None))
        .order_by(Page.id)
    ).scalars())


def _mark(page: Page, status: str, note: str | None = None) -> None:
    page.extracted = True
    page.extract_status, page.extract_note, page.extractor_version = status, note, EXTRACTOR_VERSION


def _extract_failed(session: Session, page: Page, cause: str, run_id: int, per: dict[str, int],
                    stats: RunStats) -> None:
    """A page whose text could not be extracted: a failures row with the cause, the page marked failed
    (retried when the extractor version changes), nothing stored as an article."""
    stats.extract_failures += 1
    per["empty_extractions"] = per.get("empty_extractions", 0) + 1
    repo.record_failure(session, "extract", cause, run_id=run_id, source_id=page.source_id, url=page.url)
    logjson.events.warning("extraction failed: %s", cause[:200], extra={"url": page.url})
    _mark(page, "failed", cause)


def _outcome(text: PageText) -> tuple[str, str | None]:
    """What to do with an extraction: ("article", None), ("not_article", why) or ("failed", cause)."""
    if text.not_article:
        return "not_article", text.not_article
    if text.failure:
        return "failed", text.failure
    if len(text.text.strip()) < MIN_TEXT_CHARS:
        return "failed", f"empty extraction ({len(text.text.strip())} chars)"
    return "article", None


def extract_stage(factory: sessionmaker[Session], run_id: int, stats: RunStats) -> None:
    """Turn every not-yet-extracted 200 page into an article: one row per distinct text, near-duplicates
    pointed at their cluster's earliest copy, a changed text under a known URL stored as a new version.
    Pages that are not articles, or whose text came out near-empty, are marked so (and the latter recorded
    as failures), never stored as articles."""
    with transaction(factory) as session:
        page_ids = pages_to_extract(session)
        index = repo.near_duplicate_index(session) if page_ids else None
        names = dict(session.execute(select(Source.id, Source.name)).tuples().all())
    for page_id in page_ids:
        with transaction(factory) as session:
            page = session.get(Page, page_id)
            assert page is not None and index is not None
            per = stats.per_source.setdefault(names.get(page.source_id or 0, "?"), {})
            role = page.extra.get("role", "article")
            if role == "table":  # a page holding a table of projects: stored for the table parser
                _store_table_page(session, page, per, stats)
                continue
            if role != "article":
                page.extracted = True  # kept as a raw page of its source; not an article
                continue
            try:
                html = page_html(page)
                text = extract_page(html, page.final_url or page.url,
                                    page.list_date.isoformat() if page.list_date else None,
                                    continuation_html=page.extra.get("continuation_html", ()))
                body = text.text
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run; recorded below
                _extract_failed(session, page, f"{type(exc).__name__}: {exc}", run_id, per, stats)
                continue
            status, note = _outcome(text)
            if status == "not_article":
                stats.not_articles += 1
                per["not_articles"] = per.get("not_articles", 0) + 1
                _mark(page, status, note)
                log.info("%s: %s", page.url, note)
                continue
            if status == "failed":
                _extract_failed(session, page, note or "extraction failed", run_id, per, stats)
                continue
            _mark(page, "article")
            published_on = _as_date(text.published) or page.list_date
            stored = repo.store_article(
                session, url=page.url, source_id=page.source_id, page_id=page.id, title=text.title,
                published_on=published_on, origin=text.source, text=body,
                date_origin=(text.date_origin or "list") if published_on else None,
            )
            affected: set[int] = set()
            if stored.replaced_id is not None:
                stats.updated_articles += 1
                affected |= projects.clear_facts(session, stored.replaced_id)
            if stored.is_new:
                near = repo.assign_near_duplicate(session, stored.article_id, index)
                if near is not None and near.demoted_id is not None:
                    affected |= projects.clear_facts(session, near.demoted_id)
                if stored.replaced_id is None and near is not None and near.demoted_id is None:
                    stats.duplicate_articles += 1
                elif stored.replaced_id is None and near is not None and stored.version_of is not None:
                    stats.updated_articles += 1  # an edit of a text still current elsewhere
                elif stored.replaced_id is None:
                    stats.new_articles += 1
                    per["new_articles"] = per.get("new_articles", 0) + 1
                    if near is not None:
                        stats.duplicate_articles += 1  # the earlier copy arrived after its republication
            elif stored.is_duplicate:
                stats.duplicate_articles += 1
            if affected:
                session.flush()
                projects.refresh_projects(session, affected)


def _store_table_page(session: Session, page: Page, per: dict[str, int], stats: RunStats) -> None:
    page.extracted = True
    html = page_html(page)
    text = table_text(html)
    if not text:
        stats.extract_failures += 1
        per["empty_extractions"] = per.get("empty_extractions", 0) + 1
        repo.record_failure(session, "extract", "table page without a table", source_id=page.source_id, url=page.url)
        return
    meta = extract_page(html, page.final_url or page.url, page.list_date.isoformat() if page.list_date else None)
    stored = repo.store_article(session, url=page.url, source_id=page.source_id, page_id=page.id, title=meta.title,
                                published_on=_as_date(meta.published) or page.list_date, origin=meta.source,
                                text=text, kind="table")
    if stored.is_new:
        stats.new_articles += 1
        per["new_articles"] = per.get("new_articles", 0) + 1
    if stored.replaced_id is not None:
        stats.updated_articles += 1
        projects.refresh_projects(session, projects.clear_facts(session, stored.replaced_id))


# --- parse + resolve -----------------------------------------------------------------------------


PARSE_BATCH = 500  # articles per batch: one query of ids
PARSE_COMMIT_EVERY = 25  # articles per transaction


def parse_stage(factory: sessionmaker[Session], run_id: int, stats: RunStats, *,
                max_chars: int = DEFAULT_MAX_CHARS, budget_s: float = DEFAULT_BUDGET_S,
                batch_size: int = PARSE_BATCH, max_candidates: int = projects.project_keys.MAX_CANDIDATES,
                commit_every: int = PARSE_COMMIT_EVERY) -> None:
    """Parse every article that is new, failed before (bounded retries) or parsed by an older parser,
    batch by batch (ascending ids, so each batch moves on and the stage ends) until none is pending.

    The project's city is the source's (sources.yaml `city`, stored on the source row). Only the first
    ``max_chars`` characters are parsed (the article is flagged `truncated:<length>`), within ``budget_s``
    seconds per article (flagged `over_budget`, recorded as a parse failure, not retried).

    ``commit_every`` articles share one transaction: a commit per article expired the session's identity
    map, so every article re-read the projects the previous one had just written (a third of the stage's
    time). A crash or a storage error loses at most that many articles' work: they stay pending and the next
    run parses them again. No savepoint per article is needed: the parser is pure, so a parser failure has
    written nothing to undo (and pysqlite's SAVEPOINT handling is unreliable). The resolution lock is taken
    first, so on PostgreSQL a run never holds a row another run's resolution waits for.
    """
    with transaction(factory) as session:
        pending = repo.count_to_parse(session, FACTS_VERSION)
        cities = dict(session.execute(select(Source.id, Source.city)).tuples().all())
    after, batches, done = 0, 0, 0
    while True:
        with transaction(factory) as session:
            todo = repo.article_batch_to_parse(session, FACTS_VERSION, after_id=after, limit=batch_size)
        if not todo:
            break
        batches += 1
        step = max(1, commit_every)
        for start in range(0, len(todo), step):
            outcomes: list[list[int] | None] = []
            with transaction(factory) as session:
                projects.lock_resolution(session)
                for article_id, source_id in todo[start:start + step]:
                    outcomes.append(_parse_one(session, article_id, cities.get(source_id) if source_id else None,
                                               run_id, max_chars, budget_s, max_candidates))
            _count(stats, outcomes)  # only once committed: a rolled-back chunk counts nothing
        after, done = todo[-1][0], done + len(todo)
        progress.info("parse: batch %d, %d of %d articles (%d parsed, %d failed)", batches, done,
                      max(pending, done), stats.parsed_articles, stats.parse_failures)
    stats.parse_batches += batches


def _count(stats: RunStats, outcomes: list[list[int] | None]) -> None:
    for pids in outcomes:
        if pids is None:
            stats.parse_failures += 1
            continue
        stats.parsed_articles += 1
        fresh = [p for p in pids if p not in stats.touched]
        stats.touched.update(fresh)  # a set beside the list: a re-parse of 100k articles stays linear
        stats.projects.extend(fresh)


def _parse_one(session: Session, article_id: int, city: str | None, run_id: int,
               max_chars: int, budget_s: float, max_candidates: int) -> list[int] | None:
    """Parse and resolve one article in the chunk's transaction: its project ids, or None when the parser
    failed (the failure is recorded). A storage error rolls back the chunk."""
    article = session.get(Article, article_id)
    assert article is not None
    published = article.published_on.isoformat() if article.published_on else None
    try:
        if article.kind == "table":
            page = session.get(Page, article.page_id) if article.page_id else None
            facts = parse_project_table(page_html(page)) if page else ArticleFacts()
        else:
            facts, article.parse_flags = bounded(partial(parse_article, published=published),
                                                 article.text, max_chars, budget_s)
            page = session.get(Page, article.page_id) if article.page_id else None
            if page is not None and "<table" in (html := page_html(page)):
                facts = with_table_rows(facts, parse_project_table(html))  # a news page with a 项目表
    except Exception as exc:  # noqa: BLE001 - a parser bug on one article is recorded, not fatal
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        repo.mark_parse_failed(session, article_id, detail)
        if isinstance(exc, ParseBudgetExceeded):  # the same text would overrun again: no retry
            article.parse_flags = "over_budget"
            article.parse_attempts = repo.MAX_PARSE_ATTEMPTS
        repo.record_failure(session, "parse", detail, run_id=run_id, url=article.url)
        logjson.events.warning("parse failed: %s", detail[:300], extra={"url": article.url})
        return None
    # the source's district is not the project's: city papers and district sites run roundups of
    # projects all over the city, so the place comes from the article (the record's location)
    return projects.save_facts(session, article_id, facts, parser_version=FACTS_VERSION, city=city,
                               max_candidates=max_candidates)


# --- alerts --------------------------------------------------------------------------------------


def snapshots(session: Session) -> list[ProjectSnapshot]:
    """Every live project with its timeline (reported and expected milestones, with the articles behind them)."""
    return project_snapshots(session)


def sources_health(session: Session) -> list[SourceHealth]:
    return [SourceHealth(source=h.source, silent_runs=h.silent_runs, failing_extractions=h.failing_extractions,
                         last_ok=h.last_ok, last_error=h.last_error, since=h.since,
                         silent_since=h.silent_since, failing_since=h.failing_since,
                         unreachable_runs=h.unreachable_runs, unreachable_since=h.unreachable_since,
                         list_failing_runs=h.list_failures[0].runs if h.list_failures else 0,
                         list_failing_since=h.list_failures[0].since if h.list_failures else None,
                         problem=h.problem)
            for h in repo.source_health(session)]


def alert_stage(factory: sessionmaker[Session], config: AlertsConfig, data_dir: Path, today: date, run_id: int,
                stats: RunStats, *, max_attempts: int = 20, now: datetime | None = None, timeout_s: float = 30.0,
                resend_delay_s: float = 600.0) -> None:
    """Evaluate rules into the outbox (one row per alert key and channel), then deliver what is due:
    per channel, urgent alerts one by one and the rest as digests grouped by rule.

    The rules see the projects changed since they last ran and those a lagging rule fell due for since
    (flows/alert_scope.py), every project when the rules changed: the same alerts as evaluating all of them.

    ``now`` (UTC, default the clock) decides which retries are due; tests pass it to step through back-off.
    """
    now = now or repo.now_utc()
    with transaction(factory) as session:
        started = repo.now_utc()  # before reading: a project changed while the rules run is read again next time
        scope = alert_scope(session, config, today, stats.projects, marks.get_mark(session, MARK))
        stats.alert_scope = scope.why
        evaluated = project_snapshots(session, scope.project_ids)
        stats.alert_projects_evaluated = len(evaluated)
        drafts = evaluate_rules(evaluated, config, today, sources_health=sources_health(session))
        known = projects.known_alert_keys(session, [k for d in drafts for k in d.former_keys])
        repo.enqueue_alerts(session, [
            repo.OutboxItem(key=d.key, channel=ch, rule=d.rule, project_id=d.project_id, urgent=d.urgent,
                            title=d.title, body=d.body)
            for d in drafts for ch in d.channels
            if not any((k, ch) in known for k in d.former_keys)  # announced under a former id of the project
        ])
        marks.set_mark(session, MARK, new_mark(config, today, started))  # moves only with the enqueued alerts
    delay = timedelta(seconds=resend_delay_s)
    given_up = _deliver_due(factory, config, data_dir, run_id, stats, now, max_attempts, timeout_s, delay)
    if given_up:
        # a channel down for longer than the retry limit is reported on the other channels, not retried forever
        notices = _channel_down_notices(config, given_up, today)
        if notices:
            with transaction(factory) as session:
                repo.enqueue_alerts(session, notices)
            _deliver_due(factory, config, data_dir, run_id, stats, now, max_attempts, timeout_s, delay)


def _channel_down_notices(config: AlertsConfig, given_up: dict[str, list[str]], today: date) -> list[repo.OutboxItem]:
    """One ops notice per given-up channel and day, to every other configured channel."""
    out: list[repo.OutboxItem] = []
    for channel, keys in sorted(given_up.items()):
        title = f"提醒通道故障：{channel}"
        body = (f"通道 {channel} 多次发送失败，已停止重试 {len(keys)} 条提醒"
                f"（{'、'.join(keys[:5])}{'等' if len(keys) > 5 else ''}）。"
                "请检查该通道配置或服务状态；`investwatch alerts history` 可查看错误。")
        out.extend(repo.OutboxItem(key=f"channel_down:{channel}:{today.isoformat()}", channel=other,
                                   rule="channel_down", project_id=None, urgent=True, title=title, body=body)
                   for other in sorted(config.channels) if other != channel)
    return out


def _messages(rows: list[Any]) -> list[Any]:
    """The messages for one channel; alerts re-sent after an unknown outcome go apart, marked 【重发】."""
    fresh = [r for r in rows if not r.resends]
    again = [r for r in rows if r.resends]
    return pack_messages(fresh) + [replace(m, title=f"【重发】{m.title}") for m in pack_messages(again)]


def _deliver_due(factory: sessionmaker[Session], config: AlertsConfig, data_dir: Path, run_id: int,
                 stats: RunStats, now: datetime, max_attempts: int, timeout_s: float = 30.0,
                 resend_delay: timedelta = timedelta(minutes=10)) -> dict[str, list[str]]:
    """Send what the outbox holds due; returns the keys given up in this pass, per channel.

    Each message's items are marked inflight (committed) before the send and settled right after it, so
    a crash leaves at most one message's items of unknown outcome, and never re-sends a confirmed one.
    """
    given_up: dict[str, list[str]] = {}
    with transaction(factory) as session:
        claimed = repo.claim_due_alerts(session, now, max_attempts, run_id)
    by_channel: dict[str, list[Any]] = {}
    for alert in claimed:
        by_channel.setdefault(alert.channel, []).append(alert)
    for channel, rows in by_channel.items():
        for packed in _messages(rows):
            with transaction(factory) as session:
                marked = set(outbox.mark_inflight(session, [a.id for a in packed.items], run_id))
            if len(marked) < len(packed.items):  # claims lost to a later run (this one was found dead): not ours
                stats.errors.append(f"{len(packed.items) - len(marked)} alerts to {channel} were taken over by "
                                    "another run (this run's heartbeat was too old); not sent by this run")
            ours = [a for a in packed.items if a.id in marked]
            for message in [packed] if len(ours) == len(packed.items) else _messages(ours):
                _send_one(factory, config, data_dir, run_id, channel, message, stats, given_up, now, max_attempts,
                          timeout_s, resend_delay)
    return given_up


def _send_one(factory: sessionmaker[Session], config: AlertsConfig, data_dir: Path, run_id: int, channel: str,
              message: Any, stats: RunStats, given_up: dict[str, list[str]], now: datetime, max_attempts: int,
              timeout_s: float, resend_delay: timedelta) -> None:
    """Hand one message (its items already inflight) to its channel and settle each item."""
    result = (SendResult(False, f"channel {channel!r} is no longer configured in alerts.yaml")
              if channel not in config.channels else
              deliver(config.channel_url(channel), message.title, message.body, data_dir=data_dir,
                      urgent=message.urgent, timeout_s=timeout_s))
    with transaction(factory) as session:
        for alert in message.items:
            _settle(session, alert, channel, result, stats, given_up, now, max_attempts, resend_delay)
        if not result.ok:
            repo.record_failure(session, "alert", f"{channel}: {result.error}", run_id=run_id)
    if not result.ok:
        logjson.events.warning("alert to %s not delivered (%d items): %s", channel, len(message.items), result.error)


def _settle(session: Session, alert: Any, channel: str, result: SendResult, stats: RunStats,
            given_up: dict[str, list[str]], now: datetime, max_attempts: int, resend_delay: timedelta) -> None:
    """Record one alert's outcome: sent, unconfirmed (sent, answer unknown), retried later, or given up."""
    error = result.error or "unknown error"
    if result.ok:
        repo.mark_alert_sent(session, alert.id)
        stats.alerts_sent += 1
    elif result.unknown:
        stats.alerts_unconfirmed += 1
        again = outbox.mark_unconfirmed(session, alert.id, error, now, resend_delay)
        stats.errors.append(f"alert {alert.key} to {channel}: delivery unconfirmed ({error}); "
                            + ("re-sent once later, marked 【重发】" if again else "not sent again"))
    elif repo.mark_alert_failed(session, alert.id, error, now, max_attempts):
        stats.alerts_failed += 1
    else:
        stats.alerts_given_up += 1
        given_up.setdefault(channel, []).append(alert.key)
        stats.errors.append(f"alert {alert.key} to {channel} given up after {max_attempts} attempts: {error}")


def health_stage(factory: sessionmaker[Session], run_id: int, stats: RunStats) -> None:
    """Record what each source yielded in this run (for `investwatch sources` and source-health alerts)."""
    with transaction(factory) as session:
        ids = dict(session.execute(select(Source.name, Source.id)).tuples().all())
        repo.record_source_health(session, run_id, {ids[n]: c for n, c in stats.per_source.items() if n in ids},
                                  causes={ids[n]: c for n, c in stats.source_error_causes.items() if n in ids})


def export_stage(factory: sessionmaker[Session], out_dir: Path, run_id: int | None = None,
                 snapshots_kept: int = 10, today: date | None = None,
                 workbook_max_rows: int = DEFAULT_MAX_ROWS, workbook_refresh_hours: float = 0.0,
                 workbook_every_run_below_rows: int = 0) -> list[Path]:
    """The dataset and the report beside it; a pipeline run (``run_id``) also writes changes.csv and its snapshot."""
    with factory() as session:
        written = export_dataset(session, out_dir, run_id=run_id, snapshots_kept=snapshots_kept,
                                 workbook_max_rows=workbook_max_rows,
                                 workbook_every=timedelta(hours=workbook_refresh_hours),
                                 workbook_every_from_rows=workbook_every_run_below_rows)
        written.append(write_report(session, out_dir.parent / "report", out_dir, today or date.today(),
                                    datetime.now(UTC), from_files=True))
    return written
