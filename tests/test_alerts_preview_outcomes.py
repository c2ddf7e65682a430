"""`alerts preview` knows the delivery states after a send: inflight, unconfirmed (re-sent once, 【重发】), sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from alerts.rules import AlertDraft
from flows.cli_alerts import alerts_app, would_send
from parsers.model import ArticleFacts, Project
from storage import outbox, projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert

NOW = datetime(2024, 5, 10, 8, 0, tzinfo=UTC)
NAMES = ["甲储能电池项目", "乙光伏组件项目", "丙半导体封装项目", "丁数据中心项目"]


def _row(n: int, key: str, status: str, next_at: datetime | None = None, resends: int = 0) -> Alert:
    return Alert(id=n, key=key, channel="local", rule="big", urgent=False, title=f"old {key}", body="b",
                 status=status, attempts=1, next_attempt_at=next_at, resends=resends)


def test_would_send_names_inflight_and_unconfirmed_rows_for_what_they_are() -> None:
    drafts = [AlertDraft(f"big:{i}", "big", i, ("local",), False, f"【新项目】项目{i}", "来源") for i in range(1, 6)]
    rows, held = would_send(drafts, [
        _row(1, "big:1", "inflight"),
        _row(2, "big:2", "unconfirmed", NOW + timedelta(minutes=7), resends=1),
        _row(3, "big:3", "unconfirmed", NOW - timedelta(minutes=1), resends=1),
        _row(4, "big:4", "unconfirmed", None, resends=1),  # re-sent once already, outcome unknown again
        _row(5, "big:5", "sent"),
    ], NOW, max_attempts=20)
    assert [(r.key, r.status) for r in rows] == [("big:2", "resend-later"), ("big:3", "resend")]
    assert rows[0].due == NOW + timedelta(minutes=7) and not rows[0].sends_now and rows[1].sends_now
    assert "【重发】" in rows[0].status_text() and rows[0].title == "old big:2"  # the queued text, not a new one
    assert held == {"sent": 1, "waiting": 0, "inflight": 1, "unconfirmed": 1, "given_up": 0}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Four 20亿元 projects; their alerts are inflight, unconfirmed (due later), unconfirmed (due now), sent."""
    for name in ("INVESTWATCH_DATABASE_URL", "INVESTWATCH_DATA_DIR", "INVESTWATCH_ALERTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    ids = []
    with transaction(factory) as s:
        for n, name in enumerate(NAMES):
            stored = repo.store_article(s, url=f"http://gov.example/a{n}.html", source_id=None, page_id=None,
                                        title=f"文章{n}", published_on=date(2024, 5, 1), origin=None, text=f"正文{n}" * 20)
            ids += projects.save_facts(s, stored.article_id, ArticleFacts(projects=(Project(
                name=name, amount_yuan=2_000_000_000, stage="signed"),)), parser_version="t", city="江门市")
        repo.enqueue_alerts(s, [repo.OutboxItem(f"big:{pid}", "local", "big", pid, False, f"【新项目】{name}", "b")
                                for pid, name in zip(ids, NAMES, strict=True)])
    now = repo.now_utc()
    with transaction(factory) as s:
        claimed = {a.project_id: a.id for a in repo.claim_due_alerts(s, now, 20, None)}
        outbox.mark_inflight(s, list(claimed.values()))
        outbox.mark_unconfirmed(s, claimed[ids[1]], "read timeout", now, timedelta(hours=2))
        outbox.mark_unconfirmed(s, claimed[ids[2]], "read timeout", now, timedelta(hours=2))
        s.execute(update(Alert).where(Alert.id == claimed[ids[2]]).values(next_attempt_at=now - timedelta(minutes=1)))
        repo.mark_alert_sent(s, claimed[ids[3]])
    engine.dispose()
    return data


def test_preview_shows_unconfirmed_as_one_resend_and_inflight_or_sent_not_as_new(tmp_path: Path,
                                                                               data_dir: Path) -> None:
    config = tmp_path / "alerts.yaml"
    config.write_text("channels:\n  local: file\nrules:\n  - {name: big, kind: new_project, channels: [local]}\n",
                      encoding="utf-8")
    result = CliRunner().invoke(alerts_app, ["preview", "--alerts", str(config), "--data-dir", str(data_dir),
                                             "--messages"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    by_name = {name: [line for line in lines if name in line] for name in NAMES}
    assert by_name[NAMES[0]] == []  # inflight: its outcome is being recorded, not a new alert
    assert by_name[NAMES[3]] == []  # sent
    assert any("would be re-sent once (【重发】) at" in line for line in by_name[NAMES[1]])
    assert any("re-sent once now (【重发】)" in line for line in by_name[NAMES[2]])
    assert not any(" new" in line for name in NAMES for line in by_name[name])
    assert ("1 to send; held back: 1 already sent, 0 waiting to retry, 0 given up, 1 in flight, "
            "1 to re-send later (【重发】)") in result.stdout
    assert "【重发】【新项目】" + NAMES[2] in result.stdout  # --messages: the re-send's own title
    engine = make_engine(f"sqlite:///{data_dir / 'investwatch.db'}")
    with session_factory(engine)() as s:
        assert sorted(a.status for a in s.scalars(select(Alert))) == ["inflight", "sent", "unconfirmed",
                                                                        "unconfirmed"]  # preview wrote nothing
    engine.dispose()
