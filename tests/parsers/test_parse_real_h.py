"""Error classes (places, stages, names, batches) that part h of the real corpus (tune articles, first scored after
round 5) exposed, each with sentences written for the rule."""

from __future__ import annotations

import pytest

from parsers import parse_article


def places(text: str, published: str = "2024-05-10") -> dict[str, str | None]:
    return {p.name: p.location for p in parse_article(text, published).projects}


NAMES = ("华宇电机项目", "恒通纸业项目", "金穗米业项目")


@pytest.mark.parametrize(("text", "place"), [
    # a park's own event held in a firm's yard: the park is where its projects are
    ("7月13日上午,江北新材料产业园2024年第三季度重大项目竣工投产活动在恒达公司办公楼前广场举行,"
     "华宇电机项目、恒通纸业项目、金穗米业项目将在三季度陆续竣工投产。", "江北新材料产业园"),
    # a city's event at a firm's yard: the projects spread over the city, no place for them
    ("7月13日上午,江北市2024年第三季度重大项目竣工投产活动在恒达公司办公楼前广场举行,"
     "华宇电机项目、恒通纸业项目、金穗米业项目将在三季度陆续竣工投产。", None),
])
def test_a_zones_own_event_at_a_placeless_venue_is_the_zones(text: str, place: str | None) -> None:
    got = places(text)
    assert set(got) >= set(NAMES)
    assert {got[n] for n in NAMES} == {place}


def stages(text: str, published: str | None = None) -> dict[str, str | None]:
    # no publication date: 近日 dates nothing, so the opening tally is no dated event lending its stage
    return {p.name: p.stage for p in parse_article(text, published).projects}


@pytest.mark.parametrize(("text", "expected"), [
    # a start tally spelt out after 为, items separated by ;: every item started, the production tally's item in production
    ("近日,山阳县集中开工投产工业项目4个。\n开工项目3个,总投资5亿元,为华宇电机项目,计划总投资2亿元,将建设4万平方米厂房;恒通纸业项目,"
     "将建设生产线一条,投产后年产值3亿元;金穗米业项目,计划总投资1亿元。投产项目1个,为宏达石材项目,于今年8月建成,10月正式投产。",
     {"华宇电机项目": "started", "恒通纸业项目": "started", "金穗米业项目": "started", "宏达石材项目": "in_production"}),
    # a tally of no stage (储备项目) spelt out the same way gives its items none; the start tally after it does not reach back
    ("近日,山阳县集中开工工业项目1个。\n储备项目2个,总投资3亿元,为恒通纸业项目,投产后年产值3亿元;金穗米业项目,"
     "计划总投资1亿元。开工项目1个,为华宇电机项目,计划总投资2亿元。",
     {"恒通纸业项目": None, "金穗米业项目": None, "华宇电机项目": "started"}),
])
def test_a_stage_tally_spelt_out_after_为_gives_each_item_its_stage(text: str, expected: dict[str, str | None]) -> None:
    got = stages(text)
    assert {n: got.get(n, "missing") for n in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # named first in the start group, then in a 其中 sentence after the completion group: still started
    ("1月2日,山阳县集中开工、竣工重大项目5个,总投资12亿元。这些项目包括\n开工华宇电机项目、恒通纸业项目等3个项目,总投资9亿元;\n"
     "竣工金穗米业项目等2个项目,总投资3亿元。\n其中,华宇电机项目总投资5亿元,建成后预计实现年产值8亿元。",
     {"华宇电机项目": "started", "金穗米业项目": "completed"}),
    # named only in the 其中 sentence: it takes the event sentence's stage
    ("1月2日,山阳县集中竣工重大项目2个,总投资3亿元。\n其中,宏达石材项目总投资2亿元,主要生产石材。",
     {"宏达石材项目": "completed"}),
])
def test_a_其中_sentence_lends_its_stage_only_to_a_name_without_one(text: str, expected: dict[str, str | None]) -> None:
    got = {p.name: p.stage for p in parse_article(text, "2025-01-03").projects}
    assert {n: got.get(n, "missing") for n in expected} == expected


@pytest.mark.parametrize(("text", "kept", "dropped"), [
    # 两个X项目: a count of a kind of project, not one project's name
    ("3月5日,在江北高新区,华宇电机项目正式投产,两个新型建材项目也相继投产。", {"华宇电机项目"}, {"新型建材项目"}),
    # 希望各项目… / 力争项目早建成: an exhortation to all projects
    ("3月5日,华宇电机项目、恒通纸业项目集中开工。会议希望各项目投资方集中优势力量,力争项目早建成、早投产。",
     {"华宇电机项目", "恒通纸业项目"}, {"希望各项目", "力争项目", "各项目"}),
])
def test_counted_kinds_and_exhortations_are_not_projects(text: str, kept: set[str], dropped: set[str]) -> None:
    got = {p.name for p in parse_article(text, "2024-03-06").projects}
    assert kept <= got
    assert not dropped & got


@pytest.mark.parametrize(("text", "counts"), [
    # the ceremony's 3 projects are a batch; what the park 还将建成 is a plan
    ("7月13日,江北新材料产业园重大项目竣工投产活动举行,3个项目竣工投产。该园区还将建成华宇电机、恒通纸业等8个项目。", {3}),
    # 将于年内开工 after the count: a plan as well
    ("7月13日,江北新材料产业园重大项目竣工投产活动举行,3个项目竣工投产。另有8个项目将于年内开工。", {3}),
    # a reported start with no plan word stays a batch
    ("7月13日,江北新材料产业园重大项目竣工投产活动举行,3个项目竣工投产。当天还开工建设华宇电机、恒通纸业等8个项目。", {3, 8}),
])
def test_a_planned_verb_before_a_counted_list_makes_it_no_batch(text: str, counts: set[int]) -> None:
    got = {b.project_count for b in parse_article(text, "2024-07-14").batches}
    assert got == counts


def test_one_companys_products_joined_by_和_stay_one_name() -> None:
    text = ("8月5日,山阳县集中开工3个项目。这3个项目分别为:总投资1.5亿元的陕西华宇电机有限公司年产5万台电机项目;"
            "总投资1.25亿元的陕西恒通建材有限公司装配式钢结构和轻钢房屋项目;总投资8000万元的陕西金穗米业有限公司年加工小麦12万吨面粉项目。")
    got = {p.name: (p.amount_yuan, p.investor) for p in parse_article(text, "2024-08-06").projects}
    assert got["陕西恒通建材有限公司装配式钢结构和轻钢房屋项目"][0] == 125_000_000
    assert "轻钢房屋项目" not in got
    # the joined company is not lent to the next project as its investor
    assert got["陕西金穗米业有限公司年加工小麦12万吨面粉项目"][1] in (None, "陕西金穗米业有限公司")


@pytest.mark.parametrize("name", ["华宇电力百兆级光伏并网发电基地项目", "恒通集团跨境并购总部项目"])
def test_并_inside_a_word_does_not_cut_a_name(name: str) -> None:
    text = f"6月3日,山阳县集中开工3个项目。其中,陕西华宇集团投资6亿元的{name},投产后年销售收入8亿元。"
    assert name in {p.name for p in parse_article(text, "2024-06-04").projects}
