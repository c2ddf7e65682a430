"""Place rules that part i of the tune work (after round 6) added, each with sentences written for the rule:
a county-level city opening a project name, a zone opening a project name, and a stage sub-tally paragraph that
continues a county's tally from the paragraph before."""

from __future__ import annotations

import pytest

from parsers import parse_article


def places(text: str, published: str = "2024-05-10") -> dict[str, str | None]:
    return {p.name: p.location for p in parse_article(text, published).projects}


@pytest.mark.parametrize(("text", "name", "place"), [
    # a county-level city (县级市) opening the name is finer than the prefecture city of the article
    ("本报临川5月9日讯 临川市招商项目集中开工仪式在乐安市举行。上午9时,仪式在乐安市华宇电机项目现场举行,"
     "市领导为乐安市华宇电机项目奠基。", "乐安市华宇电机项目", None),
    ("本报德州5月9日讯 德州市招商项目集中开工仪式在禹城举行。上午9时,仪式在禹城市恒通纸业项目现场举行,"
     "市领导为禹城市恒通纸业项目奠基。", "禹城市恒通纸业项目", "禹城市"),
    # the prefecture city itself opening the name in its own article is only the article's place
    ("本报德州5月9日讯 德州市招商项目集中开工仪式举行。上午9时,仪式在德州市恒通纸业项目现场举行,"
     "市领导为德州市恒通纸业项目奠基。", "德州市恒通纸业项目", None),
])
def test_a_county_level_city_opening_a_name_is_its_place(text: str, name: str, place: str | None) -> None:
    assert places(text)[name] == place


@pytest.mark.parametrize(("text", "name", "place"), [
    # the first zone suffix closes the zone; 文旅区 after it is part of the project's own name
    ("6月30日,江北临港经济区凤凰文旅区项目签约,投资额为30亿元。", "江北临港经济区凤凰文旅区项目", "江北临港经济区"),
    ("8月19日,为山阳经济开发区恒通新材料科技有限公司年产6000吨石英管项目举行开工仪式。",
     "山阳经济开发区恒通新材料科技有限公司年产6000吨石英管项目", "山阳经济开发区"),
    # a bare zone word (新区, 园区) opens no place
    ("6月30日,新区凤凰文旅综合体项目签约,投资额为30亿元。", "新区凤凰文旅综合体项目", None),
])
def test_a_zone_opening_a_name_is_its_place(text: str, name: str, place: str | None) -> None:
    assert places(text)[name] == place


TALLY = ("近日,笔者从临川市2024年第1次工业项目集中开工仪式山阳县分会场获悉,山阳县集中开工和投产工业项目3个,总投资2.8亿元。\n"
         "{sub},总投资2.3亿元,为华宇电机有限公司年产5万台电机项目,计划总投资1.2亿元;恒通纸业有限公司年产3万吨纸品项目,"
         "计划总投资1.1亿元。投产项目1个,总投资0.5亿元,为金穗米业有限公司大米加工项目,于今年8月建成。")


@pytest.mark.parametrize(("sub", "place"), [
    ("开工项目2个", "山阳县"),  # a sub-tally with no place of its own continues the county's tally
    ("临川县开工项目2个", "临川县"),  # a sub-tally naming its own place is that place's
])
def test_a_sub_tally_paragraph_continues_the_tally_before_it(sub: str, place: str) -> None:
    got = places(TALLY.format(sub=sub))
    assert got["华宇电机有限公司年产5万台电机项目"] == place
    assert got["恒通纸业有限公司年产3万吨纸品项目"] == place


def investors(text: str) -> dict[str, str | None]:
    return {p.name: p.investor for p in parse_article(text, "2024-05-10").projects}


def test_a_verb_before_a_company_is_not_part_of_its_name() -> None:
    got = investors("这次集中开竣工活动,共有临川恒达新材料科技有限公司投资建设的年产9万吨硅钢项目开工。")
    assert got["年产9万吨硅钢项目"] == "临川恒达新材料科技有限公司"


