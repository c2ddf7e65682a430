"""`investwatch alerts test|preview|history` on a temporary SQLite database and a real loopback receiver."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from alerts.rules import AlertDraft
from flows.cli_alerts import TEST_TITLE, alerts_app, would_send
from parsers.model import ArticleFacts, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert
from storage.models import Project as ProjectRow
from tests.servers import HttpSink

runner = CliRunner()
WIDE = {"COLUMNS": "400"}  # rich folds table cells to the terminal width


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("INVESTWATCH_DATABASE_URL", "INVESTWATCH_DATA_DIR", "INVESTWATCH_ALERTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.chdir(tmp_path)  # no stray .env or alerts.yaml from the checkout


def write_alerts(tmp_path: Path, channels: str) -> Path:
    path = tmp_path / "my-alerts.yaml"
    path.write_text(
        f"channels:\n{channels}\nrules:\n  - {{name: big, kind: new_project, channels: [local]}}\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir with a migrated SQLite database holding a 200亿元 and a 0.5亿元 project."""
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        for n, (name, amount) in enumerate([("中创新航动力电池江门基地项目", 20_000_000_000), ("小项目", 50_000_000)]):
            stored = repo.store_article(s, url=f"http://www.jiangmen.gov.cn/a{n}.html", source_id=None, page_id=None,
                                        title=f"文章{n}", published_on=date(2024, 5, 1), origin=None, text=f"正文{n}" * 20)
            facts = ArticleFacts(projects=(Project(name=name, amount_yuan=amount, amount_qualifier="exact",
                                                   investor="中创新航", stage="signed", stage_date="2024-05-01"),))
            projects.save_facts(s, stored.article_id, facts, parser_version="test", city="江门市")
    engine.dispose()
    return data


def outbox(data: Path) -> list[Alert]:
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    try:
        with session_factory(engine)() as s:
            return list(s.scalars(select(Alert).order_by(Alert.id)))
    finally:
        engine.dispose()


def run(*args: str) -> Any:
    return runner.invoke(alerts_app, list(args), env=WIDE)


# --- test ----------------------------------------------------------------------------------------


def test_test_command_reaches_a_loopback_receiver(tmp_path: Path, http_sink: HttpSink) -> None:
    config = write_alerts(tmp_path, f'  local: file\n  hook: "json://127.0.0.1:{http_sink.port}/hook?-token=s3cret-t0ken-42"')
    result = run("test", "hook", "--alerts", str(config), "--data-dir", str(tmp_path), "--timeout", "5")
    assert result.exit_code == 0, result.output
    assert "ok: test message delivered to hook" in result.stdout and "s3cret-t0ken-42" not in result.output
    ((_path, payload),) = http_sink.requests
    assert payload["title"] == TEST_TITLE == "【测试】investwatch 提醒通道测试"
    assert payload["message"].startswith("这是一条测试消息：通道 hook 能收到 investwatch 的提醒。\n发送时间：")


def test_test_command_fails_with_a_redacted_error(tmp_path: Path, http_sink: HttpSink) -> None:
    http_sink.statuses = [500]
    config = write_alerts(tmp_path, f'  local: file\n  hook: "json://bob:Pa55-w0rd-x@127.0.0.1:{http_sink.port}/h"')
    result = run("test", "hook", "--alerts", str(config), "--timeout", "5")
    assert result.exit_code == 1
    assert "failed: hook (json://bob:****@127.0.0.1" in result.output and "error=500" in result.output
    assert "Pa55-w0rd-x" not in result.output
    assert len(http_sink.requests) == 1


