"""Delivery that neither misses nor repeats: a slow receiver, an unknown outcome, a run killed mid-send."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from alerts.config import load_alerts_config
from alerts.send import deliver
from flows.pipeline import begin_run
from flows.stages import RunStats, alert_stage
from parsers.model import ArticleFacts, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert
from tests.servers import http_receiver

TODAY = date(2023, 2, 3)
ROOT = Path(__file__).resolve().parents[1]


def _factory(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    return engine, session_factory(engine)


def _seed(factory, n: int) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        aid = repo.store_article(s, url="http://news.example/1.htm", source_id=None, page_id=None, title="t",
                                 published_on=TODAY, origin=None, text="正文").article_id
        projects.save_facts(s, aid, ArticleFacts(projects=tuple(
            Project(name=f"第{i}号新能源材料生产基地项目", amount_yuan=(20 + i) * 1_000_000_000, stage="signed")
            for i in range(n))), parser_version="t", city="江门市")


def _config(tmp_path: Path, port: int):  # type: ignore[no-untyped-def]
    path = tmp_path / "alerts.yaml"
    path.write_text(f"channels:\n  hook: \"json://127.0.0.1:{port}/a\"\nrules:\n  - name: big\n    kind: new_project\n"
                    "    min_amount_yuan: 10亿元\n    channels: [hook]\n", encoding="utf-8")
    return load_alerts_config(path, {})


def test_a_receiver_answering_after_6_s_is_a_delivery(tmp_path: Path) -> None:
    with http_receiver() as hook:
        hook.delay_s = 6.0
        result = deliver(f"json://127.0.0.1:{hook.port}/a", "标题", "正文", data_dir=tmp_path)
    assert result.ok, result.error  # apprise's own 4 s read timeout called this a failure


def test_a_read_timeout_is_unconfirmed_and_resent_once_marked(db_url: str, tmp_path: Path) -> None:
    engine, factory = _factory(db_url)
    _seed(factory, 3)
    with http_receiver() as hook:
        cfg = _config(tmp_path, hook.port)
        hook.delay_s = 2.5
        first = RunStats()
        alert_stage(factory, cfg, tmp_path, TODAY, None, first, timeout_s=1, resend_delay_s=0)  # type: ignore[arg-type]
        assert first.alerts_unconfirmed == 3 and first.alerts_failed == 0 and len(hook.requests) == 1
        hook.delay_s = 0
        second = RunStats()
        alert_stage(factory, cfg, tmp_path, TODAY, None, second, resend_delay_s=0)  # type: ignore[arg-type]
        assert second.alerts_sent == 3 and len(hook.requests) == 2
        assert hook.requests[1][1]["title"].startswith("【重发】")
        third = RunStats()
        alert_stage(factory, cfg, tmp_path, TODAY, None, third, resend_delay_s=0)  # type: ignore[arg-type]
        assert len(hook.requests) == 2 and third.alerts_sent == 0
    engine.dispose()


def test_a_second_unknown_outcome_is_not_sent_a_third_time(tmp_path: Path) -> None:
    engine, factory = _factory(f"sqlite:///{tmp_path / 'a.db'}")
    _seed(factory, 1)
    with http_receiver() as hook:
        cfg = _config(tmp_path, hook.port)
        hook.delay_s = 2.0
        for _ in range(3):
            alert_stage(factory, cfg, tmp_path, TODAY, None, RunStats(), timeout_s=0.5,  # type: ignore[arg-type]
                        resend_delay_s=0)
        time.sleep(2.5)  # let the receiver's threads record what they got
        assert len(hook.requests) == 2
    with factory() as s:
        (row,) = s.scalars(select(Alert))
    assert row.status == "unconfirmed" and row.next_attempt_at is None
    engine.dispose()


def _sender(db_url: str, tmp_path: Path, port: int, run_id: int) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(f"""
        from datetime import date
        from pathlib import Path
        from alerts.config import load_alerts_config
        from flows.stages import RunStats, alert_stage
        from storage.db import make_engine, session_factory
        factory = session_factory(make_engine({db_url!r}))
        cfg = load_alerts_config(Path({str(tmp_path / 'alerts.yaml')!r}), {{}})
        alert_stage(factory, cfg, Path({str(tmp_path)!r}), date(2023, 2, 3), {run_id}, RunStats())
    """)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)


def test_kill_9_during_a_send_redelivers_at_once_without_repeating_confirmed_items(db_url: str,
                                                                                     tmp_path: Path) -> None:
    engine, factory = _factory(db_url)
    _seed(factory, 2)
    with http_receiver() as hook:
        _config(tmp_path, hook.port)
        hook.delay_s = 30  # the receiver holds the digest: the sender is killed mid-send
        run_id = begin_run(factory, "run", exclusive_db=False)
        proc = _sender(db_url, tmp_path, hook.port, run_id)
        deadline = time.monotonic() + 60
        while not hook.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert hook.requests, "the sender never reached the receiver"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with factory() as s:
            assert {a.status for a in s.scalars(select(Alert))} == {"inflight"}
        hook.delay_s = 0
        # the next run: the dead run's row is crashed (its pid is gone), its claims released at once
        begin_run(factory, "run", exclusive_db=True, resend_delay_s=0)
        with factory() as s:
            rows = list(s.scalars(select(Alert)))
        assert {a.status for a in rows} == {"unconfirmed"} and all(a.resends == 1 for a in rows)
        stats = RunStats()
        alert_stage(factory, _config(tmp_path, hook.port), tmp_path, TODAY, None, stats,  # type: ignore[arg-type]
                    resend_delay_s=0)
        assert stats.alerts_sent == 2
        assert len(hook.requests) == 2 and hook.requests[1][1]["title"].startswith("【重发】")
        alert_stage(factory, _config(tmp_path, hook.port), tmp_path, TODAY, None, RunStats(),  # type: ignore[arg-type]
                    resend_delay_s=0)
        assert len(hook.requests) == 2
    engine.dispose()


def test_claimed_but_never_attempted_alerts_go_back_to_pending_when_their_run_died(db_url: str) -> None:
    engine, factory = _factory(db_url)
    _seed(factory, 2)
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run", pid=None, host="gone")
        repo.enqueue_alerts(s, [repo.OutboxItem(key=f"k{i}", channel="hook", rule="big", project_id=None,
                                                urgent=False, title="t", body="b") for i in range(2)])
    with transaction(factory) as s:
        claimed = repo.claim_due_alerts(s, repo.now_utc(), 5, run_id)
        assert len(claimed) == 2
    # a live run's claims are not touched; once it is known dead they are due at once (no 10-minute lease)
    begin_run(factory, "run", exclusive_db=False)
    with factory() as s:
        assert {a.status for a in s.scalars(select(Alert))} == {"sending"}
    begin_run(factory, "run", exclusive_db=True)
    with factory() as s:
        rows = list(s.scalars(select(Alert)))
    assert {a.status for a in rows} == {"pending"} and all(a.next_attempt_at is None for a in rows)
    engine.dispose()