def test_a_subsidiary_described_is_no_company_name() -> None:
    got = investors("华宇化纤在新疆成立的子公司投资建设的年产3万吨纤维素纤维项目开工。")
    assert not (got["年产3万吨纤维素纤维项目"] or "").endswith("子公司")


def stages(text: str, published: str | None = "2024-07-14") -> dict[str, str | None]:
    return {p.name: p.stage for p in parse_article(text, published).projects}


def test_a_group_of_firms_settling_lends_its_stage_to_the_list_after_it() -> None:
    got = stages("目前,在对口援助下,一批国内知名企业落户临川。\n其中,华宇集团投资6亿元的华宇电机生产基地项目,投产后可实现"
                 "年销售收入8000万元;恒通科技有限公司投资3.8亿元的恒通纸业项目,计划在明年4月建成投产。")
    assert got["华宇电机生产基地项目"] == "signed"
    assert got["恒通纸业项目"] == "signed"


def test_a_list_of_fields_after_covering_is_no_list_of_projects() -> None:
    text = ("7月13日,华宇电机项目、恒通纸业项目集中签约。本次签约项目涵盖锂电新材料、高性能导电材料、日用化工新材料等,"
            "2个项目总投资21亿元。")
    assert set(stages(text)) == {"华宇电机项目", "恒通纸业项目"}


PLANNED = ("7月13日上午,江北新材料产业园2024年第三季度重大项目竣工投产活动在恒达公司办公楼前广场举行,华宇电机项目、"
           "恒通纸业项目{verb}。\n本次竣工投产项目涵盖新材料等,2个项目总投资21亿元。其中,华宇电机项目达产后将成为最大的电机工厂。")


@pytest.mark.parametrize(("verb", "stage"), [
    ("将在三季度陆续竣工投产", None),  # the event is held; the projects' own clause plans the stage
    ("当天竣工投产", "in_production"),  # the projects' own clause reports it
])
def test_a_stage_the_names_own_clause_plans_is_not_the_events(verb: str, stage: str | None) -> None:
    got = stages(PLANNED.format(verb=verb))
    assert got["华宇电机项目"] == stage
    assert got["恒通纸业项目"] == stage


@pytest.mark.parametrize(("text", "kept", "dropped"), [
    # a kind of work written as a project, with no name of its own, is no project
    ("当天集中开工的项目中,既有产业链延伸项目,也有农产品深加工项目,其中华宇米业项目总投资3亿元。",
     {"华宇米业项目"}, {"产业链延伸项目", "农产品深加工项目"}),
    ("6月,产业发展项目、土地综合整治项目和改善环境服务项目在临川县集中开工,恒通纸业年产5万吨纸品深加工项目开工。",
     {"恒通纸业年产5万吨纸品深加工项目"}, {"产业发展项目", "土地综合整治项目", "改善环境服务项目"}),
])
def test_a_kind_of_work_is_no_project(text: str, kept: set[str], dropped: set[str]) -> None:
    names = {p.name for p in parse_article(text, "2024-06-10").projects}
    assert kept <= names
    assert not names & dropped


def batches(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(b.event_text, b.project_count, b.amount_yuan) for b in parse_article(text, "2024-05-10").batches]


def test_a_batch_restated_by_a_back_reference_or_a_rounded_total_is_one_batch() -> None:
    got = batches("5月9日,临川县2024年春季重点项目集中开工仪式举行,7个项目集中开工,总投资45亿元。这7个项目分别为:"
                  "总投资20.8亿元的华宇电机年产5万台电机项目、总投资8亿元的恒通纸业项目等。")
    assert [(c, a) for _, c, a in got if c == 7] == [(7, 4_500_000_000)]
    got = batches("5月9日,临川市招商项目集中签约仪式举行,总投资约43亿元的10个项目集中签约。集中签约的10个项目总投资42.95亿元,"
                  "均为高新技术项目。")
    assert len([c for _, c, _ in got if c == 10]) == 1


