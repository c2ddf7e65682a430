"""Pipeline stages as plain functions: each takes what is pending in the database, does it, records it.

Prefect tasks in flows/pipeline.py are thin wrappers over these ("remove the decorators and it still works").
Each stage commits per item, so a crash loses at most the item in hand and a re-run resumes.
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

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.config import AlertsConfig
from alerts.message import pack_messages
from alerts.rules import ProjectSnapshot, SourceHealth, evaluate_rules
from alerts.send import SendResult, deliver
from flows.alert_scope import MARK, alert_scope, new_mark, project_snapshots
from flows.parse_bounds import DEFAULT_BUDGET_S, DEFAULT_MAX_CHARS, ParseBudgetExceeded, bounded
from flows.progress import fetch_cause
from parsers import PARSER_VERSION, parse_article
from parsers.html import extract_page
from parsers.model import ArticleFacts
from parsers.table import TABLE_VERSION, parse_project_table, table_text, with_table_rows
from spiders.config import Source as SourceConfig
from spiders.items import KnownPage
from spiders.run import FetchedPage, crawl, iter_items
from storage import marks, outbox, projects, repo
from storage.db import transaction
from storage.export import export_dataset
from storage.models import Article, Page, Source
from storage.report import write_report

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
    extract_failures: int = 0
    parsed_articles: int = 0
    parse_failures: int = 0
    projects: list[int] = field(default_factory=list)  # projects touched in this run
    alerts_sent: int = 0
    alerts_failed: int = 0  # kept pending, retried next run
    alerts_given_up: int = 0  # failed max_attempts times: status "failed", reported, not retried
    alerts_unconfirmed: int = 0  # sent but no answer in time: re-sent once later, marked 【重发】
    alert_scope: str = ""  # "incremental", or "full (<why>)": which projects the rules evaluated
    alert_projects_evaluated: int = 0
    errors: list[str] = field(default_factory=list)
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- crawl ---------------------------------------------------------------------------------------


def crawl_stage(factory: sessionmaker[Session], sources: list[SourceConfig], work_dir: Path, run_id: int,
                stats: RunStats, *, crawl_settings: dict[str, Any] | None = None,
                timeout_s: float = 1800) -> None:
    """Crawl every enabled source in one subprocess and store each fetch (article pages and failures)."""
    enabled = [s for s in sources if s.enabled]
    if not enabled:
        return
    with transaction(factory) as session:
        source_ids = {s.name: repo.ensure_source(session, s.name, s.url, s.kind, s.city, s.district) for s in enabled}
        known = {url: KnownPage.from_json(v) for url, v in repo.known_article_validators(session).items()}
    work_dir.mkdir(parents=True, exist_ok=True)
    items_path = work_dir / f"crawl-run{run_id}.jsonl"
    report = crawl(enabled, items_path, known_urls=known, timeout_s=timeout_s, settings=crawl_settings)
    if report.returncode != 0:
        msg = f"crawler exited with {report.returncode}: {report.stderr_tail[-800:]}"
        stats.errors.append(msg)
        with transaction(factory) as session:
            repo.record_failure(session, "crawl", msg, run_id=run_id)
    for s in enabled:
        crawled = report.per_source.get(s.name, {})
        stats.per_source[s.name] = Counter({"links_found": int(crawled.get("links_found", 0))})
        for cut in _limits_reached(crawled):
            stats.errors.append(f"{s.name}: {cut}")
            with transaction(factory) as session:
                repo.record_failure(session, "crawl", cut, run_id=run_id, source_id=source_ids[s.name], url=s.url)
    for item in iter_items(items_path):
        per = stats.per_source.setdefault(item.source, Counter())
        with transaction(factory) as session:
            source_id = source_ids.get(item.source)
            repo.store_page(session, _page_in(item), source_id=source_id, run_id=run_id)
            if item.error or item.status != 200:
                stats.fetch_errors += 1
                cause = fetch_cause(item.status, item.error)
                stats.fetch_error_causes[cause] = stats.fetch_error_causes.get(cause, 0) + 1
                per["errors"] += 1
                repo.record_failure(session, "fetch", f"HTTP {item.status}: {item.error or 'error'}", run_id=run_id,
                                    source_id=source_id, url=item.url)
            else:
                stats.pages_fetched += 1
                per["pages"] += 1
    stats.per_source = {k: dict(v) for k, v in stats.per_source.items()}
    # every item is now a stored page (raw body kept there); a crash before this line leaves the file for
    # inspection, and the pages not yet stored are simply crawled again next run (they are not known)
    items_path.unlink(missing_ok=True)


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


def _page_in(item: FetchedPage) -> repo.PageIn:
    # role: article | table (a page holding a table of projects, kept raw for a table parser) | listing
    extra: dict[str, Any] = {"redirect_urls": list(item.redirect_urls), "role": item.role,
                             "lastmod": item.lastmod}
    continuation = getattr(item, "continuation_html", None)
    if continuation:
        extra["continuation_html"] = list(continuation)
    return repo.PageIn(
        url=item.url, final_url=item.final_url, status=item.status, body=item.body or b"",
        encoding=item.encoding, headers=dict(item.headers), error=item.error, list_date=_as_date(item.list_date),
        list_title=item.list_title, fetched_at=datetime.fromisoformat(item.fetched_at), extra=extra,
    )


# --- extract + dedupe ----------------------------------------------------------------------------


def page_html(page: Page) -> str:
    """Decode a stored body with the encoding the crawler used (Scrapy's, right for GBK pages)."""
    body = repo.page_body(page)
    return body.decode(page.encoding or "utf-8", errors="replace")


def extract_stage(factory: sessionmaker[Session], run_id: int, stats: RunStats) -> None:
    """Turn every not-yet-extracted 200 page into an article: one row per distinct text, near-duplicates
    pointed at their cluster's earliest copy, a changed text under a known URL stored as a new version."""
    with transaction(factory) as session:
        page_ids = list(session.execute(
            select(Page.id).where(Page.extracted.is_(False), Page.status == 200, Page.error.is_(None))
            .order_by(Page.id)
        ).scalars())
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
                stats.extract_failures += 1
                per["empty_extractions"] = per.get("empty_extractions", 0) + 1
                repo.record_failure(session, "extract", f"{type(exc).__name__}: {exc}", run_id=run_id,
                                    source_id=page.source_id, url=page.url)
                page.extracted = True  # same bytes would fail the same way; a re-fetch makes a new page row
                continue
            page.extracted = True
            if len(body.strip()) < MIN_TEXT_CHARS:
                stats.extract_failures += 1
                per["empty_extractions"] = per.get("empty_extractions", 0) + 1
                repo.record_failure(session, "extract", f"empty extraction ({len(body.strip())} chars)",
                                    run_id=run_id, source_id=page.source_id, url=page.url)
                continue
            stored = repo.store_article(
                session, url=page.url, source_id=page.source_id, page_id=page.id, title=text.title,
                published_on=_as_date(text.published) or page.list_date, origin=text.source, text=body,
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


def parse_stage(factory: sessionmaker[Session], run_id: int, stats: RunStats, *,
                max_chars: int = DEFAULT_MAX_CHARS, budget_s: float = DEFAULT_BUDGET_S) -> None:
    """Parse every article that is new, failed before (bounded retries) or parsed by an older parser.

    The project's city is the source's (sources.yaml `city`, stored on the source row). Only the first
    ``max_chars`` characters are parsed (the article is flagged `truncated:<length>`), within ``budget_s``
    seconds per article (flagged `over_budget`, recorded as a parse failure, not retried).
    """
    with transaction(factory) as session:
        todo = [(a.id, a.source_id) for a in repo.articles_to_parse(session, FACTS_VERSION)]
        cities = dict(session.execute(select(Source.id, Source.city)).tuples().all())
    for article_id, source_id in todo:
        city = cities.get(source_id) if source_id else None
        with transaction(factory) as session:
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
                stats.parse_failures += 1
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                repo.mark_parse_failed(session, article_id, detail)
                if isinstance(exc, ParseBudgetExceeded):  # the same text would overrun again: no retry
                    article.parse_flags = "over_budget"
                    article.parse_attempts = repo.MAX_PARSE_ATTEMPTS
                repo.record_failure(session, "parse", detail, run_id=run_id, url=article.url)
                continue
            # the source's district is not the project's: city papers and district sites run roundups of
            # projects all over the city, so the place comes from the article (the record's location)
            pids = projects.save_facts(session, article_id, facts, parser_version=FACTS_VERSION, city=city)
            stats.parsed_articles += 1
            stats.projects.extend(p for p in pids if p not in stats.projects)


# --- alerts --------------------------------------------------------------------------------------


def snapshots(session: Session) -> list[ProjectSnapshot]:
    """Every live project with its timeline (reported and expected milestones, with the articles behind them)."""
    return project_snapshots(session)


def sources_health(session: Session) -> list[SourceHealth]:
    return [SourceHealth(source=h.source, silent_runs=h.silent_runs, failing_extractions=h.failing_extractions,
                         last_ok=h.last_ok, last_error=h.last_error, since=h.since,
                         silent_since=h.silent_since, failing_since=h.failing_since)
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
        for message in _messages(rows):
            with transaction(factory) as session:
                outbox.mark_inflight(session, [a.id for a in message.items])
            result = (SendResult(False, f"channel {channel!r} is no longer configured in alerts.yaml")
                      if channel not in config.channels else
                      deliver(config.channel_url(channel), message.title, message.body, data_dir=data_dir,
                              urgent=message.urgent, timeout_s=timeout_s))
            with transaction(factory) as session:
                for alert in message.items:
                    _settle(session, alert, channel, result, stats, given_up, now, max_attempts, resend_delay)
                if not result.ok:
                    repo.record_failure(session, "alert", f"{channel}: {result.error}", run_id=run_id)
    return given_up


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
        repo.record_source_health(session, run_id, {ids[n]: c for n, c in stats.per_source.items() if n in ids})


def export_stage(factory: sessionmaker[Session], out_dir: Path, run_id: int | None = None,
                 snapshots_kept: int = 10, today: date | None = None) -> list[Path]:
    """The dataset and the report beside it; a pipeline run (``run_id``) also writes changes.csv and its snapshot."""
    with factory() as session:
        written = export_dataset(session, out_dir, run_id=run_id, snapshots_kept=snapshots_kept)
        written.append(write_report(session, out_dir.parent / "report", out_dir, today or date.today(),
                                    datetime.now(UTC), from_files=True))
    return written
