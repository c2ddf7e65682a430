"""Error classes that real unseen articles exposed (issue 10), each with sentences written for the rule."""

from __future__ import annotations

import pytest

from parsers import parse_article
from parsers.category import categorise


def names(text: str, published: str = "2024-05-10") -> list[str]:
    return [p.name for p in parse_article(text, published).projects]


def by_name(text: str, published: str = "2024-05-10") -> dict[str, object]:
    return {p.name: p for p in parse_article(text, published).projects}


@pytest.mark.parametrize("text", [
    "今年以来,全县目前在建项目23个,总投资120亿元,一批优质项目相继落地。",
    "此次签约的现代服务业项目共5个,总投资30亿元,配套道路项目同步开工。",
    "其中工业类项目8个,服务业类项目4个,均已签约。",
])
def test_category_phrases_are_not_projects(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("签约项目包括比亚迪、宁德时代、五邑大学江门研究院和大湾区科创园。",
     ["比亚迪", "宁德时代", "五邑大学江门研究院", "大湾区科创园"]),
    ("当天开工的项目有:立讯精密、新宙邦、江门职业技术学院新校区、数字经济集聚区等。",
     ["立讯精密", "新宙邦", "江门职业技术学院新校区", "数字经济集聚区"]),
    ("6月18日,海天味业、金发科技等12个项目集中签约,总投资56亿元。", ["海天味业", "金发科技"]),
])
def test_named_things_in_a_list_of_projects(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_list_of_companies_with_no_stage_is_not_a_list_of_projects() -> None:
    assert names("在吸引了一批如德昌、优美科、麦克韦尔等优质项目后,园区加快转型。") == []


@pytest.mark.parametrize(("text", "place"), [
    ("德清县举行重大项目集中开工仪式。我县总投资25亿元的华友新材料项目开工建设,项目位于我县阜溪街道。", "阜溪街道"),
    ("5月10日,我县举行重大项目集中开工仪式,总投资25亿元的华友锂电新材料项目开工。", None),
])
def test_relative_places_are_never_output(text: str, place: str | None) -> None:
    facts = parse_article(text, "2024-05-10")
    for p in facts.projects:
        assert p.location == place
        assert not any(a.startswith(("我", "本", "该")) for a in p.location_aliases)
    for b in facts.batches:
        assert not (b.location or "").startswith(("我", "本", "该"))


def test_an_amount_marked_each_goes_to_every_listed_project() -> None:
    ps = by_name("在签约的项目中,华友锂电新材料项目、金发科技改性塑料基地项目均超30亿元。")
    assert [(p.amount_yuan, p.amount_qualifier) for p in ps.values()] == [(3_000_000_000, "over")] * 2  # type: ignore[attr-defined]


def test_one_total_for_several_projects_goes_to_none() -> None:
    ps = by_name("两个项目总投资8亿元,分别是华友锂电新材料项目和金发科技改性塑料基地项目。")
    assert len(ps) == 2
    assert all(p.amount_yuan is None for p in ps.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "category"), [
    ("中创新航动力电池及储能系统江门基地项目", "产业"),
    ("年产10万公里电缆生产基地项目", "产业"),
    ("江门110千伏仲元输变电工程", "基础设施"),
    ("沿江高铁天门段", "基础设施"),
    ("西河综合治理工程", "基础设施"),
    ("城南污水处理厂二期工程", "基础设施"),
    ("江门市第三人民医院新院区项目", "社会民生"),
    ("五邑大学新校区", "社会民生"),
    ("滨江保障性租赁住房项目", "社会民生"),
    ("教育科技产业园", "产业"),
    ("冷链物流枢纽项目", "产业"),
])
def test_category(name: str, category: str) -> None:
    assert categorise(name) == category


def test_each_group_of_a_mixed_roundup_gives_its_own_stage() -> None:
    text = ("本次集中签约项目12个,总投资56亿元;集中开工项目8个,总投资32亿元。其中,签约项目有华友锂电新材料项目、"
            "海天味业调味品扩产项目;开工项目有金发科技改性塑料基地项目;投产项目有立讯精密连接器生产基地项目。")
    got = {p.name: p.stage for p in parse_article(text, "2024-05-10").projects}
    assert got == {"华友锂电新材料项目": "signed", "海天味业调味品扩产项目": "signed",
                   "金发科技改性塑料基地项目": "started", "立讯精密连接器生产基地项目": "in_production"}


@pytest.mark.parametrize(("text", "history"), [
    ("近日,金发科技改性塑料基地项目正式投产。", [("in_production", "2024-05-10")]),
    ("今年3月,华友锂电新材料项目开工建设。", [("started", "2024-03")]),
    ("华友锂电新材料项目从1月26日签约到3月17日正式动工仅用50天。", [("signed", "2024-01-26"), ("started", "2024-03-17")]),
    ("5月8日,金发科技改性塑料基地项目开工。", [("started", "2024-05-08")]),
])
def test_milestone_dates_come_from_the_clause_that_reports_them(text: str, history: list[tuple[str, str]]) -> None:
    p, = parse_article(text, "2024-05-10").projects
    assert [(h.stage, h.date) for h in p.stage_history] == history


@pytest.mark.parametrize("text", [
    "湘乡市集中开工\n要优化项目服务,掀起项目建设热潮,跑出项目加速度。",
    "配套道路项目同步推进,新基建项目和住宅项目也在谋划中,第三批项目即将开工。",
])
def test_verbs_and_class_words_before_项目_are_not_names(text: str) -> None:
    assert names(text) == []


def test_a_headline_place_is_the_article_place_when_the_body_names_none() -> None:
    p, = parse_article("湘乡市重点项目集中开工\n5月8日,总投资20亿元的金发科技改性塑料基地项目开工。", "2024-05-10").projects
    assert p.location == "湘乡市"


def test_an_undated_ceremony_gives_its_stage_to_the_projects_it_lists() -> None:
    text = ("3月23日,湘乡市重点产业项目开工仪式在湘乡经开区举行,10个重点产业项目集中开工建设。\n"
            "附项目概况:埃普特产学研合作基地,计划投资5亿元;电力产业园二期项目,总投资10亿元。")
    got = {p.name: p.stage for p in parse_article(text, None).projects}
    assert got == {"埃普特产学研合作基地": "started", "电力产业园二期项目": "started"}


@pytest.mark.parametrize("headline", ["原題:我市与10家企业签约", "1月2日,重庆市集中开工", "中国侨网南宁2月27日电 南宁市开工"])
def test_a_dateline_or_sentence_is_not_a_headline_place(headline: str) -> None:
    from parsers.places import headline_place

    assert headline_place(headline + "\n正文") is None


def test_a_county_after_the_city_in_a_name_is_its_place() -> None:
    p, = parse_article("拉萨市尼木县吞巴景区升级改造项目签约\n项目总投资5亿元。", "2019-08-01").projects
    assert p.location == "尼木县"


@pytest.mark.parametrize(("text", "name"), [
    ("5月8日,占地约67.5亩的艾迪原料药项目开工建设。", "艾迪原料药项目"),
    ("5月8日,园区新上两条新型健康食品生产线项目正式投产。", "两条新型健康食品生产线项目"),
])
def test_a_measure_or_a_verb_before_a_name_is_not_part_of_it(text: str, name: str) -> None:
    assert names(text) == [name]


def test_a_plan_article_keeps_its_start_tally_but_not_its_planned_projects() -> None:
    text = ("我省发布2018年重点建设项目计划\n4月13日,《2018年重点建设项目计划》正式发布,其中新开工项目96个。"
            "名单显示,西安至延安高铁、西安地铁8号线计划年内开工。西安市2018年第一批260个重大项目已全部开工。")
    facts = parse_article(text, "2018-04-17")
    assert facts.projects == ()
    assert 260 in [b.project_count for b in facts.batches]  # (the plan's 新开工项目96个 is still read as a tally)


def test_a_future_event_does_not_make_a_plan_article_news() -> None:
    text = "2022年吉林省将推动一批重大工程落地\n要加快沈白高铁、中车清洁能源装备基地建设,同时举办好东北亚投资贸易展洽会。"
    assert parse_article(text, "2022-02-18").projects == ()


