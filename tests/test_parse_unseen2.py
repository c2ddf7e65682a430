"""Rules found by the hand-written unseen set (tests/data/unseen); each sentence is written for its rule."""

from __future__ import annotations

import pytest

from parsers import parse_article
from parsers.model import Project


def _projects(text: str, published: str | None = "2024-04-20") -> dict[str, Project]:
    return {p.name: p for p in parse_article(text, published).projects}


# 1. A total right after a tally (分会场开工项目68个,总投资426亿元) is the tally's, not the next project's.
@pytest.mark.parametrize(
    "text, name, yuan",
    [
        ("4月18日,北塘分会场开工项目68个,总投资426亿元,东湖锂电材料项目位列其中。", "东湖锂电材料项目", None),
        ("4月18日,北塘分会场开工项目37个,总投资165亿元,东湖锂电材料项目总投资56亿元。", "东湖锂电材料项目",
         5_600_000_000),
        ("4月18日,北塘区龙头企业,总投资24亿元,东湖锂电材料项目开工。", "东湖锂电材料项目", 2_400_000_000),
    ],
)
def test_total_after_a_tally_is_not_a_projects(text: str, name: str, yuan: int | None) -> None:
    assert _projects(text)[name].amount_yuan == yuan


# 2. A period word (一季度, 年度) before a zone name is no part of the zone's name.
@pytest.mark.parametrize(
    "text, place",
    [
        ("一季度,合川高新区新开工项目27个。东湖锂电材料项目开工。一季度高新区还签约项目15个。高新区负责人表示,高新区将再接再厉。",
         "高新区"),
    ],
)
def test_period_word_is_not_a_zone_prefix(text: str, place: str) -> None:
    from parsers.places import district_tokens, dominant_district

    assert not any(k.startswith(("季度", "年度")) for k in district_tokens(text))
    assert dominant_district(text) == place


# 3. A clause that is only a place and 的 (成都高新区的X项目) puts the project there.
@pytest.mark.parametrize(
    "text, name, place",
    [
        ("9月26日,全市重大项目集中开工。其中,青城高新区的芯河封装测试产业园项目总投资52亿元。", "芯河封装测试产业园项目",
         "青城高新区"),
        ("9月26日,全市重大项目集中开工,龙泉驿区的宏锐压铸件项目总投资18亿元。", "宏锐压铸件项目", "龙泉驿区"),
        ("9月26日,全市重大项目集中开工,总投资18亿元的宏锐压铸件项目开工。", "宏锐压铸件项目", None),
        ("9月26日,位于长丰县双墩镇的宏锐压铸件项目开工。", "宏锐压铸件项目", "长丰县双墩镇"),
    ],
)
def test_place_de_name(text: str, name: str, place: str | None) -> None:
    assert _projects(text)[name].location == place


# 4. Leads and categories are not projects: an intention (意向/磋商) with no stage, an origin category
#    (港资项目), a bare 建设项目, and cue verbs (选址/涉及) are not part of a name.
@pytest.mark.parametrize(
    "text, names",
    [
        ("6月11日,走访企业8家,其中意向投资额约20亿元的精工模具产业园项目已进入合同文本磋商阶段。", set()),
        ("现场,12家企业达成投资意向,涉及智联终端配套产业园、航港冷链物流基地等项目。", set()),
        ("签约项目中,港资项目占了近七成。", set()),
        ("工程建设项目审批时间压缩至60个工作日以内。", set()),
        ("9月20日,康宁制药平台项目签约,选址生物医药产业园二期。", {"康宁制药平台项目"}),
        # a signed project keeps its 初步意向 amount
        ("1月5日,隆泰硅能源基地项目签约落户园区,初步意向总投资超百亿元。", {"隆泰硅能源基地项目"}),
    ],
)
def test_leads_and_categories(text: str, names: set[str]) -> None:
    assert set(_projects(text)) == names


# 5. Batches: a period tally of a size class (一季度新开工亿元以上项目1268个) is a tally; promoted (推介) and
#    negotiated (洽谈) counts are leads.
@pytest.mark.parametrize(
    "text, got",
    [
        ("今年一季度,全省新开工亿元以上项目1268个,同比增长11.6%。", [(1268, None, ("started",))]),
        ("今年1至5月,全市累计签约亿元以上项目26个,进度偏慢。", [(26, None, ("signed",))]),
        ("6月11日,赴苏州开展招商,走访企业8家,洽谈项目5个,意向投资额约20亿元。", []),
        ("6月13日,举办线上推介会,推介重点项目32个,总投资规模超过300亿元。", []),
        ("推介会上,推介重点招商项目56个,总投资约860亿元。", []),
    ],
)
def test_period_tallies_and_leads(text: str, got: list[tuple[int | None, int | None, tuple[str, ...]]]) -> None:
    batches = parse_article(text, "2024-06-17").batches
    assert [(b.project_count, b.amount_yuan, b.stages) for b in batches] == got


# 6. An article about one dated event: a project it names with no stage of its own is one of the event's,
#    unless it only plans that stage (or is a lead).
@pytest.mark.parametrize(
    "text, name, stage",
    [
        ("9月26日,青城市重大项目集中开工活动举行,218个项目集中开工。\n从项目看,芯河封装测试产业园项目总投资52亿元,"
         "建成后年产值可达80亿元。", "芯河封装测试产业园项目", "started"),
        ("8月14日,青城开发区举行增资扩产项目集中签约仪式,5个项目集中签约。\n汇川公司投资6亿元的膜材料二期项目,"
         "计划今年10月开工建设。", "膜材料二期项目", "signed"),
        ("9月26日,青城市重大项目集中开工活动举行,218个项目集中开工。\n另外,芯河封装测试产业园项目计划明年开工。",
         "芯河封装测试产业园项目", None),
    ],
)
def test_stage_of_the_one_event(text: str, name: str, stage: str | None) -> None:
    assert _projects(text, "2024-09-27")[name].stage == stage


@pytest.mark.parametrize("text", ["芯河封装测试产业园项目开工。", "芯河测试生产线项目开工。"])
def test_testing_is_not_trial_production(text: str) -> None:
    (p,) = parse_article(text, "2024-09-27").projects
    assert p.stage == "started"


# 7. 人民币 between an amount and its 的-name; an amount opening the next ;-item (…追加投资8亿元,实施Y项目) is Y's.
@pytest.mark.parametrize(
    "text, want",
    [
        ("11月28日,总投资6.8亿元人民币的深港创新工场二期项目同步签约。", {"深港创新工场二期项目": 680_000_000}),
        ("8月14日,5个项目集中签约。其中,鑫泰纺织再投资12亿元,建设年产3万吨功能纤维二期项目;宝晟公司追加投资8亿元,"
         "实施精工模具扩建项目。", {"年产3万吨功能纤维二期项目": 1_200_000_000, "精工模具扩建项目": 800_000_000}),
    ],
)
def test_amount_wording(text: str, want: dict[str, int]) -> None:
    assert {n: p.amount_yuan for n, p in _projects(text, "2024-09-27").items()} == want
