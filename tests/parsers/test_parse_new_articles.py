"""Hand-written articles in styles the seeds and dev set lack, with the records a labeller would write.

A guard against overfitting: none of these sentences comes from a real article.
"""

from __future__ import annotations

from parsers import parse_article


def test_county_notice_traditional_half_width() -> None:
    text = (
        "青溪縣人民政府關於重大項目集中簽約的通報\n"
        "5月18日,青溪縣2024年第二季度重大項目集中簽約儀式在縣行政中心舉行,共12個項目集中簽約,總投資86.5億元。"
        "其中,總投資15億元的青溪綠色建材產業園項目落戶青溪縣高新技術產業開發區,主要生產裝配式建築部品;"
        "總投資約8億元的華清冷鏈物流中心項目落戶白石鎮。"
    )
    facts = parse_article(text, "2024-05-20")
    got = {p.name: (p.amount_yuan, p.amount_qualifier, p.location, p.stage, p.stage_date) for p in facts.projects}
    assert got == {
        "青溪綠色建材產業園項目": (1_500_000_000, "exact", "青溪縣高新技術產業開發區", "signed", "2024-05-18"),
        "華清冷鏈物流中心項目": (800_000_000, "about", "白石鎮", "signed", "2024-05-18"),
    }
    (b,) = facts.batches
    assert (b.project_count, b.amount_yuan, b.stages, b.date) == (12, 8_650_000_000, ("signed",), "2024-05-18")
    assert b.event_text == "青溪縣2024年第二季度重大項目集中簽約儀式"  # verbatim, traditional kept


def test_bullet_profiles() -> None:
    text = (
        "●瑞川半导体封装测试基地项目\n"
        "项目介绍:该项目由瑞川微电子股份有限公司投资建设,计划总投资32亿元,位于临湖经开区,主要从事功率器件封装测试。\n"
        "项目进展:今年3月已开工建设,预计明年6月投产。\n"
        "●北岸智慧冷链物流园\n"
        "项目介绍:计划总投资6.8亿元,选址于东港镇。\n"
        "项目进展:已完成主体结构封顶。"
    )
    a, b = parse_article(text, "2023-09-12").projects
    assert (a.name, a.amount_yuan, a.location, a.investor) == (
        "瑞川半导体封装测试基地项目", 3_200_000_000, "临湖经开区", "瑞川微电子股份有限公司")
    assert (a.stage, a.stage_date) == ("started", "2023-03")
    assert [(e.stage, e.when) for e in a.expected] == [("in_production", "2024-06")]
    assert (b.name, b.amount_yuan, b.location, b.stage) == ("北岸智慧冷链物流园", 680_000_000, "东港镇", "capped")


def test_roundup_with_one_shared_amount() -> None:
    # The 45亿元 is the three projects' total: it belongs to the batch, never to each project.
    text = ("近日,南川区10亿元以上项目集中开工,南川数字产业园项目、嘉禾新能源汽车零部件项目、东江生态修复工程"
            "等3个项目总投资合计45亿元。")
    facts = parse_article(text, "2022-11-03")
    assert [(p.name, p.amount_yuan, p.stage) for p in facts.projects] == [
        ("南川数字产业园项目", None, "started"),
        ("嘉禾新能源汽车零部件项目", None, "started"),
        ("东江生态修复工程", None, "started"),
    ]
    assert [(b.project_count, b.amount_yuan) for b in facts.batches] == [(3, 4_500_000_000)]


def test_usd_project() -> None:
    p, = parse_article("6月6日,总投资5亿美元的德霖精密光学元件生产基地项目在滨海新城正式签约。", "2024-06-08").projects
    assert (p.name, p.amount_yuan, p.amount_text, p.amount_qualifier) == ("德霖精密光学元件生产基地项目", None, None, None)
    assert (p.location, p.stage, p.stage_date) == ("滨海新城", "signed", "2024-06-06")


def test_target_only_meeting_yields_nothing() -> None:
    text = ("全市招商引资工作会议召开。会议提出,今年力争引进亿元以上项目200个,计划新开工产业项目150个,"
            "总投资超1000亿元;要紧盯目标任务,储备一批重大项目。")
    facts = parse_article(text, "2024-03-01")
    assert facts.projects == () and facts.batches == ()