def test_a_banner_is_a_district_like_a_county() -> None:
    text = ("12月22日,阿荣旗经济社会重大项目签约仪式举行,阿荣旗人民政府与12家企业就15个项目签约。"
            "阿荣旗将做好服务。其中,北京汇丰民源科贸有限公司电子商务产业园项目总投资5亿元。")
    p, = parse_article(text, "2020-12-23").projects
    assert p.location == "阿荣旗"


def test_a_company_planning_to_build_in_a_place_puts_its_project_there() -> None:
    text = "宝能物流集团有限公司计划在空港经济开发区建设智慧供应链产业园项目,总投资10亿元。"
    p, = parse_article(text, "2019-08-26").projects
    assert p.location == "空港经济开发区"


@pytest.mark.parametrize(("text", "name", "place"), [
    # A roundup of two zones: each zone's tally heads its own list.
    ("4月8日,青山县举行重点项目集中开工仪式。\n青山临港产业园集中开工的项目有6个,总投资21亿元,分别是投资8亿元的白鹭纸业项目、"
     "投资5亿元的蓝海电池项目。\n城东新区开工项目4个,总投资9亿元,其中投资3亿元的翠湖学校项目开工。",
     "翠湖学校项目", "城东新区"),
    ("4月8日,青山县举行重点项目集中开工仪式。\n青山临港产业园集中开工的项目有6个,总投资21亿元,分别是投资8亿元的白鹭纸业项目、"
     "投资5亿元的蓝海电池项目。\n城东新区开工项目4个,总投资9亿元,其中投资3亿元的翠湖学校项目开工。",
     "白鹭纸业项目", "青山临港产业园"),
    # A time word before the zone does not hide it.
    ("一季度云溪高新区还签约项目15个,其中投资50亿元的天穹卫星制造基地项目将于年内开工。", "天穹卫星制造基地项目", "云溪高新区"),
    # A line that is only a place heads its part of the article.
    ("云州市一季度重大项目集中开工\n东岭区\n东岭枢纽工程开建\n1月2日,总投资30亿元的东岭枢纽工程开工。", "东岭枢纽工程", "东岭区"),
])
def test_a_zone_heading_its_part_of_a_roundup_is_its_projects_place(text: str, name: str, place: str) -> None:
    assert by_name(text)[name].location == place  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "name"), [
    # One city's tally is the article's own city: not a place finer than the city.
    ("云州市202个项目集中开工,总投资43亿元,其中投资5亿元的白鹭物流园项目开工。", "白鹭物流园项目"),
    # 上市 ends like a city but is not one.
    ("成功引进上市公司投资项目31个,吸引年交易额超500亿元的华津金属产业园项目落户。", "华津金属产业园项目"),
])
def test_a_tally_of_the_whole_city_or_a_phrase_is_not_a_part_place(text: str, name: str) -> None:
    assert by_name(text)[name].location is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "kept", "dropped"), [
    ("5月6日,云溪区10个项目集中开工。附项目概况:白鹭电力产业园二期项目,总投资10亿元,用地182亩,建设电力企业总部大楼、"
     "电力设备生产和维修基地;蓝海物流项目,总投资8000万元,建设综合性物流园。",
     ["白鹭电力产业园二期项目", "蓝海物流项目"], ["电力企业总部大楼", "电力设备生产和维修基地", "综合性物流园"]),
    ("7月15日,云州市举行项目集中签约仪式,现场签约的云州·空港科技城和云溪临空产业园两大项目投资均超过300亿元。其中,"
     "云州·空港科技城总投资500亿元,将建设教育科研园区、科技产业园区和湿地公园三大板块。",
     ["云州·空港科技城"], ["教育科研园区", "科技产业园区"]),
])
def test_what_a_project_builds_is_not_a_project(text: str, kept: list[str], dropped: list[str]) -> None:
    got = names(text)
    assert all(any(k in n for n in got) for k in kept), got
    assert not any(d in n for n in got for d in dropped), got


def test_a_company_building_a_named_project_keeps_it() -> None:
    text = "签约项目中,已在云溪扎根10年的鑫达纺织再投资12亿元,建设年产3万吨功能性纤维二期项目。"
    assert any("功能性纤维二期项目" in n for n in names(text))


def test_a_company_opening_another_projects_name_is_not_this_ones_investor() -> None:
    text = ("云溪县第二批集中开工项目共有3个,分别是:云溪县金松新型建材有限公司年产干粉砂浆32万吨建设项目、云溪县南湖生态文化园大坝"
            "建设项目、云溪县申达牧业有限公司生猪养殖示范基地,3个项目总投资4.4亿元。云溪县建设投资公司负责园区配套。")
    got = by_name(text, "2020-05-10")
    dam = next(p for n, p in got.items() if "南湖生态文化园" in n)
    assert dam.investor is None  # type: ignore[attr-defined]


def test_a_start_and_production_event_starts_the_projects_that_state_no_stage() -> None:
    text = ("云州市上半年重大项目集中开工投产\n云州市31日举行2020年上半年重大项目集中开工投产活动,共涉及25个项目,总投资近200亿元。\n"
            "其中,共有17个重大项目集中开工,8个重大项目集中投产。\n新基建项目颇为亮眼,东岭区联信5G科技城项目总投资4.06亿元,"
            "建设内容包括企业总部、制造基地。")
    got = by_name(text, "2020-03-31")
    city = next(p for n, p in got.items() if "联信5G科技城" in n)
    assert city.stage == "started"  # type: ignore[attr-defined]


def _batch_texts(text: str) -> list[str]:
    return [b.event_text for b in parse_article(text, "2024-05-10").batches]


def test_size_bands_of_a_tally_are_not_batches() -> None:
    text = ("5月9日,云州市举行重大项目集中开工仪式,162个项目集中开工,总投资580亿元。从投资规模看,总投资30亿元以上项目3个;"
            "总投资10亿元至30亿元的项目13个;总投资1亿元至10亿元的项目53个。")
    got = _batch_texts(text)
    assert not any("30亿元以上" in t or "至" in t for t in got), got
    assert any("162个项目" in t or "集中开工" in t for t in got), got


def test_a_size_band_stating_its_own_total_is_a_sub_batch() -> None:
    text = "5月9日,云州市重大项目集中开工,此次集中开工的重大项目共237个,总投资1808亿元,其中10亿元及以上项目共43个,总投资1189亿元。"
    assert any("10亿元及以上项目共43个" in t for t in _batch_texts(text))


def test_short_names_in_a_counted_list_the_sentence_says_started_are_projects() -> None:
    text = "一季度,云溪县VR智慧屏、白鹭磁电、蓝海智能制造等8个总投资127亿元项目开工建设,翠湖食品、东岭科技等5个亿元项目竣工投产。"
    got = names(text)
    for n in ("VR智慧屏", "白鹭磁电", "翠湖食品", "东岭科技"):
        assert any(n in g for g in got), got


def test_short_names_in_a_list_without_a_stage_are_not_projects() -> None:
    assert names("今年以来,白鹭磁电、翠湖食品等5家企业参加了招商推介会。") == []


def test_a_plan_released_in_the_lead_makes_a_plan_article() -> None:
    text = ("云州今年66个省重点项目来了\n日前,省发改委发布《2020年重点建设项目计划》,共安排项目1230个。其中,总投资30亿元的"
            "白鹭现代产业园首期正加速建设,蓝海汽车产业园项目将于今年投产。")
    assert parse_article(text, "2020-01-08").projects == ()


@pytest.mark.parametrize("text", [
    "日前,云溪县举行重点项目开工仪式。\n云溪临港产业园集中开工的项目有10个,计划总投资31.4亿元,分别是投资8亿元的白鹭家具项目。",
    "日前,云溪县先后在临港产业园、政务新区举行了简约而隆重的重点项目开工仪式,共有10个项目开工。",
])
def test_a_zone_heading_a_tally_or_holding_the_event_is_not_a_project(text: str) -> None:
    got = names(text)
    assert not any(n.endswith(("产业园", "重点项目")) or "举行" in n for n in got), got


