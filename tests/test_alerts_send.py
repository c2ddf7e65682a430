"""alerts.send against real servers on 127.0.0.1: an HTTP JSON sink, an SMTP server, failures with causes."""

from __future__ import annotations

import io
import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from alerts.send import ALERTS_LOG, SendResult, check_url, deliver, send, send_local
from tests.servers import HttpSink, MailBox, free_port

TITLE = "【新项目】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已开工 | 江门市江海区"
BODY = "投资方：中创新航\n来源：http://www.jiangmen.gov.cn/a.html"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests honours *_PROXY from the environment; loopback must never go through one.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")




def test_json_sink_gets_the_chinese_alert(http_sink: HttpSink) -> None:
    result = send(f"json://127.0.0.1:{http_sink.port}/investwatch/hook", TITLE, BODY, timeout_s=5)
    assert result == SendResult(ok=True, error=None)
    ((path, payload),) = http_sink.requests
    assert path == "/investwatch/hook"
    assert (payload["title"], payload["message"], payload["type"]) == (TITLE, BODY, "info")


def test_urgent_is_sent_as_warning(http_sink: HttpSink) -> None:
    assert send(f"json://127.0.0.1:{http_sink.port}/", TITLE, BODY, urgent=True).ok
    assert http_sink.requests[0][1]["type"] == "warning"


def test_http_500_fails_with_a_redacted_cause(http_sink: HttpSink, caplog: pytest.LogCaptureFixture) -> None:
    http_sink.status = 500
    url = f"json://bob:S3cret-Passw0rd@127.0.0.1:{http_sink.port}/hook?-token=abcdef123456"
    caplog.set_level(logging.DEBUG)  # even with the application at DEBUG, no secret may reach its logs
    result = send(url, TITLE, BODY, timeout_s=5)
    assert len(http_sink.requests) == 1  # it was delivered to the server, which refused it
    assert not result.ok and result.error is not None
    assert "error=500" in result.error and "nope" in result.error  # status and the response body
    for text in (result.error, caplog.text):
        assert "S3cret-Passw0rd" not in text and "abcdef123456" not in text
    assert "json://bob:****@127.0.0.1" in caplog.text  # the failure is logged, redacted


def test_unreachable_port_fails_with_connection_refused() -> None:
    result = send(f"json://127.0.0.1:{free_port()}/hook", TITLE, BODY, timeout_s=5)
    assert not result.ok and result.error is not None
    assert "Connection refused" in result.error


def test_unusable_url_fails_without_leaking() -> None:
    result = send("dingtalk://", TITLE, BODY)
    assert not result.ok and result.error is not None and "DingTalk" in result.error
    assert check_url("dingtalk://") is not None
    assert check_url("nonsense://host") == "apprise cannot use nonsense://host: Unparseable URL nonsense://host"
    assert check_url("json://127.0.0.1:9/x") is None
    assert check_url("file") is None


def test_smtp_gets_subject_and_chinese_body_with_line_breaks(smtp: tuple[MailBox, int]) -> None:
    box, port = smtp
    url = f"mailto://127.0.0.1:{port}?from=alerts@example.com&to=analyst@example.org"
    assert send(url, TITLE, BODY, timeout_s=5) == SendResult(ok=True)
    ((sender, recipients, message),) = box.messages
    assert (sender, recipients) == ("alerts@example.com", ["analyst@example.org"])
    assert message["Subject"] == TITLE
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n").strip() == BODY


def test_smtp_rejection_fails(smtp: tuple[MailBox, int]) -> None:
    box, port = smtp
    box.reply = "554 5.7.1 rejected by policy"
    result = send(f"mailto://127.0.0.1:{port}?from=alerts@example.com&to=analyst@example.org", TITLE, BODY, timeout_s=5)
    assert not result.ok and result.error is not None and "email" in result.error.lower()
    assert box.messages == []


def test_concurrent_sends_keep_their_own_causes(http_sink: HttpSink) -> None:
    bad = f"json://127.0.0.1:{free_port()}/down"
    good = f"json://127.0.0.1:{http_sink.port}/up"
    results: dict[str, list[SendResult]] = {"bad": [], "good": []}
    apprise_log = logging.getLogger("apprise")
    before = (apprise_log.level, apprise_log.propagate)

    def run(name: str, url: str) -> None:
        for _ in range(5):
            results[name].append(send(url, TITLE, BODY, timeout_s=5))

    threads = [threading.Thread(target=run, args=a) for a in (("bad", bad), ("good", good))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r == SendResult(ok=True) for r in results["good"])
    assert len(results["bad"]) == 5 and all(
        not r.ok and "Connection refused" in (r.error or "") for r in results["bad"]
    )
    assert (apprise_log.level, apprise_log.propagate) == before  # restored after the last capture


