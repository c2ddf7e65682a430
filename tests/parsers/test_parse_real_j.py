"""Name rules of round 9 (from `tune` errors), each with sentences written for the rule: an event phrase or a
count of kinds is no project name, 仅 before a name is the adverb, and 项目就签约9个 is a tally."""

from __future__ import annotations

import pytest

from parsers import parse_article


def names(text: str, published: str = "2024-05-10") -> list[str]:
    return [p.name for p in parse_article(text, published).projects]


@pytest.mark.parametrize("text", [
    # a county's joint start of four projects is the event, not a project
    "5月8日,我县及滨江产业园集中开工建设四项目,涵盖新材料、装备制造等领域。",
    "5月8日,我市集中签约六项目,总投资12亿元。",
])
def test_an_event_phrase_is_no_project(text: str) -> None:
    assert names(text) == []


def test_a_count_of_kinds_is_no_project() -> None:
    text = "今年全区计划实施城市建设和医疗卫生项目共六大类,年度计划投资30亿元。"
    assert names(text) == []


def test_only_before_a_name_is_the_adverb_and_a_tally_after_it_is_no_project() -> None:
    text = ("5月9日,滨江开发区签下12个投资项目。仅商贸物流中心项目就签约5个,包括总投资18亿元的华东钢材物流园、"
            "总投资15亿元的滨江国际采购中心。")
    found = names(text)
    assert not any("商贸物流中心项目" in n for n in found), found


def test_a_project_named_with_a_count_of_lines_still_stands() -> None:
    # the count rule is about 四项目 after a stage verb, not about figures inside a name
    text = "5月8日,恒通新材料年产3万吨两条生产线项目开工建设,总投资5亿元。"
    assert any("恒通新材料" in n for n in names(text))


@pytest.mark.parametrize("text", [
    "近年来,随着华能光伏、美辰氢能、嘉禾农业等项目的落户,本市逐步形成产业集群。",
    "近年来,随着华能光伏、美辰氢能、嘉禾农业等一大批高科技产业项目的落户,本市逐步形成产业集群。",
    "近年来,随着华能光伏、美辰氢能、嘉禾农业等一大批风能、光电、农业等高科技产业项目的落户,本市逐步形成产业集群。",
])
def test_firms_listed_before_the_projects_that_landed_are_projects(text: str) -> None:
    found = {p.name: p.stage for p in parse_article(text, "2024-05-10").projects}
    assert found == {"华能光伏": "signed", "美辰氢能": "signed", "嘉禾农业": "signed"}


@pytest.mark.parametrize("text", [
    "5月9日,市发改委、市商务局等部门负责人与企业签约代表座谈。",
    "在吸引了一批如德昌、优美科、麦克韦尔等优质项目后,园区继续招商。",
])
def test_offices_or_firms_without_a_reported_stage_are_no_list_of_projects(text: str) -> None:
    assert names(text) == []


def test_a_quoted_label_counting_the_list_calls_its_items_projects() -> None:
    text = "今年以来,滨江县狠抓招商引资。滨江抽水蓄能电站、滨清高速、青湖水库“三个百亿”项目加速落地推进。"
    assert sorted(names(text)) == sorted(["滨江抽水蓄能电站", "滨清高速", "青湖水库"])


def test_a_label_counting_something_else_lists_nothing() -> None:
    # two items, a label of three: the label counts something other than these
    text = "今年以来,滨江县狠抓招商引资。滨清高速、青湖水库“三个百亿”项目加速落地推进。"
    assert names(text) == []


def test_speeding_up_a_landing_reports_no_stage() -> None:
    text = "今年以来,滨江县狠抓招商引资。滨江抽水蓄能电站、滨清高速、青湖水库“三个百亿”项目加速落地推进。"
    assert {p.stage for p in parse_article(text, "2024-05-10").projects} == {None}