def test_the_county_an_article_calls_全县_is_its_projects_place() -> None:
    text = ("据省发改委消息,今年以来,云溪县坚持项目为王理念。一季度,全县共签约项目12个,白鹭磁电、蓝海食品等5个亿元项目竣工投产。")
    got = by_name(text)
    assert {p.location for p in got.values()} == {"云溪县"}, got  # type: ignore[attr-defined]


def test_a_town_inside_a_name_is_its_place() -> None:
    text = "3月23日,云州市重点产业项目集中开工。韶水干线毛田镇区段项目,总投资2000万元,建设1.5km二级公路。"
    assert by_name(text, "2019-03-23")["韶水干线毛田镇区段项目"].location == "毛田镇"  # type: ignore[attr-defined]


def test_a_list_continuing_the_previous_paragraphs_tally_takes_its_zone() -> None:
    text = ("2月27日,云州市举行重大项目集中开工活动。\n当天,云溪经开区共有7个项目集中开工,总投资达7.91亿元。\n"
            "此次项目开工包括白鹭肉制品加工项目、蓝海瓶盖项目。")
    got = by_name(text, "2024-02-27")
    assert got["白鹭肉制品加工项目"].location == "云溪经开区"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "name", "amount"), [
    ("日前,河南白鹭建设有限公司投资近24亿元,将在云州建设国际五金机电城项目。", "国际五金机电城项目", 2_400_000_000),
    ("开工的云溪高新区海棠湖文旅小镇项目位于站前大道东侧,占地约366亩,耗资近20亿元。", "云溪高新区海棠湖文旅小镇项目", 2_000_000_000),
])
def test_a_sum_spent_or_invested_to_build_a_named_project_is_its_amount(text: str, name: str, amount: int) -> None:
    assert by_name(text, "2020-01-01")[name].amount_yuan == amount  # type: ignore[attr-defined]


def test_pinyin_notes_of_a_traditional_mirror_do_not_split_words() -> None:
    # 項(xiàng)目: the mirror's pinyin note is dropped from the working text, kept in the verbatim name
    text = "黔南州重大項(xiàng)目集中開工\n12月8日,全州重大項(xiàng)目暨貴州金川投資有限公司年產(chǎn)50萬噸硅鐵項(xiàng)目開工儀式在貞豐縣舉行。"
    got = parse_article(text, "2014-12-08").projects
    assert [p.name for p in got] == ["貴州金川投資有限公司年產(chǎn)50萬噸硅鐵項(xiàng)目"]
    assert got[0].stage == "started"
    assert got[0].investor in (None, "貴州金川投資有限公司")  # never the run before 暨


@pytest.mark.parametrize(("text", "count"), [
    ("全市重大项目集中开工\n5月8日,集中开工项目共有27个,总投资88.6亿元。", 27),
    ("全市重大项目集中开工\n5月8日,集中开工项目共计27个,总投资88.6亿元。", 27),
])
def test_a_tally_written_with_gongyou_is_a_batch(text: str, count: int) -> None:
    assert [b.project_count for b in parse_article(text, "2024-05-08").batches] == [count]


@pytest.mark.parametrize("text", [
    "我市重大项目名单出炉\n记者从市发改委获悉,我市2025年市级重大项目已公布,其中重大建设项目640个,包括华安新材料项目等。",
    "全省重点项目集中开工\n本年度全省重点推进大中型建设项目共计2100个,总投资1.2万亿元。",
    "第五届洽谈会情况通报\n经审核,确定符合签约要求的合同项目共计311个。",
])
def test_key_project_lists_and_screenings_are_not_events(text: str) -> None:
    facts = parse_article(text, "2024-05-08")
    assert facts.projects == () and all(b.project_count is None for b in facts.batches)


def test_a_roundup_over_cities_places_names_opening_with_a_city() -> None:
    text = ("全省重大项目集中签约\n5月8日,全省重大项目集中签约活动举行。芜湖星辰储能电池生产基地项目、"
            "合肥华芯集成电路封装测试项目等12个项目签约,总投资320亿元。")
    got = {p.name: p.location for p in parse_article(text, "2024-05-08").projects}
    assert got == {"芜湖星辰储能电池生产基地项目": "芜湖", "合肥华芯集成电路封装测试项目": "合肥"}


def test_one_city_opening_a_name_is_the_articles_own_city_not_a_place() -> None:
    text = "江门重大项目签约\n5月8日,江门星辰储能电池生产基地项目签约,总投资32亿元。"
    assert [p.location for p in parse_article(text, "2024-05-08").projects] == [None]


@pytest.mark.parametrize(("text", "expected"), [
    ("湖南150个重大项目集中开工\n5月8日,湖南省举行重大项目集中开工活动,长沙市轨道交通7号线二期项目开工。",
     {"长沙市轨道交通7号线二期项目": "长沙市"}),
    ("贵州一季度新开工项目800个\n今年一季度,遵义星河新材料产业园项目、六盘水储能电站等项目开工建设。",
     {"遵义星河新材料产业园项目": "遵义"}),
    # A city's own article: its name opening a project is only the article's place.
    ("长沙30个项目集中开工\n5月8日,长沙市轨道交通7号线二期项目开工,总投资80亿元。",
     {"长沙市轨道交通7号线二期项目": None}),
])
def test_one_city_opening_a_name_in_a_provincial_article_is_its_place(text: str, expected: dict[str, str | None]) -> None:
    got = {p.name: p.location for p in parse_article(text, "2024-05-08").projects}
    assert {k: got.get(k) for k in expected} == expected and set(expected) <= set(got)


@pytest.mark.parametrize(("text", "name", "stage"), [
    ("首车下线\n首台卡车缓缓驶出生产线,这标志着华东重卡常州生产基地正式建成投运。", "华东重卡常州生产基地", "completed"),
    ("新厂投产\n这也意味着星源光伏组件产业园项目正式投产。", "星源光伏组件产业园项目", "in_production"),
])
def test_a_milestone_reported_by_biaozhizhe_names_the_project_after_it(text: str, name: str, stage: str) -> None:
    assert {p.name: p.stage for p in parse_article(text, "2024-05-08").projects} == {name: stage}


@pytest.mark.parametrize("text", [
    "项目开工\n当天开工的富民县宣布云南星河农业科技有限公司智能温室种植基地项目计划总投资2.1亿元。",
    "项目签约\n当天签约的星河酒店及科创孵化园项目总投资5亿元,投资方已于8月11日在昆明注册两家公司。",
])
def test_a_verb_or_a_count_before_a_company_is_not_part_of_the_investor(text: str) -> None:
    investors = [p.investor for p in parse_article(text, "2024-05-08").projects]
    assert investors and all(i is None or not any(w in i for w in ("宣布", "注册", "两家")) for i in investors)


def test_the_place_and_the_company_that_sign_a_project_are_its_place_and_investor() -> None:
    text = ("项目集中签约\n会上,绵阳经济技术开发区与星河智能装备有限公司签署了新能源客车零部件项目,计划投资6亿元。"
            "南湖高新区和华远集团签订了华远数字文旅城项目,计划投资30亿元。")
    got = {p.name: (p.location, p.investor) for p in parse_article(text, "2024-05-08").projects}
    assert got == {"新能源客车零部件项目": ("绵阳经济技术开发区", "星河智能装备有限公司"),
                   "华远数字文旅城项目": ("南湖高新区", "华远集团")}


def test_producing_normally_is_in_production() -> None:
    text = "重点项目观摩\n5月8日,观摩团来到星河材料光学膜生产基地项目,该项目总投资8亿元,一期已正常生产。"
    assert {p.name: p.stage for p in parse_article(text, "2024-05-08").projects} == {
        "星河材料光学膜生产基地项目": "in_production"}


def test_what_a_listed_project_builds_is_not_a_second_project() -> None:
    text = ("项目开工\n5月8日,8个项目集中开工。附项目概况:星河建材项目,总投资3000万元,建设装配式建筑生产基地,"
            "建成后年产构件3万平米;远航物流项目,总投资8000万元,用地60亩,建设冷链仓储中心。")
    got = {p.name: p.amount_yuan for p in parse_article(text, "2024-05-08").projects}
    assert got == {"星河建材项目": 30_000_000, "远航物流项目": 80_000_000}
    # A company that invests and builds names the project it builds.
    own = "项目签约\n签约项目中,星河纺织再投资12亿元,建设年产3万吨功能性纤维二期项目。"
    assert names(own) == ["年产3万吨功能性纤维二期项目"]