def test_a_bare_ceremony_is_a_part_of_the_joint_event_named_before() -> None:
    got = batches("5月26日上午,德州招商引资项目5月份集中开工暨签约仪式在禹城举行,27个项目集中开工,10个项目集中签约。\n"
                  "上午10时,集中开工仪式在华宇电机项目开工现场举行。\n11时,集中签约仪式在恒通纸业项目现场举行。")
    texts = [t for t, _, _ in got]
    assert "集中开工仪式" not in texts and "集中签约仪式" not in texts
    assert any("开工暨签约仪式" in t for t in texts)


def amounts(text: str) -> dict[str, int | None]:
    return {p.name: p.amount_yuan for p in parse_article(text, "2024-05-10").projects}


def test_a_tally_of_one_gives_its_total_to_the_project_it_spells_out() -> None:
    got = batches("近日,山阳县集中开工和投产工业项目3个,总投资2.8亿元。\n开工项目2个,总投资2.3亿元,为华宇电机项目,计划总投资"
                  "1.2亿元;恒通纸业项目,计划总投资1.1亿元。投产项目1个,总投资0.5亿元,为金穗米业有限公司大米加工项目,于今年8月建成。")
    assert ("投产项目1个", 1, 50_000_000) in [(t[:6], c, a) for t, c, a in got]
    assert amounts("投产项目1个,总投资0.5亿元,为金穗米业有限公司大米加工项目,于今年8月建成。")[
        "金穗米业有限公司大米加工项目"] == 50_000_000
    # 一个 is an article, not a tally of one
    assert not [c for _, c, _ in batches("一个总投资5亿元的华宇电机项目开工。") if c == 1]


def test_a_size_class_of_signed_projects_goes_to_each_project_it_includes() -> None:
    got = amounts("本次专场签约10亿元以上项目共12个,占签约总额的79.4%,包括华宇科技集团光伏全产业链项目、"
                  "恒通能源有限公司储能示范项目等重点项目。")
    assert got["华宇科技集团光伏全产业链项目"] == 1_000_000_000
    assert got["恒通能源有限公司储能示范项目"] == 1_000_000_000
    # a total of several projects goes to none of them
    assert set(amounts("两个项目总投资8亿元,包括华宇电机项目和恒通纸业项目。").values()) == {None}


def test_the_yue_of_qianyue_is_no_qualifier() -> None:
    from parsers.amounts import find_amounts

    assert [(a.text, a.qualifier) for a in find_amounts("签约10亿元以上项目12个,总投资约5亿元")] == [
        ("10亿元以上", "over"), ("约5亿元", "about")]


def test_a_branch_named_only_by_its_place_is_no_company() -> None:
    from parsers.companies import _find_companies

    w = "包括中国绿能投资集团有限公司江西分公司液体压缩空气储能示范项目、华宇电机有限公司临川分公司电机项目等。"
    assert [n for _, _, n in _find_companies(w)] == ["中国绿能投资集团有限公司", "华宇电机有限公司"]


@pytest.mark.parametrize(("text", "place"), [
    # a county's own event, held at a zone or a project's site inside it, puts its listed projects in the county
    ("10日,临川市山阳县2022年第一季度重点建设项目集中签约和开工仪式在山阳经济开发区举行。\n本次集中签约重大项目3个,"
     "包括华宇电机年产5万台电机项目、恒通纸业二期项目、金穗米业加工项目。", "山阳县"),
    ("近日,临川(山阳县)2019年秋季项目集中开工仪式在华宇电机年产5万台电机项目施工现场举行。据了解,这次秋季集中开工项目为"
     "恒通纸业二期项目、金穗米业加工项目,共计2个,总投资7.8亿元。", "山阳县"),
    # a headline whose parts are spaced: the event's county after a figure
    ("总投资147亿元 山阳县举行重点项目集中开工仪式\n10日,恒通纸业二期项目、金穗米业加工项目集中开工。", "山阳县"),
])
def test_a_countys_own_event_puts_its_projects_in_the_county(text: str, place: str) -> None:
    got = places(text)
    assert got["恒通纸业二期项目"] == place
    assert got["金穗米业加工项目"] == place


