"""Rules that must hold on wordings from other cities and sites; every sentence is written for its rule."""

from __future__ import annotations

import pytest

from parsers import parse_article
from parsers.model import Project


def _projects(text: str, published: str | None = "2024-06-12") -> dict[str, Project]:
    return {p.name: p for p in parse_article(text, published).projects}


# 1. The amount in the sentence after the one naming the project.
@pytest.mark.parametrize(
    "text, name, yuan",
    [
        ("5月8日,云岭光伏组件项目开工。项目总投资36亿元,主要建设组件生产线。", "云岭光伏组件项目", 3_600_000_000),
        ("5月8日,云岭光伏组件项目开工。据了解,项目总投资36亿元,建设期两年。", "云岭光伏组件项目", 3_600_000_000),
        ("5月8日,云岭光伏组件项目开工。\n项目计划总投资36亿元,主要建设组件生产线。", "云岭光伏组件项目", 3_600_000_000),
        ("5月8日,云岭光伏组件项目开工。其总投资36亿元,主要建设组件生产线。", "云岭光伏组件项目", 3_600_000_000),
        # Two projects named before: a bare 项目 could be either.
        ("5月8日,云岭光伏组件项目、北川储能电池项目开工。项目总投资36亿元。", "云岭光伏组件项目", None),
    ],
)
def test_amount_in_the_next_sentence(text: str, name: str, yuan: int | None) -> None:
    assert _projects(text)[name].amount_yuan == yuan


# 2. An amount written as the value of a field (总投资:15亿元), and numbered profile lists.
@pytest.mark.parametrize(
    "text, name, yuan",
    [
        ("5月8日,东港精密轴承扩建项目开工,项目投资总额:4.2亿元。", "东港精密轴承扩建项目", 420_000_000),
        ("东港精密轴承项目\n项目总投资:7亿元,建设地点:经开区,主要建设轴承生产线。", "东港精密轴承项目", 700_000_000),
        ("5月8日,东港精密轴承项目开工,年产值:7亿元。", "东港精密轴承项目", None),
    ],
)
def test_amount_after_a_colon(text: str, name: str, yuan: int | None) -> None:
    assert _projects(text)[name].amount_yuan == yuan


def test_numbered_profile_list() -> None:
    text = ("城南区二季度新开工项目简介\n一、明远光学镜头项目\n项目单位:明远光学有限公司\n建设地点:城南区滨江大道\n"
            "总投资:6.5亿元\n开工时间:2024年4月\n二、北辰传感器产业化项目\n项目单位:北辰传感有限公司\n"
            "建设地点:城南区青山科技园\n总投资:2.1亿元\n开工时间:2024年5月")
    got = _projects(text)
    assert set(got) == {"明远光学镜头项目", "北辰传感器产业化项目"}
    assert got["明远光学镜头项目"].amount_yuan == 650_000_000
    assert got["北辰传感器产业化项目"].amount_yuan == 210_000_000
    assert got["北辰传感器产业化项目"].stage_date == "2024-05"


# 3. A phase word inside the name is the name's; only one after the name marks a phase amount.
@pytest.mark.parametrize(
    "text, name, yuan, phases",
    [
        ("远华化工三期项目总投资90亿元,5月8日正式开工。", "远华化工三期项目", 9_000_000_000, []),
        ("5月8日,远华化工二期项目总投资90亿元,正式开工建设。", "远华化工二期项目", 9_000_000_000, []),
        ("5月8日,远华化工一期项目开工,总投资30亿元。", "远华化工一期项目", 3_000_000_000, []),
        ("5月8日,远华化工项目开工,总投资90亿元,其中一期投资30亿元。", "远华化工项目", 9_000_000_000,
         [3_000_000_000]),
        ("5月8日,远华化工项目开工,首期投资30亿元。", "远华化工项目", None, [3_000_000_000]),
    ],
)
def test_phase_word_in_the_name(text: str, name: str, yuan: int | None, phases: list[int]) -> None:
    p = _projects(text)[name]
    assert p.amount_yuan == yuan
    assert [x.amount_yuan for x in p.phase_amounts] == phases


@pytest.mark.parametrize("phase, expansion", [("一期", False), ("二期", True), ("六期", True), ("九期", True)])
def test_later_phases_are_expansions(phase: str, expansion: bool) -> None:
    p, = parse_article(f"5月8日,远华化工{phase}项目开工,总投资30亿元。", "2024-06-12").projects
    assert p.is_expansion is expansion