def test_tallies_that_all_report_one_stage_give_it_to_the_featured_projects() -> None:
    text = ("湖北各地二季度重点项目陆续开工\n二季度,全省512个重点项目开工,总投资2100亿元。"
            "襄阳市持续深化项目推进年活动,力促项目早落地、早开工。此次襄阳市集中开工重点项目70个,涵盖装备制造等领域。\n"
            "投资12亿元的襄阳高新区星河智能装备项目,建成后可实现年产值30亿元。\n"
            "二季度,宜昌市开工重点项目150个,总投资420亿元。\n总投资8亿元的宜昌经开区远航新材料项目建成后将带动就业500人。")
    got = {p.name: p.stage for p in parse_article(text, "2024-05-13").projects}
    assert got == {"襄阳高新区星河智能装备项目": "started", "宜昌经开区远航新材料项目": "started"}
    # Tallies of different stages do not give the first one's stage to every featured project.
    mixed = ("湖北各地二季度重点项目陆续开工投产\n二季度,全省512个重点项目开工,总投资2100亿元。宜昌市投产重点项目50个,"
             "总投资120亿元。总投资8亿元的宜昌经开区远航新材料项目建成后将带动就业500人。")
    assert [p.stage for p in parse_article(mixed, "2024-05-13").projects] == ["in_production"]


def test_a_photo_caption_opening_is_not_part_of_the_name() -> None:
    assert names("项目投产\n图为星河3万吨碳酸锂项目厂区。星河3万吨碳酸锂项目总投资15亿元,已正式投产。") == ["星河3万吨碳酸锂项目"]


@pytest.mark.parametrize(("text", "stage"), [
    ("工业项目\n星河汽车平台项目于2024年底开工建设,总投资约32亿元。", "started"),
    ("工业项目\n以星河汽车平台项目为例,该项目于去年底开工建设,总投资约32亿元。", "started"),
    ("工业项目\n星河汽车平台项目将于2026年底开工建设,总投资约32亿元。", None),
    ("工业项目\n星河汽车平台项目计划于2026年底建成投产,总投资约32亿元。", None),
])
def test_a_past_year_end_with_yu_reports_when_it_happened(text: str, stage: str | None) -> None:
    assert [p.stage for p in parse_article(text, "2025-03-08").projects] == [stage]


def test_a_companys_project_in_a_place_has_both() -> None:
    text = ("投资洽谈会\n本次活动促成6个项目签约落地,涉及金额80亿元,包括:天津星河新能源投资有限公司在滦南县的光热项目、"
            "北京远航建设工程有限公司在昌黎县的电源模块项目。")
    got = {p.name: (p.location, p.investor) for p in parse_article(text, "2024-05-08").projects}
    assert got == {"光热项目": ("滦南县", "天津星河新能源投资有限公司"), "电源模块项目": ("昌黎县", "北京远航建设工程有限公司")}


def test_a_city_in_brackets_closing_a_name_in_a_provincial_roundup_is_its_place() -> None:
    text = "四川一季度90个省重点项目开工\n今年一季度,星河数字经济产业园、国家文化出口基地(宜宾)等项目开工。"
    got = {p.name: p.location for p in parse_article(text, "2024-05-08").projects}
    assert got.get("国家文化出口基地(宜宾)") == "宜宾"
    own = "宜宾重点项目开工\n今年一季度,星河数字经济产业园、国家文化出口基地(宜宾)等项目开工。"
    assert {p.name: p.location for p in parse_article(own, "2024-05-08").projects}.get("国家文化出口基地(宜宾)") is None


def test_a_lumped_start_and_production_group_is_started() -> None:
    text = "全区项目集中开工投产\n5月8日,高新区集中开工投产华瑞新材料生产基地项目、金科智能装备产业园项目等30个项目,总投资110亿元。"
    assert {p.stage for p in parse_article(text, "2024-05-08").projects} == {"started"}


def test_purpose_words_before_a_head_are_not_names() -> None:
    text = "职教城项目开工\n5月8日,职教城项目开工,建成后将作为学生的实训基地,企业职工的培训基地,以及技能大赛的竞赛基地。"
    assert names(text) == ["职教城项目"]


@pytest.mark.parametrize("text", [
    "全县项目建设推进会召开\n会议要求,新开工项目保落地、在建项目保进度、竣工项目保投产,确保完成全年目标。",
    "全县集中签约20个项目\n此次签约的20个项目中,绿色有机农业、循环经济、生态旅游等项目占比较大。",
])
def test_slogans_and_shares_of_kinds_are_not_projects(text: str) -> None:
    assert names(text) == []


def test_named_items_counted_by_a_share_are_projects() -> None:
    text = "全区35个项目集中开工\n在35个开工项目中,城南安置房(一期)以及区图书馆新馆等政府投资项目占16个,总投资达68亿元。"
    assert "区图书馆新馆" in "".join(names(text))


@pytest.mark.parametrize("tail", ["同时,对已投产项目进行了奖励。", "同时,对投产效率高的企业进行了奖励。"])
def test_a_later_stage_word_about_other_projects_is_not_the_last_listed_ones(tail: str) -> None:
    text = ("洽谈会重点项目签约仪式举行\n7月8日,洽谈会重点项目签约仪式举行。在仪式上,华川新能源动力电池项目、"
            "金禾集团农业总部和研发中心项目等18个重大项目进行了集中签约。" + tail)
    got = {p.name: p.stage for p in parse_article(text, "2020-07-08").projects}
    assert got == {"华川新能源动力电池项目": "signed", "金禾集团农业总部和研发中心项目": "signed"}


@pytest.mark.parametrize("text", [
    "全省招商引资推进\n今年以来,引进全省六大优势产业项目146个,其中投产32个。",
    "招商引资优惠政策\n凡六大产业项目入驻园区自建厂房的,固定资产投资达到1亿元以上给予奖励。",
    "招商项目册发布\n项目册共推出860个招商项目,总投资5200亿元。",
    "招商工作会议召开\n会议要求,各乡镇每季度至少落实2个以上的签约项目。",
    "全市重点项目计划下达\n今年安排前期项目133个,估算总投资1168亿元。",
])
def test_kinds_offers_and_requirements_are_not_batch_counts(text: str) -> None:
    counts = [b.project_count for b in parse_article(text, "2024-05-08").batches]
    assert 6 not in counts and 860 not in counts and 2 not in counts and 133 not in counts


def test_n_big_projects_still_counts_when_nothing_else_does() -> None:
    text = "园区四大产业项目顺利投产\n5月8日,园区四大产业项目顺利投产,总投资30亿元。"
    assert 4 in [b.project_count for b in parse_article(text, "2024-05-08").batches]


@pytest.mark.parametrize(("text", "investor"), [
    ("全市重点项目观摩\n5月8日,华东纺织有限公司的年产20万锭色纺纱项目一期已正式投产。", "华东纺织有限公司"),
    ("博览会签约项目\n5月8日,宝华物流集团有限公司计划在空港经济开发区建设智慧供应链产业园项目。", "宝华物流集团有限公司"),
])
def test_the_company_right_before_a_name_or_planning_to_build_it_invests(text: str, investor: str) -> None:
    assert [p.investor for p in parse_article(text, "2024-05-08").projects] == [investor]


@pytest.mark.parametrize("text", [
    "我縣14個項目列入省重點建設項目\n日前,《省人民政府辦公廳關于2015年省重點建設項目安排的通知》文件下發,我縣共14個項目列入省重點建設項目。"
    "14個項目分別是華能雙苗尖風電場項目、香菇市場遷建及物流中心建設項目等。",
])
def test_a_key_project_notice_named_before_its_verb_is_a_plan(text: str) -> None:
    assert parse_article(text, "2015-03-01").projects == ()


@pytest.mark.parametrize("text", [
    "全市重大项目集中开工\n5月8日,全市重大项目集中开工。是次集中开复工项目覆盖产业发展、基础设施等领域。",
    "全市重大项目集中开工\n5月8日,全市重大项目集中开工,涵盖产业及创新平台项目、民生工程及社会事业项目、环境保护项目。",
])
def test_more_category_phrases_are_not_projects(text: str) -> None:
    assert names(text) == []


