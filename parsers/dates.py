"""Dates written in articles, resolved against the article's own (possibly partial) date into ISO partials.

Written by hand rather than with jionlp.parse_time: that raises on a bare month (计划3月投产), reads 1-2月 as
2 January and moves future dates a year too far (../shared/DEPENDENCIES.md), and every stage date here is
a bare month, a day of a month, a quarter or a relative day.
"""

from __future__ import annotations

import calendar  # month lengths only; no clock is read
import re
from dataclasses import dataclass

from .text import finditer_from

_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


_ANCHOR_RE1 = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class Anchor:
    """The article's date, as far as it is known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, published: str | None) -> Anchor:
        """Read "2022-12-21", "2022-12", "2022" or None.

        >>> Anchor.parse("2022-12")
        Anchor(year=2022, month=12, day=None)
        >>> Anchor.parse(None)
        Anchor(year=None, month=None, day=None)
        """
        if not published:
            return cls()
        m = _ANCHOR_RE1.match(published.strip())
        if not m:
            return cls()
        return cls(int(m.group(1)), _int(m.group(2)), _int(m.group(3)))

    def iso(self) -> str | None:
        return _iso(self.year, self.month, self.day)

    def shift_days(self, days: int) -> str | None:
        """The anchor moved by whole days (昨日 = -1), or the anchor's partial when no day is known.

        >>> Anchor(2021, 3, 10).shift_days(-1), Anchor(2021, 3, 1).shift_days(-1), Anchor(2021, 3).shift_days(-1)
        ('2021-03-09', '2021-02-28', '2021-03')
        """
        if self.year is None or self.month is None or self.day is None:
            return self.iso()
        import datetime as _dt  # date arithmetic only; no clock is read

        try:
            d = _dt.date(self.year, self.month, self.day) + _dt.timedelta(days=days)
        except ValueError:  # an impossible published date (2023-02-30): keep what is known
            return _iso(self.year, self.month)
        return d.isoformat()


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    if y is None:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None  # an impossible month (a garbled published date): no date
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None  # 9月35日 (a typo, or figures garbled by a page): no date rather than an impossible one
    return f"{y:04d}-{m:02d}-{d:02d}"


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN_SMALL[s[1]]
    if len(s) == 2 and s[1] == "十":
        return _CN_SMALL[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return _CN_SMALL[s[0]] * 10 + _CN_SMALL[s[2]]
    return _CN_SMALL[s]


_Q = "[一二三四1-4]"
_DATE = re.compile(
    rf"(?P<q>(?:(?P<qy>(?:19|20)\d{{2}})年|(?P<qrel>今年|明年|去年))?(?:第)?(?P<qn>{_Q})季度)"
    r"|(?P<h>(?:(?P<hy>(?:19|20)\d{2})年|(?P<hrel>今年|明年|去年))?(?P<hn>上|下)半年)|"
    r"(?P<ymd>(?P<y>(?:19|20)\d{2})年(?:(?P<m>1[0-2]|0?[1-9])月(?:份)?(?:(?P<d>[1-3]?\d)日)?)?)"
    r"|(?P<rely>今年|去年|明年|前年|当年|同年|次年)(?:(?P<rm>1[0-2]|0?[1-9])月(?:份)?(?:(?P<rd>[1-3]?\d)日)?)?"
    r"|(?P<md>(?<!\d)(?P<m2>1[0-2]|0?[1-9])月(?:份)?(?:(?P<d2>[1-3]?\d)日)?)"
    r"|(?P<rel>今日|今天|当天|当日|昨日|昨天|前天|次日|明天|明日|日前|近日|同日|同一天)"
    r"|(?P<relm>本月|当月|上月|上个月)(?P<relmd>[1-3]?\d)日"
    r"|(?P<bday>(?<![\d月年个第每—\-~至到.])(?P<bd>[1-3]?\d)日(?![内前后起以至到—\-~]))"
    r"|(?P<after>(?:预计)?(?P<an>\d+|[一二两三四五六七八九十])年后)"
    r"|(?P<yearend>(?<![\d一二两三四五六七八九十])(?:年底|年末|年初|年内))"
)
# Every character a _DATE match can start with. The alternation has no literal prefix, so the regex engine
# tries all branches at every position (~0.5 µs per character); jumping between these characters first
# makes find_dates ~10x cheaper with the same matches (lookbehinds still see the text before `pos`).
# Each first character also checks what a match must go on with (a figure its 年/月/日/季, 今 its 年/日/天…).
# (The leading class lets the engine skip every other character without trying the branches.)
_DATE_FIRST = re.compile(
    r"[0-9一二三四五六七八九十两第上下今明去前当昨次日近同本预年]"
    r"(?:(?<=[0-9])(?=\d*[年月日季])|(?<=[一二三四五六七八九十两])(?=[季年])|(?<=第)(?=[一二三四1-4]季)"
    r"|(?<=上)(?=半|个?月)|(?<=下)(?=半)|(?<=今)(?=[年日天])|(?<=明)(?=[年天日])|(?<=去)(?=年)|(?<=前)(?=[年天])"
    r"|(?<=当)(?=[年天日月])|(?<=昨)(?=[日天])|(?<=次)(?=[年日])|(?<=日)(?=前)|(?<=近)(?=日)|(?<=同)(?=[年日]|一天)"
    r"|(?<=本)(?=月)|(?<=预)(?=计)|(?<=年)(?=[底末初内]))"
)


def _date_matches(work: str, start: int, end: int) -> list[re.Match[str]]:
    """Exactly what `_DATE.finditer(work, start, end)` yields (no _DATE match is empty)."""
    return finditer_from(_DATE, _DATE_FIRST, work, start, end)


_REL_YEAR = {"今年": 0, "当年": 0, "去年": -1, "前年": -2, "明年": 1}
_REL_DAY = {"今日": 0, "今天": 0, "当天": 0, "当日": 0, "昨日": -1, "昨天": -1, "前天": -2, "次日": 1,
            "明天": 1, "明日": 1}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str | None  # ISO partial, "YYYY-Qn" or "YYYY-Hn"; None when the anchor is missing
    precision: str  # "day", "month", "quarter", "half", "year", "relative_day", "vague"


def find_dates(work: str, anchor: Anchor, start: int = 0, end: int | None = None,
               *, future: bool = False) -> list[DateMention]:
    """Date expressions in work[start:end], resolved against the article date.

    `future` says the date is a plan: a month earlier than the article's month then means next year.

    >>> a = Anchor(2022, 12, 21)
    >>> [(d.text, d.value) for d in find_dates("1月26日签约,今年1月份开工,明年一季度投产", a)]
    [('1月26日', '2022-01-26'), ('今年1月份', '2022-01'), ('明年一季度', '2023-Q1')]
    >>> [d.value for d in find_dates("计划3月首线试生产", Anchor(2023, 2), future=True)]
    ['2023-03']
    >>> [d.value for d in find_dates("计划3月投产", Anchor(2022, 12), future=True)]
    ['2023-03']
    >>> [d.value for d in find_dates("昨日,全市举行", Anchor(2021, 3, 10))]
    ['2021-03-09']
    >>> [d.value for d in find_dates("预计2年后集中投产", Anchor(2021, 3, 10))]
    ['2023']
    >>> [d.value for d in find_dates("11月投产", Anchor(2023, 2), future=False)]
    ['2022-11']
    >>> [d.value for d in find_dates("3月23日开工", Anchor())]
    [None]
    >>> [d.value for d in find_dates("2022年6月签约,同年10月开工,次年3月投产", Anchor(2023, 11, 9))]
    ['2022-06', '2022-10', '2023-03']
    >>> [d.value for d in find_dates("8月18日开工。同日,另一项目签约", Anchor(2023, 8, 21))]
    ['2023-08-18', '2023-08-18']
    """
    end = len(work) if end is None else end
    out: list[DateMention] = []
    for m in _date_matches(work, start, end):
        g = m.group
        value: str | None
        if g("ymd"):
            value, prec = _iso(int(g("y")), _int(g("m")), _int(g("d"))), ("day" if g("d") else
                                                                         "month" if g("m") else "year")
            # "2023年" followed by a number or 第 is usually a label (2023年第一季度…活动): still a year.
        elif g("rely") in ("同年", "次年"):
            # 2022年6月签约,同年10月开工: the year last written before, else the article's year.
            base = _last_year_before(work, m.start(), anchor)
            y = None if base is None else base + (g("rely") == "次年")
            value = _iso(y, _int(g("rm")), _int(g("rd"))) if y is not None else None
            prec = "day" if g("rd") else "month" if g("rm") else "year"
        elif g("rely"):
            y = None if anchor.year is None else anchor.year + _REL_YEAR[g("rely")]
            value = _iso(y, _int(g("rm")), _int(g("rd"))) if y is not None else None
            prec = "day" if g("rd") else "month" if g("rm") else "year"
        elif g("md"):
            mo, d = int(g("m2")), _int(g("d2"))
            if _looks_like_range_or_count(work, m):
                continue
            y = _year_for_month(anchor, mo, future)
            value, prec = _iso(y, mo, d), ("day" if d else "month")
        elif g("q"):
            y = int(g("qy")) if g("qy") else (
                anchor.year + _REL_YEAR[g("qrel")] if g("qrel") and anchor.year is not None else anchor.year)
            n = _num(g("qn"))
            value, prec = (f"{y:04d}-Q{n}" if y is not None else None), "quarter"
        elif g("h"):
            y = int(g("hy")) if g("hy") else (
                anchor.year + _REL_YEAR[g("hrel")] if g("hrel") and anchor.year is not None else anchor.year)
            value, prec = (f"{y:04d}-H{1 if g('hn') == '上' else 2}" if y is not None else None), "half"
        elif g("rel"):
            word = g("rel")
            if word in ("同日", "同一天", "当天", "当日"):
                # the same day as the last full date written before it
                value, prec = _last_day_before(work, m.start(), anchor) or anchor.iso(), "relative_day"
            elif word in ("日前", "近日"):
                # "a few days ago": the article's own date is the one the text gives (gold rule: 日前 → published)
                value, prec = anchor.iso(), "relative_day"
            else:
                value, prec = anchor.shift_days(_REL_DAY[word]), "relative_day"
        elif g("relm"):
            # 本月10日 / 上月28日: a day of the article's month or the month before.
            value, prec = _month_day(anchor, -1 if g("relm").startswith("上") else 0, int(g("relmd"))), "day"
        elif g("bday"):
            # 17日,…: a day of the article's month, or of the month before when it is later than the article's day.
            value, prec = _bare_day(anchor, int(g("bd"))), "day"
            if value is None and anchor.year is not None:
                continue  # an impossible day (32日) or an article without a day: not a date we can place
        elif g("after"):
            value = None if anchor.year is None else _iso(anchor.year + _num(g("an")))
            prec = "year"
        else:
            value, prec = anchor.iso() if anchor.year is None else _iso(anchor.year), "year"
            if g("yearend") in ("年底", "年末", "年内", "年初"):
                value = _iso(anchor.year)
        out.append(DateMention(m.start(), m.end(), m.group(0), value, prec))
    return out


def _month_day(anchor: Anchor, shift: int, day: int) -> str | None:
    """Day `day` of the article's month moved by `shift` months.

    >>> _month_day(Anchor(2024, 1, 5), -1, 28), _month_day(Anchor(2024, 6, 12), 0, 10), _month_day(Anchor(2024), 0, 3)
    ('2023-12-28', '2024-06-10', None)
    """
    if anchor.year is None or anchor.month is None or not 1 <= day <= 31:
        return None
    k = anchor.year * 12 + anchor.month - 1 + shift
    return _iso(k // 12, k % 12 + 1, day)


def _bare_day(anchor: Anchor, day: int) -> str | None:
    """`17日` resolved against the article's date: this month when not after the article's day, else last month.

    >>> _bare_day(Anchor(2023, 5, 18), 17), _bare_day(Anchor(2023, 5, 18), 20), _bare_day(Anchor(2023, 1, 3), 28)
    ('2023-05-17', '2023-04-20', '2022-12-28')
    >>> _bare_day(Anchor(2023, 5), 17) is None, _bare_day(Anchor(2023, 3, 10), 31) is None  # 31 Feb
    (True, True)
    """
    if anchor.year is None or anchor.month is None or anchor.day is None or not 1 <= day <= 31:
        return None
    y, m = anchor.year, anchor.month
    if day > anchor.day:
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    if day > calendar.monthrange(y, m)[1]:
        return None
    return _iso(y, m, day)


_YEAR_WRITTEN = re.compile(r"((?:19|20)\d{2})年")


def _last_year_before(work: str, i: int, anchor: Anchor) -> int | None:
    """The last 4-digit year written in the 300 characters before i, else the article's year."""
    years = _YEAR_WRITTEN.findall(work, max(0, i - 300), i)
    return int(years[-1]) if years else anchor.year


