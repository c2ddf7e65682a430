"""alerts.rules: the new_project threshold and filters, stable keys, deterministic output."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from pydantic import SecretStr

from alerts.config import AlertsConfig, Channel, NewProjectRule
from alerts.rules import ProjectSnapshot, evaluate_rules

TODAY = date(2024, 5, 10)


def project(project_id: int = 1, amount_yuan: int | None = 2_000_000_000, **fields: Any) -> ProjectSnapshot:
    base = ProjectSnapshot(
        project_id=project_id,
        name=f"项目{project_id}",
        amount_yuan=amount_yuan,
        amount_qualifier="exact",
        stage="started",
        city="江门市",
        district="江海区",
        location="江海区高新区",
        industry="新能源电池",
        first_seen=date(2024, 5, 1),
        article_urls=("http://www.jiangmen.gov.cn/a.html",),
    )
    return replace(base, **fields)


def config(**rule_fields: object) -> AlertsConfig:
    fields: dict[str, object] = {"kind": "new_project", "name": "big", "channels": ("local",)} | rule_fields
    return AlertsConfig(channels={"local": Channel(url=SecretStr("file"))}, rules=(NewProjectRule.model_validate(fields),))


@pytest.mark.parametrize(
    ("amount_yuan", "alerts"),
    [(1_000_000_000, True), (999_000_000, False), (999_999_999, False), (20_000_000_000, True), (None, False)],
)
def test_default_threshold_is_10yi_inclusive(amount_yuan: int | None, alerts: bool) -> None:
    drafts = evaluate_rules([project(7, amount_yuan)], AlertsConfig.default(), TODAY)
    assert [d.key for d in drafts] == (["big_new_project:7"] if alerts else [])


def test_draft_fields() -> None:
    (draft,) = evaluate_rules([project(42)], config(urgent=True, label="重大项目"), TODAY)
    assert (draft.key, draft.rule, draft.project_id, draft.channels, draft.urgent) == (
        "big:42",
        "big",
        42,
        ("local",),
        True,
    )
    assert draft.title == "【重大项目】项目42 | 20亿元 | 已开工 | 江门市江海区 江海区高新区"
    assert draft.body == "来源：http://www.jiangmen.gov.cn/a.html"


@pytest.mark.parametrize(
    ("rule_fields", "snapshot_fields", "alerts"),
    [
        ({"cities": ("江门",)}, {}, True),
        ({"cities": ("佛山",)}, {}, False),
        ({"cities": ("江门",)}, {"city": None}, False),
        ({"districts": ("江海区",)}, {}, True),
        ({"districts": ("蓬江区",)}, {}, False),
        ({"districts": ("高新区",)}, {"district": None}, True),  # location stands in for a missing district
        ({"industries": ("新能源", "储能")}, {}, True),
        ({"industries": ("食品",)}, {}, False),
        ({"stages": ("started", "signed")}, {}, True),
        ({"stages": ("in_production",)}, {}, False),
        ({"stages": ("signed",)}, {"stage": None}, False),
        ({"max_age_days": 9}, {}, True),  # first seen 2024-05-01, 9 days before TODAY
        ({"max_age_days": 8}, {}, False),
        ({"min_amount_yuan": "20亿元"}, {}, True),
        ({"min_amount_yuan": "20.01亿元"}, {}, False),
        ({"cities": ("江门",), "stages": ("started",), "industries": ("食品",)}, {}, False),  # filters combine with AND
        ({"expansions": True}, {}, False),
        ({"expansions": True}, {"is_expansion": True}, True),
        ({"expansions": False}, {"is_expansion": True}, False),
        ({"expansions": False}, {}, True),
    ],
)
def test_filters(rule_fields: dict[str, object], snapshot_fields: dict[str, Any], alerts: bool) -> None:
    drafts = evaluate_rules([project(3, **snapshot_fields)], config(**rule_fields), TODAY)
    assert len(drafts) == (1 if alerts else 0)


def test_keys_are_stable_and_output_is_deterministic() -> None:
    projects = [project(1, 1_500_000_000), project(2, 30_000_000_000), project(3, 1_500_000_000), project(4, 10)]
    first = evaluate_rules(projects, config(), TODAY)
    again = evaluate_rules(list(reversed(projects)), config(), TODAY)
    assert first == again
    assert [d.key for d in first] == ["big:2", "big:1", "big:3"]  # biggest first, then by id
    # The key does not depend on what the message says: a renamed project keeps its key.
    renamed = evaluate_rules([replace(projects[0], name="新名字")], config(), TODAY)
    assert renamed[0].key == "big:1" and renamed[0].title != first[1].title


def test_each_rule_alerts_once_per_project() -> None:
    rules = (
        NewProjectRule(kind="new_project", name="big", channels=("local",)),
        NewProjectRule(
            kind="new_project", name="jiangmen_any", min_amount_yuan=0, cities=("江门",), channels=("local",)
        ),
    )
    cfg = AlertsConfig(channels={"local": Channel(url=SecretStr("file"))}, rules=rules)
    drafts = evaluate_rules([project(5), project(5), project(6, 100_000_000)], cfg, TODAY)
    assert [d.key for d in drafts] == ["big:5", "jiangmen_any:5", "jiangmen_any:6"]