def test_county_openers_in_a_provincial_roundup_and_not_in_a_citys_own_article() -> None:
    text = ("全省重大项目投产\n据悉,吴江华星柔性显示终端项目、昆山瑞达新能源汽车项目等17个项目投产。")
    assert {p.name: p.location for p in parse_article(text, "2024-05-08").projects} == {
        "吴江华星柔性显示终端项目": "吴江", "昆山瑞达新能源汽车项目": "昆山"}
    own = "高新区重大项目集中开工\n5月8日,高新区举行集中开工仪式,江门110千伏华兴输变电工程、南山路(新港路—一行路)等项目开工。"
    assert all(p.location in (None, "高新区") for p in parse_article(own, "2024-05-08").projects)


def test_a_total_after_a_list_with_deng_goes_to_no_item_unless_each() -> None:
    shared = ("高新区项目签约\n5月8日,华芯创新中心、远航智能研究院、星火双创基地、创新奇智等十余个项目完成签约,总投资超过100亿元。")
    assert all(p.amount_yuan is None for p in parse_article(shared, "2024-05-08").projects)
    each = ("重大项目签约\n现场签约项目中,华铁与新区签署的合作协议、宝华与郫都区合作的郫都智慧科技城项目、长江集团与高新区签订的投资协议等,"
            "投资体量均超100亿元。")
    got = {p.name: p.amount_yuan for p in parse_article(each, "2024-05-08").projects}
    assert got.get("郫都智慧科技城项目") == 10_000_000_000


@pytest.mark.parametrize("text", [
    "全区项目签约\n当天,名校名所名企合作十余个项目完成签约。",
    "全市项目签约\n当天,文化旅游、石材加工、风光能开发项目签约仪式举行,5个项目签约。",
    "全省重点项目开工\n今年一季度,110千伏电网、新建综合性研究基地等项目开工。",
    "招商推介\n会上,该市还准备引资3亿元,用于垃圾发电项目,光伏发电项目也在洽谈中。",
    "全县项目签约\n当天签约的农产品精深加工项目和风力发电项目共6个。",
    "全省项目推进\n今年,全省市领导联系项目和省领导挂钩项目加快推进,已开工建设。",
])
def test_kinds_written_like_names_are_not_projects(text: str) -> None:
    assert names(text) == []


def test_a_list_counted_with_yu_names_projects_and_a_plan_word_inside_an_item_plans_nothing() -> None:
    text = ("高新区项目签约\n记者获悉,华云创新中心、远航先进计算基地、星火计划双创基地、创新奇智等十余个项目完成签约,总投资超过100亿元。")
    got = {p.name: p.stage for p in parse_article(text, "2024-05-08").projects}
    assert {"华云创新中心", "远航先进计算基地", "创新奇智"} <= set(got)
    assert set(got.values()) == {"signed"}


def test_counted_lists_with_their_total_before_and_their_verb_after_sibling_groups() -> None:
    text = ("上虞区重大项目签约投产\n据悉,本次仪式上,投资300亿元的27个项目集中签约,投资136.6亿元的宏远新材、晶辉二期等21个产业项目,"
            "投资32亿元的区博物馆新馆、江南大桥等12个政府投资项目集中投产投用。")
    got = {p.name: (p.amount_yuan, p.stage) for p in parse_article(text, "2022-06-29").projects}
    assert got["宏远新材"] == (None, "in_production") and got["晶辉二期"] == (None, "in_production")
    text2 = "诸城市重点项目集中开工\n3月18日,诸城市烟叶复烤仓储设施、东升生物氨基酸等46个总投资389亿元的重点项目集中开工。"
    assert [n.removeprefix("诸城市") for n in names(text2)] == ["烟叶复烤仓储设施", "东升生物氨基酸"]


@pytest.mark.parametrize("text", [
    "全市项目签约\n当天,该联盟将建立以物联网为主的新一代信息技术项目总部。",
    "全省经信项目推进\n今年,全市共有28个项目纳入全省经信项目盘子。",
    "全区项目签约\n当天,石嘴山平罗县项目集中签约。",
    "全区项目签约\n当天,与多家企业在农产品精深加工产业、新能源新材料开发建设等16个项目进行了集中签约。",
])
def test_descriptions_places_and_industries_are_not_project_names(text: str) -> None:
    assert names(text) == []


def test_an_event_restated_without_figures_is_not_a_second_batch() -> None:
    text = ("全县重点项目集中开工\n5月8日,全县2024年第二批重点项目集中开工仪式举行,12个项目集中开工,总投资56亿元。"
            "县委书记宣布全县2024年第二批重点项目集中开工活动开始。本次开工仪式在产业园举行。")
    batches = parse_article(text, "2024-05-08").batches
    assert [(b.project_count, b.amount_yuan) for b in batches if b.part_of is None] == [(12, 5_600_000_000)]


@pytest.mark.parametrize("text", [
    "全县项目建设推进\n近年来,全县先后有6批共345个重大项目集中签约开工投产。",
    "全市城建项目推进\n据统计,目前已有113个重大城建项目竣工。",
])
def test_counts_to_date_are_not_batches(text: str) -> None:
    assert all(b.project_count is None for b in parse_article(text, "2024-05-08").batches)


@pytest.mark.parametrize(("text", "amounts"), [
    ("全市项目签约\n5月8日,光明智能装备产业园项目、东湖生态康养小镇项目签约,投资额分别为20亿元、35亿元.全年已有3个逾20亿元项目落户.",
     {"光明智能装备产业园项目": 2_000_000_000, "东湖生态康养小镇项目": 3_500_000_000}),
    ("全区项目开工\n5月8日,星河数据中心项目开工.项目总投资4.5亿元,预计明年投产.",
     {"星河数据中心项目": 450_000_000}),
])
def test_a_half_width_period_between_chinese_characters_ends_a_sentence(text: str, amounts: dict[str, int]) -> None:
    assert {p.name: p.amount_yuan for p in parse_article(text, "2024-05-08").projects} == amounts


def test_a_counted_list_of_signed_projects_may_name_its_class_in_any_words() -> None:
    text = ("全市项目签约\n5月8日,全市签约引进青湖湾康养小镇一期、滨江体育公园、星河云谷数字港等12个城市功能提升项目,"
            "签约金额86亿元。")
    assert names(text) == ["青湖湾康养小镇一期", "滨江体育公园", "星河云谷数字港"]


def test_a_counted_list_of_promoted_things_is_not_a_list_of_projects() -> None:
    text = "全市招商推介\n5月8日,推介会推介了总投资超500亿元的交通设施、滨水绿道、旧城更新等120余个建设项目。"
    assert names(text) == []


@pytest.mark.parametrize(("name", "category"), [
    ("星河万象广场一期", "产业"),
    ("龙湖天街购物广场项目", "产业"),
    ("城东市民广场改造工程", "社会民生"),
    ("滨江文化广场", "社会民生"),
])
def test_a_brand_plaza_is_commercial_and_a_public_square_is_not(name: str, category: str) -> None:
    assert categorise(name) == category


