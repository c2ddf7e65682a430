"""Project-name rules: heads, left boundaries, lists, list-style headings, generic phrases rejected."""

from __future__ import annotations

import pytest

from parsers.mentions import find_mentions, same_project
from parsers.name_lists import list_candidates
from parsers.names import head_candidates, is_plausible


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("投资30亿元的星河新材料产业园项目今天签约", ["星河新材料产业园项目"]),
        ("位于北湖区石门镇的东方精密轴承生产基地项目昨日动工", ["东方精密轴承生产基地项目"]),
        ("总投资12亿元的蓝海冷链物流园项目、总投资8亿元的青松医疗器械项目集中签约",
         ["蓝海冷链物流园项目", "青松医疗器械项目"]),
        ("白沙(光明)站综合交通枢纽一体化建设工程全面开工", ["白沙(光明)站综合交通枢纽一体化建设工程"]),
        ("恒远石化中下游及新材料项目落户", ["恒远石化中下游及新材料项目"]),  # 及 inside a name
        ("瑞丰集成电路封测总部项目(二期)开工", ["瑞丰集成电路封测总部项目(二期)"]),  # phase tail
    ],
)
def test_head_names(text: str, names: list[str]) -> None:
    assert [m.name for m in find_mentions(text)] == names


@pytest.mark.parametrize(
    "text",
    [
        "全市21个重大项目集中开工",  # a count of projects
        "紧紧抓住重大项目这根主线",  # a verb phrase + 重大项目
        "该项目计划年底投产",  # an anaphor
        "签约项目涵盖新材料领域",  # a category
        "吸引了一批优质项目落户",
        "新能源电池产业链上下游关联项目落户",
        "努力在超百亿元产业项目引进上实现突破",
        "既有投资超10亿元的“压舱石”项目",
        "今年计划新开工产业项目167个",
    ],
)
def test_generic_phrases_are_not_names(text: str) -> None:
    assert [m.name for m in find_mentions(text)] == []


def test_list_items_with_and_without_heads() -> None:
    text = "云帆·滨江智造港、灯塔汇、嘉合光电生产基地等项目均瞄准新兴产业"
    assert [m.name for m in list_candidates(text)] == ["云帆·滨江智造港", "灯塔汇", "嘉合光电生产基地"]
    # short company names alone are companies, not projects
    assert list_candidates("引进了华宝、优创、麦思特等优质项目") == []


def test_facility_list_before_stage() -> None:
    names = [m.name for m in list_candidates("今年,渝宁铁路、宁阳高铁北段全线动工")]
    assert names == ["渝宁铁路", "宁阳高铁北段"]


def test_bullet_profiles() -> None:
    text = "● 华远特种塑料改性项目\n\n项目介绍:计划总投资5亿元,落户高新区。\n\n项目进展:1月已开工建设"
    assert [m.name for m in find_mentions(text)] == ["华远特种塑料改性项目"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("星辰新航项目", "星辰新航80GWh储能电池江门基地项目", True),
        ("星辰新航江门基地项目", "星辰新航80GWh储能电池江门基地项目", True),
        ("沙田220千伏甲站输变电工程", "沙田220千伏乙站输变电工程", False),
        ("伊利华东液态奶生产基地项目", "伊利华东液态奶自产加工销售一体化基地", True),
        ("蓝海冷链物流园项目", "青松医疗器械项目", False),
    ],
)
def test_same_project(a: str, b: str, same: bool) -> None:
    assert same_project(a, b) is same


def test_plausibility_table() -> None:
    assert is_plausible("动力电池智能装备项目")
    assert not is_plausible("产业类项目")
    assert head_candidates("江门网驿产业园管理有限公司总经理") == []  # start of a company name
