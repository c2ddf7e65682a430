"""The alert stage end to end: outbox -> apprise -> a real HTTP receiver and a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from alerts.config import load_alerts_config
from flows.stages import RunStats, alert_stage
from parsers.model import ArticleFacts, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert
from tests.servers import MailBox, http_receiver

TODAY = date(2023, 2, 3)


def _seed_projects(factory) -> None:
    with transaction(factory) as s:
        aid = repo.store_article(s, url="http://news.example/content_1.htm", source_id=None, page_id=None,
                                 title="江门奏响高质量发展最强音", published_on=TODAY, origin=None, text="正文").article_id
        projects.save_facts(s, aid, ArticleFacts(projects=(
            Project(name="中创新航动力电池及储能系统江门基地项目", amount_yuan=20_000_000_000, amount_qualifier="exact",
                    location="新会区", stage="capped", investor="中创新航科技股份有限公司"),
            Project(name="优巨特种工程塑料复合改性及加工应用项目", amount_yuan=500_000_000, stage="started"),
        )), parser_version="t", city="江门市")


def _config(tmp_path: Path, channels: dict[str, str]):
    lines = ["channels:"] + [f"  {k}: \"{v}\"" for k, v in channels.items()]
    lines += ["rules:", "  - name: big_new_project", "    kind: new_project", "    min_amount_yuan: 10亿元",
              f"    channels: [{', '.join(channels)}]"]
    path = tmp_path / "alerts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_alerts_config(path, {})


def test_json_and_mailto_receive_the_alert_once(db_url: str, tmp_path: Path, smtp: tuple[MailBox, int]) -> None:
    box, smtp_port = smtp
    engine = make_engine(db_url)
    upgrade(engine)
    factory = session_factory(engine)
    _seed_projects(factory)
    with http_receiver() as hook:
        cfg = _config(tmp_path, {
            "hook": f"json://127.0.0.1:{hook.port}/alerts",
            "mail": f"mailto://127.0.0.1:{smtp_port}?from=alerts@example.com&to=analyst@example.org",
        })
        for run in range(2):
            stats = RunStats()
            alert_stage(factory, cfg, tmp_path, TODAY, run_id=None, stats=stats)  # type: ignore[arg-type]
            assert stats.alerts_sent == (2 if run == 0 else 0)
    assert len(hook.delivered) == 1
    assert "中创新航动力电池及储能系统江门基地项目" in hook.delivered[0]["title"]
    assert "200亿元" in hook.delivered[0]["title"] and "http://news.example/content_1.htm" in hook.delivered[0]["message"]
    assert len(box.messages) == 1
    _sender, _to, msg = box.messages[0]
    assert "中创新航" in str(msg["subject"])
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "中创新航科技股份有限公司" in body and "http://news.example/content_1.htm" in body
    engine.dispose()


def test_failed_send_kept_with_error_and_retried_next_run(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    _seed_projects(factory)
    with http_receiver([500]) as hook:
        cfg = _config(tmp_path, {"hook": f"json://127.0.0.1:{hook.port}/alerts"})
        first = RunStats()
        alert_stage(factory, cfg, tmp_path, TODAY, run_id=None, stats=first)  # type: ignore[arg-type]
        assert (first.alerts_sent, first.alerts_failed) == (0, 1)
        with factory() as s:
            row = s.scalar(select(Alert))
            assert row.status == "pending" and row.last_error and "500" in row.last_error
        second = RunStats()
        alert_stage(factory, cfg, tmp_path, TODAY, run_id=None, stats=second)  # type: ignore[arg-type]
        assert (second.alerts_sent, second.alerts_failed) == (1, 0)
    assert len(hook.delivered) == 1
    with factory() as s:
        row = s.scalar(select(Alert))
        assert (row.status, row.attempts) == ("sent", 2)
    engine.dispose()


def test_receiver_failing_twice_then_ok_gets_the_alert_exactly_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    _seed_projects(factory)
    t0 = datetime(2023, 2, 3, 8, 0, tzinfo=UTC)
    with http_receiver([500, 500]) as hook:
        cfg = _config(tmp_path, {"hook": f"json://127.0.0.1:{hook.port}/alerts"})
        outcomes = []
        # runs at: start, 1 s later (first retry is immediate), 30 s later (backing off), 5 min later
        for offset in (timedelta(0), timedelta(seconds=1), timedelta(seconds=30), timedelta(minutes=5),
                       timedelta(minutes=10)):
            stats = RunStats()
            alert_stage(factory, cfg, tmp_path, TODAY, run_id=None, stats=stats, now=t0 + offset)  # type: ignore[arg-type]
            outcomes.append((stats.alerts_sent, stats.alerts_failed))
    assert outcomes == [(0, 1), (0, 1), (0, 0), (1, 0), (0, 0)]
    assert len(hook.delivered) == 1 and "中创新航" in hook.delivered[0]["title"]
    with factory() as s:
        row = s.scalar(select(Alert))
        assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    engine.dispose()


def test_a_channel_down_past_the_limit_is_given_up_and_reported_on_the_other_channel(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    _seed_projects(factory)
    t0 = datetime(2023, 2, 3, 8, 0, tzinfo=UTC)
    with http_receiver() as dead, http_receiver() as ops:
        dead.status = 500  # never recovers
        cfg = _config(tmp_path, {"dead": f"json://127.0.0.1:{dead.port}/alerts",
                                 "ops": f"json://127.0.0.1:{ops.port}/alerts"})
        runs = []
        for day in range(4):  # runs a day apart, far past every back-off
            stats = RunStats()
            alert_stage(factory, cfg, tmp_path, TODAY, run_id=None, stats=stats,  # type: ignore[arg-type]
                        max_attempts=3, now=t0 + timedelta(days=day))
            runs.append((stats.alerts_failed, stats.alerts_given_up))
    assert runs == [(1, 0), (1, 0), (0, 1), (0, 0)]  # tried 3 times, then given up, then left alone
    assert len(dead.requests) == 3
    titles = [payload["title"] for _path, payload in ops.requests]
    assert len(titles) == 2 and any("中创新航" in t for t in titles)
    notice = next(p for _path, p in ops.requests if "提醒通道故障" in p["title"])
    assert "dead" in notice["title"] and "big_new_project" in notice["message"]
    with factory() as s:
        row = s.scalar(select(Alert).where(Alert.channel == "dead"))
        assert row.status == "failed" and "500" in (row.last_error or "")
    engine.dispose()