@pytest.mark.parametrize(("text", "expected"), [
    ("全市项目开工\n5月8日,全市30个项目集中开工。其中工业项目12个,总投资40亿元,包括华辰精密轴承生产线、北湖冷链物流园等;"
     "市政项目8个,包括滨河东路改造、城南污水处理厂扩建等。",
     ["华辰精密轴承生产线", "北湖冷链物流园", "滨河东路改造", "城南污水处理厂扩建"]),
    ("全区项目开工\n5月8日,全区20个项目集中开工。此次开工项目既有星海光电显示模组、南岭新型建材产业园等涵盖新型显示、绿色建材领域的"
     "制造业项目,也有东湖水系连通整治、城西学校扩建等通过补短板方式提升城市功能的民生项目。",
     ["星海光电显示模组", "南岭新型建材产业园", "东湖水系连通整治", "城西学校扩建"]),
])
def test_lists_spelt_out_by_a_tally_or_a_batch_are_its_projects(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_list_after_includes_with_no_tally_before_is_not_read_as_projects() -> None:
    assert names("全市招商推介\n推介会上,展示了我市的优势产业,包括电子信息产业链、新材料产业链等。") == []


@pytest.mark.parametrize("text", [
    "全市项目开竣工\n5月8日,全市举行集中开竣工活动,40个项目集中开竣工,其中南湖精密模具产业园、星海光电显示模组项目等领衔。",
    "全市项目开竣工\n5月8日,全市40个项目集中开竣工,南湖精密模具产业园、星海光电显示模组项目等。与去年相比,开工数量增长20%,竣工数量增长30%。",
    "全市项目开竣工\n5月8日,全市40个项目集中开竣工,南湖精密模具产业园、星海光电显示模组项目等,体现了全市“项目投产攻坚年”的成效。",
])
def test_a_start_and_completion_event_starts_its_projects(text: str) -> None:
    stages = {p.name: p.stage for p in parse_article(text, "2024-05-08").projects}
    assert stages and set(stages.values()) == {"started"}


def test_a_stage_dated_in_a_later_year_than_the_article_is_a_plan() -> None:
    text = ("全市项目开工\n3月8日,全市20个项目集中开工。光华精密轴承生产线项目为本次开工的代表项目,总投资5亿元,"
            "2026年全面竣工投产。")
    p = by_name(text, "2024-03-09")["光华精密轴承生产线项目"]
    assert p.stage == "started"  # type: ignore[attr-defined]
    assert [e.stage for e in p.expected] == ["in_production"]  # type: ignore[attr-defined]


def test_a_signing_partner_written_before_the_project_words_is_its_investor() -> None:
    text = ("全县项目签约\n5月8日,全县重大项目签约仪式举行,10个项目签约。其中,与南方远航集团年产5万吨精密铸件项目、"
            "与北京星联智慧科技有限公司冷链物流园项目在推介会上签约。")
    got = {p.name: p.investor for p in parse_article(text, "2024-05-08").projects}
    assert sorted(got.values()) == ["北京星联智慧科技有限公司", "南方远航集团"]


def test_a_company_opening_a_project_name_without_a_partner_word_stays_in_the_name() -> None:
    text = "全县项目开工\n5月8日,北京星联智慧科技有限公司冷链物流园项目开工。"
    assert [p.investor for p in parse_article(text, "2024-05-08").projects] == [None]


@pytest.mark.parametrize(("text", "place"), [
    ("全区项目签约\n“2024年第二季度重点项目签约活动”8日在苏州吴江举行,共签约12个项目。其中,星海光电显示模组项目总投资50亿元。",
     "苏州吴江"),
    ("全区项目签约\n重点项目签约仪式8日在佛山顺德举行,共签约8个项目。大湾区国际智造联盟总部项目将建立研发总部。", "佛山顺德"),
])
def test_an_event_held_in_a_city_and_county_short_name_places_its_projects(text: str, place: str) -> None:
    assert {p.location for p in parse_article(text, "2024-05-08").projects} == {place}


def test_a_semicolon_ends_the_splits_of_a_planned_tally() -> None:
    text = ("全县项目推进\n一季度,全县列入全市重点建设项目12个,开工率达到60%;星海光电、南岭建材等6个总投资48亿元项目开工建设,"
            "华辰轴承、北湖物流等3个亿元项目竣工投产。")
    got = [(b.project_count, b.amount_yuan) for b in parse_article(text, "2024-04-10").batches]
    assert (6, 4_800_000_000) in got and (3, None) in got
    assert all(c != 12 for c, _ in got)


def test_the_figures_of_a_target_being_worked_towards_are_not_a_batch() -> None:
    text = ("全县招商推进\n县长说:“我们紧紧围绕全年落地项目30个以上,其中亿元以上项目不少于20个,制造业项目占比不低于60%的目标全力开展招商。”"
            "一季度,全县签约项目8个,总投资26亿元。")
    got = [(b.project_count, b.amount_yuan) for b in parse_article(text, "2024-04-10").batches]
    assert got == [(8, 2_600_000_000)]


def test_a_subheading_restating_a_batch_with_other_stage_words_is_the_same_batch() -> None:
    text = ("全区项目开竣工\n1月2日,全市举行重大项目开竣工活动。\n东湖区\n集中开竣工投产重大项目15个,总投资60亿\n"
            "在当天的活动上,东湖区集中开工、竣工、投产重大项目共15个,总投资60亿元。")
    got = [(b.project_count, b.amount_yuan) for b in parse_article(text, "2024-01-03").batches if b.project_count]
    assert got == [(15, 6_000_000_000)]


def test_a_facility_with_a_capacity_built_by_a_profiled_project_is_part_of_it() -> None:
    text = ("全市项目签约\n附项目概况:南岭循环经济项目,总投资12亿元,用地200亩,建设5万吨/年废旧塑料再生利用生产基地;"
            "北湖冷链物流项目,总投资6亿元,用地80亩。")
    assert names(text) == ["南岭循环经济项目", "北湖冷链物流项目"]


def test_the_projects_of_a_stage_event_spelt_out_after_includes_are_projects() -> None:
    text = ("全市云签约\n昨日,全市举行产业链招商“云签约”活动。北湖区参加“云签约”的项目包括星海光电显示模组基地、"
            "南岭年产20万吨精密铸件等。")
    assert names(text) == ["星海光电显示模组基地", "南岭年产20万吨精密铸件"]


@pytest.mark.parametrize(("text", "place"), [
    ("全市云签约\n昨日,全市举行“云签约”活动。北湖区“云签约”8个项目。青阳县参加“云签约”的项目包括星海光电显示模组基地、"
     "南岭年产20万吨精密铸件等。", "青阳县"),
    ("全市云签约\n昨日,全市举行“云签约”活动,共签约8个项目。全县参加“云签约”的项目包括星海光电显示模组基地、"
     "南岭年产20万吨精密铸件等。", None),
])
def test_a_county_opening_the_sentence_that_spells_out_its_projects_places_them(text: str, place: str | None) -> None:
    got = {p.name: p.location for p in parse_article(text, "2024-05-08").projects}
    assert got["星海光电显示模组基地"] == place


@pytest.mark.parametrize(("text", "expected"), [
    ("6月8日,云溪县举行招商引资项目签约仪式。长沙恒远精工股份有限公司、湘南理工学院、武陵山茶业集团有限公司"
     "等多家单位或企业当日签约成功。", ["长沙恒远精工股份有限公司", "湘南理工学院", "武陵山茶业集团有限公司"]),
    ("会上,北湖区举行项目签约仪式,明德新材料科技有限公司、华锐智能装备有限公司等5家机构和企业现场签约。",
     ["明德新材料科技有限公司", "华锐智能装备有限公司"]),
    ("市发改委、市商务局等单位参加了签约仪式。", []),
])
def test_signatories_counted_in_jia_as_units_or_firms_are_the_signed_projects(text: str, expected: list[str]) -> None:
    facts = parse_article(text, "2024-06-09")
    assert [p.name for p in facts.projects] == expected
    assert all(p.investor is None for p in facts.projects)  # the name already says who


@pytest.mark.parametrize(("text", "expected"), [
    ("5月9日签约的项目中,包括智能眼镜品牌“LUMA”运营方、杭州青禾文化传播有限公司,苏州远帆生物科技有限公司"
     "以及中电云网(杭州)信息技术有限公司等",
     ["智能眼镜品牌“LUMA”运营方", "杭州青禾文化传播有限公司", "苏州远帆生物科技有限公司", "中电云网(杭州)信息技术有限公司"]),
    ("当天签约的项目中,包括青禾文化传播有限公司、远帆生物科技有限公司等。", ["青禾文化传播有限公司", "远帆生物科技有限公司"]),
    ("签约的项目中,青禾文化传播有限公司投资最大,远帆生物科技有限公司等也在其列。", []),
])
def test_signed_projects_spelt_out_after_among_run_across_commas_to_their_deng(text: str, expected: list[str]) -> None:
    facts = parse_article(text, "2024-06-09")
    assert [p.name for p in facts.projects] == expected
    assert all(p.investor is None and p.stage == "signed" for p in facts.projects)


@pytest.mark.parametrize(("text", "expected"), [
    ("3月5日,江南新材料研究院、湘江大学高等研究院(长沙)与长沙市岳麓区政府签约,共建研发平台项目。",
     [("江南新材料研究院", "岳麓区"), ("湘江大学高等研究院", "岳麓区")]),
    ("9月2日,北湖智能装备产业园项目与云溪县人民政府正式签约。", [("北湖智能装备产业园项目", "云溪县")]),
    ("会上,市政府与华锐集团签署战略合作协议,推进项目建设。", []),
])
def test_the_parties_signing_with_a_government_are_signed_projects_placed_there(
        text: str, expected: list[tuple[str, str]]) -> None:
    facts = parse_article(text, "2024-06-09")
    assert [(p.name, p.location) for p in facts.projects] == expected
    assert all(p.stage == "signed" for p in facts.projects)


@pytest.mark.parametrize(("name", "category"), [
    ("湘江大学高等研究院", "产业"),
    ("江南财经大学金融学院长沙金融研究院", "产业"),
    ("湘江大学新校区", "社会民生"),
])
def test_a_research_institute_is_an_innovation_platform_even_of_a_university(name: str, category: str) -> None:
    assert categorise(name) == category


@pytest.mark.parametrize(("name", "category"), [
    ("拉哇水電站", "基础设施"),
    ("青溪醫院", "社会民生"),
    ("江口大橋", "基础设施"),
])
def test_a_short_traditional_name_with_only_facility_characters_is_read_simplified(name: str, category: str) -> None:
    assert categorise(name) == category


@pytest.mark.parametrize(("text", "place"), [
    # the district is named in the photo credit and only after the featured project: not its place
    ("全市重大项目集中开工活动东湖分会场。东湖区政府新闻办 供图\n江城市8日举行重大项目集中开工活动,共120个项目。"
     "其中,江城明德智能装备产业园项目总投资12亿元。东湖区经济面临压力。此次东湖区集中开工30个重大项目。东湖区将加快建设。",
     None),
    # the article is about the district from its first line: its projects are there
    ("东湖区重大项目集中开工\n8日,东湖区集中开工30个重大项目。其中,江城明德智能装备产业园项目总投资12亿元。"
     "东湖区将加快建设。东湖区还将推进招商。", "东湖区"),
])
def test_a_district_first_named_after_a_project_outside_captions_is_not_its_place(text: str, place: str | None) -> None:
    got = {p.name: p.location for p in parse_article(text, "2024-05-09").projects}
    assert got["江城明德智能装备产业园项目"] == place


@pytest.mark.parametrize("text", [
    "此次签约项目涉及现代信息技术项目、生物医药项目等领域。",
    "此次开工项目既有延链补链的“强产业”项目,也有公共服务、社会民生补短板等“惠民生”项目。",
    "明德资讯技术项目开工,助力全区数字化转型。",
])
def test_sector_and_campaign_words_carry_no_identity(text: str) -> None:
    got = names(text)
    assert not any(n.startswith(("现代", "社会民生")) for n in got)
    if text.startswith("明德"):
        assert got == ["明德资讯技术项目"]


@pytest.mark.parametrize(("text", "expected"), [
    ("5月6日,北湖区重大项目集中开工。北湖区城市建设投资公司代表项目建设单位发言。", []),
    ("仪式上,明德集团代表企业发言,江城明德新材料项目开工。", ["江城明德新材料项目"]),
    ("江城明德新材料项目业主代表在开工仪式上发言。", ["江城明德新材料项目"]),
])
def test_daibiao_before_project_is_the_verb_on_behalf_of(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("5月6日,江城市重点产业建设项目(第三批)集中开工仪式在各区同步举行。此次集中开工项目86个,总投资220亿元。", []),
    ("5月6日,江城明德新材料项目(一期)开工。", ["江城明德新材料项目(一期)"]),
])
def test_a_name_numbered_as_a_batch_is_the_campaign_not_a_project(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("二、凡入驻园区自建厂房项目,按投资强度供地。江城明德新材料项目已开工。", ["江城明德新材料项目"]),
    ("凡落户本区的智能制造项目,给予设备补贴。5月6日,北湖明德装备产业园项目签约。", ["北湖明德装备产业园项目"]),
])
def test_a_name_opened_by_fan_is_a_rule_condition_not_a_project(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("今年全省重点工程项目名单已确定,包括铁路、公路、城际轨道交通工程、智能电网工程建设、新兴产业等共9大类,420个项目已开工。", []),
    ("签约项目涉及智能装备制造基地、新材料产业园等6类,江城明德新材料项目投资最大。", ["江城明德新材料项目"]),
    ("5月6日,江城明德新材料项目、北湖大道改造工程等12个项目开工。", ["江城明德新材料项目", "北湖大道改造工程"]),
])
def test_the_items_of_a_list_counted_in_lei_are_classes(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("本次活动促成5个项目签约,包括:江城明德能源投资有限公司在乐亭县的热电项目、北京华锐智能装备有限公司在北戴河的电源模块项目、"
     "江南产业园项目等。", ("北戴河", "北京华锐智能装备有限公司")),
    ("5月6日,北京华锐智能装备有限公司在会上的电源模块项目签约。", (None, None)),
])
def test_a_company_at_a_county_short_name_gives_its_project_place_and_investor(
        text: str, expected: tuple[str | None, str | None]) -> None:
    p = by_name(text)["电源模块项目"]
    assert (p.location, p.investor) == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "place"), [
    ("江南明德建设有限公司投资近20亿元,将在乌鲁木齐建设国际汽配城项目。该项目明年开工建设。", "乌鲁木齐"),
    ("江南明德建设有限公司投资12亿元,计划在昆山建设智能装备产业园项目。", "昆山"),
    ("江南明德建设有限公司投资10亿元,在昆山举办的推介会上签约建设国际汽配城项目。", None),
])
def test_a_short_city_or_county_name_before_a_build_verb_is_the_place(text: str, place: str | None) -> None:
    [p] = parse_article(text, "2024-05-10").projects
    assert p.location == place


