"""Pure rule evaluation: project snapshots (+ source health) + AlertsConfig + today -> the alerts due, each keyed.

Nothing here reads the clock, the database or the environment: `today` and the data come in as arguments,
so the same inputs always give the same alerts, and a key names what the alert is about (rule + project +
milestone), never how it is worded, so the outbox sends each alert once however often a run repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from alerts.config import (
    AlertsConfig,
    LaggingExpectedRule,
    LaggingSignedRule,
    NewProjectRule,
    ProjectFilters,
    Rule,
    SourceHealthRule,
    StageChangeRule,
)
from alerts.message import (
    format_alert,
    format_lagging_expected,
    format_lagging_signed,
    format_source_health,
    format_stage_change,
    message_text,
)
from alerts.periods import period_end
from parsers.model import stage_rank

_Day = date  # MilestoneView has a field named `date`, which hides the type inside its class body


@dataclass(frozen=True)
class MilestoneView:
    """One milestone of a project's timeline: reported (it happened) or expected (计划3月投产)."""

    kind: Literal["reported", "expected"]
    stage: str  # parsers.model.STAGES
    date: str | None = None  # ISO or partial: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn (expected: its `when`)
    text: str = ""  # the evidence; for an expected milestone its words (计划3月投产)
    article_url: str | None = None
    published_on: _Day | None = None  # the article's date: stands in for the date of an undated report


@dataclass(frozen=True, kw_only=True)
class ProjectSnapshot:
    """What the rules see of one resolved project (built by the pipeline from storage)."""

    project_id: int
    name: str
    amount_yuan: int | None = None
    amount_qualifier: str | None = None  # exact / over / about / nearly / at_least
    stage: str | None = None  # the latest reported stage (parsers.model.STAGES)
    stage_date: str | None = None  # ISO date or partial ("2023-03")
    location: str | None = None
    city: str | None = None
    district: str | None = None
    investor: str | None = None
    industry: str | None = None
    first_seen: date  # when the pipeline first saw the project
    article_urls: tuple[str, ...] = ()
    article_titles: tuple[str, ...] = ()  # aligned with article_urls
    milestones: tuple[MilestoneView, ...] = ()  # the timeline, any order
    is_expansion: bool = False  # 增资扩产 of an existing plant rather than a new investment
    # earlier ids of this project (an analyst merge, or a re-parse that renamed it): an alert already keyed on
    # one of them is this project's alert too, so a merge or a re-parse never announces the project again
    former_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceHealth:
    """How one source has been doing (built by the pipeline from its runs), for ops alerts."""

    source: str  # the name in sources.yaml
    silent_runs: int = 0  # consecutive latest runs in which the source delivered nothing
    failing_extractions: int = 0  # article pages of the source whose text extraction failed lately
    last_ok: str | None = None  # ISO date (or datetime) of its last good run
    last_error: str | None = None  # the latest error, already redacted
    since: str | None = None  # when the current bad episode began: a new episode alerts again
    silent_since: str | None = None  # ... for the silence alone (else `since`)
    failing_since: str | None = None  # ... for the failing extraction alone (else `since`)
    unreachable_runs: int = 0  # latest runs in a row in which every request of the source failed
    unreachable_since: str | None = None
    list_failing_runs: int = 0  # runs in a row its worst list page has failed (kept pending, retried first)
    list_failing_since: str | None = None
    problem: str | None = None  # the cause in plain words ("every request failed: 12 × connection refused")


@dataclass(frozen=True)
class AlertDraft:
    """An alert that is due; `key` is unique per alert, so the outbox sends it once.

    `former_keys` are the same alert keyed on the project's former ids: the outbox skips the draft when one
    of them is already there.
    """

    key: str
    rule: str
    project_id: int | None  # None for source alerts
    channels: tuple[str, ...]
    urgent: bool
    title: str
    body: str
    former_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Due:
    """What an evaluator finds; evaluate_rules adds the rule's channels and urgency."""

    key: str
    project_id: int | None
    title: str
    body: str


def _matches(wanted: tuple[str, ...], *values: str | None) -> bool:
    """No filter, or one wanted value is part of one of the project's values (江门 matches 江门市)."""
    return not wanted or any(w in v for w in wanted for v in values if v)


def _passes_filters(rule: ProjectFilters, project: ProjectSnapshot) -> bool:
    if rule.min_amount_yuan is not None and (project.amount_yuan is None or project.amount_yuan < rule.min_amount_yuan):
        return False
    if rule.expansions is not None and project.is_expansion != rule.expansions:
        return False
    return (
        _matches(rule.cities, project.city)
        and _matches(rule.districts, project.district or project.location)
        and _matches(rule.industries, project.industry)
    )


def _biggest_first(projects: Iterable[ProjectSnapshot]) -> list[ProjectSnapshot]:
    # Biggest first, so a digest opens with what matters most; project_id breaks ties deterministically.
    return sorted(projects, key=lambda p: (-(p.amount_yuan or 0), p.project_id))


