"""Frozen record types the parsers return; field names and units follow the gold schema."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Stage words in the order a project moves through them; "more advanced" = later in this tuple.
STAGES: tuple[str, ...] = (
    "signed",
    "started",
    "capped",
    "completed",
    "trial_production",
    "in_production",
    "full_production",
)
QUALIFIERS: tuple[str, ...] = ("exact", "over", "about", "nearly", "at_least")


def stage_rank(stage: str | None) -> int:
    """Position of a stage in STAGES, -1 for None or unknown.

    >>> stage_rank("started") > stage_rank("signed")
    True
    >>> stage_rank(None)
    -1
    """
    return STAGES.index(stage) if stage in STAGES else -1


@dataclass(frozen=True)
class Milestone:
    """A stage the article reports as having happened."""

    stage: str
    date: str | None  # ISO date or partial: "2023", "2023-03", "2023-03-23"
    text: str


@dataclass(frozen=True)
class Expected:
    """A planned milestone: 计划3月投产 -> stage in_production, when "2023-03"."""

    stage: str
    when_text: str
    when: str | None  # "YYYY", "YYYY-MM", "YYYY-Qn", "YYYY-Hn" or None


@dataclass(frozen=True)
class PhaseAmount:
    text: str
    amount_yuan: int


@dataclass(frozen=True)
class Project:
    name: str
    aliases: tuple[str, ...] = ()
    investor: str | None = None
    investor_aliases: tuple[str, ...] = ()
    amount_yuan: int | None = None
    amount_text: str | None = None
    amount_qualifier: str | None = None
    phase_amounts: tuple[PhaseAmount, ...] = ()
    location: str | None = None
    location_aliases: tuple[str, ...] = ()
    industry: str | None = None
    category: str = "产业"  # 产业 / 基础设施 / 社会民生 (parsers.category)
    stage: str | None = None
    stage_date: str | None = None
    stage_history: tuple[Milestone, ...] = ()
    expected: tuple[Expected, ...] = ()
    is_expansion: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class Batch:
    event_text: str
    date: str | None = None
    location: str | None = None
    project_count: int | None = None
    count_qualifier: str | None = None
    amount_yuan: int | None = None
    amount_qualifier: str | None = None
    stages: tuple[str, ...] = ()
    part_of: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class ArticleFacts:
    projects: tuple[Project, ...] = ()
    batches: tuple[Batch, ...] = ()
    notes: tuple[str, ...] = field(default=())  # expected misses worth recording (not errors)

    def to_json(self) -> dict[str, Any]:
        """The gold-schema dict: {"projects": [...], "batches": [...]} with lists, not tuples.

        >>> ArticleFacts(projects=(Project(name="X项目", amount_yuan=100),)).to_json()["projects"][0]["amount_yuan"]
        100
        """
        return {
            "projects": [_listify(asdict(p)) for p in self.projects],
            "batches": [_listify(asdict(b)) for b in self.batches],
        }


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    return value