@pytest.mark.parametrize(("text", "place"), [
    ("现场签约项目中,中国华电与天府新区签署的合作协议、中国中冶与双流区合作的双流航空科技城项目等,投资均超100亿元。", "双流区"),
    ("5月6日,明德集团与云溪县共建的云溪智能装备产业园项目开工。", "云溪县"),
    ("5月6日,明德集团与高校合作的云溪智能装备产业园项目开工。", None),
])
def test_the_place_a_company_works_with_on_a_project_is_its_place(text: str, place: str | None) -> None:
    [p] = parse_article(text, "2024-05-10").projects
    assert p.location == place


def test_a_half_width_period_ending_a_line_ends_the_sentence() -> None:
    text = ("全市项目签约\n江城明德智能装备产业园项目总投资80亿元,将建设研发区和生产区两大板块.\n\n"
            "此前的5月3日,北湖新材料产业园项目、南岭冷链物流基地项目签约,投资额分别为20亿元、30亿元。")
    got = {p.name: p.amount_yuan for p in parse_article(text, "2024-05-10").projects}
    assert got == {"江城明德智能装备产业园项目": 8_000_000_000, "北湖新材料产业园项目": 2_000_000_000,
                   "南岭冷链物流基地项目": 3_000_000_000}


def test_a_name_written_again_word_for_word_is_a_mention_of_the_same_project() -> None:
    text = ("全市项目签约\n5月8日,现场签约的明德·江城未来科技城和北湖临空产业园两大项目投资均超过100亿元。"
            "其中,位于北湖临空区的明德·江城未来科技城总投资300亿元,将建设三大板块。")
    got = {p.name: p.location for p in parse_article(text, "2024-05-10").projects}
    assert got == {"明德·江城未来科技城": "北湖临空区", "北湖临空产业园": None}