def _reported(project: ProjectSnapshot) -> list[MilestoneView]:
    return [m for m in project.milestones if m.kind == "reported"]


def _reached_rank(project: ProjectSnapshot) -> int:
    """The most advanced stage reported, from the timeline or the project's own stage."""
    return max([stage_rank(project.stage)] + [stage_rank(m.stage) for m in _reported(project)])


def _reported_end(milestone: MilestoneView) -> date | None:
    """When a reported milestone happened at the latest: the end of its date's period, else the article's date."""
    return period_end(milestone.date) or milestone.published_on


def last_milestone(project: ProjectSnapshot) -> MilestoneView | None:
    """The most advanced reported milestone (the latest of that stage), or the project's stage as one."""
    reported = _reported(project)
    if not reported and project.stage:
        return MilestoneView("reported", project.stage, project.stage_date)
    if not reported:
        return None
    return max(reported, key=lambda m: (stage_rank(m.stage), _reported_end(m) or date.min))


# --- new_project ---------------------------------------------------------------------------------


def _new_project(rule: NewProjectRule, projects: Sequence[ProjectSnapshot], today: date) -> list[_Due]:
    def due(p: ProjectSnapshot) -> bool:
        if rule.max_age_days is not None and (today - p.first_seen).days > rule.max_age_days:
            return False
        if rule.stages and p.stage not in rule.stages:
            return False
        return p.amount_yuan is not None and _passes_filters(rule, p)

    return [
        _Due(f"{rule.name}:{p.project_id}", p.project_id, *format_alert(p, rule.label))
        for p in _biggest_first(filter(due, projects))
    ]


# --- stage_change --------------------------------------------------------------------------------


def _stage_dates(project: ProjectSnapshot, stage: str) -> list[date]:
    """When the project was reported at `stage`: its milestones of that stage, and its own stage date."""
    ends = [_reported_end(m) for m in _reported(project) if m.stage == stage]
    if project.stage == stage:
        ends.append(period_end(project.stage_date))
    return [d for d in ends if d is not None]


def _stage_change(rule: StageChangeRule, projects: Sequence[ProjectSnapshot], today: date) -> list[_Due]:
    """Current stage in rule.stages; with max_age_days, only when a report of that stage is recent.

    First run over history: with max_age_days set, a stage whose reports are all older, or undated with no
    article date, stays quiet (it is history, not news); without it every matching project alerts once.
    Partial dates count by the end of their period, so "2024-03" is still recent on 2024-04-15 with 30 days.
    """
    out = []
    for p in _biggest_first(projects):
        if p.stage not in rule.stages or not _passes_filters(rule, p):
            continue
        if rule.max_age_days is not None and not any(
            (today - d).days <= rule.max_age_days for d in _stage_dates(p, p.stage)
        ):
            continue
        out.append(_Due(f"{rule.name}:{p.project_id}:{p.stage}", p.project_id, *format_stage_change(p, rule.label)))
    return out


# --- lagging_signed ------------------------------------------------------------------------------


def _overdue_days(deadline: date, today: date) -> int:
    """Days past the deadline; 0 or less is not late (the deadline day itself is still in time)."""
    return (today - deadline).days


def _within_history_cap(overdue: int, cap: int | None) -> bool:
    return cap is None or overdue <= cap


def _lagging_signed(rule: LaggingSignedRule, projects: Sequence[ProjectSnapshot], today: date) -> list[_Due]:
    """Signed more than rule.days ago (the earliest signing, by the end of its period), nothing since."""
    started = stage_rank("started")
    out = []
    for p in _biggest_first(projects):
        if _reached_rank(p) >= started or not _passes_filters(rule, p):
            continue
        signings = [(d, m) for m in _reported(p) if m.stage == "signed" and (d := _reported_end(m))]
        if not signings and p.stage == "signed" and (d := period_end(p.stage_date)):
            signings.append((d, MilestoneView("reported", "signed", p.stage_date)))  # no timeline filled in
        if not signings:
            continue  # no date of signing: cannot say it is late
        signed_on, signed = min(signings, key=lambda s: (s[0], s[1].article_url or ""))
        overdue = _overdue_days(signed_on, today) - rule.days
        if overdue <= 0 or not _within_history_cap(overdue, rule.max_overdue_days):
            continue
        title, body = format_lagging_signed(p, signed, signed_on, rule.days, rule.label, today)
        out.append(_Due(f"{rule.name}:{p.project_id}:signed-no-start", p.project_id, title, body))
    return out


# --- lagging_expected ----------------------------------------------------------------------------


def _latest_plans(project: ProjectSnapshot) -> list[tuple[date, MilestoneView]]:
    """Per stage, the expected milestone with the latest date: a plan moved later supersedes the earlier one."""
    best: dict[str, tuple[date, MilestoneView]] = {}
    for m in project.milestones:
        end = period_end(m.date) if m.kind == "expected" else None
        if end is None:
            continue  # no date: nothing to be late against
        kept = best.get(m.stage)
        if kept is None or (end, m.text, m.article_url or "") > (kept[0], kept[1].text, kept[1].article_url or ""):
            best[m.stage] = (end, m)
    return sorted(best.values(), key=lambda e: (stage_rank(e[1].stage), e[0]))


