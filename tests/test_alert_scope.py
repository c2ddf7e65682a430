"""A run's rules evaluate only the projects that changed or fell due, and still enqueue exactly the alerts an
evaluation of every project would: stepped over days, new articles, an analyst override and a rules change."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, update

from alerts.config import load_alerts_config
from alerts.rules import evaluate_rules
from flows.alert_scope import due_between, project_snapshots
from flows.stages import RunStats, alert_stage
from parsers.model import ArticleFacts, Expected, Milestone, Project
from storage import projects, repo
from storage.db import transaction
from storage.models import Alert
from storage.models import Milestone as MilestoneRow
from storage.models import Project as ProjectRow

RULES = """channels:
  local: file
rules:
  - {name: big, kind: new_project, min_amount_yuan: 5亿元, channels: [local]}
  - {name: started, kind: stage_change, stages: [started], channels: [local]}
  - {name: slow_start, kind: lagging_signed, days: 60, channels: [local]}
  - {name: late_plan, kind: lagging_expected, grace_days: 20, channels: [local]}
"""


def _config(tmp_path: Path, text: str = RULES):
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    return load_alerts_config(path, {})


def _article(factory, i: int, published: date, *recs: Project) -> list[int]:
    with transaction(factory) as s:
        aid = repo.store_article(s, url=f"http://gov/{i}.html", source_id=None, page_id=None, title=f"第{i}篇",
                                 published_on=published, origin=None, text=f"正文{i}").article_id
        return projects.save_facts(s, aid, ArticleFacts(projects=recs), parser_version="t", city="江门市")


def _project(i: int, amount_yi: int, signed: str | None, plan: str | None, stage: str = "signed") -> Project:
    name = "".join(chr(0x4E00 + (i * 53 + k * 211) % 20000) for k in range(4)) + "新材料项目"
    return Project(name=name, amount_yuan=amount_yi * 100_000_000, amount_qualifier="exact", stage=stage,
                   stage_date=signed, stage_history=(Milestone("signed", signed, "签约"),) if signed else (),
                   expected=(Expected("in_production", f"计划{plan}投产", plan),) if plan else (),
                   evidence=f"{name}签约")


def _age(factory) -> None:
    """Time passes between runs: every project was last changed a day ago."""
    with transaction(factory) as s:
        s.execute(update(ProjectRow).values(updated_at=repo.now_utc() - timedelta(days=1)))


def _outbox(factory) -> set[tuple[str, str]]:
    with factory() as s:
        return set(s.execute(select(Alert.key, Alert.channel)).tuples())


def _step(factory, cfg, tmp_path: Path, today: date, touched: list[int]) -> tuple[RunStats, set[str]]:
    """One alert stage; returns its stats and the keys it added, after checking them against a full evaluation."""
    before = _outbox(factory)
    with factory() as s:
        full = {(d.key, ch) for d in evaluate_rules(project_snapshots(s), cfg, today) for ch in d.channels}
    stats = RunStats(projects=list(touched))
    alert_stage(factory, cfg, tmp_path, today, run_id=None, stats=stats)  # type: ignore[arg-type]
    added = _outbox(factory) - before
    assert added == full - before, (today, stats.alert_scope)
    return stats, {k for k, _ in added}


def test_incremental_alerts_equal_a_full_evaluation_day_by_day(factory, tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    day0 = date(2024, 3, 1)
    for i in range(12):  # signings spread over Jan-Feb 2024, plans ending from 2024-03 to 2024-08
        _article(factory, i, date(2024, 1, 1) + timedelta(days=5 * i),
                 _project(i, 1 + i, (date(2024, 1, 1) + timedelta(days=5 * i)).isoformat(), f"2024-{3 + i % 6:02d}"))
    stats, added = _step(factory, cfg, tmp_path, day0, [])
    assert stats.alert_scope.startswith("full") and stats.alert_projects_evaluated == 12
    assert any(k.startswith("big:") for k in added)
    # nothing new the next day: only what a lagging rule fell due for is looked at (project 0, signed 61 days ago)
    _age(factory)
    stats, added = _step(factory, cfg, tmp_path, day0 + timedelta(days=1), [])
    assert stats.alert_scope == "incremental" and stats.alert_projects_evaluated == 1
    assert {k.split(":")[0] for k in added} == {"slow_start"}
    lagging_seen = False
    for step in range(1, 8):  # weeks pass: signings pass 60 days, plans end; one new article each week
        _age(factory)
        today = day0 + timedelta(days=21 * step)
        new = _article(factory, 100 + step, today - timedelta(days=1),
                       _project(100 + step, 20, (today - timedelta(days=2)).isoformat(), None))
        stats, added = _step(factory, cfg, tmp_path, today, new)
        assert stats.alert_scope == "incremental" and stats.alert_projects_evaluated < 12 + step
        lagging_seen |= any(k.startswith(("slow_start:", "late_plan:")) for k in added)
    assert lagging_seen  # time alone made lagging alerts due, and the scope found them


def test_an_analyst_override_and_a_rules_change_are_seen(factory, tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    day = date(2024, 3, 1)
    pid = _article(factory, 1, date(2024, 2, 20), _project(1, 1, "2024-02-20", None))[0]
    _step(factory, cfg, tmp_path, day, [])
    with transaction(factory) as s:
        projects.set_field(s, pid, "amount_yuan", str(9 * 100_000_000))  # now above the 5亿 threshold
    stats, added = _step(factory, cfg, tmp_path, day + timedelta(days=1), [])  # not touched by the run itself
    assert stats.alert_scope == "incremental" and added == {f"big:{pid}"}
    lower = _config(tmp_path, RULES.replace("days: 60", "days: 5"))
    stats, added = _step(factory, lower, tmp_path, day + timedelta(days=2), [])
    assert stats.alert_scope == "full (rules changed)" and added == {f"slow_start:{pid}:signed-no-start"}


def test_due_dates_are_stored_and_queried_by_range(factory, tmp_path: Path) -> None:
    pid = _article(factory, 1, date(2024, 1, 10), _project(1, 1, "2024-01", "2024-Q2"))[0]
    with factory() as s:
        ends = dict(s.execute(select(MilestoneRow.kind, MilestoneRow.ends_on)).tuples().all())
        assert ends == {"reported": date(2024, 1, 31), "expected": date(2024, 6, 30)}
    cfg = _config(tmp_path)
    with factory() as s:
        # the plan ended 2024-06-30, +20 days grace: due from 2024-07-21 on
        assert pid in due_between(s, cfg, date(2024, 7, 20), date(2024, 7, 22))
        assert pid not in due_between(s, cfg, date(2024, 7, 22), date(2024, 9, 1))  # already due before
        # signed by 2024-01-31, +60 days: due from 2024-04-01 on
        assert pid in due_between(s, cfg, date(2024, 3, 30), date(2024, 4, 2))