def test_send_local_appends_and_prints(tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    path = tmp_path / "data" / ALERTS_LOG
    assert send_local(path, TITLE, BODY, console=console) == SendResult(ok=True)
    assert send_local(path, "【新项目】第二条 [b]x[/b]", "来源：http://x/[1]", console=console).ok
    text = path.read_text(encoding="utf-8")
    entries = text.split("=" * 72 + "\n")[1:]
    assert len(entries) == 2
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d  【新项目】中创新航", entries[0])
    assert entries[0].endswith(BODY + "\n")
    assert "[b]x[/b]" in out.getvalue() and "http://x/[1]" in out.getvalue()  # printed as is, not as markup
    assert TITLE in out.getvalue()


def test_send_local_unwritable_is_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = send_local(blocker / ALERTS_LOG, TITLE, BODY, console=Console(file=io.StringIO()))
    assert not result.ok and result.error is not None and "cannot write" in result.error


def test_deliver_routes_file_and_apprise(tmp_path: Path, http_sink: HttpSink) -> None:
    console = Console(file=io.StringIO())
    assert deliver("file", TITLE, BODY, data_dir=tmp_path, console=console).ok
    assert BODY in (tmp_path / ALERTS_LOG).read_text(encoding="utf-8")
    assert deliver(f"json://127.0.0.1:{http_sink.port}/", TITLE, BODY, data_dir=tmp_path, timeout_s=5).ok
    assert len(http_sink.requests) == 1
    assert not send("file", TITLE, BODY).ok  # the local channel is never handed to apprise


def test_apprise_warning_on_a_reported_success_is_a_failure(http_sink: HttpSink) -> None:
    # apprise warns about the URL, delivers anyway and reports True. A warning means the channel did not
    # do what its config says, so send() fails it (check_url rejects such a URL at config load already).
    url = f"json://127.0.0.1:{http_sink.port}/hook?rto=abc"
    result = send(url, TITLE, BODY, timeout_s=5)
    assert len(http_sink.requests) == 1
    assert not result.ok and result.error is not None and "Invalid socket read timeout (rto)" in result.error
    assert check_url(url) is not None


def test_optional_flag_does_not_hide_a_failure() -> None:
    # ?optional=yes makes apprise.notify() return True for a failed service; it is still a failure here.
    result = send(f"json://127.0.0.1:{free_port()}/hook?optional=yes", TITLE, BODY, timeout_s=5)
    assert not result.ok and result.error is not None and "Connection refused" in result.error


# --- rules -> messages -> real receivers ---------------------------------------------------------


def _run_alerts() -> list[Any]:
    """One run's drafts over timelines built here: a big new project (urgent), one overdue plan, one lagging signing."""
    from datetime import date

    from alerts.config import AlertsConfig
    from alerts.rules import MilestoneView, ProjectSnapshot, evaluate_rules

    def snap(pid: int, name: str, *milestones: MilestoneView, stage: str | None = None) -> ProjectSnapshot:
        return ProjectSnapshot(project_id=pid, name=name, amount_yuan=20_000_000_000, amount_qualifier="over",
                               stage=stage, city="江门市", district="江海区", investor="中创新航",
                               first_seen=date(2024, 5, 9), article_urls=(f"http://www.jiangmen.gov.cn/{pid}.html",),
                               milestones=milestones)

    projects = [
        snap(1, "中创新航动力电池江门基地项目", MilestoneView("reported", "started", "2023-06-18", "开工", "http://x.cn/s"),
             MilestoneView("expected", "in_production", "2024-Q1", "计划一季度投产", "http://x.cn/p"), stage="started"),
        snap(2, "储能系统项目", MilestoneView("reported", "signed", "2023-03", "签约", "http://x.cn/q"), stage="signed"),
    ]
    config = AlertsConfig.model_validate({
        "channels": {"mail": "file", "hook": "file"},
        "rules": [
            {"name": "big", "kind": "new_project", "channels": ["mail", "hook"], "urgent": True},
            {"name": "late", "kind": "lagging_expected", "channels": ["mail", "hook"]},
            {"name": "signed", "kind": "lagging_signed", "channels": ["mail", "hook"]},
        ],
    })
    return evaluate_rules(projects, config, date(2024, 5, 10))


def test_one_runs_alerts_reach_smtp_and_http_as_urgent_messages_and_one_digest(
    smtp: tuple[MailBox, int], http_sink: HttpSink
) -> None:
    from alerts.message import pack_messages

    drafts = _run_alerts()
    assert [d.key for d in drafts] == ["big:1", "big:2", "late:1:expected-in_production-2024-Q1",
                                       "signed:2:signed-no-start"]
    box, port = smtp
    urls = [f"mailto://127.0.0.1:{port}?from=alerts@example.com&to=analyst@example.org",
            f"json://127.0.0.1:{http_sink.port}/hook"]
    messages = pack_messages(drafts)
    assert [(m.urgent, len(m.items)) for m in messages] == [(True, 1), (True, 1), (False, 2)]
    for url in urls:
        for m in messages:
            assert send(url, m.title, m.body, timeout_s=5, urgent=m.urgent) == SendResult(ok=True)
    plain = [msg.get_body(preferencelist=("plain",)) for _f, _t, msg in box.messages]
    mails = [(msg["Subject"], part.get_content() if part else "") for (_f, _t, msg), part in zip(box.messages, plain, strict=True)]
    posts = [(payload["title"], payload["message"], payload["type"]) for _path, payload in http_sink.requests]
    assert len(mails) == len(posts) == 3
    assert mails[0][0] == posts[0][0] == "【新项目】中创新航动力电池江门基地项目 | 超200亿元 | 已开工 | 江门市江海区"
    assert [p[2] for p in posts] == ["warning", "warning", "info"]
    digest_title, digest_body, _type = posts[2]
    assert digest_title == mails[2][0] == "投资项目提醒：2条"
    expected_lines = [
        "■ 进度滞后（late，1条）",
        "1. 中创新航动力电池江门基地项目 | 超200亿元 | 已开工 | 江门市江海区",
        "   预期：投产，“计划一季度投产”，即2024年第一季度（2024-03-31前）",
        "   已逾期40天，未见投产报道",
        "   最近进展：已开工（2023-06-18） http://x.cn/s",
        "■ 签约未开工（signed，1条）",
        "   签约：2023年3月，已406天未见开工报道（提醒期限180天）",
    ]
    assert [line for line in expected_lines if line not in digest_body.splitlines()] == []
    # e-mail goes as HTML (indentation kept as &nbsp;) plus a plain part in which apprise collapses runs of spaces
    mail_lines = [" ".join(line.split()) for line in mails[2][1].splitlines()]
    assert [line for line in expected_lines if " ".join(line.split()) not in mail_lines] == []