def _lagging_expected(rule: LaggingExpectedRule, projects: Sequence[ProjectSnapshot], today: date) -> list[_Due]:
    """An expected stage whose period ended more than grace_days ago, with no report of it or a later stage."""
    out = []
    for p in _biggest_first(projects):
        if not _passes_filters(rule, p):
            continue
        reached = _reached_rank(p)
        for end, plan in _latest_plans(p):
            if (rule.stages and plan.stage not in rule.stages) or stage_rank(plan.stage) <= reached:
                continue
            overdue = _overdue_days(end, today) - rule.grace_days
            if overdue <= 0 or not _within_history_cap(overdue, rule.max_overdue_days):
                continue
            title, body = format_lagging_expected(p, plan, end, last_milestone(p), rule.label, today)
            key = f"{rule.name}:{p.project_id}:expected-{plan.stage}-{plan.date}"
            out.append(_Due(key, p.project_id, title, body))
    return out


# --- source_health -------------------------------------------------------------------------------


def _source_health(rule: SourceHealthRule, sources: Sequence[SourceHealth]) -> list[_Due]:
    """A silent source, a failing extraction, a source whose every request fails and a failing list page are
    separate alerts, each once per episode (`since`). A source whose requests all fail is not also "silent"."""
    out = []
    for s in sorted(sources, key=lambda s: s.source):
        conditions = []
        unreachable = s.unreachable_runs >= rule.failing_runs
        if unreachable:
            conditions.append("unreachable")
        elif s.list_failing_runs >= rule.failing_runs:
            conditions.append("list_failing")
        if s.silent_runs >= rule.silent_runs and not s.unreachable_runs:
            conditions.append("silent")
        if s.failing_extractions >= rule.failing_extractions:
            conditions.append("extraction")
        for condition in conditions:
            since = {"silent": s.silent_since, "extraction": s.failing_since, "unreachable": s.unreachable_since,
                     "list_failing": s.list_failing_since}[condition] or s.since
            key = f"{rule.name}:source:{s.source}:{condition}" + (f":{since}" if since else "")
            out.append(_Due(key, None, *format_source_health(s, condition, rule.label)))
    return out


def _evaluate(rule: Rule, projects: Sequence[ProjectSnapshot], sources: Sequence[SourceHealth], today: date) -> list[_Due]:
    """One evaluator per rule kind (config.RULE_KINDS); a new kind adds its model there and a case here."""
    match rule:
        case NewProjectRule():
            return _new_project(rule, projects, today)
        case StageChangeRule():
            return _stage_change(rule, projects, today)
        case LaggingSignedRule():
            return _lagging_signed(rule, projects, today)
        case LaggingExpectedRule():
            return _lagging_expected(rule, projects, today)
        case SourceHealthRule():
            return _source_health(rule, sources)
    raise TypeError(f"no evaluator for rule kind {rule.kind!r}")  # unreachable while the cases cover Rule


def former_keys(key: str, rule: str, project_id: int | None, former_ids: Iterable[int]) -> tuple[str, ...]:
    """The same alert keyed on each former id of its project (keys are `rule:project_id[:milestone]`).

    >>> former_keys("big:7:started", "big", 7, [3, 5])
    ('big:3:started', 'big:5:started')
    >>> former_keys("ops:source:x:silent", "ops", None, [3])
    ()
    """
    head = f"{rule}:{project_id}"
    if project_id is None or not (key == head or key.startswith(head + ":")):
        return ()
    return tuple(f"{rule}:{old}{key[len(head):]}" for old in former_ids)


def evaluate_rules(
    projects: Sequence[ProjectSnapshot],
    config: AlertsConfig,
    today: date,
    *,
    sources_health: Sequence[SourceHealth] = (),
) -> list[AlertDraft]:
    """Every alert due on `today`, in rule order; a key met twice (a project listed twice) is kept once.

    Each draft carries the channels its rule resolves to (named ones, then those with one of its tags).
    """
    drafts: list[AlertDraft] = []
    seen: set[str] = set()
    formers = {p.project_id: p.former_ids for p in projects}
    for rule in config.rules:
        channels = config.rule_channels(rule)
        for due in _evaluate(rule, projects, sources_health, today):
            if due.key not in seen:
                seen.add(due.key)
                olds = former_keys(due.key, rule.name, due.project_id, formers.get(due.project_id, ())
                                   if due.project_id is not None else ())
                # scraped names and titles are in the text: controls out before it is queued or shown
                drafts.append(AlertDraft(due.key, rule.name, due.project_id, channels, rule.urgent,
                                         message_text(due.title), message_text(due.body), olds))
    return drafts
