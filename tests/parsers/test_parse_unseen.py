"""Unseen-style articles written for this parser (not from any real page), with the records a labeller would give.

Each case is a general pattern of Chinese investment news the seeds and dev set show rarely or not at all:
numbered signing lists, per-item amounts inside 、-lists, ranges, thousands separators, foreign currency,
capacity phrases with 的 inside a name, facility heads (通道/会展中心/枢纽/大道/线/港), batches with a total but
no count, a count only in the headline, 同年/同日, and 投产后N年内达产.
"""

from __future__ import annotations

import pytest

from parsers import parse_article

ARTICLES: dict[str, tuple[str, str]] = {
    'a01_province_list': ('2025-02-18', '湖东省2025年省重点建设项目名单公布\n近日,湖东省发展改革委印发《2025年省重点建设项目计划》,共安排省重点建设项目420个,总投资1.2万亿元。其中,续建项目260个,新开工项目160个。\n名单显示,平川至云岭高速公路总投资328亿元,计划年内开工;赤水河航运枢纽工程总投资约96亿元;鸿远新能源汽车零部件产业园项目总投资超过50亿元,选址平川经济技术开发区;临江国际物流港总投资42.6亿元,计划明年建成。'),
    'a02_signing_table': ('2024-09-27', '石湾区秋季招商签约仪式举行 8个项目总投资156.3亿元\n9月26日上午,石湾区2024年秋季招商引资项目签约仪式在区会展中心举行,现场签约项目8个,总投资156.3亿元。部分签约项目如下:\n1.华辰高端医疗器械研发生产基地项目,总投资30亿元;\n2.金石数据中心项目,总投资25.5亿元;\n3.海纳冷链物流枢纽项目,总投资12,500万元;\n4.远航新材料年产5万吨锂电池隔膜项目,总投资约18亿元。'),
    'a03_start_list': ('2024-03-16', '滨江新区23个重大项目集中开工\n3月15日,滨江新区一季度重大项目集中开工活动在智慧谷举行,此次集中开工项目共23个,总投资218亿元。其中,总投资45亿元的星海半导体材料产业基地、总投资20亿元的滨江国际会展中心、总投资8.6亿元的城北污水处理厂扩建工程等项目备受关注。'),
    'a04_production': ('2023-11-09', '恒信动力电池项目一期正式投产\n本报讯 昨日,位于长丰县双墩镇的恒信动力电池项目一期正式投产。该项目由恒信新能源科技有限公司投资建设,总投资50亿元,其中一期投资20亿元,主要生产磷酸铁锂储能电池。项目于2022年6月签约,同年10月开工建设,预计投产后2年内达产,全部达产后年产值可达80亿元。'),
    'a05_foreign': ('2024-05-22', '5月21日,临港片区举行外资项目签约活动。总投资2.5亿美元的艾科特智能传感器项目落户临港片区,将建设汽车传感器研发制造基地;总投资8000万港元的港丰跨境电商结算中心项目同日签约;总投资3.6亿元的德森精密轴承项目也正式签约。'),
    'a06_ranges': ('2023-07-05', '7月4日,青湾县举行招商项目集中签约活动,共签约项目6个。其中,瑞丰生物饲料项目计划总投资5亿至10亿元,落户青湾县工业园;宏图再生资源综合利用项目总投资3-5亿元;蓝海智能装备制造项目总投资不低于8亿元。'),
    'a07_qualifiers': ('2022-10-12', '近日,东阳区又有4个重点项目开工建设。其中,总投资逾30亿元的东阳光电产业园项目位于东阳高新区;总投资近20亿元的金桥商贸综合体项目已完成桩基施工;总投资约12亿元的东阳第二水厂项目、总投资超15亿元的东阳医疗器械产业基地项目同步动工。'),
    'a08_traditional': ('2023-06-02', '6月1日,新港區舉行重大項目集中開工儀式,12個項目集中開工,總投資達150億元。其中,總投資35億元的新港國際物流樞紐項目位於新港物流園區,總投資約18億元的海晨生物醫藥產業園項目計劃明年投產。'),
    'a09_heads': ('2024-04-10', '4月9日,西平市2024年第二批重大项目集中开工。总投资62亿元的西部陆海新通道西平物流基地、总投资28亿元的西平国际会展中心、总投资15亿元的西平综合交通枢纽、总投资9.8亿元的北港新区光明大道、总投资120亿元的西平地铁3号线等项目同步开工。'),
    'a10_de_names': ('2023-08-21', '8月18日,总投资26亿元的华通铜业年产12万吨的高端电解铜箔项目在河口镇开工建设。项目建成后,将为新能源电池企业提供配套。同日,总投资8亿元的年产3万吨的高纯石英砂项目签约落户河口镇。'),
    'a11_batch_no_count': ('2024-12-03', '多个重大项目落户湘北高新区 总投资100亿元\n12月2日,湘北高新区举行重大项目签约仪式,多个重大项目集中签约落户,总投资100亿元。其中,总投资40亿元的湘北储能电池产业园项目由华储能源集团投资建设。'),
    'a12_headline_count': ('2025-01-09', '12个项目集中签约 总投资86亿元\n1月8日,云溪区重大招商项目集中签约仪式举行,总投资86亿元。签约项目涵盖新能源、新材料、现代物流等领域,其中总投资20亿元的云溪光伏组件项目落户云溪工业园。'),
    'a13_housing': ('2024-06-20', '今年以来,南城区已开工建设幸福里安置小区、滨河花园、翠湖苑等保障性住房项目,总投资约35亿元。同时,南城区还开工建设了总投资12亿元的南城人才公寓项目。'),
    'a14_production_report': ('2024-08-30', '8月29日,位于鹤峰经济开发区的金禾高端铝型材项目正式投产。该项目总投资22亿元,于2023年5月开工建设,今年6月试生产。项目达产后可实现年产值40亿元。'),
    'b01_agreement_total': ('2024-10-16', '10月15日,鹿鸣市2024年秋季重大项目签约仪式举行,共有15个项目现场签约,协议总金额达320亿元。其中,投资额约合人民币20亿元的远景零碳产业园项目将落户鹿鸣经济开发区。'),
    'b02_paren_amount': ('2023-05-10', '5月9日,桐山区重大项目集中开工。桐山智能终端产业园(总投资15亿元)、桐山冷链物流中心(总投资6亿元)同步开工建设。'),
    'b03_rmb': ('2022-09-02', '9月1日,凯达新材料项目在南溪工业园正式投产。该项目总投资为5.6亿元人民币,主要生产高性能改性塑料,达产后年产值可达12亿元。'),
    'b04_metro': ('2024-02-27', '2月26日,龙城市开工建设地铁6号线二期、东环路快速化改造工程、龙城北站综合交通枢纽,总投资合计约420亿元。'),
    'b05_bullets': ('2023-12-12', '◆ 华星光电模组项目\n项目总投资8.5亿元,位于江北新区,今年3月开工,目前主体结构已封顶。\n◆ 绿源污水处理厂二期工程\n项目总投资3.2亿元,计划明年6月建成投用。'),
    'b06_trillion': ('2025-01-20', '今年,丰州市共安排市重点项目600个,年度计划投资1500亿元。1月18日,全市一季度重大项目集中开工活动举行,集中开工项目128个,总投资约1.2万亿元。'),
    'b07_wan_amounts': ('2022-04-08', '4月7日,临溪县举行项目集中签约仪式,签约项目5个,总投资36800万元。其中,投资12000万元的临溪茶叶精深加工项目落户茶乡镇。'),
}

