"""alerts.message: amounts in 亿元, qualifier words, stage words, the alert and digest texts."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from alerts.message import (
    MAX_MESSAGE_BYTES,
    STAGE_ZH,
    Outgoing,
    format_alert,
    format_amount,
    format_digest,
    format_place,
    format_stage,
    format_timeline,
    pack_messages,
)
from alerts.rules import AlertDraft, MilestoneView, ProjectSnapshot
from parsers.model import QUALIFIERS, STAGES


@pytest.mark.parametrize(
    ("amount_yuan", "qualifier", "text"),
    [
        (20_000_000_000, "exact", "200亿元"),
        (20_000_000_000, None, "200亿元"),
        (1_767_000_000, "exact", "17.67亿元"),
        (350_000_000, "over", "超3.5亿元"),
        (60_000_000, "about", "约0.6亿元"),
        (1_000_000_000, "nearly", "近10亿元"),
        (500_000_000, "at_least", "不低于5亿元"),
        (100_000_000, None, "1亿元"),
        (123_456_789, None, "1.2346亿元"),  # 4 decimals, rounded half up
        (123_450_000, None, "1.2345亿元"),
        (1_000_000_000_000, None, "10000亿元"),  # no exponent notation
        (10_000, None, "0.0001亿元"),
        (5_000, "about", "约5000元"),
        (0, None, "0元"),
    ],
)
def test_format_amount(amount_yuan: int, qualifier: str | None, text: str) -> None:
    assert format_amount(amount_yuan, qualifier) == text


def test_every_parser_qualifier_and_stage_has_a_word() -> None:
    assert set(STAGE_ZH) == set(STAGES)
    assert all(format_amount(100_000_000, q).endswith("1亿元") for q in QUALIFIERS)


@pytest.mark.parametrize(
    ("stage", "date_text", "text"),
    [
        ("signed", None, "已签约"),
        ("started", None, "已开工"),
        ("capped", None, "已封顶"),
        ("completed", None, "已竣工"),
        ("trial_production", None, "已试产"),
        ("in_production", "2023-03", "已投产（2023-03）"),
        ("full_production", "2024", "已达产（2024）"),
        (None, "2024", None),
        ("bogus", None, None),
    ],
)
def test_format_stage(stage: str | None, date_text: str | None, text: str | None) -> None:
    assert format_stage(stage, date_text) == text


@pytest.mark.parametrize(
    ("city", "district", "location", "text"),
    [
        ("江门市", "江海区", None, "江门市江海区"),
        ("江门市", "江海区", "江海区", "江门市江海区"),
        ("江门市", None, "江门市鹤山市", "江门市鹤山市"),
        ("江门市", "鹤山市", "广东（江门）硅能源产业基地鹤山园区", "江门市鹤山市 广东（江门）硅能源产业基地鹤山园区"),
        (None, None, "杜阮镇", "杜阮镇"),
        (None, None, None, None),
    ],
)
def test_format_place(city: str | None, district: str | None, location: str | None, text: str | None) -> None:
    assert format_place(city, district, location) == text


def snapshot(**fields: object) -> ProjectSnapshot:
    base: dict[str, object] = {
        "project_id": 1,
        "name": "中创新航动力电池及储能系统江门基地项目",
        "amount_yuan": 20_000_000_000,
        "amount_qualifier": "exact",
        "stage": "started",
        "city": "江门市",
        "district": "江海区",
        "investor": "中创新航",
        "first_seen": date(2023, 3, 1),
        "article_urls": ("http://www.jiangmen.gov.cn/a.html",),
    }
    return ProjectSnapshot(**(base | fields))  # type: ignore[arg-type]


def test_format_alert_example() -> None:
    title, body = format_alert(snapshot(), "新项目")
    assert title == "【新项目】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已开工 | 江门市江海区"
    assert body == "投资方：中创新航\n来源：http://www.jiangmen.gov.cn/a.html"


def test_format_alert_leaves_out_unknowns_and_caps_links() -> None:
    urls = tuple(f"http://example.com/{i}.html" for i in range(5))
    title, body = format_alert(
        snapshot(
            amount_qualifier="over",
            stage=None,
            district=None,
            investor=None,
            article_urls=urls,
            article_titles=("江门日报：项目动工",),
        ),
        "大项目",
    )
    assert title == "【大项目】中创新航动力电池及储能系统江门基地项目 | 超200亿元 | 江门市"
    assert body.splitlines() == [
        "来源：江门日报：项目动工 http://example.com/0.html",
        "来源：http://example.com/1.html",
        "来源：http://example.com/2.html",
        "另有2篇报道",
    ]


def draft(rule: str, project_id: int, urgent: bool = False) -> AlertDraft:
    return AlertDraft(
        f"{rule}:{project_id}",
        rule,
        project_id,
        ("local",),
        urgent,
        f"【新项目】项目{project_id}",
        f"来源：http://x/{project_id}",
    )


def test_digest_groups_per_rule_with_a_header_each() -> None:
    title, body = format_digest([draft("big", 1), draft("jiangmen", 2), draft("big", 3)])
    assert title == "投资项目提醒：3条"
    assert body == (
        "■ 新项目（big，2条）\n1. 项目1\n   来源：http://x/1\n2. 项目3\n   来源：http://x/3"
        "\n\n■ 新项目（jiangmen，1条）\n1. 项目2\n   来源：http://x/2"
    )
    assert format_digest([draft("big", 1), draft("big", 2, urgent=True)])[0] == "【紧急】投资项目提醒：2条"
    # titles of one rule with different labels keep them, under the rule name alone
    mixed = [draft("big", 1), replace(draft("big", 2), title="【数据源异常】江门日报")]
    assert format_digest(mixed)[1].splitlines()[:4] == ["■ big（2条）", "1. 【新项目】项目1", "   来源：http://x/1",
                                                        "2. 【数据源异常】江门日报"]


def test_digest_over_the_limit_is_cut_with_a_count() -> None:
    drafts = [replace(draft("big", n), body="来源：" + "长" * 300) for n in range(200)]  # ~900 bytes each
    title, body = format_digest(drafts)
    assert len((title + "\n" + body).encode()) <= MAX_MESSAGE_BYTES
    shown = body.count("\n   来源：")
    assert 10 < shown < 200 and body.endswith(f"…另有{200 - shown}条") and title == "投资项目提醒：200条"
    single_title, single_body = format_digest([replace(draft("big", 1), body="长" * 10_000)], max_bytes=1000)
    assert len((single_title + "\n" + single_body).encode()) <= 1000 and single_body.endswith("…")


def test_pack_messages_urgent_alone_first_then_digests_that_lose_nothing() -> None:
    drafts = [replace(draft("big", n), body="来源：" + "长" * 300) for n in range(60)]
    drafts[7] = replace(drafts[7], urgent=True)
    drafts.append(draft("ops", 99))
    messages = pack_messages(drafts, max_bytes=12_000)
    assert messages[0] == Outgoing(drafts[7].title, drafts[7].body, urgent=True, items=(drafts[7],))
    digests = messages[1:]
    assert len(digests) >= 4 and not any(m.urgent for m in digests)
    parts = len(digests)
    assert [m.title.rsplit("（", 1)[1] for m in digests] == [f"{n}/{parts}）" for n in range(1, parts + 1)]
    assert all(len((m.title + "\n" + m.body).encode()) <= 12_000 for m in messages)
    # every alert is carried by exactly one message, and its text is in that message
    carried = [item for m in messages for item in m.items]
    assert sorted(carried, key=lambda d: d.key) == sorted(drafts, key=lambda d: d.key)
    for m in digests:
        assert all(item.title.removeprefix("【新项目】") in m.body for item in m.items)
        assert "另有" not in m.body
    assert messages[-1].items[-1] == drafts[-1]  # rules keep their first-seen order: ops comes last
    assert pack_messages([draft("big", 1)]) == [Outgoing("【新项目】项目1", "来源：http://x/1", False, (draft("big", 1),))]
    assert pack_messages([]) == []


def test_format_timeline() -> None:
    p = snapshot(
        milestones=(
            MilestoneView("reported", "started", "2023-03"),
            MilestoneView("reported", "signed", "2022-12-30"),
            MilestoneView("reported", "signed", "2023-01-05"),
            MilestoneView("expected", "in_production", "2024-Q4", "计划年底投产"),
            MilestoneView("expected", "signed", "2022", "计划签约"),  # reached already: not a plan any more
        )
    )
    assert format_timeline(p) == ["进度：签约（2022-12-30） → 开工（2023-03）", "计划：投产（2024-Q4）"]
    title, body = format_alert(replace(p, is_expansion=True), "新项目")
    assert title.startswith("【新项目】中创新航动力电池及储能系统江门基地项目（增资扩产） | 200亿元")
    assert body.splitlines()[1:3] == format_timeline(p)


def test_digest_of_one_is_the_alert_itself() -> None:
    assert format_digest([draft("big", 9)]) == ("【新项目】项目9", "来源：http://x/9")
    with pytest.raises(ValueError):
        format_digest([])


@pytest.mark.parametrize("module", ["alerts.config", "alerts.health", "alerts.message", "alerts.periods", "alerts.redact"])
def test_module_doctests(module: str) -> None:
    # testpaths does not include alerts/, so its doctests run from here.
    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0


def test_alerts_import_no_database_or_orchestration() -> None:
    code = (
        "import sys, alerts.config, alerts.rules, alerts.message, alerts.send, alerts.health, alerts.periods; "
        "print(sorted(m for m in ('sqlalchemy', 'prefect', 'scrapy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
