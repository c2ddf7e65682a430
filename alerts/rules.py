"""Pure rule evaluation: project snapshots + AlertsConfig + today -> the alerts due, each with a stable key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from alerts.config import AlertsConfig, NewProjectRule, Rule
from alerts.message import format_alert


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


@dataclass(frozen=True)
class AlertDraft:
    """An alert that is due; `key` is unique per alert, so the outbox sends it once."""

    key: str
    rule: str
    project_id: int
    channels: tuple[str, ...]
    urgent: bool
    title: str
    body: str


def _matches(wanted: tuple[str, ...], *values: str | None) -> bool:
    """No filter, or one wanted value is part of one of the project's values (江门 matches 江门市)."""
    return not wanted or any(w in v for w in wanted for v in values if v)


def _new_project_due(rule: NewProjectRule, project: ProjectSnapshot, today: date) -> bool:
    if project.amount_yuan is None or project.amount_yuan < rule.min_amount_yuan:
        return False
    if rule.max_age_days is not None and (today - project.first_seen).days > rule.max_age_days:
        return False
    if rule.stages and project.stage not in rule.stages:
        return False
    return (
        _matches(rule.cities, project.city)
        and _matches(rule.districts, project.district or project.location)
        and _matches(rule.industries, project.industry)
    )


def _new_project_alerts(rule: NewProjectRule, projects: Sequence[ProjectSnapshot], today: date) -> list[AlertDraft]:
    due = [p for p in projects if _new_project_due(rule, p, today)]
    # Biggest first, so a digest opens with what matters most; project_id breaks ties deterministically.
    due.sort(key=lambda p: (-(p.amount_yuan or 0), p.project_id))
    drafts = []
    for project in due:
        title, body = format_alert(project, rule.label)
        drafts.append(
            AlertDraft(
                key=f"{rule.name}:{project.project_id}",
                rule=rule.name,
                project_id=project.project_id,
                channels=rule.channels,
                urgent=rule.urgent,
                title=title,
                body=body,
            )
        )
    return drafts


# One evaluator per rule kind; a new kind (stage change, lagging milestone) adds its model and an entry here.
_EVALUATORS: dict[str, Callable[[Rule, Sequence[ProjectSnapshot], date], list[AlertDraft]]] = {
    "new_project": _new_project_alerts,
}


def evaluate_rules(projects: Sequence[ProjectSnapshot], config: AlertsConfig, today: date) -> list[AlertDraft]:
    """Every alert due, in rule order; a project listed twice yields one alert per rule."""
    drafts: list[AlertDraft] = []
    seen: set[str] = set()
    for rule in config.rules:
        for draft in _EVALUATORS[rule.kind](rule, projects, today):
            if draft.key not in seen:
                seen.add(draft.key)
                drafts.append(draft)
    return drafts
