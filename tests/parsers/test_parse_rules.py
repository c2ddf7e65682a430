"""Second-pass rules, each on a sentence written for it (not taken from any article)."""

from __future__ import annotations

from parsers import parse_article
from parsers.places import dominant_district


def _names(text: str, published: str | None = "2023-05-01") -> list[str]:
    return [p.name for p in parse_article(text, published).projects]


def test_district_stem_counts_towards_the_dominant_place() -> None:
    text = "云湖区今年签约项目多。云湖区开工。在云湖的企业纷纷扩产,云湖经济技术开发区又添新项目。"
    assert dominant_district(text) == "云湖区"


def test_kind_of_zone_is_not_a_district() -> None:
    # 石化区 (a petrochemical zone) and 区域 (region) are not district names.
    assert dominant_district("图为中石化区。走进石化区。石化区扩建。优化区域、优化区域、优化区域") is None


def test_place_opening_the_sentence_or_paragraph() -> None:
    p, = parse_article("在东岭经济开发区龙山村,总投资12亿元的长河精密轴承产业化项目的建设工地上一片繁忙。", "2023-04-01").projects
    assert p.location == "东岭经济开发区龙山村" and p.stage == "started"
    text = "在临江新区,数据中心建设热潮涌动。在云启临江数据中心项目施工现场,车辆往来不断,项目2月初开工。"
    p, = parse_article(text, "2023-04-01").projects
    assert p.location == "临江新区"


def test_company_lands_then_builds_the_project() -> None:
    text = "去年5月,华曜能源签约落户西塘经开区光伏产业园,计划总投资30亿元,建设N型高效光伏电池片项目。"
    p, = parse_article(text, "2022-03-01").projects
    assert p.location == "西塘经开区光伏产业园" and p.amount_yuan == 3_000_000_000


def test_plan_clause_does_not_take_the_next_clause_stage() -> None:
    text = "今年,全市还将开工建设东湖大桥,建成北站枢纽二期、南湾电厂三期等项目,加快推进城东医院等一批项目建设。"
    stages = {p.name: p.stage for p in parse_article(text, "2022-03-01").projects}
    assert stages["北站枢纽二期"] is None and stages["南湾电厂三期"] is None
    assert stages["城东医院"] == "started"  # 加快推进…建设 = under way


def test_plan_word_governs_its_whole_clause_chain() -> None:
    text = "总投资8亿元的星海家居博览中心已主体封顶,将在今年完成装修,实现项目开业运营。"
    p, = parse_article(text, "2022-02-10").projects
    assert p.stage == "capped"


def test_target_word_reaches_only_its_own_clause() -> None:
    text = ("锦程动力电池项目一期工程去年9月动工。企业紧盯年底投产目标,全力奔跑,一期厂区半年完成从破土动工到"
            "厂房主体结构封顶。")
    p, = parse_article(text, "2023-06-01").projects
    assert p.stage == "capped"


def test_build_into_is_a_description_not_completion() -> None:
    text = "此次开工的华达重型阀门生产车间项目将扩建一座厂房,建成数字化生产车间。"
    p, = parse_article(text, "2024-04-27").projects
    assert p.stage == "started"


def test_ji_joins_two_events() -> None:
    text = "3月30日,东川区举行一季度重大项目集中开竣工暨林峰智能装备二期项目开工仪式。"
    p, = parse_article(text, "2023-03-31").projects
    assert p.name == "林峰智能装备二期项目" and p.stage == "started"


def test_names_that_are_not_one_project() -> None:
    assert _names("签约仪式上,超过一半的项目来自苏州。苏州项目扎堆落户本区。") == []  # place + 项目
    assert _names("自原金沙广场项目陷入困境后,区里积极介入,推动项目重整。") == []  # former name
    assert _names("市城投集团举行“百城万企工程”启动仪式,首批项目集中开工。") == []  # a programme
    text = "青松日化新材料有限公司项目负责人表示,青松日化智能制造项目将于年底投产。"
    assert _names(text) == ["青松日化智能制造项目"]  # 项目负责人 is a person


def test_description_after_ni_jian_is_not_a_name() -> None:
    text = "星源动力电池生产基地项目总投资约120亿元,拟建年产30GWh动力电池生产基地。"
    assert _names(text) == ["星源动力电池生产基地项目"]


def test_name_with_deng_ji_is_not_cut() -> None:
    assert _names("宝华钢铁高等级汽车板工厂、东港油田群等重点项目相继建成投产。") == ["宝华钢铁高等级汽车板工厂", "东港油田群"]


def test_company_only_opening_the_name_is_not_the_investor() -> None:
    p, = parse_article("总投资820亿元的远航集团石化新材料项目签约落户。", "2020-11-06").projects
    assert p.investor is None
    p, = parse_article("总投资5亿元的泰丰集团项目签约。远航集团董事长出席。", "2020-11-06").projects
    assert p.investor == "泰丰集团"  # a plain "<company>项目"


def test_listed_counts_split_by_stage_with_a_shared_total() -> None:
    text = ("4月1日,全市举行重大项目集中开工竣工签约活动。全市共120个项目集中开工、60个项目集中竣工、"
            "60个项目集中签约,总投资超2000亿元。")
    facts = parse_article(text, "2022-04-01")
    top = facts.batches[0]
    assert (top.project_count, top.amount_yuan, top.amount_qualifier) == (None, 200_000_000_000, "over")
    subs = [(b.project_count, b.stages, b.amount_yuan) for b in facts.batches[1:]]
    assert subs == [(120, ("started",), None), (60, ("completed",), None), (60, ("signed",), None)]


def test_named_lists_with_equal_counts_are_two_splits() -> None:
    text = ("此次集中开竣工项目共16个,总投资60亿元。其中,集中开工青木光电二期、远山医疗器械等项目8个;"
            "集中竣工白鹭电子、长风新材料等项目8个。")
    facts = parse_article(text, "2023-03-31")
    assert [(b.project_count, b.stages) for b in facts.batches] == [
        (16, ("started",)), (8, ("started",)), (8, ("completed",))]


def test_stage_less_group_in_a_stage_list_is_kept() -> None:
    text = ("12月1日,全区增资扩产项目集中签约开工。这50个项目,包含10个签约项目、20个促开工项目、8个促进度项目"
            "和12个促投产项目,总投资200亿元。")
    counts = [b.project_count for b in parse_article(text, "2022-12-02").batches]
    assert 8 in counts and 10 in counts and 20 in counts


def test_company_leading_an_industry_is_not_the_investor() -> None:
    text = ("青川钢铁氢能竖炉项目、青川钢铁冷轧薄板工厂等重点项目相继建成投产。\n\n"
            "其中,钢铁产业以青川钢铁公司为龙头,年产值超500亿元。")
    assert {p.investor for p in parse_article(text, "2025-01-15").projects} == {None}
