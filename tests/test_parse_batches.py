"""No silent limit on parsing: parse_stage and reparse walk every pending article in bounded batches."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from flows import stages
from flows.cli_projects import reparse
from storage import repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Article, Mention

CHARS = "甲乙丙丁戊己庚辛壬癸"


def _store(db: Path, n: int) -> None:
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        for i in range(n):
            name = f"{CHARS[i % 10]}{CHARS[i // 10]}新材料产业园项目"
            repo.store_article(s, url=f"http://b/{i}", source_id=None, page_id=None, title=f"t{i}", published_on=None,
                               origin=None, text=f"3月5日，总投资{i + 2}亿元的{name}在江门市蓬江区签约落户，计划年内动工。")
    engine.dispose()


def test_parse_stage_goes_on_batch_by_batch_until_nothing_is_pending(tmp_path: Path, monkeypatch, caplog) -> None:
    db = tmp_path / "investwatch.db"
    _store(db, 7)
    engine = make_engine(f"sqlite:///{db}")
    factory = session_factory(engine)
    real = stages.parse_article

    def flaky(text: str, published: str | None = None):  # type: ignore[no-untyped-def]
        if "丁甲" in text:
            raise ValueError("parser bug")
        return real(text, published=published)

    monkeypatch.setattr(stages, "parse_article", flaky)
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run")
    stats = stages.RunStats()
    with caplog.at_level(logging.INFO, logger="investwatch.progress"):
        stages.parse_stage(factory, run_id, stats, batch_size=3)
    assert stats.parse_batches == 3  # 3 + 3 + 1
    assert (stats.parsed_articles, stats.parse_failures) == (6, 1)
    assert [r.getMessage() for r in caplog.records if "parse: batch" in r.getMessage()][-1] == \
        "parse: batch 3, 7 of 7 articles (6 parsed, 1 failed)"
    with factory() as s:
        statuses = dict(s.execute(select(Article.parse_status, func.count()).group_by(Article.parse_status)).tuples().all())
        failed = s.scalar(select(Article).where(Article.parse_status == "failed"))
    assert statuses == {"parsed": 6, "failed": 1}
    assert failed is not None and failed.parse_attempts == 1  # retried by the next run, not again in this one
    engine.dispose()


@pytest.mark.timeout(240)
def test_reparse_re_parses_every_article_in_several_batches(tmp_path: Path, monkeypatch) -> None:
    _store(tmp_path / "investwatch.db", 5)
    monkeypatch.setenv("INVESTWATCH_PARSE_BATCH_SIZE", "2")
    first = reparse(None, tmp_path)
    again = reparse(None, tmp_path)  # everything parsed is marked pending again and re-parsed
    assert (first["parsed"], first["batches"]) == (5, 3)
    assert (again["marked"], again["parsed"], again["batches"]) == (5, 5, 3)
    engine = make_engine(f"sqlite:///{tmp_path / 'investwatch.db'}")
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Mention)) == 5  # one project per article, no duplicate
        assert repo.count_to_parse(s, stages.FACTS_VERSION) == 0
    engine.dispose()
