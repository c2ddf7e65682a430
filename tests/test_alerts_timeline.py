"""alerts.rules over timelines built here with a fixed today: stage change, lagging milestones, source health."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

import alerts.rules
from alerts.config import AlertsConfig
from alerts.health import SourceRun, summarize_source_runs
from alerts.periods import period_end
from alerts.rules import MilestoneView, ProjectSnapshot, SourceHealth, evaluate_rules
from parsers.model import stage_rank

TODAY = date(2024, 5, 10)
URL = "http://www.jiangmen.gov.cn/zsxx/a.html"


def iso(d: date) -> str:
    return d.isoformat()


def reported(stage: str, when: str | None = None, **kw: Any) -> MilestoneView:
    return MilestoneView("reported", stage, when, kw.pop("text", f"{stage} reported"), kw.pop("url", URL), **kw)


def expected(stage: str, when: str | None, text: str = "计划投产") -> MilestoneView:
    return MilestoneView("expected", stage, when, text, "http://www.jiangmen.gov.cn/zsxx/plan.html")


def project(*milestones: MilestoneView, project_id: int = 1, **fields: Any) -> ProjectSnapshot:
    base = ProjectSnapshot(
        project_id=project_id,
        name="中创新航动力电池及储能系统江门基地项目",
        amount_yuan=20_000_000_000,
        amount_qualifier="exact",
        city="江门市",
        district="江海区",
        investor="中创新航",
        first_seen=date(2023, 1, 5),
        article_urls=(URL,),
        milestones=milestones,
    )
    # the project's own stage is the most advanced reported one, as storage keeps it
    last = max((m for m in milestones if m.kind == "reported"), key=lambda m: stage_rank(m.stage), default=None)
    if last is not None:
        base = replace(base, stage=last.stage, stage_date=last.date)
    return replace(base, **fields)


def config(*rules: dict[str, Any]) -> AlertsConfig:
    return AlertsConfig.model_validate(
        {"channels": {"local": "file", "ops": {"url": "file", "tags": ["ops"]}}, "rules": list(rules)}
    )


def keys(projects: list[ProjectSnapshot], *rules: dict[str, Any], **kw: Any) -> list[str]:
    return [d.key for d in evaluate_rules(projects, config(*rules), TODAY, **kw)]


# --- lagging_signed ------------------------------------------------------------------------------

SIGNED = {"name": "signed", "kind": "lagging_signed", "channels": ["local"]}  # days: 180


@pytest.mark.parametrize(
    ("case", "milestones", "fields", "due"),
    [
        ("181 days ago: due", [reported("signed", iso(TODAY - timedelta(181)))], {}, True),
        ("exactly 180 days: not yet", [reported("signed", iso(TODAY - timedelta(180)))], {}, False),
        ("last week: not yet", [reported("signed", "2024-05-03")], {}, False),
        # 2023-11 ends on 11-30, 162 days ago; its first day (191 days ago) would have been too early
        ("month: counted from its end", [reported("signed", "2023-11")], {}, False),
        ("quarter ended 223 days ago: due", [reported("signed", "2023-Q3")], {}, True),
        ("half ending 2023-12-31: not yet", [reported("signed", "2023-H2")], {}, False),
        ("year 2023: not yet", [reported("signed", "2023")], {}, False),
        ("year 2022: due", [reported("signed", "2022")], {}, True),
        ("started since: reported", [reported("signed", "2023-01-05"), reported("started", "2023-06")], {}, False),
        ("in production: reported", [reported("signed", "2023-01-05"), reported("in_production", None)], {}, False),
        ("project stage started, no milestone", [reported("signed", "2023-01-05")], {"stage": "started"}, False),
        ("undated: the article's date", [reported("signed", None, published_on=date(2023, 6, 1))], {}, True),
        ("undated, no article date: unknown", [reported("signed", None)], {}, False),
        ("no milestones, stage date only", [], {"stage": "signed", "stage_date": "2023-02"}, True),
        ("earliest signing counts", [reported("signed", "2024-04-01"), reported("signed", "2023-01-01")], {}, True),
        ("expected start does not count", [reported("signed", "2023-01"), expected("started", "2023-06")], {}, True),
        ("no signing at all", [expected("started", "2023-06")], {}, False),
    ],
)
def test_lagging_signed(case: str, milestones: list[MilestoneView], fields: dict[str, Any], due: bool) -> None:
    assert keys([project(*milestones, **fields)], SIGNED) == (["signed:1:signed-no-start"] if due else []), case


def test_lagging_signed_options_and_message() -> None:
    old = project(reported("signed", "2021-03-02"))
    assert keys([old], SIGNED) == ["signed:1:signed-no-start"]
    assert keys([old], SIGNED | {"max_overdue_days": 365}) == []  # history, not news
    assert keys([project(reported("signed", "2024-01-01"))], SIGNED | {"days": 90}) == ["signed:1:signed-no-start"]
    assert keys([project(reported("signed", "2021-03-02"))], SIGNED | {"min_amount_yuan": "300亿"}) == []
    (draft,) = evaluate_rules([project(reported("signed", "2023-Q3", url="http://x.cn/sign.html"))], config(SIGNED), TODAY)
    assert draft.title == "【签约未开工】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已签约（2023-Q3） | 江门市江海区"
    assert draft.body.splitlines()[:2] == [
        "签约：2023年第三季度，已223天未见开工报道（提醒期限180天）",
        "签约报道：http://x.cn/sign.html",
    ]
    assert "投资方：中创新航" in draft.body and f"来源：{URL}" in draft.body


# --- lagging_expected ----------------------------------------------------------------------------

LATE = {"name": "late", "kind": "lagging_expected", "channels": ["local"]}  # grace_days: 30


@pytest.mark.parametrize(
    ("case", "milestones", "due"),
    [
        ("month ended 40 days ago: due", [expected("in_production", "2024-03")], ["in_production-2024-03"]),
        ("month ends in grace: not yet", [expected("in_production", "2024-04")], []),
        ("exactly at grace: not yet", [expected("in_production", iso(TODAY - timedelta(30)))], []),
        ("one day after grace: due", [expected("in_production", iso(TODAY - timedelta(31)))], ["in_production-2024-04-09"]),
        ("quarter: due", [expected("started", "2024-Q1")], ["started-2024-Q1"]),
        ("quarter not over: not yet", [expected("started", "2024-Q2")], []),
        ("half: due", [expected("started", "2023-H2")], ["started-2023-H2"]),
        ("half not over: not yet", [expected("started", "2024-H1")], []),
        ("year: due", [expected("started", "2023")], ["started-2023"]),
        ("this year: not yet", [expected("started", "2024")], []),
        ("no date: nothing to be late against", [expected("started", None)], []),
        ("already reported", [expected("started", "2023-Q4"), reported("started", "2024-02-01")], []),
        ("a later stage reported", [expected("started", "2023-Q4"), reported("in_production", None)], []),
        ("reported late still counts", [expected("started", "2023-06"), reported("started", "2024-05-01")], []),
        ("an earlier stage is not enough", [expected("in_production", "2023-12"), reported("started", "2023-03")],
         ["in_production-2023-12"]),
        ("plan moved later: the new plan", [expected("started", "2023-06"), expected("started", "2024-06")], []),
        ("both plans overdue: the latest", [expected("started", "2023-06"), expected("started", "2024-01")],
         ["started-2024-01"]),
        ("two stages overdue", [expected("started", "2023-Q3"), expected("in_production", "2024-03")],
         ["started-2023-Q3", "in_production-2024-03"]),
        ("a reported milestone is no plan", [reported("signed", "2023-01")], []),
    ],
)
def test_lagging_expected(case: str, milestones: list[MilestoneView], due: list[str]) -> None:
    assert keys([project(*milestones)], LATE) == [f"late:1:expected-{d}" for d in due], case


def test_lagging_expected_project_stage_counts_without_milestones() -> None:
    p = replace(project(expected("started", "2023")), stage="capped")
    assert keys([p], LATE) == []


def test_lagging_expected_options() -> None:
    p = project(expected("started", "2022-Q1"), expected("in_production", "2024-03"))
    assert keys([p], LATE) == ["late:1:expected-started-2022-Q1", "late:1:expected-in_production-2024-03"]
    assert keys([p], LATE | {"stages": ["in_production"]}) == ["late:1:expected-in_production-2024-03"]
    assert keys([p], LATE | {"max_overdue_days": 365}) == ["late:1:expected-in_production-2024-03"]
    assert keys([p], LATE | {"grace_days": 40}) == ["late:1:expected-started-2022-Q1"]  # 03-31 + 40 = 05-10
    assert keys([p], LATE | {"grace_days": 0}) == keys([p], LATE)
    assert keys([p], LATE | {"cities": ["佛山"]}) == []


def test_lagging_expected_message_says_what_when_and_last_seen() -> None:
    p = project(
        reported("signed", "2023-01-05", url="http://x.cn/sign.html"),
        reported("started", "2023-06-18", url="http://x.cn/start.html"),
        expected("in_production", "2024-03", text="计划2024年3月建成投产"),
    )
    (draft,) = evaluate_rules([p], config(LATE), TODAY)
    assert draft.title == "【进度滞后】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已开工（2023-06-18） | 江门市江海区"
    assert draft.body.splitlines()[:4] == [
        "预期：投产，“计划2024年3月建成投产”，即2024年3月（2024-03-31前）",
        "已逾期40天，未见投产报道",
        "最近进展：已开工（2023-06-18） http://x.cn/start.html",
        "计划来源：http://www.jiangmen.gov.cn/zsxx/plan.html",
    ]
    nothing_seen = evaluate_rules([project(expected("started", "2023"), stage=None)], config(LATE), TODAY)
    assert "最近进展：未见报道" in nothing_seen[0].body


def test_already_sent_is_the_outbox_job_keys_are_stable() -> None:
    """The same timeline on a later day (or re-parsed, reordered) gives the same key, which the outbox sends once."""
    p = project(reported("signed", "2023-01"), expected("started", "2023-Q2"))
    first = evaluate_rules([p], config(LATE, SIGNED), TODAY)
    later = evaluate_rules([replace(p, milestones=p.milestones[::-1], name="改名")], config(LATE, SIGNED),
                           TODAY + timedelta(days=40))
    assert [d.key for d in first] == [d.key for d in later] == ["late:1:expected-started-2023-Q2",
                                                                "signed:1:signed-no-start"]
    assert first[0].body != later[0].body  # the text may change (days overdue); the key does not


# --- stage_change --------------------------------------------------------------------------------

PROGRESS = {"name": "progress", "kind": "stage_change", "channels": ["local"]}  # started, in_production


@pytest.mark.parametrize(
    ("case", "milestones", "rule", "due"),
    [
        ("started", [reported("signed", "2023-01"), reported("started", "2024-05-01")], {}, ["started"]),
        ("in production", [reported("in_production", "2024-05-01")], {}, ["in_production"]),
        ("signed only", [reported("signed", "2024-05-01")], {}, []),
        ("capped is not a listed stage", [reported("capped", "2024-05-01")], {}, []),
        ("listed stages", [reported("capped", "2024-05-01")], {"stages": ["capped"]}, ["capped"]),
        ("old news, no age limit", [reported("started", "2019-03")], {}, ["started"]),
        ("within max age", [reported("started", iso(TODAY - timedelta(30)))], {"max_age_days": 30}, ["started"]),
        ("past max age", [reported("started", iso(TODAY - timedelta(31)))], {"max_age_days": 30}, []),
        ("partial: end of month", [reported("started", "2024-04")], {"max_age_days": 10}, ["started"]),
        ("undated: article date", [reported("started", None, published_on=date(2024, 5, 2))], {"max_age_days": 30},
         ["started"]),
        ("undated: unknown is not recent", [reported("started", None)], {"max_age_days": 30}, []),
        ("too small", [reported("started", "2024-05-01")], {"min_amount_yuan": "300亿"}, []),
    ],
)
def test_stage_change(case: str, milestones: list[MilestoneView], rule: dict[str, Any], due: list[str]) -> None:
    assert keys([project(*milestones)], PROGRESS | rule) == [f"progress:1:{s}" for s in due], case


def test_stage_change_alerts_once_per_stage_and_says_what_happened() -> None:
    started = project(reported("signed", "2023-01-05"), reported("started", "2023-06-18", text="项目正式开工建设"))
    producing = project(*started.milestones, reported("in_production", "2024-05-06", text="一期正式投产"))
    (a,) = evaluate_rules([started], config(PROGRESS), TODAY)
    (b,) = evaluate_rules([producing], config(PROGRESS), TODAY)
    assert (a.key, b.key) == ("progress:1:started", "progress:1:in_production")
    assert b.title == "【项目进展】中创新航动力电池及储能系统江门基地项目 | 200亿元 | 已投产（2024-05-06） | 江门市江海区"
    assert b.body.splitlines() == [
        "进展：一期正式投产",
        "投资方：中创新航",
        "进度：签约（2023-01-05） → 开工（2023-06-18） → 投产（2024-05-06）",
        f"来源：{URL}",
    ]


# --- source_health -------------------------------------------------------------------------------

HEALTH = {"name": "health", "kind": "source_health", "tags": ["ops"]}


@pytest.mark.parametrize(
    ("health", "due"),
    [
        (SourceHealth("江门日报", silent_runs=3), ["health:source:江门日报:silent"]),
        (SourceHealth("江门日报", silent_runs=2), []),
        (SourceHealth("江门日报", failing_extractions=1), ["health:source:江门日报:extraction"]),
        (SourceHealth("江门日报", silent_runs=5, failing_extractions=2, since="2024-05-01"),
         ["health:source:江门日报:silent:2024-05-01", "health:source:江门日报:extraction:2024-05-01"]),
        (SourceHealth("江门日报", last_ok="2024-05-09"), []),
    ],
)
def test_source_health(health: SourceHealth, due: list[str]) -> None:
    assert keys([], HEALTH, sources_health=[health]) == due


def test_source_health_thresholds_channels_and_message() -> None:
    sick = SourceHealth("江门日报", silent_runs=4, last_ok="2024-05-01", last_error="HTTP 503: Service Unavailable",
                        since="2024-05-02")
    assert keys([], HEALTH | {"silent_runs": 5}, sources_health=[sick]) == []
    (draft,) = evaluate_rules([project(reported("signed", "2020"))], config(HEALTH), TODAY, sources_health=[sick])
    assert (draft.project_id, draft.channels, draft.rule) == (None, ("ops",), "health")
    assert draft.title == "【数据源异常】江门日报：连续4次运行未获取到内容"
    assert draft.body == "异常开始：2024-05-02\n最近正常：2024-05-01\n最近错误：HTTP 503: Service Unavailable"


# --- all kinds together --------------------------------------------------------------------------


def test_every_kind_in_one_evaluation_in_rule_order() -> None:
    big = project(reported("signed", "2023-01-05"), expected("started", "2023-Q2"), first_seen=date(2024, 5, 9))
    small = project(reported("started", "2024-05-01"), project_id=2, amount_yuan=50_000_000)
    rules: list[dict[str, Any]] = [
        {"name": "new", "kind": "new_project", "channels": ["local"], "urgent": True},
        PROGRESS,
        SIGNED,
        LATE,
        HEALTH | {"channels": ["local"]},
    ]
    drafts = evaluate_rules([small, big, big], config(*rules), TODAY, sources_health=[SourceHealth("a", 9)])
    assert [(d.key, d.channels, d.urgent) for d in drafts] == [
        ("new:1", ("local",), True),
        ("progress:2:started", ("local",), False),
        ("signed:1:signed-no-start", ("local",), False),
        ("late:1:expected-started-2023-Q2", ("local",), False),
        ("health:source:a:silent", ("local", "ops"), False),
    ]


def test_no_clock_inside_the_rules() -> None:
    """`today` comes in as an argument: nothing in the rules reads the clock."""
    source = inspect.getsource(alerts.rules) + inspect.getsource(alerts.rules.format_lagging_expected)
    assert "today()" not in source and "now(" not in source
    p = project(expected("started", "2024-Q1"))
    assert keys([p], LATE) == ["late:1:expected-started-2024-Q1"]
    assert evaluate_rules([p], config(LATE), date(2024, 4, 30)) == []  # 03-31 + 30 days: not late yet


@pytest.mark.parametrize(
    ("partial", "end"),
    [("2023-03", date(2023, 3, 31)), ("2023-Q1", date(2023, 3, 31)), ("2023-H2", date(2023, 12, 31)),
     ("2023", date(2023, 12, 31)), ("2024-02", date(2024, 2, 29)), ("2023-03-23", date(2023, 3, 23))],
)
def test_period_end(partial: str, end: date) -> None:
    assert period_end(partial) == end



# --- source runs -> SourceHealth -----------------------------------------------------------------


def _runs(source: str, *days: tuple[int, int, int]) -> list[SourceRun]:
    """(links_found, empty_extractions, day of May 2024) per run."""
    return [SourceRun(source, date(2024, 5, d), links_found=links, pages=links, empty_extractions=empty)
            for links, empty, d in days]


@pytest.mark.parametrize(
    ("days", "silent", "silent_since", "failing", "failing_since", "last_ok"),
    [
        ([(5, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 4)], 3, "2024-05-02", 0, None, "2024-05-01"),
        ([(0, 0, 2), (0, 0, 3), (4, 0, 4)], 0, None, 0, None, "2024-05-04"),  # recovered
        ([(0, 0, 1), (0, 0, 2)], 2, "2024-05-01", 0, None, None),  # never worked
        ([(5, 0, 1), (5, 2, 2), (5, 1, 3)], 0, None, 1, "2024-05-02", "2024-05-03"),
        ([(5, 2, 1), (5, 0, 2), (5, 3, 3)], 0, None, 3, "2024-05-03", "2024-05-03"),  # a new episode
        ([(5, 0, 4), (0, 0, 2), (0, 0, 3)], 0, None, 0, None, "2024-05-04"),  # order by day, not by input
    ],
)
def test_summarize_source_runs(days: list[tuple[int, int, int]], silent: int, silent_since: str | None,
                               failing: int, failing_since: str | None, last_ok: str | None) -> None:
    (h,) = summarize_source_runs(_runs("江门日报", *days))
    assert (h.silent_runs, h.silent_since, h.failing_extractions, h.failing_since, h.last_ok) == (
        silent, silent_since, failing, failing_since, last_ok)


def test_source_episodes_alert_once_each() -> None:
    """A silence alerts once however many runs it lasts; after a recovery a new silence alerts again."""
    first = _runs("江门日报", (5, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 4))
    longer = first + _runs("江门日报", (0, 0, 5))
    again = longer + _runs("江门日报", (6, 0, 6), (0, 0, 7), (0, 0, 8), (0, 0, 9))
    assert keys([], HEALTH, sources_health=summarize_source_runs(first)) == \
        keys([], HEALTH, sources_health=summarize_source_runs(longer)) == ["health:source:江门日报:silent:2024-05-02"]
    assert keys([], HEALTH, sources_health=summarize_source_runs(again)) == ["health:source:江门日报:silent:2024-05-07"]
    both = summarize_source_runs(_runs("a", (5, 1, 1), (0, 0, 2)) + _runs("b", (3, 2, 2)))
    assert [h.source for h in both] == ["a", "b"]
    assert keys([], HEALTH, sources_health=both) == ["health:source:b:extraction:2024-05-02"]


@pytest.mark.parametrize(
    ("health", "due"),
    [
        (SourceHealth("江门日报", unreachable_runs=2, silent_runs=3, unreachable_since="2024-05-02",
                      problem="every request failed for 2 runs: 12 × connection refused"),
         ["health:source:江门日报:unreachable:2024-05-02"]),  # not also "silent": same episode, less said
        (SourceHealth("江门日报", unreachable_runs=1, problem="every request failed: 1 × HTTP 503"), []),
        (SourceHealth("江门日报", list_failing_runs=3, list_failing_since="2024-05-01",
                      problem="list page failing for 3 runs: HTTP 503 (http://x/2.html)"),
         ["health:source:江门日报:list_failing:2024-05-01"]),
        (SourceHealth("江门日报", list_failing_runs=1), []),
    ],
)
def test_source_health_failing_requests_and_list_pages(health: SourceHealth, due: list[str]) -> None:
    assert keys([], HEALTH, sources_health=[health]) == due


def test_source_health_failure_message_names_the_cause() -> None:
    sick = SourceHealth("江门日报", unreachable_runs=3, unreachable_since="2024-05-02",
                        problem="every request failed for 3 runs: 12 × connection refused")
    (draft,) = evaluate_rules([], config(HEALTH | {"failing_runs": 3}), TODAY, sources_health=[sick])
    assert draft.title == "【数据源异常】江门日报：连续3次运行所有请求均失败"
    assert draft.body.splitlines()[:2] == ["原因：every request failed for 3 runs: 12 × connection refused",
                                           "异常开始：2024-05-02"]
    assert keys([], HEALTH | {"failing_runs": 4}, sources_health=[sick]) == []
