"""Partial dates of milestones (2023, 2023-03, 2023-Q1, 2023-H2, 2023-03-23) -> the last day of their period."""

from __future__ import annotations

import calendar
import re
from datetime import date

# By hand: the parser writes quarters and halves as "YYYY-Qn" / "YYYY-Hn", which no date library reads,
# and the question asked here ("when is this period over?") is not one dateutil or htmldate answers.
_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?:(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?|Q(?P<q>[1-4])|H(?P<h>[12])))?")


def period_end(partial: str | None) -> date | None:
    """The last day of the period a partial date names; None when it names none.

    The end, not the start: "计划3月投产" is only late once March is over, so a partial date never makes
    a project look late too early.

    >>> [period_end(p) for p in ("2023-03-23", "2023-03", "2024-02", "2023-Q1", "2023-H2", "2023")]
    [datetime.date(2023, 3, 23), datetime.date(2023, 3, 31), datetime.date(2024, 2, 29), datetime.date(2023, 3, 31), datetime.date(2023, 12, 31), datetime.date(2023, 12, 31)]
    >>> period_end("2023-Q4"), period_end("2023-H1")
    (datetime.date(2023, 12, 31), datetime.date(2023, 6, 30))
    >>> [period_end(p) for p in (None, "", "2023-13", "2023-02-30", "soon", "2023-Q5")]
    [None, None, None, None, None, None]
    """
    m = _PARTIAL.fullmatch((partial or "").strip())
    if m is None:
        return None
    year = int(m["y"])
    try:
        if m["q"]:
            month = 3 * int(m["q"])
        elif m["h"]:
            month = 6 * int(m["h"])
        elif m["m"]:
            month = int(m["m"])
            if m["d"]:
                return date(year, month, int(m["d"]))
        else:
            month = 12
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:  # month 13, 30 February, ...
        return None


def describe_period(partial: str) -> str:
    """A partial date in Chinese, for messages.

    >>> [describe_period(p) for p in ("2023", "2023-03", "2023-Q1", "2023-H2", "2023-03-23", "odd")]
    ['2023年', '2023年3月', '2023年第一季度', '2023年下半年', '2023年3月23日', 'odd']
    """
    m = _PARTIAL.fullmatch(partial.strip())
    if m is None:
        return partial
    year = m["y"]
    if m["q"]:
        return f"{year}年第{'一二三四'[int(m['q']) - 1]}季度"
    if m["h"]:
        return f"{year}年{'上下'[int(m['h']) - 1]}半年"
    if m["d"]:
        return f"{year}年{int(m['m'])}月{int(m['d'])}日"
    if m["m"]:
        return f"{year}年{int(m['m'])}月"
    return f"{year}年"
