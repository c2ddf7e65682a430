"""Which projects a run's alert rules look at: those changed since the rules last ran, plus those a
time-driven rule (lagging_signed, lagging_expected) may have fallen due for since then; every project when
the rules changed or never ran. The other projects cannot yield a new alert: their facts did not move, and
new_project / stage_change only get less due as days pass (max_age_days), so their alerts, if any, are
already in the outbox. The rules themselves (alerts/rules.py) are unchanged and see whole projects.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from alerts.config import AlertsConfig, LaggingExpectedRule, LaggingSignedRule
from alerts.periods import period_end
from alerts.rules import MilestoneView, ProjectSnapshot
from storage import projects
from storage.models import Article, Mention, Milestone, Project

MARK = "alerts"
MARK_VERSION = 1
# re-read projects changed a little before the last mark: a writer's clock a bit behind ours, or a commit
# landing while the rules ran, is then seen next time (evaluating a project twice only re-finds its keys)
CLOCK_MARGIN = timedelta(minutes=5)
ID_BATCH = 500  # ids per IN (...) list: SQLite's variable limit is far above, PostgreSQL has none that matters


@dataclass(frozen=True)
class Scope:
    project_ids: frozenset[int] | None  # None: every project
    why: str  # for the run's stats: "full (rules changed)", "incremental"


def rules_fingerprint(config: AlertsConfig) -> str:
    """A hash of the rules and the channels each resolves to (names only: no channel URL, so no secret)."""
    rules = [[rule.model_dump(mode="json"), list(config.rule_channels(rule))] for rule in config.rules]
    return hashlib.sha256(json.dumps(rules, sort_keys=True, default=str).encode()).hexdigest()[:32]


def new_mark(config: AlertsConfig, today: date, started: datetime) -> dict[str, Any]:
    return {"version": MARK_VERSION, "rules": rules_fingerprint(config), "day": today.isoformat(),
            "at": started.isoformat()}


def full_reason(mark: dict[str, Any], config: AlertsConfig, today: date) -> str | None:
    """Why every project must be evaluated (None when the changes since ``mark`` are enough). Pure.

    >>> from alerts.config import AlertsConfig
    >>> cfg = AlertsConfig(channels={"local": "file"}, rules=())
    >>> full_reason({}, cfg, date(2026, 1, 2))
    'first run of the rules'
    >>> mark = new_mark(cfg, date(2026, 1, 2), datetime(2026, 1, 2))
    >>> full_reason(mark, cfg, date(2026, 1, 3)) is None, full_reason(mark, cfg, date(2026, 1, 1))
    (True, 'day before the last run')
    """
    if mark.get("version") != MARK_VERSION or "day" not in mark or "at" not in mark:
        return "first run of the rules"
    if mark.get("rules") != rules_fingerprint(config):
        return "rules changed"
    if today < date.fromisoformat(mark["day"]):
        return "day before the last run"  # a --today in the past: the windows below assume time moves on
    return None


def _scalars(session: Session, stmt: Any) -> set[int]:
    return {int(v) for v in session.execute(stmt).scalars() if v is not None}


def changed_since(session: Session, since: datetime) -> set[int]:
    """Live projects whose fields or timeline were refreshed at or after ``since`` (indexed updated_at)."""
    return _scalars(session, select(Project.id).where(Project.updated_at >= since, Project.merged_into_id.is_(None)))


def due_between(session: Session, config: AlertsConfig, since: date, today: date) -> set[int]:
    """Projects with a milestone a lagging rule counts from whose deadline passed in (since, today]:
    the rule was not due for it on ``since`` and may be today. Indexed range queries on the end dates."""
    ids: set[int] = set()
    for rule in config.rules:
        if isinstance(rule, LaggingExpectedRule):
            lo, hi = since - timedelta(days=rule.grace_days), today - timedelta(days=rule.grace_days)
            ids |= _scalars(session, select(Milestone.project_id).where(
                Milestone.kind == "expected", Milestone.ends_on >= lo, Milestone.ends_on < hi))
        elif isinstance(rule, LaggingSignedRule):
            lo, hi = since - timedelta(days=rule.days), today - timedelta(days=rule.days)
            signed = (Milestone.kind == "reported") & (Milestone.stage == "signed")
            ids |= _scalars(session, select(Milestone.project_id).where(
                signed, Milestone.ends_on >= lo, Milestone.ends_on < hi))
            # an undated signing counts from its article's date (alerts.rules._reported_end)
            ids |= _scalars(session, select(Milestone.project_id).join(Article, Article.id == Milestone.article_id)
                            .where(signed, Milestone.ends_on.is_(None), Article.published_on >= lo,
                                   Article.published_on < hi))
            # a project set to 签约 by hand, with no signing in its timeline, counts from its stage date
            m = aliased(Milestone)
            bare = select(Project.id, Project.stage_date).where(
                Project.stage == "signed", Project.stage_date.is_not(None), Project.merged_into_id.is_(None),
                ~exists().where(m.project_id == Project.id, m.kind == "reported", m.stage == "signed"))
            ids |= {pid for pid, when in session.execute(bare).tuples()
                    if (end := period_end(when)) is not None and lo <= end < hi}
    return ids


def alert_scope(session: Session, config: AlertsConfig, today: date, touched: Iterable[int],
                mark: dict[str, Any]) -> Scope:
    why = full_reason(mark, config, today)
    if why is not None:
        return Scope(None, f"full ({why})")
    since = datetime.fromisoformat(mark["at"]) - CLOCK_MARGIN
    ids = set(touched) | changed_since(session, since) | due_between(session, config,
                                                                      date.fromisoformat(mark["day"]), today)
    return Scope(frozenset(ids), "incremental")


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), ID_BATCH):
        yield ordered[i:i + ID_BATCH]


def _formers(session: Session, ids: frozenset[int] | None) -> dict[int, tuple[int, ...]]:
    formers = projects.former_ids(session)
    return formers if ids is None else {k: v for k, v in formers.items() if k in ids}


def project_snapshots(session: Session, ids: frozenset[int] | None = None) -> list[ProjectSnapshot]:
    """Live projects (all, or those in ``ids``) with their timelines and articles, as the rules see them."""
    batches: Iterable[list[int] | None] = [None] if ids is None else _batches(ids)
    formers = _formers(session, ids)
    out: list[ProjectSnapshot] = []
    for batch in batches:
        rows = select(Project).where(Project.merged_into_id.is_(None)).order_by(Project.id)
        ms = select(Milestone, Article.url, Article.published_on).join(Article, Article.id == Milestone.article_id)
        links = (select(Mention.project_id, Article.url, Article.title).join(Article, Article.id == Mention.article_id)
                 .order_by(Article.published_on.is_(None), Article.published_on, Article.id))
        if batch is not None:
            rows = rows.where(Project.id.in_(batch))
            ms = ms.where(Milestone.project_id.in_(batch))
            links = links.where(Mention.project_id.in_(batch))
        timelines: dict[int, list[MilestoneView]] = {}
        for m, url, published in session.execute(ms).all():
            timelines.setdefault(m.project_id, []).append(MilestoneView(
                kind="reported" if m.kind == "reported" else "expected", stage=m.stage, date=m.date, text=m.text,
                article_url=url, published_on=published))
        articles: dict[int, list[tuple[str, str]]] = {}
        for pid, url, title in session.execute(links).tuples():
            articles.setdefault(pid, []).append((url, title or ""))
        for p in session.execute(rows).scalars():
            arts = articles.get(p.id, [])
            out.append(ProjectSnapshot(
                project_id=p.id, name=p.name, amount_yuan=p.amount_yuan, amount_qualifier=p.amount_qualifier,
                stage=p.stage, stage_date=p.stage_date, location=p.location, city=p.city, district=p.district,
                investor=p.investor, industry=p.industry, first_seen=p.first_seen_at.date(),
                article_urls=tuple(u for u, _ in arts), article_titles=tuple(t for _, t in arts),
                milestones=tuple(timelines.get(p.id, ())), is_expansion=p.is_expansion,
                former_ids=formers.get(p.id, ()),
            ))
    out.sort(key=lambda s: s.project_id)
    return out


def count_live_projects(session: Session) -> int:
    return int(session.scalar(select(func.count(Project.id)).where(Project.merged_into_id.is_(None))) or 0)
