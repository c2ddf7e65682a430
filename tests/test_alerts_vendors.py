"""Chat channels analysts use (DingTalk, WeCom bot, Feishu, Slack) through the real apprise plugins.

Their hosts are fixed vendor addresses, unreachable here, so each plugin's endpoint template is pointed at a
receiver on 127.0.0.1 (the only thing changed); the plugin builds and posts its own vendor payload, and the
receiver answers with the body the vendor sends on success.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.slack import NotifySlack
from apprise.plugins.wecombot import NotifyWeComBot

from alerts.send import send
from tests.servers import http_receiver

TITLE = "【新项目】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已签约 | 江门市新会区"
BODY = "投资方：中创新航科技股份有限公司\n来源：http://www.jiangmen.gov.cn/a.html"


def _text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.mark.parametrize(
    "plugin, attr, template, url",
    [
        (NotifyDingTalk, "notify_url", "http://127.0.0.1:{port}/robot/send?access_token={{token}}",
         "dingtalk://a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2/"),
        (NotifyWeComBot, "notify_url", "http://127.0.0.1:{port}/cgi-bin/webhook/send?key={{key}}",
         "wecombot://9a8b7c6d-1234-5678-9abc-def012345678"),
        (NotifyFeishu, "notify_url", "http://127.0.0.1:{port}/open-apis/bot/v2/hook/{{token}}/",
         "feishu://0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"),
    ],
)
def test_chinese_chat_bots_get_the_alert(monkeypatch: pytest.MonkeyPatch, plugin: type, attr: str, template: str,
                                         url: str) -> None:
    with http_receiver() as hook:
        hook.reply = b'{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}'
        monkeypatch.setattr(plugin, attr, template.format(port=hook.port))
        result = send(url, TITLE, BODY, timeout_s=5)
    assert result.ok, result.error
    ((_path, payload),) = hook.requests
    text = _text(payload)
    assert "中创新航动力电池及储能系统江门基地项目" in text and "200亿元" in text
    assert "中创新航科技股份有限公司" in text and "http://www.jiangmen.gov.cn/a.html" in text


def test_slack_webhook_counts_as_delivered_only_on_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7"
    with http_receiver() as hook:
        hook.reply = b"ok"
        monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{hook.port}/services")
        assert send(url, TITLE, BODY, timeout_s=5).ok
    ((path, payload),) = hook.requests
    assert path == "/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7"
    assert "中创新航动力电池及储能系统江门基地项目" in _text(payload)
    with http_receiver() as hook:
        hook.reply = b"invalid_token"
        monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{hook.port}/services")
        result = send(url, TITLE, BODY, timeout_s=5)
    assert not result.ok and result.error
    assert "TIiajkdnlazkcOXrIdevi7" not in result.error  # the webhook secret never reaches an error text
