"""Money amounts: 亿元/万元/元, Arabic or Chinese numerals, qualifiers, and whether an amount is investment.

The figure itself is read here with a regex plus cn2an for Chinese numerals, not with
jionlp.ner.extract_money: that one reads "三个圆" as 3元 and "17个" as 8元, overruns spans ("45亿元，达") and
drops the qualifier words (超/约/近/不低于) we must keep, while every amount we need ends in 元 or 亿.

Ranges (5亿至10亿元, 3-5亿元, 5000万至1亿元): the labelling rules have no range field, and users want a figure
that is never too high, so a range is read as its lower bound with qualifier `at_least` ("not less than"),
and amount_text keeps the whole range as written. Thousands separators (12,500万元) are read as digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

from .text import finditer_from, last_of

# Unit multipliers (yuan per unit).
UNITS: dict[str, int] = {
    "万亿": 10**12,  # ten thousand 亿
    "亿": 10**8,  # hundred million
    "千万": 10**7,  # ten million
    "百万": 10**6,  # million
    "万": 10**4,  # ten thousand
    "": 1,
}

# Currencies that are not yuan: the amount is kept but amount_yuan stays null (dev README rule).
FOREIGN = ("美元", "港元", "港币", "欧元", "英镑", "日元", "澳元", "新加坡元", "韩元")

# Qualifier words written before the number.
PRE_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("不低于", "at_least"),  # not lower than
    ("不少于", "at_least"),  # not less than
    ("超过", "over"),  # more than
    ("逾", "over"),  # exceeding
    ("超", "over"),  # over
    ("近", "nearly"),  # nearly
    ("将近", "nearly"),  # almost
    ("约", "about"),  # about
    ("大约", "about"),
    ("达", "exact"),  # reaching: the figure itself
)
# Qualifier words written after the amount.
POST_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("以上", "over"),  # and above
    ("左右", "about"),  # around
    ("多", "over"),  # 5000多亿: more than
    ("余", "over"),  # 100余亿: more than
)

# Words that make the amount next to them something other than an investment.
NON_INVESTMENT = (
    "产值",  # output value
    "产能",  # capacity
    "营收",  # revenue
    "营业收入",
    "销售",  # sales
    "税",  # taxes
    "交易额",  # trade volume
    "增加值",  # value added
    "生产总值",  # GDP
    "GDP",
    "外资金额",  # FDI actually absorbed
    "债券",  # bonds
    "基金",  # funds
    "规模",  # industry scale
    "利润",  # profit
    "完成投资",  # money already spent in a period
    "完成固定资产投资",
    "捐",  # donations
    "补贴",  # subsidies
    "奖励",  # rewards
    "资金",  # funds in general (回归到位资金)
    "贷款",  # loans
    "融资",  # financing
    "授信",  # credit lines
    "出口",  # exports
    "进出口",
    "收入",  # income
    "销售总额",  # total sales
    "交易总额",
    "产值总额",
    "年度计划投资",  # this year's planned spend, not the projects' total
    "当年计划投资",
    "计划完成投资",
)
# Words that mark an investment amount.
INVESTMENT = (
    "总投资",  # total investment
    "投资总额",
    "投资总金额",
    "投资额",
    "计划投资",
    "投资",  # investment
    "耗资",  # spent on it (耗资近20亿元)
    "斥资",  # spent on it (斥资50亿元建设)
    "增资",  # capital increase
    "扩产",  # expansion
    "总额",  # total
    "金额",
    "总值",
)

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?)"
_AMOUNT = re.compile(
    rf"(?P<pre>不低于|不少于|超过|将近|大约|逾|超|近|(?<![签合预节])约|达)?"  # 签约10亿元: 约 of 签约, no qualifier
    rf"(?P<num>{_NUM})(?:(?P<unit1>亿|万)?元?\s*(?:至|到|-|—|~)\s*(?P<num2>\d+(?:\.\d+)?))?(?P<post1>多|余)?"
    rf"(?P<unit>万亿|亿|千万|百万|万)?"
    rf"(?P<cur>美元|港元|港币|欧元|英镑|日元|澳元|元)?"
    rf"(?P<post2>以上|左右)?"
)


# Every character an _AMOUNT match can start with (a qualifier word or a digit), for text.finditer_from.
_AMOUNT_FIRST = re.compile(rf"[不超将大逾近约达0-9{_CN_DIGITS}]")


@dataclass(frozen=True)
class Amount:
    """One money mention: value in the written currency, in yuan when the currency is yuan."""

    start: int
    end: int
    text: str
    value: Decimal  # in units of the currency (already multiplied by 万/亿)
    currency: str  # "元" or a foreign currency word
    qualifier: str
    per_unit: bool  # 万元/亩: a rate, not an amount

    @cached_property
    def yuan(self) -> int | None:
        """Integer yuan, None for foreign currencies or fractions of a yuan (computed once: read in many loops)."""
        if self.currency != "元" or self.per_unit:
            return None
        return int(self.value) if self.value == int(self.value) else None


def cn_number(s: str) -> Decimal | None:
    """A Chinese or Arabic numeral as a Decimal; handles 百/千 without a leading 一 (cn2an does not).

    >>> cn_number("三千五"), cn_number("百"), cn_number("17.67"), cn_number("二十"), cn_number("一千四百")
    (Decimal('3500'), Decimal('100'), Decimal('17.67'), Decimal('20'), Decimal('1400'))
    >>> cn_number("一定") is None
    True
    """
    if _ARABIC.fullmatch(s):
        return Decimal(s)
    if s in _CN_SINGLE:
        return _CN_SINGLE[s]
    return _cn_number(s)


# One Chinese digit is read from a table: cn2an costs ~0.5 ms per call, and 一个/两个 occur in every article.
_CN_SINGLE = {ch: Decimal(i) for i, ch in enumerate("零一二三四五六七八九")} | {
    "〇": Decimal(0), "两": Decimal(2), "十": Decimal(10), "百": Decimal(100), "千": Decimal(1000)}
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CN_NUMERAL = re.compile(rf"[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?")


@lru_cache(maxsize=1024)
def _cn_number(s: str) -> Decimal | None:
    # Cached: cn2an is slow and the same numerals (二十, 三千五) recur across articles.
    if not _CN_NUMERAL.fullmatch(s):
        return None
    if s[0] in "十百千":
        s = "一" + s
    import cn2an  # lazy: only Chinese numerals need it

    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


def find_amounts(work: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Money mentions in work[start:end] (a unit 元 is required, or 亿/万 right after an investment word).

    >>> [(a.text, a.yuan, a.qualifier) for a in find_amounts("计划总投资超1661亿元，投资100亿美元，三千五百万元左右")]
    [('超1661亿元', 166100000000, 'over'), ('100亿美元', None, 'exact'), ('三千五百万元左右', 35000000, 'about')]
    >>> [(a.yuan, a.per_unit) for a in find_amounts("投资强度504.3万元/亩")]
    [(None, True)]
    >>> [a.yuan for a in find_amounts("总投资5000多亿")], [a.yuan for a in find_amounts("17个项目")]
    ([500000000000], [])
    >>> [(a.yuan, a.qualifier) for a in find_amounts("逾百亿元")]
    [(10000000000, 'over')]
    >>> [(a.text, a.yuan, a.qualifier) for a in find_amounts("投资5亿至10亿元,投资3-5亿元,投资5000万元至1亿元")]
    [('5亿至10亿元', 500000000, 'at_least'), ('3-5亿元', 300000000, 'at_least'), ('5000万元至1亿元', 50000000, 'at_least')]
    >>> [(a.text, a.yuan) for a in find_amounts("总投资12,500万元,共3,5个")]
    [('12,500万元', 125000000)]
    """
    return list(_find_amounts(work, start, len(work) if end is None else end))