# 4. Any signed agreement (签署/签订 + up to 8 characters + 协议/合同/协议书) is a signing.
@pytest.mark.parametrize(
    "deal",
    ["签署投资协议", "签订投资合作协议", "签署战略合作协议", "签订增资扩产协议", "签订项目投资协议书", "签署了合作合同"],
)
def test_signed_agreement_is_a_signing(deal: str) -> None:
    text = f"5月8日,经开区与北斗新材料公司{deal},北斗碳纤维复合材料项目总投资18亿元。"
    p = _projects(text)["北斗碳纤维复合材料项目"]
    assert (p.stage, p.stage_date) == ("signed", "2024-05-08")


def test_planned_agreement_is_not_a_signing() -> None:
    p = _projects("北斗碳纤维复合材料项目总投资18亿元,双方拟于下月签订投资协议。")["北斗碳纤维复合材料项目"]
    assert p.stage is None


# 5. Headlines: a space separates phrases; a name never starts with an amount or a headline verb.
@pytest.mark.parametrize(
    "text, names",
    [
        ("嘉兴海宁 天盛锂电三期项目开工\n5月8日,天盛锂电隔膜三期项目在海宁开工,总投资60亿元。", {"天盛锂电隔膜三期项目"}),
        ("投资3亿美元 星野精密轴承项目落户昆山\n5月8日,星野精密轴承项目签约落户昆山开发区。", {"星野精密轴承项目"}),
        ("总投资3亿美元星野精密轴承项目落户昆山\n5月8日,星野精密轴承项目签约落户昆山开发区。", {"星野精密轴承项目"}),
        ("北辰科技增资5亿元扩产 滨湖再添高端制造项目\n5月8日,北辰科技与滨湖新区签约,建设北辰激光雷达扩产项目。",
         {"北辰激光雷达扩产项目"}),
    ],
)
def test_headline_phrases(text: str, names: set[str]) -> None:
    assert set(_projects(text)) == names


# 6. Verbs that are part of a noun phrase do not reject a name; a 的-clause before a subject name is a modifier.
@pytest.mark.parametrize(
    "name",
    ["省道218线提升改造工程", "城北老旧小区改造提升工程", "华信融资租赁区域总部项目", "市级应急物资保障基地项目",
     "城西更新行动项目", "滨江片区综合整治实施项目"],
)
def test_noun_phrase_verbs_keep_the_name(name: str) -> None:
    assert name in _projects(f"5月8日,{name}开工,总投资12亿元。")


@pytest.mark.parametrize("text", ["5月8日,不断提升项目服务水平。", "5月8日,保障项目建设用地。", "实施了项目攻坚。"])
def test_verbs_opening_a_phrase_are_not_names(text: str) -> None:
    assert _projects(text) == {}


def test_relative_clause_before_the_subject_name() -> None:
    assert "天禾储能电池项目" in _projects("5月8日,将打造华东最大储能基地的天禾储能电池项目正式开工。")
    assert _projects("公司将打造华东最大的储能基地,将建设年产5GWh的储能电池项目。") == {}


# 7. 要/将/拟 inside other words (主要, 重要, 将进一步) do not make a tally a plan.
@pytest.mark.parametrize(
    "tally, count",
    [
        ("签约的9个项目主要涉及生物医药、新材料等领域,总投资86亿元", 9),
        ("此次签约的9个项目将进一步完善产业链条,总投资86亿元", 9),
        ("重要项目9个现场签约,总投资86亿元", 9),
        ("全年将引进9个项目,总投资86亿元", None),
        ("另有9个项目拟于年内签约,总投资86亿元", None),
    ],
)
def test_plan_words_inside_other_words(tally: str, count: int | None) -> None:
    text = f"5月8日,西湾区举行招商引资项目集中签约仪式。{tally}。"
    batches = parse_article(text, "2024-06-12").batches
    assert batches[0].project_count == count


# 8. A condition (建成后 / 全部投产后) is not an event: no sub-batch from it.
@pytest.mark.parametrize(
    "after",
    ["8个项目全部建成投产后,预计可新增年产值200亿元。", "8个项目建成后,年产值可达200亿元。", "8个项目投产以后,可新增就业3000人。"],
)
def test_condition_is_not_a_batch(after: str) -> None:
    text = f"5月8日,西湾区举行重大项目集中开工活动,8个项目集中开工,总投资86亿元。{after}"
    batches = parse_article(text, "2024-06-12").batches
    assert [(b.project_count, b.stages) for b in batches] == [(8, ("started",))]