# name -> (amount_yuan, amount_qualifier, stage, stage_date); every project the parser must find.
PROJECTS: dict[str, dict[str, tuple[int | None, str | None, str | None, str | None]]] = {
    # an annual key-project list is a negative (issue 10): its projects are planned, not reported
    "a01_province_list": {},
    "a02_signing_table": {
        "华辰高端医疗器械研发生产基地项目": (3_000_000_000, "exact", "signed", "2024-09-26"),
        "金石数据中心项目": (2_550_000_000, "exact", "signed", "2024-09-26"),
        "海纳冷链物流枢纽项目": (125_000_000, "exact", "signed", "2024-09-26"),
        "远航新材料年产5万吨锂电池隔膜项目": (1_800_000_000, "about", "signed", "2024-09-26"),
    },
    "a03_start_list": {
        "星海半导体材料产业基地": (4_500_000_000, "exact", "started", "2024-03-15"),
        "滨江国际会展中心": (2_000_000_000, "exact", "started", "2024-03-15"),
        "城北污水处理厂扩建工程": (860_000_000, "exact", "started", "2024-03-15"),
    },
    "a04_production": {"恒信动力电池项目一期": (5_000_000_000, "exact", "in_production", "2023-11-08")},
    "a05_foreign": {
        "艾科特智能传感器项目": (None, None, "signed", "2024-05-21"),  # USD: not converted
        "港丰跨境电商结算中心项目": (None, None, "signed", "2024-05-21"),  # HKD
        "德森精密轴承项目": (360_000_000, "exact", "signed", "2024-05-21"),
    },
    "a06_ranges": {
        "瑞丰生物饲料项目": (500_000_000, "at_least", "signed", "2023-07-04"),
        "宏图再生资源综合利用项目": (300_000_000, "at_least", "signed", "2023-07-04"),
        "蓝海智能装备制造项目": (800_000_000, "at_least", "signed", "2023-07-04"),
    },
    # 近日 dates the event it opens: the article's own date (issue 10: 今天/日前/近日 → the article date)
    "a07_qualifiers": {
        "东阳光电产业园项目": (3_000_000_000, "over", "started", "2022-10-12"),
        "金桥商贸综合体项目": (2_000_000_000, "nearly", "started", "2022-10-12"),
        "东阳第二水厂项目": (1_200_000_000, "about", "started", "2022-10-12"),
        "东阳医疗器械产业基地项目": (1_500_000_000, "over", "started", "2022-10-12"),
    },
    "a08_traditional": {
        "新港國際物流樞紐項目": (3_500_000_000, "exact", "started", "2023-06-01"),
        "海晨生物醫藥產業園項目": (1_800_000_000, "about", "started", "2023-06-01"),
    },
    "a09_heads": {
        "西部陆海新通道西平物流基地": (6_200_000_000, "exact", "started", "2024-04-09"),
        "西平国际会展中心": (2_800_000_000, "exact", "started", "2024-04-09"),
        "西平综合交通枢纽": (1_500_000_000, "exact", "started", "2024-04-09"),
        "北港新区光明大道": (980_000_000, "exact", "started", "2024-04-09"),
        "西平地铁3号线": (12_000_000_000, "exact", "started", "2024-04-09"),
    },
    "a10_de_names": {
        "华通铜业年产12万吨的高端电解铜箔项目": (2_600_000_000, "exact", "started", "2023-08-18"),
        "年产3万吨的高纯石英砂项目": (800_000_000, "exact", "signed", "2023-08-18"),
    },
    "a11_batch_no_count": {"湘北储能电池产业园项目": (4_000_000_000, "exact", "signed", "2024-12-02")},
    "a12_headline_count": {"云溪光伏组件项目": (2_000_000_000, "exact", "signed", "2025-01-08")},
    "a13_housing": {  # the 35亿元 after 等保障性住房项目 is the group's, not the first item's
        "幸福里安置小区": (None, None, "started", "2024"),
        "滨河花园": (None, None, "started", "2024"),
        "翠湖苑": (None, None, "started", "2024"),
        "南城人才公寓项目": (1_200_000_000, "exact", "started", None),
    },
    "a14_production_report": {"金禾高端铝型材项目": (2_200_000_000, "exact", "in_production", "2024-08-29")},
    "b01_agreement_total": {"远景零碳产业园项目": (2_000_000_000, "about", "signed", "2024-10-15")},
    "b02_paren_amount": {
        "桐山智能终端产业园": (1_500_000_000, "exact", "started", "2023-05-09"),
        "桐山冷链物流中心": (600_000_000, "exact", "started", "2023-05-09"),
    },
    "b03_rmb": {"凯达新材料项目": (560_000_000, "exact", "in_production", "2022-09-01")},
    "b04_metro": {  # 总投资合计约420亿元 after the list is the three projects' total
        "地铁6号线二期": (None, None, "started", "2024-02-26"),
        "东环路快速化改造工程": (None, None, "started", "2024-02-26"),
        "龙城北站综合交通枢纽": (None, None, "started", "2024-02-26"),
    },
    "b05_bullets": {
        "华星光电模组项目": (850_000_000, "exact", "capped", None),  # 今年3月 dates the start, not the capping
        "绿源污水处理厂二期工程": (320_000_000, "exact", None, None),
    },
    "b06_trillion": {},
    "b07_wan_amounts": {"临溪茶叶精深加工项目": (120_000_000, "exact", "signed", "2022-04-07")},
}
# Top-level batches: (project_count, amount_yuan, stages, date).
BATCHES: dict[str, list[tuple[int | None, int | None, tuple[str, ...], str | None]]] = {
    "a01_province_list": [],  # 安排…420个 is a plan, and its 其中 split is a plan too
    "a02_signing_table": [(8, 15_630_000_000, ("signed",), "2024-09-26")],
    "a03_start_list": [(23, 21_800_000_000, ("started",), "2024-03-15")],
    "a06_ranges": [(6, None, ("signed",), "2023-07-04")],
    "a08_traditional": [(12, 15_000_000_000, ("started",), "2023-06-01")],
    "a11_batch_no_count": [(None, 10_000_000_000, ("signed",), "2024-12-02")],
    "a12_headline_count": [(12, 8_600_000_000, ("signed",), "2025-01-08")],
    "a09_heads": [(None, None, ("started",), "2024-04-09")],  # a dated 集中开工 statement is the event
    "b01_agreement_total": [(15, 32_000_000_000, ("signed",), "2024-10-15")],
    "b02_paren_amount": [(None, None, ("started",), "2023-05-09")],
    "b06_trillion": [(128, 1_200_000_000_000, ("started",), "2025-01-18")],  # 年度计划投资 is a plan
    "b07_wan_amounts": [(5, 368_000_000, ("signed",), "2022-04-07")],
}