_FIND_AMOUNTS_RE1 = re.compile(r"[一二两三四五六七八九十]")


_PRE_QUALIFIER = dict(PRE_QUALIFIERS)
_POST_QUALIFIER = dict(POST_QUALIFIERS)


@lru_cache(maxsize=1)
def _find_amounts(work: str, start: int, end: int) -> tuple[Amount, ...]:
    # Cached for one text: batches and projects both read every amount of the same article (size 1, so a
    # benchmark that repeats texts gains nothing from it).
    out: list[Amount] = []
    for m in finditer_from(_AMOUNT, _AMOUNT_FIRST, work, start, end):
        cur = m.group("cur")
        unit = m.group("unit") or ""
        num = m.group("num")
        if not cur:
            if cur is None and m.end() < len(work) and work.startswith(FOREIGN, m.end()):
                continue
            # 亿 or 万 without 元: accept only right after an investment word (headlines: 总投资5000多亿).
            if unit not in ("亿", "万亿") or not _invest_word_before(work, m.start()):
                continue
            cur = "元"
        if num[0] in _CN_DIGITS and unit == "" and len(num) < 2:
            continue  # a lone 十元 / 两元 is never an investment figure
        if _FIND_AMOUNTS_RE1.fullmatch(num) and unit in ("万", "亿"):
            pass
        value = cn_number(num.replace(",", ""))
        if value is None:
            continue
        # A Chinese numeral may itself end in 万 (三千五百万): cn2an folded it already.
        # In a range the lower bound may carry its own unit (5000万至1亿元).
        value *= UNITS[m.group("unit1") or unit]
        qualifier = "exact"
        pre = m.group("pre")
        if pre:
            qualifier = _PRE_QUALIFIER[pre]
        post = m.group("post1") or m.group("post2")
        if post:
            qualifier = _POST_QUALIFIER[post]
        if m.group("pre") is None:
            # 超过/超 etc. may stand one word earlier: 投资超过 / 计划投资超
            qualifier = _qualifier_before(work, m.start(), qualifier)
        if m.group("num2"):
            qualifier = "at_least"  # a range: its lower bound (module docstring)
        per_unit = work.startswith("/", m.end()) or work.startswith("每", m.end())
        out.append(
            Amount(
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                value=value,
                currency=cur,
                qualifier=qualifier,
                per_unit=per_unit,
            )
        )
    return tuple(out)