# 9. A bare day (17日) is in the article's month, or the month before when later than the article's day;
# 当天 is the day last written.
@pytest.mark.parametrize("published, date", [("2023-05-18", "2023-05-17"), ("2023-05-17", "2023-05-17"),
                                             ("2023-06-02", "2023-05-17")])
def test_bare_day_dates_the_event(published: str, date: str) -> None:
    text = "17日,西湾区举行重大项目集中开工活动,8个项目集中开工,总投资86亿元。"
    assert parse_article(text, published).batches[0].date == date


def test_same_day_refers_to_the_day_written() -> None:
    p, = parse_article("记者17日从西湾区获悉,天禾储能电池项目当天开工,总投资15亿元。", "2023-05-18").projects
    assert p.stage_date == "2023-05-17"


@pytest.mark.parametrize("text", ["项目需在30日内完成备案。", "每日产能达100吨。", "工期为15个工作日。", "展会于28—29日举办。"])
def test_day_counts_are_not_dates(text: str) -> None:
    from parsers.dates import Anchor, find_dates

    assert [d.text for d in find_dates(text, Anchor(2023, 5, 18)) if d.precision == "day"] == []


# 10. A list opened by 其中/分别为/包括 inherits the stage and date of the event sentence before it.
@pytest.mark.parametrize(
    "second",
    ["其中,天禾储能电池项目总投资15亿元;北辰传感器项目总投资6亿元。",
     "签约项目分别为:天禾储能电池项目,总投资15亿元;北辰传感器项目,总投资6亿元。",
     "项目包括:天禾储能电池项目,总投资15亿元;北辰传感器项目,总投资6亿元。"],
)
@pytest.mark.parametrize("sep", ["", "\n"])
def test_list_after_the_event_sentence(second: str, sep: str) -> None:
    text = f"5月8日,西湾区举行重大项目签约仪式,8个项目集中签约,总投资86亿元。{sep}{second}"
    got = _projects(text)
    for name in ("天禾储能电池项目", "北辰传感器项目"):
        assert (got[name].stage, got[name].stage_date) == ("signed", "2024-05-08")


def test_list_after_a_plain_sentence_inherits_nothing() -> None:
    text = "西湾区近年来大力发展新能源产业。\n其中,天禾储能电池项目总投资15亿元。"
    assert _projects(text)["天禾储能电池项目"].stage is None


# 11. The default district is a real district shape.
@pytest.mark.parametrize(
    "text, district",
    [
        ("苏州工业园区今年招商引资成效显著。苏州工业园区新签约项目多。项目在园区落地。苏州工业园区再添新项目。", "苏州工业园区"),
        ("东湖高新区招商。东湖高新区签约。项目选址园区北部。东湖高新区开工。", "东湖高新区"),
        ("项目在园区落地。选址园区东部。园区内企业多。园区再添新项目。", None),
    ],
)
def test_default_district_shape(text: str, district: str | None) -> None:
    from parsers.places import dominant_district

    assert dominant_district(text) == district


# 12. Plan words inside nouns (准备工作, 未来产业) or inside a clause describing the subject are not plans.
@pytest.mark.parametrize(
    "text",
    ["5月8日,在各方支持下,天禾储能电池项目提前完成准备工作并正式开工。",
     "5月8日,被誉为未来产业标杆的天禾储能电池项目开工。",
     "5月8日,将打造华东最大储能基地的天禾储能电池项目正式开工。"],
)
def test_plan_words_inside_nouns(text: str) -> None:
    p = _projects(text)["天禾储能电池项目"]
    assert (p.stage, p.stage_date, p.expected) == ("started", "2024-05-08", ())


def test_planned_equipment_installation_is_not_history() -> None:
    p = _projects("天禾储能电池项目去年6月开工建设,预计今年一季度进行设备安装。", "2025-01-08")["天禾储能电池项目"]
    assert [(h.stage, h.date) for h in p.stage_history] == [("started", "2024-06")]


def test_plan_still_governs_its_own_verb() -> None:
    p = _projects("天禾储能电池项目将在现有厂区的基础上开工建设。")["天禾储能电池项目"]
    assert p.stage is None and [e.stage for e in p.expected] == ["started"]