def test_test_command_local_channel_and_unknown_channel(tmp_path: Path) -> None:
    config = write_alerts(tmp_path, "  local: file")
    result = run("test", "local", "--alerts", str(config), "--data-dir", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert TEST_TITLE in (tmp_path / "d" / "alerts.log").read_text(encoding="utf-8")
    result = run("test", "team_chat", "--alerts", str(config))
    assert result.exit_code == 1 and "unknown channel 'team_chat' (defined: local)" in result.output


def test_bad_config_fails_naming_the_key(tmp_path: Path) -> None:
    config = write_alerts(tmp_path, '  local: file\n  chat: "dingtalk://${NOT_SET_ANYWHERE}/"')
    result = run("test", "local", "--alerts", str(config))
    assert result.exit_code == 1 and "channels.chat: environment variable NOT_SET_ANYWHERE is not set" in result.output


# --- preview -------------------------------------------------------------------------------------


def test_preview_shows_what_would_be_sent_and_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    config = write_alerts(tmp_path, "  local: file")
    db = data_dir / "investwatch.db"
    before = db.read_bytes()
    result = run("preview", "--alerts", str(config), "--data-dir", str(data_dir), "--today", "2024-05-10",
                 "--messages")
    assert result.exit_code == 0, result.output
    assert "中创新航动力电池江门基地项目 | 200亿元 | 已签约（2024-05-01） | 江门市" in result.stdout
    assert "小项目" not in result.stdout  # under 10亿元
    assert "1 to send; held back: 0 already sent" in result.stdout
    assert "来源：文章0 http://www.jiangmen.gov.cn/a0.html" in result.stdout  # --messages: the text itself
    assert outbox(data_dir) == [] and not (data_dir / "alerts.log").exists()
    assert db.read_bytes() == before


def test_preview_leaves_out_what_was_sent(tmp_path: Path, data_dir: Path) -> None:
    config = write_alerts(tmp_path, "  local: file")
    engine = make_engine(f"sqlite:///{data_dir / 'investwatch.db'}")
    with transaction(session_factory(engine)) as s:
        pid = s.scalar(select(func.min(ProjectRow.id)))
        repo.enqueue_alerts(s, [repo.OutboxItem(f"big:{pid}", "local", "big", pid, False, "【新项目】t", "b")])
        (claimed,) = repo.claim_due_alerts(s, repo.now_utc(), max_attempts=5)
        repo.mark_alert_sent(s, claimed.id)
    engine.dispose()
    result = run("preview", "--alerts", str(config), "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert "nothing would be sent now" in result.stdout
    assert "0 to send; held back: 1 already sent, 0 waiting to retry, 0 given up" in result.stdout


def test_preview_without_a_database_creates_none(tmp_path: Path) -> None:
    config = write_alerts(tmp_path, "  local: file")
    result = run("preview", "--alerts", str(config), "--data-dir", str(tmp_path / "empty"))
    assert result.exit_code == 0 and "no database yet" in result.stdout
    assert not (tmp_path / "empty").exists()
    assert run("preview", "--alerts", str(config), "--today", "10 May").exit_code == 2


NOW = datetime(2024, 5, 10, 8, 0, tzinfo=UTC)


def _row(key: str, status: str, attempts: int = 0, next_at: datetime | None = None, channel: str = "local") -> Alert:
    return Alert(id=len(key), key=key, channel=channel, rule="big", urgent=False, title=f"old {key}", body="b",
                 status=status, attempts=attempts, next_attempt_at=next_at)


@pytest.mark.parametrize(
    ("row", "status", "held"),
    [
        (None, "new", None),
        (_row("big:1", "sent", 1), None, "sent"),
        (_row("big:1", "pending", 1, NOW - timedelta(minutes=1)), "retry", None),
        (_row("big:1", "pending", 2, (NOW + timedelta(minutes=5)).replace(tzinfo=None)), None, "waiting"),
        (_row("big:1", "pending", 20), None, "given_up"),
        (_row("big:1", "sending", 1, NOW + timedelta(minutes=5)), None, "waiting"),  # another run is sending it
        (_row("big:1", "sending", 1, NOW - timedelta(minutes=5)), "retry", None),  # its sender died
    ],
)
def test_would_send_mirrors_the_claim(row: Alert | None, status: str | None, held: str | None) -> None:
    draft = AlertDraft("big:1", "big", 1, ("local",), False, "【新项目】项目1", "来源")
    rows, counts = would_send([draft], [row] if row else [], NOW, max_attempts=20)
    assert [r.status for r in rows] == ([status] if status else [])
    assert sum(counts.values()) == (1 if held else 0) and (held is None or counts[held] == 1)
    if status == "retry":
        assert rows[0].title == "old big:1"  # the queued text is what goes out


def test_would_send_includes_queued_rows_no_longer_matched() -> None:
    rows, _ = would_send([], [_row("gone:7", "pending"), _row("big:9", "sent", 1)], NOW, max_attempts=20)
    assert [(r.key, r.status) for r in rows] == [("gone:7", "queued")]


# --- history -------------------------------------------------------------------------------------


def test_history_lists_the_outbox_newest_first_with_filters(data_dir: Path) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'investwatch.db'}")
    with transaction(session_factory(engine)) as s:
        items = [repo.OutboxItem(f"big:{n}", "local", "big", None, n == 2, f"【新项目】项目{n}", "b") for n in (1, 2, 3)]
        repo.enqueue_alerts(s, items)
        first, second, _third = repo.claim_due_alerts(s, repo.now_utc(), max_attempts=5)
        repo.mark_alert_sent(s, first.id)
        repo.mark_alert_failed(s, second.id, "json://127.0.0.1:9/h: error=500 (****)", repo.now_utc())
    engine.dispose()
    result = run("history", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    order = [next(i for i, line in enumerate(lines) if f"项目{n}" in line) for n in (3, 2, 1)]
    assert order == sorted(order)  # newest first
    row2 = lines[order[1]]
    assert "pending 紧急" in row2 and "error=500 (****)" in row2 and "│ 1 " in row2
    sent = run("history", "--data-dir", str(data_dir), "--status", "sent").stdout
    assert "项目1" in sent and "项目2" not in sent and "项目3" not in sent
    assert "项目3" in run("history", "--data-dir", str(data_dir), "--limit", "1").stdout
    assert "项目1" not in run("history", "--data-dir", str(data_dir), "--limit", "1").stdout
    assert run("history", "--data-dir", str(data_dir), "--status", "lost").exit_code == 2


def test_history_without_a_database(tmp_path: Path) -> None:
    result = run("history", "--data-dir", str(tmp_path / "none"))
    assert result.exit_code == 0 and "no database yet" in result.stdout and not (tmp_path / "none").exists()


def test_every_command_has_help() -> None:
    for command in alerts_app.registered_commands:
        assert command.callback is not None and (command.callback.__doc__ or "").strip(), command.name
    for name in ("test", "preview", "history"):
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout
    assert "preview what the next run would send" in run("--help").stdout
