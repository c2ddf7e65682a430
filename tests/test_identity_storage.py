"""Expansions in storage (SQLite only: the identity rules are pure, this checks how storage uses them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers.model import ArticleFacts, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Project as ProjectRow

ZC = "中创新航科技股份有限公司"
BASE = Project(name="中创新航动力电池及储能系统江门基地项目", investor=ZC, amount_yuan=20_000_000_000, stage="signed")
EXPANSION = Project(name="中创新航动力电池及储能系统江门基地增资扩产项目", investor=ZC, amount_yuan=8_000_000_000,
                    stage="signed", is_expansion=True)
BASE_AGAIN = Project(name="中创新航江门基地", investor=ZC, amount_yuan=20_000_000_000, stage="started")


@pytest.fixture
def sqlite_factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'identity.db'}")
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def _save(factory: sessionmaker[Session], url: str, day: date, *records: Project) -> None:
    with transaction(factory) as s:
        aid = repo.store_article(s, url=url, source_id=None, page_id=None, title=url, published_on=day,
                                 origin=None, text=url).article_id
        projects.save_facts(s, aid, ArticleFacts(projects=records), parser_version="t", city="江门市")


@pytest.mark.parametrize("expansion_first", [False, True])
def test_capacity_expansion_is_its_own_project_linked_to_the_base(sqlite_factory, expansion_first: bool) -> None:
    if expansion_first:  # an article may report the expansion before any article names the base
        _save(sqlite_factory, "http://a/1", date(2023, 1, 5), EXPANSION)
        _save(sqlite_factory, "http://a/2", date(2023, 2, 5), BASE)
    else:
        _save(sqlite_factory, "http://a/1", date(2022, 1, 5), BASE)
        _save(sqlite_factory, "http://a/2", date(2023, 2, 5), EXPANSION)
    _save(sqlite_factory, "http://a/3", date(2023, 3, 5), BASE_AGAIN)
    with sqlite_factory() as s:
        rows = {p.name: p for p in s.scalars(select(ProjectRow).where(ProjectRow.merged_into_id.is_(None)))}
    assert len(rows) == 2, sorted(rows)
    base, exp = rows[BASE.name], rows[EXPANSION.name]
    assert (base.amount_yuan, base.is_expansion) == (20_000_000_000, False)
    assert (exp.amount_yuan, exp.is_expansion) == (8_000_000_000, True)
    assert exp.expansion_of_id == base.id  # whichever was reported first


def test_one_article_calling_the_base_an_expansion_does_not_make_it_one(sqlite_factory) -> None:
    """The base's own name, flagged by one article's surrounding words (…增资扩产…), stays a base project."""
    _save(sqlite_factory, "http://a/1", date(2022, 1, 5), BASE)
    _save(sqlite_factory, "http://a/2", date(2022, 6, 5), BASE_AGAIN)
    flagged = Project(name=BASE.name, investor=ZC, amount_yuan=20_000_000_000, stage="started", is_expansion=True)
    _save(sqlite_factory, "http://a/3", date(2023, 2, 5), flagged)
    with sqlite_factory() as s:
        (row,) = s.scalars(select(ProjectRow).where(ProjectRow.merged_into_id.is_(None))).all()
    assert row.is_expansion is False