@pytest.mark.parametrize("key", sorted(PROJECTS))
def test_projects(key: str) -> None:
    published, text = ARTICLES[key]
    facts = parse_article(text, published)
    got = {p.name: (p.amount_yuan, p.amount_qualifier, p.stage, p.stage_date) for p in facts.projects}
    assert got == PROJECTS[key]
    for p in facts.projects:  # verbatim rule
        assert p.name in text and (p.amount_text is None or p.amount_text in text) and p.evidence in text


@pytest.mark.parametrize("key", sorted(BATCHES))
def test_batches(key: str) -> None:
    published, text = ARTICLES[key]
    got = [(b.project_count, b.amount_yuan, b.stages, b.date) for b in parse_article(text, published).batches
           if b.part_of is None]
    assert got == BATCHES[key]


def test_range_and_separator_texts_are_verbatim() -> None:
    pub, text = ARTICLES["a06_ranges"]
    texts = {p.name: p.amount_text for p in parse_article(text, pub).projects}
    assert texts["瑞丰生物饲料项目"] == "计划总投资5亿至10亿元"
    assert texts["宏图再生资源综合利用项目"] == "总投资3-5亿元"
    pub, text = ARTICLES["a02_signing_table"]
    texts = {p.name: p.amount_text for p in parse_article(text, pub).projects}
    assert texts["海纳冷链物流枢纽项目"] == "总投资12,500万元"