def _invest_word_before(work: str, i: int) -> bool:
    before = work[max(0, i - 6) : i]
    return any(w in before for w in ("投资", "总额", "金额"))


def _qualifier_before(work: str, i: int, default: str) -> str:
    """`投资额超过` / `约为`: a qualifier separated from the number by a word."""
    before = work[max(0, i - 6) : i].removesuffix("人民币")  # 约合人民币20亿元
    if before.endswith(("约为", "约合")):
        return "about"
    return default


_IS_INVESTMENT_RE2 = re.compile(r"的?(?:投资额|投资|总投资)")


def is_investment(work: str, amount: Amount, clause_start: int) -> bool:
    """Whether an amount states an investment: the nearest keyword before it in its clause decides.

    >>> w = "总投资5亿元,年产值可达6亿元"
    >>> [is_investment(w, a, 0) for a in find_amounts(w)]
    [True, False]
    >>> w2 = "投资额1830亿元"
    >>> is_investment(w2, find_amounts(w2)[0], 0)
    True
    >>> w4 = "项目投资规模达50亿元,产业规模100亿元"
    >>> [is_investment(w4, a, w4.rfind(",", 0, a.start) + 1) for a in find_amounts(w4)]
    [True, False]
    >>> w3 = "项目投资总额:3.5亿元,年产值:8亿元"
    >>> [is_investment(w3, a, w3.rfind(":", 0, a.start) + 1) for a in find_amounts(w3)]
    [True, False]
    """
    if amount.per_unit:
        return False
    head = work[clause_start : amount.start].replace("投资规模", "投资总额")  # the size of an investment is one
    if clause_start > 0 and work[clause_start - 1] == ":" and not any(k in head for k in INVESTMENT):
        # 项目总投资:15亿元 / 投资总额:3.5亿元: the label before the colon says what the figure is.
        label_start = last_of(work, ",。;:\n", 0, clause_start - 1) + 1
        head = work[label_start : clause_start - 1] + head
    best_inv = max((head.rfind(k) + len(k) for k in INVESTMENT if k in head), default=-1)
    best_non = max((head.rfind(k) + len(k) for k in NON_INVESTMENT if k in head), default=-1)
    if best_non >= 0 and best_non >= best_inv:
        return False
    tail = work[amount.end : amount.end + 4]
    if tail.startswith(("的产值", "产值", "的年产值", "税收", "营收")):
        return False
    if _IS_INVESTMENT_RE2.match(work[amount.end : amount.end + 4]):
        return True  # 超1400亿元投资额: the keyword follows the figure
    return best_inv >= 0 or _bare_amount_ok(work, amount)


def _bare_amount_ok(work: str, amount: Amount) -> bool:
    """An amount with no keyword before it counts when it qualifies a project: `20亿元的X项目`, `X项目(20亿元)`."""
    after = work[amount.end : amount.end + 1]
    return after in ("的", ")", "、") or work[max(0, amount.start - 1) : amount.start] == "("
