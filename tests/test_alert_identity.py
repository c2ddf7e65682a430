"""A project announced once stays announced: a re-parse that reads it differently (new name, new row) or an
analyst merge must not send its alerts again, on SQLite and PostgreSQL.

Runs the real alert stage into the built-in file channel with a fixed `today`, and counts what the outbox
and the channel received.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from alerts.config import load_alerts_config
from flows.stages import RunStats, alert_stage
from parsers.model import ArticleFacts
from parsers.model import Project as Record
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert, Project

ROOT = Path(__file__).resolve().parents[1]
YI = 100_000_000


def _setup(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    return session_factory(engine), load_alerts_config(ROOT / "alerts.yaml", {})


def _article(factory, text: str, url: str, day: date) -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        return repo.store_article(s, url=url, source_id=None, page_id=None, title=text, published_on=day,
                                  origin=None, text=text).article_id


def _save(factory, article_id: int, *records: Record) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        projects.save_facts(s, article_id, ArticleFacts(projects=records), parser_version="t", city="江门市")
        projects.reapply_merges(s)
        projects.drop_orphans(s)


def _run(factory, config, tmp_path: Path, today: date) -> int:  # type: ignore[no-untyped-def]
    stats = RunStats()
    alert_stage(factory, config, tmp_path, today, 1, stats)
    assert not stats.errors
    return stats.alerts_sent


def _keys(factory) -> list[str]:  # type: ignore[no-untyped-def]
    with factory() as s:
        return sorted(a.key for a in s.scalars(select(Alert)))


def test_reparse_that_renames_a_project_does_not_announce_it_again(db_url: str, tmp_path: Path) -> None:
    factory, config = _setup(db_url, tmp_path)
    a1 = _article(factory, "一月签约", "http://gov.test/1.html", date(2022, 1, 26))
    _save(factory, a1, Record(name="新材料产业园项目", amount_yuan=200 * YI, stage="signed", stage_date="2022-01-26"))
    assert _run(factory, config, tmp_path, date(2022, 2, 1)) == 1
    new_project_keys = [k for k in _keys(factory) if k.startswith("big_new_project:")]
    assert len(new_project_keys) == 1

    # a better parser names the project differently: resolution puts it on a new row
    _save(factory, a1, Record(name="华津大型金属产业园项目", amount_yuan=200 * YI, stage="signed",
                              stage_date="2022-01-26"))
    assert _run(factory, config, tmp_path, date(2022, 2, 1)) == 0
    with factory() as s:
        live = s.scalars(select(Project).where(Project.merged_into_id.is_(None))).all()
    assert [p.name for p in live] == ["华津大型金属产业园项目"]  # the old row is no ghost in the listings

    # months later the lagging rule fires once, for the one live project, not for the old row as well
    _run(factory, config, tmp_path, date(2022, 9, 1))
    lagging = [k for k in _keys(factory) if "signed-no-start" in k]
    assert len(lagging) == 1
    assert [k for k in _keys(factory) if k.startswith("big_new_project:")] == new_project_keys


def test_analyst_merge_does_not_announce_the_merged_project_again(db_url: str, tmp_path: Path) -> None:
    factory, config = _setup(db_url, tmp_path)
    a1 = _article(factory, "一月", "http://gov.test/1.html", date(2022, 1, 26))
    a2 = _article(factory, "二月", "http://gov.test/2.html", date(2022, 1, 28))
    _save(factory, a1, Record(name="华津大型金属产业园项目", amount_yuan=200 * YI, stage="signed"))
    _save(factory, a2, Record(name="广东华津金属新材料基地", amount_yuan=5 * YI, stage="signed"))
    assert _run(factory, config, tmp_path, date(2022, 2, 1)) == 1  # only the 200亿 one is above 10亿
    with factory() as s:
        big, small = (s.scalars(select(Project.id).order_by(Project.id)).all())
    with transaction(factory) as s:
        projects.merge_projects(s, small, big)  # the analyst keeps the later row
    assert _run(factory, config, tmp_path, date(2022, 2, 2)) == 0
    assert len([k for k in _keys(factory) if k.startswith("big_new_project:")]) == 1


def test_a_genuinely_new_project_of_a_reparsed_article_is_still_announced(db_url: str, tmp_path: Path) -> None:
    """The hand-over must not swallow real news: a re-parse that finds a second big project alerts for it."""
    factory, config = _setup(db_url, tmp_path)
    a1 = _article(factory, "一月签约", "http://gov.test/1.html", date(2022, 1, 26))
    _save(factory, a1, Record(name="华津大型金属产业园项目", amount_yuan=200 * YI, stage="signed"))
    assert _run(factory, config, tmp_path, date(2022, 2, 1)) == 1
    _save(factory, a1, Record(name="华津大型金属产业园项目", amount_yuan=200 * YI, stage="signed"),
          Record(name="隆基绿能硅能源产品生产基地项目", amount_yuan=100 * YI, stage="signed"))
    assert _run(factory, config, tmp_path, date(2022, 2, 1)) == 1
    assert len([k for k in _keys(factory) if k.startswith("big_new_project:")]) == 2