def test_history_relative_years_and_derived_full_production() -> None:
    pub, text = ARTICLES["a04_production"]
    (p,) = parse_article(text, pub).projects
    assert [(h.stage, h.date) for h in p.stage_history] == [
        ("signed", "2022-06"), ("started", "2022-10"), ("in_production", "2023-11-08")]
    assert [(e.stage, e.when) for e in p.expected] == [("full_production", "2025-11")]
    assert [(x.text, x.amount_yuan) for x in p.phase_amounts] == [("一期投资20亿元", 2_000_000_000)]
    assert (p.location, p.investor) == ("长丰县双墩镇", "恒信新能源科技有限公司")


def test_foreign_and_rmb_wording() -> None:
    pub, text = ARTICLES["b01_agreement_total"]
    (p,) = parse_article(text, pub).projects
    assert (p.amount_text, p.location) == ("投资额约合人民币20亿元", "鹿鸣经济开发区")
    pub, text = ARTICLES["b03_rmb"]
    (p,) = parse_article(text, pub).projects  # 在南溪工业园正式投产: the park is the place, not a project
    assert p.location == "南溪工业园"


def test_place_after_one_project_is_not_the_next_ones() -> None:
    pub, text = ARTICLES["a08_traditional"]
    places = {p.name: p.location for p in parse_article(text, pub).projects}
    # The second project is not in the first one's park; it states no place, so it is where the event is held.
    assert places == {"新港國際物流樞紐項目": "新港物流園區", "海晨生物醫藥產業園項目": "新港區"}
    plans = {p.name: [(e.stage, e.when) for e in p.expected] for p in parse_article(text, pub).projects}
    assert plans == {"新港國際物流樞紐項目": [], "海晨生物醫藥產業園項目": [("in_production", "2024")]}


def test_headline_total_over_body_splits() -> None:
    text = ("长河区45个重大项目集中开工签约\n"
            "3月2日,长河区举行2025年一季度重大项目集中开工仪式。30个项目集中开工,总投资120亿元;"
            "15个项目集中签约,总投资80亿元。")
    got = [(b.project_count, b.amount_yuan, b.stages, b.part_of is None)
           for b in parse_article(text, "2025-03-03").batches]
    assert got == [(45, None, ("signed", "started"), True), (30, 12_000_000_000, ("started",), False),
                   (15, 8_000_000_000, ("signed",), False)]