def _last_day_before(work: str, i: int, anchor: Anchor) -> str | None:
    """The last day-precision date written in the 300 characters before i (同日 = that day)."""
    days = [d for d in find_dates(work, anchor, max(0, i - 300), i) if d.precision == "day" and d.value]
    return days[-1].value if days else None


_LOOKS_LIKE_RANGE_OR_COUNT_RE2 = re.compile(r"\d[—\-~至]$")


def _looks_like_range_or_count(work: str, m: re.Match[str]) -> bool:
    """`1—11月` or `12个月` are periods, not a month; `3月28—29日` is still a date."""
    before = work[max(0, m.start() - 2) : m.start()]
    after = work[m.end() : m.end() + 1]
    return bool(_LOOKS_LIKE_RANGE_OR_COUNT_RE2.match(before)) or before.endswith("个") or after == "个"


def _year_for_month(anchor: Anchor, month: int, future: bool) -> int | None:
    if anchor.year is None:
        return None
    if anchor.month is None:
        return anchor.year
    if future and month < anchor.month:
        return anchor.year + 1
    if not future and month > anchor.month:
        return anchor.year - 1
    return anchor.year


_PERIOD = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<a>1[0-2]|[1-9])\s*[—\-~至到]\s*(?P<b>1[0-2]|[1-9])月")


