"""Date rules: relative to the article date, with year rollover, quarters, halves and relative days."""

from __future__ import annotations

import pytest

from parsers.dates import Anchor, find_dates, period_year


@pytest.mark.parametrize(
    ("text", "published", "future", "expected"),
    [
        ("3月23日上午", "2023-04-10", False, "2023-03-23"),
        ("11月投产", "2023-02-01", False, "2022-11"),  # a reported month after the article month: last year
        ("计划3月投产", "2022-12-21", True, "2023-03"),  # a planned month before the article month: next year
        ("计划3月首线试生产", "2023-02", True, "2023-03"),
        ("一季度开工", "2023-02-01", True, "2023-Q1"),
        ("明年一季度开始正式投产", "2022-12-21", True, "2023-Q1"),
        ("明年下半年投产", "2022-06-01", True, "2023-H2"),
        ("预计2年后集中投产", "2021-03-10", True, "2023"),
        ("昨日", "2021-03-10", False, "2021-03-09"),
        ("昨日", "2021-03-01", False, "2021-02-28"),
        ("今日", "2022-12-21", False, "2022-12-21"),
        ("次日", "2022-12-31", False, "2023-01-01"),  # year rollover
        ("今年4月", "2023-06-01", False, "2023-04"),
        ("去年8月", "2023-02-01", False, "2022-08"),
        ("2022年1月26日", None, False, "2022-01-26"),
        ("3月23日", None, False, None),  # no anchor: cannot resolve
        ("今年4月", "2023", False, "2023-04"),  # partial anchor
    ],
)
def test_find_dates(text: str, published: str | None, future: bool, expected: str | None) -> None:
    found = find_dates(text, Anchor.parse(published), future=future)
    assert found and found[-1].value == expected


def test_periods_and_counts_are_not_months() -> None:
    assert [d.text for d in find_dates("12个月内", Anchor(2023))] == []
    assert period_year("1—11月,全市引进", Anchor(2022, 12, 21), 0, 9) == "2022"
    assert period_year("去年,全市引进", Anchor(2023, 2), 0, 7) == "2022"


@pytest.mark.parametrize("text", ["2023年2月30日开工", "9月35日开工", "今年4月31日签约", "上月31日投产"])
def test_an_impossible_day_gives_no_date(text: str) -> None:
    # the bench's garbled figures (79 月 35 日) once stored 2018-09-35, and the report's funnel then failed
    assert [d.value for d in find_dates(text, Anchor(2023, 5, 10))] == [None]


def test_a_month_glued_to_a_longer_figure_is_no_month() -> None:
    assert [d.text for d in find_dates("79月35日上午", Anchor(2023, 5, 10))] == []
    assert [d.value for d in find_dates("截至9月,12月5日开工", Anchor(2023, 12, 20))] == ["2023-09", "2023-12-05"]