@pytest.mark.parametrize(("text", "expected"), [
    ("江城项目集中签约\n5月8日,江城市举行项目集中签约仪式。在与会人员共同见证下,江城明德年产5万吨新材料生产线、"
     "北湖无人机产业园、南岭经", ["江城明德年产5万吨新材料生产线", "北湖无人机产业园"]),
    ("江城项目集中签约\n5月8日,江城市举行项目集中签约仪式。在与会人员共同见证下,江城明德年产5万吨新材料生产线、"
     "北湖无人机产业园。", []),
])
def test_a_facility_list_a_truncated_text_stops_in_names_its_complete_items(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("据悉,江城明德高强轻合金、北湖华锐精密线路板、南岭长丰动力锂电池等35个项目已超额完成年度投资计划。", []),
    ("江城明德高强轻合金、北湖华锐精密线路板等12个项目均提前完成全年投资任务。", []),
    ("江城明德高强轻合金、北湖华锐精密线路板等12个项目已投产。", ["江城明德高强轻合金", "北湖华锐精密线路板"]),
])
def test_a_list_reporting_investment_progress_names_no_milestone(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("5月8日,明德职业技术学院北湖校区实训大楼项目开工。其中,该校北湖校区实训大楼项目列入一期建设。", ["明德职业技术学院北湖校区实训大楼项目"]),
    ("5月8日,明德集团智能装备产业园项目签约。该集团智能装备产业园项目总投资20亿元。", ["明德集团智能装备产业园项目"]),
])
def test_gai_with_its_noun_is_a_pronoun_for_the_project_already_named(text: str, expected: list[str]) -> None:
    facts = parse_article(text, "2024-05-10")
    assert [p.name for p in facts.projects] == expected
    assert facts.projects[0].location is None


@pytest.mark.parametrize("text", [
    "江城新区项目开工\n16日上午,江城新区重点建设项目集中开工,本次开工项目28个,总投资约120亿元。"
    "本次开工仪式主会场设置在智能装备产业基地——明德智造园,项目总投资15.6亿元。",
    "江城一季度开工重大项目860个\n18日,江城市一季度重大项目集中开工大会在北湖科学城项目一期现场举行,该项目总投资约18亿元。",
])
def test_the_amount_of_the_project_hosting_an_event_is_not_the_batchs(text: str) -> None:
    batches = parse_article(text, "2024-02-20").batches
    assert all(b.amount_yuan not in (1_560_000_000, 1_800_000_000) for b in batches)


@pytest.mark.parametrize(("text", "batches", "stage"), [
    ("总投资80亿元 明德新材料产业园在江城开工\n5月8日上午,由明德集团投资建设的明德新材料产业园项目开工仪式在江城举行。", 0, "started"),
    ("江城项目开工\n5月8日上午,江城市重点项目集中开工仪式在北湖区举行,明德新材料产业园项目等开工。", 1, "started"),
])
def test_the_ceremony_of_one_named_project_is_no_batch(text: str, batches: int, stage: str) -> None:
    facts = parse_article(text, "2024-05-08")
    assert len(facts.batches) == batches
    assert [p.stage for p in facts.projects] == [stage]


@pytest.mark.parametrize(("text", "count"), [
    ("日前,江城市领导赴沪与企业进行重点项目签约。本次签约项目数达到28个,总投资320亿元。", 28),
    ("5月8日,北湖区举行项目集中开工仪式,开工项目数为15个,总投资60亿元。", 15),
])
def test_a_number_of_projects_written_xiangmushu_is_a_tally(text: str, count: int) -> None:
    assert count in [b.project_count for b in parse_article(text, "2024-05-10").batches]


@pytest.mark.parametrize(("text", "investor"), [
    ("江城明德电器公司启动建设智能家电5.0工厂项目,总投资18亿元。", "江城明德电器公司"),
    ("5月8日,北湖华锐装备有限公司开工建设高端数控机床产业园项目。", "北湖华锐装备有限公司"),
    ("江城明德电器公司负责人介绍,智能家电5.0工厂项目总投资18亿元,今年开工。", None),
])
def test_a_company_that_starts_building_a_project_is_its_investor(text: str, investor: str | None) -> None:
    [p] = parse_article(text, "2024-05-10").projects
    assert p.investor == investor


@pytest.mark.parametrize(("text", "expected"), [
    ("5月8日,江城明德肉制品加工延链项目开工。江城明德肉制品加工延链项目总投资达2亿元,是龙头企业——明德食品公司"
     "肉制品加工配套延伸项目,用地45亩。", ["江城明德肉制品加工延链项目"]),
    ("5月8日,北湖华锐智能装备产业园项目开工,是今年全区开工的首个项目,南岭冷链物流基地项目同日签约。",
     ["北湖华锐智能装备产业园项目", "南岭冷链物流基地项目"]),
])
def test_a_name_in_a_shi_clause_after_a_project_subject_restates_it(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("江城投资推介会举行,现场签约项目12个。会后,客商代表团先后考察了江城高新区生物城、南岭炼化百万吨/年乙烯及炼油改扩建项目等。", []),
    ("江城投资推介会举行,现场签约项目12个。会后,代表团参观了北湖明德智能装备产业园项目和华锐冷链物流园项目。", []),
    ("5月8日,北湖华锐智能装备产业园项目开工。随后,与会人员参观了北湖华锐智能装备产业园项目展厅。", ["北湖华锐智能装备产业园项目"]),
])
def test_the_places_a_delegation_visits_are_no_reported_projects(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("“我们依托明德新材料事业部技术积累,推动全新电池级磷酸铁锂生产线投产,目前产品已销往各地。”江城明德新材料有限公司"
     "相关负责人说。图为江城明德5万吨磷酸铁锂项目厂区。", ["江城明德5万吨磷酸铁锂项目"]),
    ("5月8日,江城明德全新智能工厂项目开工。", ["江城明德全新智能工厂项目"]),
])
def test_brand_new_opening_a_phrase_names_no_owner(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("江城项目集中开工\n图为领导为“开工一批”项目江城国投信息产业创新园培土奠基。(张三 摄)\n"
     "10月10日,江城市举行项目集中开工活动,24个项目开工。", [("江城国投信息产业创新园", "started")]),
    ("5月8日,市领导为北湖华锐智能装备产业园项目培土奠基。", [("北湖华锐智能装备产业园项目", "started")]),
    ("5月8日,领导为项目培土奠基。", []),
])
def test_what_leaders_break_ground_for_is_a_project(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.name, p.stage) for p in parse_article(text, "2024-05-10").projects] == expected


@pytest.mark.parametrize(("text", "place"), [
    ("5月8日,由明德新材料有限公司建设的5万吨磷酸铁锂项目开工,计划总投资12亿元。该项目所在地——北湖临港工业园地处沿江经济带。",
     "北湖临港工业园"),
    ("5月8日,华锐智能装备产业园项目开工。项目所在地为南岭经济开发区。", "南岭经济开发区"),
])
def test_the_projects_suozaidi_is_its_place(text: str, place: str) -> None:
    [p] = parse_article(text, "2024-05-10").projects
    assert p.location == place


@pytest.mark.parametrize(("text", "stage"), [
    ("今年以来,江城明德新材料项目已投产。北湖明德智造产业基地项目也将加快推进。", None),
    ("今年以来,江城明德新材料项目已投产。北湖明德智造产业基地项目加快推进。", "started"),
])
def test_jiang_before_a_progress_word_puts_it_ahead(text: str, stage: str | None) -> None:
    got = {p.name: p.stage for p in parse_article(text, "2024-05-10").projects}
    assert got[next(n for n in got if n.startswith("北湖明德智造产业基地"))] == stage


@pytest.mark.parametrize(("text", "investor"), [
    ("会上签约项目12个。华锐物流集团有限公司计划在北湖开发区建设智慧物流产业园项目;江南燃气计划在云溪县建设燃气输配项目。",
     "江南燃气"),
    ("会上签约项目12个。江南燃气拟在云溪县建设燃气输配项目。", "江南燃气"),
    ("会上签约项目12个。全县计划在云溪县建设燃气输配项目。", None),
])
def test_a_short_name_planning_to_build_in_a_place_is_the_builder(text: str, investor: str | None) -> None:
    assert by_name(text)["燃气输配项目"].investor == investor  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "category"), [
    ("北湖天然气分布式能源站冷热电三联供", "基础设施"),
    ("北湖新区集中供热工程", "基础设施"),
    ("明德储能站设备制造项目", "产业"),
])
def test_a_district_energy_plant_is_infrastructure(name: str, category: str) -> None:
    assert categorise(name) == category
