"""Storage round trips on SQLite and PostgreSQL: migrations, idempotent loads, dedupe, outbox claims."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import func, inspect, select

from parsers.model import ArticleFacts, Batch, Expected, Milestone, Project
from storage import projects, repo
from storage.db import make_engine, transaction, upgrade
from storage.export import PROJECT_COLUMNS, export_dataset
from storage.models import Alert, Article, ArticleUrl, Mention, Page
from storage.models import Batch as BatchRow
from storage.models import Milestone as MilestoneRow
from storage.models import Project as ProjectRow

NOW = datetime(2023, 2, 3, 8, 0, tzinfo=UTC)


def _page(url: str, body: bytes, status: int = 200, error: str | None = None) -> repo.PageIn:
    return repo.PageIn(url=url, final_url=url, status=status, body=body, encoding="utf-8", headers={},
                       error=error, list_date=date(2023, 2, 3), list_title="t", fetched_at=NOW, extra={})


FACTS = ArticleFacts(
    projects=(
        Project(name="中创新航动力电池及储能系统江门基地项目", amount_yuan=20_000_000_000, amount_qualifier="exact",
                amount_text="计划总投资200亿元", location="江海区", stage="capped", stage_date="2022",
                stage_history=(Milestone("signed", "2022-01-26", "签约"), Milestone("started", "2022-03", "动工")),
                expected=(Expected("in_production", "明年投产", "2023"),), evidence="中创新航…"),
        Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, amount_qualifier="exact",
                stage="signed", evidence="投资100亿元的隆基硅能源生产基地项目"),
    ),
    batches=(Batch(event_text="3个项目上台签约", project_count=3, amount_yuan=None, stages=("signed",)),),
)


def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # a second upgrade is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {"sources", "pages", "articles", "article_urls", "projects", "mentions", "milestones", "batches",
            "alerts", "runs", "failures", "alembic_version"} <= tables
    engine.dispose()


def test_page_body_round_trip_compressed_and_refetch_collapses(factory) -> None:
    body = "<html><body>江门 投资</body></html>".encode()
    with transaction(factory) as s:
        pid1 = repo.store_page(s, _page("http://a/x.html", body), source_id=None, run_id=None)
        pid2 = repo.store_page(s, _page("http://a/x.html", body), source_id=None, run_id=None)
        pid404 = repo.store_page(s, _page("http://a/y.html", b"", 404, "HTTP 404"), source_id=None, run_id=None)
    assert pid1 == pid2 and pid404 != pid1
    with factory() as s:
        page = s.get(Page, pid1)
        assert repo.page_body(page) == body and page.body_gz != body
        assert s.get(Page, pid404).status == 404
        assert s.scalar(select(func.count()).select_from(Page)) == 2


def test_article_stored_once_under_two_urls(factory) -> None:
    text = "江门市江海区举行重点项目集中签约活动，25个项目总投资超130亿元。"
    with transaction(factory) as s:
        first = repo.store_article(s, url="http://gov/a.html", source_id=None, page_id=None, title="t",
                                   published_on=date(2026, 1, 20), origin="南方+", text=text)
        copy = repo.store_article(s, url="http://portal/b.html", source_id=None, page_id=None, title="t2",
                                  published_on=None, origin=None, text=text.replace("，", ",") + "\n")
        again = repo.store_article(s, url="http://gov/a.html", source_id=None, page_id=None, title="t",
                                   published_on=None, origin=None, text=text)
    assert first.is_new and not first.is_duplicate
    assert copy.article_id == first.article_id and copy.is_duplicate and not copy.is_new
    assert again.article_id == first.article_id and not again.is_new and not again.is_duplicate
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1
        assert sorted(s.scalars(select(ArticleUrl.url))) == ["http://gov/a.html", "http://portal/b.html"]


def _article(factory, text: str = "正文", url: str = "http://gov/a.html") -> int:
    with transaction(factory) as s:
        return repo.store_article(s, url=url, source_id=None, page_id=None, title="t",
                                  published_on=date(2022, 12, 8), origin=None, text=text).article_id


def test_save_facts_twice_creates_no_duplicates(factory) -> None:
    aid = _article(factory)
    for _ in range(2):
        with transaction(factory) as s:
            pids = projects.save_facts(s, aid, FACTS, parser_version="t1", city="江门市")
    assert len(pids) == 2
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ProjectRow)) == 2
        assert s.scalar(select(func.count()).select_from(Mention)) == 2
        assert s.scalar(select(func.count()).select_from(BatchRow)) == 1
        ms = s.execute(select(MilestoneRow.kind, MilestoneRow.stage, MilestoneRow.date)
                       .order_by(MilestoneRow.id)).all()
        assert ("reported", "signed", "2022-01-26") in ms and ("expected", "in_production", "2023") in ms
        assert len(ms) == 5  # 中创新航: signed, started, capped, expected production; 隆基: signed
        big = s.scalar(select(ProjectRow).where(ProjectRow.name.like("中创新航%")))
        assert big.amount_yuan == 20_000_000_000 and big.stage == "capped"  # exact integer yuan kept
        art = s.get(Article, aid)
        assert art.parse_status == "parsed" and art.parser_version == "t1"


def test_later_article_advances_stage_and_keeps_amount(factory) -> None:
    a1 = _article(factory, "一")
    a2 = _article(factory, "二", url="http://news/2.html")
    signed = ArticleFacts(projects=(Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, stage="signed"),))
    started = ArticleFacts(projects=(Project(name="隆基硅能源生产基地", amount_yuan=None, stage="started",
                                             stage_date="2023-01", location="鹤山市"),))
    with transaction(factory) as s:
        (p1,) = projects.save_facts(s, a1, signed, parser_version="t1", city="江门市")
    with transaction(factory) as s:
        (p2,) = projects.save_facts(s, a2, started, parser_version="t1", city="江门市")
    assert p1 == p2  # 项目 suffix does not make another project
    with factory() as s:
        p = s.get(ProjectRow, p1)
        assert (p.stage, p.stage_date, p.amount_yuan, p.location) == ("started", "2023-01", 10_000_000_000, "鹤山市")
        rows = projects.projects_with_articles(s, [p1])
        assert rows[0].article_urls == ("http://gov/a.html", "http://news/2.html")


def test_parse_queue_retries_failures_a_bounded_number_of_times(factory) -> None:
    aid = _article(factory)
    for _ in range(repo.MAX_PARSE_ATTEMPTS):
        with transaction(factory) as s:
            assert [a.id for a in repo.articles_to_parse(s, "t1")] == [aid]
            repo.mark_parse_failed(s, aid, "ValueError: boom")
    with factory() as s:
        assert repo.articles_to_parse(s, "t1") == []
        assert s.get(Article, aid).parse_error == "ValueError: boom"
    with transaction(factory) as s:
        projects.save_facts(s, aid, ArticleFacts(), parser_version="t1", city=None)
    with factory() as s:
        assert repo.articles_to_parse(s, "t1") == []
        assert [a.id for a in repo.articles_to_parse(s, "t2")] == [aid]  # a new parser re-parses history


def _outbox(key: str = "big_new_project:1") -> repo.OutboxItem:
    return repo.OutboxItem(key=key, channel="local", rule="big_new_project", project_id=None, urgent=False,
                           title="【新项目】", body="200亿元")


def test_outbox_enqueue_once_and_failed_send_retried(factory) -> None:
    with transaction(factory) as s:
        assert repo.enqueue_alerts(s, [_outbox(), _outbox()]) == 1
    with transaction(factory) as s:
        assert repo.enqueue_alerts(s, [_outbox()]) == 0
    with transaction(factory) as s:
        (a,) = repo.claim_due_alerts(s, NOW, max_attempts=5)
        repo.mark_alert_failed(s, a.id, "HTTP 500", NOW)
    with transaction(factory) as s:  # the next run retries at once
        (a,) = repo.claim_due_alerts(s, NOW + timedelta(seconds=1), max_attempts=5)
        repo.mark_alert_failed(s, a.id, "HTTP 500 again", NOW)
    with transaction(factory) as s:  # then backs off
        assert repo.claim_due_alerts(s, NOW + timedelta(seconds=30), max_attempts=5) == []
    with transaction(factory) as s:
        (a,) = repo.claim_due_alerts(s, NOW + timedelta(minutes=2), max_attempts=5)
        repo.mark_alert_sent(s, a.id)
    with transaction(factory) as s:
        assert repo.claim_due_alerts(s, NOW + timedelta(days=3), max_attempts=5) == []
        row = s.scalar(select(Alert))
        assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)


def test_concurrent_claims_take_each_alert_once(factory) -> None:
    with transaction(factory) as s:
        repo.enqueue_alerts(s, [_outbox(f"r:{i}") for i in range(20)])
    got: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def worker(i: int) -> None:
        barrier.wait()
        with transaction(factory) as s:
            got[i] = [a.id for a in repo.claim_due_alerts(s, NOW, max_attempts=5)]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(got[0] + got[1]) == sorted(set(got[0] + got[1]))
    assert len(got[0]) + len(got[1]) == 20


def test_export_writes_exact_amounts(factory, tmp_path: Path) -> None:
    aid = _article(factory)
    with transaction(factory) as s:
        projects.save_facts(s, aid, FACTS, parser_version="t1", city="江门市")
    with factory() as s:
        paths = export_dataset(s, tmp_path / "dataset")
    names = {p.name for p in paths}
    assert {"projects.csv", "projects.parquet", "milestones.csv", "articles.parquet", "investwatch.xlsx"} <= names
    frame = pd.read_parquet(tmp_path / "dataset" / "projects.parquet")
    assert list(frame.columns) == PROJECT_COLUMNS
    row = frame[frame["name"].str.startswith("中创新航")].iloc[0]
    assert int(row["amount_yuan"]) == 20_000_000_000 and row["amount_yi"] == 200.0
    assert row["article_urls"] == "http://gov/a.html"
    csv = pd.read_csv(tmp_path / "dataset" / "projects.csv", encoding="utf-8-sig")
    assert int(csv.loc[csv["name"].str.startswith("隆基"), "amount_yuan"].iloc[0]) == 10_000_000_000


def test_alert_given_up_after_max_attempts(factory) -> None:
    with transaction(factory) as s:
        repo.enqueue_alerts(s, [_outbox()])
    results = []
    for i in range(3):
        with transaction(factory) as s:
            claimed = repo.claim_due_alerts(s, NOW + timedelta(days=i), max_attempts=2)
            for a in claimed:
                results.append(repo.mark_alert_failed(s, a.id, "channel down", NOW + timedelta(days=i), max_attempts=2))
    assert results == [True, False]  # retried once, then given up and never claimed again
    with factory() as s:
        row = s.scalar(select(Alert))
        assert (row.status, row.attempts, row.last_error) == ("failed", 2, "channel down")