@pytest.mark.parametrize("text", [
    "仪式上,政企明确项目开工时间和序时进度。要及时解决项目推进中的困难,适时动态调整优化项目库。",
    "要紧抓核实已经掌握项目的重要信息,确保项目早日落地。工作人员正在加紧基础工程建设。",
    "10月22日,临川产业投资项目推介会暨签约仪式举行。",
])
def test_a_verb_season_or_event_governing_xiangmu_names_no_project(text: str) -> None:
    assert parse_article(text, "2024-05-10").projects == ()


def test_an_item_after_a_phase_named_item_is_a_project_of_its_own() -> None:
    names = {p.name for p in parse_article("本次集中签约重大项目3个,包括恒通纸业二期项目、华宇电机项目、金穗米业一期项目、"
                                           "宏达石材项目。", "2024-05-10").projects}
    assert {"恒通纸业二期项目", "华宇电机项目", "金穗米业一期项目", "宏达石材项目"} <= names


@pytest.mark.parametrize("text", [
    "——项目质量进一步提升。2016-2020年,累计引进世界500强企业投资项目20个以上,引进国内500强企业投资项目40个以上。",
    "近日,临川市人民政府公布2023年市重大项目名单,确定2023年市重大项目510个(实施类项目470个,准备类项目40个),总投资6100亿元。",
])
def test_a_periods_target_or_a_designated_list_is_no_batch(text: str) -> None:
    assert parse_article(text, "2023-01-29").batches == ()


def test_a_zone_or_a_verb_before_a_company_is_not_part_of_its_name() -> None:
    from parsers.companies import _find_companies

    w = ("近日,临川县秋季项目集中开工仪式在临川高新区(南区)江西华宇科技发展有限公司电机项目施工现场举行。"
         "我市分别举行华宇公司电机项目开工仪式。浙江网驿产业园运营管理集团投资的X项目开工。")
    names = [n for _, _, n in _find_companies(w)]
    assert "江西华宇科技发展有限公司" in names and "浙江网驿产业园运营管理集团" in names
    assert not [n for n in names if n.startswith(("临川高新区", "我市"))]


def test_a_sentence_spelling_out_the_tally_before_it_lists_projects() -> None:
    names = {p.name for p in parse_article("临川开发区签下了16个投资项目。仅物流项目就签约9个。包括总投资18亿元的江北钢材物流园、"
                                           "总投资15亿元的临川国际采购中心,以及总投资11.2亿元的临港现代物流中心等。",
                                           "2024-05-10").projects}
    assert {"江北钢材物流园", "临川国际采购中心", "临港现代物流中心"} <= names


@pytest.mark.parametrize(("covered", "expected"), [
    # named things covered by the signed projects are projects, signed with the event
    ("临川华宇储能调频电站、浙江商会大洋北方不夜城、新加坡恒通贸易镁建材",
     {"临川华宇储能调频电站": "signed", "浙江商会大洋北方不夜城": "signed", "新加坡恒通贸易镁建材": "signed"}),
    # fields are not
    ("锂电新材料、高性能导电材料、日用化工新材料", {}),
])
def test_named_things_a_slogan_event_covers_are_its_projects(covered: str, expected: dict[str, str]) -> None:
    text = (f"7月22日,临川县举行“共享机遇•共谋发展•共赢未来”招商引资项目集中签约仪式,10个项目集中签约,总投资达35.8亿元。"
            f"重点项目涵盖{covered}等。")
    assert stages(text) == expected


@pytest.mark.parametrize("text", [
    # what the projects serve, in a sentence about their significance
    "项目的开工建设,对加快建设西南最大的临川综合石化基地,推进区域性国际航运中心、物流中心建设具有十分重大的意义。",
    # a name built across two quoted campaign names
    "该市以“产业提升年”“项目提速年”为载体,推动工业发展。",
])
def test_a_purpose_or_a_campaign_name_is_no_project(text: str) -> None:
    assert parse_article(text, "2024-05-10").projects == ()