_PERIOD_YEAR_RE3 = re.compile(r"((?:19|20)\d{2})年")
_PERIOD_YEAR_RE4 = re.compile(r"\d{4}年第")
_PERIOD_YEAR_RE5 = re.compile(r"过去一年|去年")


def period_year(work: str, anchor: Anchor, start: int, end: int) -> str | None:
    """The narrowest partial date holding a period tally: `1—11月` of the article year -> "2022".

    >>> period_year("1—11月,全市引进", Anchor(2022, 12, 21), 0, 9)
    '2022'
    >>> period_year("2022年,全市引进", Anchor(2023), 0, 9)
    '2022'
    >>> period_year("去年,全市引进", Anchor(2023), 0, 7)
    '2022'
    >>> period_year("过去一年,我们抓招商。全年新签约项目612个", Anchor(2024), 11, 24)
    '2023'
    """
    seg = work[start:end]
    m = _PERIOD.search(seg)
    if m:
        return m.group("y") or _iso(anchor.year)
    m2 = _PERIOD_YEAR_RE3.search(seg)
    if m2 and not _PERIOD_YEAR_RE4.match(seg[m2.start():]):
        return m2.group(1)
    for word, delta in (("去年", -1), ("今年以来", 0), ("今年", 0), ("过去一年", -1), ("全年", 0)):
        if word in seg and anchor.year is not None:
            if word == "全年" and _PERIOD_YEAR_RE5.search(work[work.rfind("\n", 0, start) + 1 : start]):
                delta = -1  # 过去一年,我们…。全年新签约…: the whole year of a review is the past one
            return _iso(anchor.year + delta)
    return None
