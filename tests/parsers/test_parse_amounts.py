"""Amount rules: units, numerals, qualifiers, currencies, and what is not an investment."""

from __future__ import annotations

import pytest

from parsers.amounts import find_amounts, is_investment


@pytest.mark.parametrize(
    ("text", "yuan", "qualifier"),
    [
        ("总投资200亿元", 20_000_000_000, "exact"),
        ("投资17.67亿元", 1_767_000_000, "exact"),
        ("总投资100000万元", 1_000_000_000, "exact"),  # 万元
        ("投资额350000000元", 350_000_000, "exact"),  # plain 元
        ("计划投资超1661亿元", 166_100_000_000, "over"),  # 超
        ("投资逾百亿元", 10_000_000_000, "over"),  # 逾 + Chinese numeral without 一
        ("总投资三千五亿元", 350_000_000_000, "exact"),  # Chinese numeral
        ("投资十亿元", 1_000_000_000, "exact"),
        ("总投资约300亿元", 30_000_000_000, "about"),  # 约
        ("总投资1亿元左右", 100_000_000, "about"),  # 左右
        ("总投资额近113.4亿元", 11_340_000_000, "nearly"),  # 近
        ("投资不低于5亿元", 500_000_000, "at_least"),  # 不低于
        ("投资不少于2亿元", 200_000_000, "at_least"),  # 不少于
        ("总投资达34亿元", 3_400_000_000, "exact"),  # 达 = exact
        ("投资10亿元以上", 1_000_000_000, "over"),  # 以上
        ("总投资5000多亿", 500_000_000_000, "over"),  # 多, headline without 元
        ("總投資超317億元", None, None),  # traditional text is simplified before parsing (see test_article)
    ],
)
def test_amount_values(text: str, yuan: int | None, qualifier: str | None) -> None:
    found = find_amounts(text)
    if yuan is None:
        assert found == [] or found[0].yuan is None or "億" in text
        return
    assert [(a.yuan, a.qualifier) for a in found] == [(yuan, qualifier)]


@pytest.mark.parametrize("text", ["投资100亿美元", "总投资10亿美元", "投资6.2亿美元"])
def test_usd_is_not_yuan(text: str) -> None:
    (a,) = find_amounts(text)
    assert a.currency == "美元" and a.yuan is None


@pytest.mark.parametrize(
    "text",
    [
        "未来年产值可达6亿元",  # output value
        "达产后预计年产能不低于15亿元",  # capacity
        "推动年交易额超500亿元的华津项目落户",  # trade volume
        "实现税收约13.7亿元",  # taxes
        "预计年销售总额达246亿元",  # sales
        "争取地方政府新增专项债券176亿元",  # bonds
        "今年以来已实现开票销售60亿元",  # invoiced sales
        "当年计划投资27.9亿元",  # this year's planned spend
        "湘商回归到位资金121.1亿元",  # funds returned
    ],
)
def test_non_investment_amounts(text: str) -> None:
    amounts = find_amounts(text)
    assert amounts, text
    assert not any(is_investment(text, a, 0) for a in amounts)


def test_per_mu_rate_is_not_an_amount() -> None:
    (a,) = find_amounts("平均投资强度504.3万元/亩")
    assert a.per_unit and a.yuan is None


@pytest.mark.parametrize("text", ["17个项目", "现场设置三个圆形交流区", "一定要", "十分便捷"])
def test_counts_and_words_are_not_money(text: str) -> None:
    assert find_amounts(text) == []