def test_a_photo_credit_ends_its_caption_line() -> None:
    from parsers.text import prepare

    w = prepare("标题\n\n10日,山阳县重点项目集中签约和开工仪式在山阳经济开发区举行。\n\n开工仪式现场,全县各级领导和企业代表参加了开工仪式。临川日报记者 王明 摄\n"
                "\n  本次集中签约重大项目10个,计划总投资近90亿元。").work
    assert "王明 摄\n" in w


def test_a_joint_event_of_two_stages_keeps_its_whole_name() -> None:
    got = batches("10日,临川市山阳县2022年第一季度重点建设项目集中签约和开工仪式在山阳经济开发区举行。\n\n"
                  "本次集中签约重大项目10个,计划总投资近90亿元。\n\n本次集中开工重点项目28个,计划总投资超147亿元。")
    assert [(t, c) for t, c, _ in got] == [("临川市山阳县2022年第一季度重点建设项目集中签约和开工仪式", None),
                                          ("本次集中签约重大项目10个", 10), ("本次集中开工重点项目28个", 28)]


def test_spaces_between_a_figure_and_its_unit_are_layout() -> None:
    got = batches("7 月 22 日,山阳县举行招商引资项目集中签约仪式,10 个项目集中签约,总投资达 35.8 亿元。")
    assert [(c, a) for _, c, a in got] == [(10, 3_580_000_000)]


@pytest.mark.parametrize(("text", "names"), [
    # a firm's 产业 closing a list the sentence says started is a project, and the list stands
    ("年初以来,临川县狠抓招商引资。华宇风电、千璞汇玉产业等重大项目也相继开工,呈现良好发展态势。", {"华宇风电", "千璞汇玉产业"}),
    # fields are not
    ("年初以来,临川县狠抓招商引资。新能源产业、文化旅游产业等重大项目也相继开工。", set()),
])
def test_a_firms_industry_in_a_list_of_started_projects_is_a_project(text: str, names: set[str]) -> None:
    assert {p.name for p in parse_article(text, "2024-07-28").projects} == names


def test_a_start_up_zone_and_an_aircraft_factory_are_parts_of_names() -> None:
    # 启动区 is a noun (not 启动, "to start"), 飞机制造厂 holds no 机制 ("mechanism"), and 还有 is cut whole (not "有X")
    names = {p.name for p in parse_article("3月28日,当天开工的项目还有临川市沙潭江生态科技产业园启动区(一期)工程项目、"
                                           "中俄通用飞机制造厂一期项目和华宇电机项目等43个,总投资72.5亿元。", "2024-03-29").projects}
    assert {"临川市沙潭江生态科技产业园启动区(一期)工程项目", "中俄通用飞机制造厂一期项目"} <= names


def test_a_company_named_after_its_trade_and_a_conjunction_do_not_cut_a_name() -> None:
    names = {p.name for p in parse_article(
        "这7个项目分别为:总投资1.5亿元的临川文景科技有限公司装饰产业研发基地项目;总投资1.25亿元的临川永桢建筑工程有限公司"
        "装配式钢结构和轻钢房屋项目。此次开工华宇电机产业园项目等45个重大开工项目及湖南恒通金属制品有限公司年产50万吨镀锌带钢"
        "生产线项目等15个重大竣工项目。", "2024-05-10").projects}
    assert "临川永桢建筑工程有限公司装配式钢结构和轻钢房屋项目" in names
    assert "湖南恒通金属制品有限公司年产50万吨镀锌带钢生产线项目" in names
    assert not [n for n in names if n.startswith(("有限公司", "及"))]


def test_an_adverb_opens_no_name_and_a_developers_troubles_name_no_project() -> None:
    names = {p.name for p in parse_article("目前临川邮轮母港码头工程已开工建设。该集团多地项目极有可能因整改效果不佳而陷入项目"
                                           "停滞,业主维权项目不断。", "2024-05-10").projects}
    assert "临川邮轮母港码头工程" in names
    assert not [n for n in names if n.startswith("目前") or "陷入" in n or "维权" in n]