# 13. 的 after a lone character opening the phrase is part of a brand; after a clause it is a cut.
@pytest.mark.parametrize(
    "text, name",
    [
        ("5月8日,美的集团在佛山举行美的智能家电产业园项目签约仪式。", "美的智能家电产业园项目"),
        ("5月8日,正在建设的天禾储能电池项目进展顺利,总投资15亿元。", "天禾储能电池项目"),
        ("5月8日,投资达10亿美元级的天禾储能电池项目开工。", "天禾储能电池项目"),
    ],
)
def test_de_in_names(text: str, name: str) -> None:
    assert name in _projects(text)


def test_item_with_its_own_signing_verb_in_a_colon_list() -> None:
    text = ("5月8日,西湾区重大项目集中签约仪式举行,共签约项目2个。\n签约项目分别为:天禾储能电池项目,总投资15亿元;"
            "北辰传感器项目,总投资6亿元,落户西湾工业园。")
    p = _projects(text)["北辰传感器项目"]
    assert (p.stage, p.stage_date) == ("signed", "2024-05-08")


def test_headline_name_with_a_place_stem_merges_with_the_body_name() -> None:
    text = ("安吉年产20万台智能割草机器人项目开工\n5月8日,浙江天禾智能装备有限公司年产20万台智能割草机器人项目在安吉县"
            "递铺街道开工,总投资5亿元。")
    assert list(_projects(text)) == ["浙江天禾智能装备有限公司年产20万台智能割草机器人项目"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("合肥新站区　京东方第8.5代线二期项目开工\n5月8日,京东方第8.5代线二期项目在新站区开工,总投资90亿元。",
         "京东方第8.5代线二期项目"),
        ("5月8日,华为云数据中心项目签约落户贵安新区,总投资100亿元。", "华为云数据中心项目"),
        ("5月8日,区领导为天禾储能电池项目揭牌,项目总投资15亿元。", "天禾储能电池项目"),
    ],
)
def test_more_name_boundaries(text: str, name: str) -> None:
    assert name in _projects(text)


@pytest.mark.parametrize(
    "second, place",
    [("项目位于宁海经济开发区,总投资约30亿元。", "宁海经济开发区"), ("该项目落户城东工业园,总投资约30亿元。", "城东工业园"),
     ("北辰传感器项目位于宁海经济开发区。", None)],
)
def test_place_in_the_next_sentence(second: str, place: str | None) -> None:
    text = f"5月8日,天禾储能电池项目开工。\n{second}"
    assert _projects(text)["天禾储能电池项目"].location == place


@pytest.mark.parametrize(
    "text, place",
    [("5月7日,天禾储能电池项目昨日在滨江开发区开工,总投资15亿元。", "滨江开发区"),
     ("天禾储能电池项目\n项目总投资:15亿元,建设地点:城南工业园,主要建设电池生产线。", "城南工业园")],
)
def test_more_place_cues(text: str, place: str) -> None:
    assert _projects(text)["天禾储能电池项目"].location == place


def test_investment_scale_is_an_investment() -> None:
    p = _projects("5月8日,天禾储能电池项目开工,项目投资规模达50亿元。")["天禾储能电池项目"]
    assert (p.amount_yuan, p.amount_text) == (5_000_000_000, "投资规模达50亿元")


@pytest.mark.parametrize("when, date", [("本月10日", "2024-06-10"), ("上月28日", "2024-05-28")])
def test_month_relative_days(when: str, date: str) -> None:
    text = f"{when},西湾区举行重大项目集中开工活动,8个项目集中开工,总投资86亿元。"
    assert parse_article(text, "2024-06-12").batches[0].date == date


def test_next_sentence_after_a_batch_is_not_one_projects() -> None:
    text = "5月8日,天禾储能电池项目等5个项目集中开工。项目总投资120亿元。"
    assert _projects(text)["天禾储能电池项目"].amount_yuan is None


# A reporting verb before 项目 (宣布项目开工, 见证项目签约) names no project.
@pytest.mark.parametrize(
    "text",
    [
        "3月28日,临江县举行重点项目集中开工活动,县委主要负责同志出席活动并宣布项目开工。",
        "与会领导共同见证项目签约,并观摩项目现场。",
    ],
)
def test_reporting_verbs_name_no_project(text: str) -> None:
    assert _projects(text) == {}
