"""parse_article end to end on sentences written for each hard case, plus negatives."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

from parsers import PARSER_VERSION, parse_article


def _one(text: str, published: str | None = None):  # type: ignore[no-untyped-def]
    facts = parse_article(text, published)
    assert len(facts.projects) == 1, [p.name for p in facts.projects]
    return facts.projects[0]


def test_signed_project_with_amount_and_date() -> None:
    p = _one("今日,投资25亿元的柏林智能装备产业园项目上台签约。", "2022-12-21")
    assert (p.name, p.amount_yuan, p.amount_qualifier, p.stage, p.stage_date) == (
        "柏林智能装备产业园项目", 2_500_000_000, "exact", "signed", "2022-12-21")
    assert p.amount_text == "投资25亿元"
    assert "柏林智能装备产业园项目" in p.evidence


def test_place_investor_and_expected_milestone() -> None:
    text = ("● 华远特种工程塑料改性项目\n\n项目介绍:该项目由广东华远先进材料股份有限公司投资建设,计划总投资5亿元,"
            "落户高新区,预计达产后年产能不低于15亿元。\n\n项目进展:计划3月投产")
    p = _one(text, "2023-02-01")
    assert p.amount_yuan == 500_000_000  # not the 年产能
    assert p.location == "高新区"
    assert p.investor == "广东华远先进材料股份有限公司"
    assert p.stage == "signed"  # 落户 is reported; 投产 is planned
    assert [(e.stage, e.when) for e in p.expected] == [("in_production", "2023-03")]


def test_town_level_place_and_started() -> None:
    p = _one("3月23日上午,位于北湖区石门镇的东方精密轴承生产基地项目举行揭牌,当天下午第一根桩被打入工地。", "2023-04-10")
    assert p.location == "北湖区石门镇"
    assert p.stage == "started"


def test_usd_amount_stays_null() -> None:
    p = _one("列为标志性外资项目之一的雄鹰研发生产总部中心项目,落地临空区,总投资10亿美元。", "2024-02-19")
    assert p.amount_yuan is None and p.amount_qualifier is None


def test_wan_yuan_and_capped() -> None:
    p = _one("总投资100000万元的南城红星家居博览中心项目已主体封顶。", "2022-02-10")
    assert (p.amount_yuan, p.stage) == (1_000_000_000, "capped")


def test_planned_stage_is_not_reported() -> None:
    p = _one("今年,全市将建成北江港铁路客运工程等重大项目。", "2022-03-29")
    assert p.stage is None


def test_expansion() -> None:
    p = _one("企业扩产增资3.5亿元的星威新材料总部基地正式动工。", "2026-01-15")
    assert p.is_expansion and p.amount_yuan == 350_000_000 and p.stage == "started"


def test_traditional_text_reports_verbatim_strings() -> None:
    p = _one("總投資約600億元的萬豪(惠州)國際旅游度假區項目已簽約。", "2020-11-06")
    assert p.name == "萬豪(惠州)國際旅游度假區項目"
    assert (p.amount_yuan, p.amount_qualifier, p.stage) == (60_000_000_000, "about", "signed")


def test_shared_amount() -> None:
    facts = parse_article("投资10亿元以上外资项目2个,分别是投资青禾预制菜产业园项目和鹏程即烹即食预制菜生产基地。", "2023-04")
    assert {p.name: p.amount_yuan for p in facts.projects} == {
        "青禾预制菜产业园项目": 1_000_000_000, "鹏程即烹即食预制菜生产基地": 1_000_000_000}


def test_batch_with_splits() -> None:
    text = ("1月15日,一场东湖区重点项目的集中推进交流会举行。活动现场集中推进的25个项目,涵盖签约、动工、投产三类,"
            "计划总投资超130亿元。\n\n6个投产项目总投资49.5亿元。")
    facts = parse_article(text, "2026-01-20")
    top = facts.batches[0]
    assert (top.project_count, top.amount_yuan, top.amount_qualifier, top.date) == (
        25, 13_000_000_000, "over", "2026-01-15")
    assert any(b.project_count == 6 and b.amount_yuan == 4_950_000_000 for b in facts.batches)


def test_goals_and_plans_are_not_batches() -> None:
    text = ("锚定2026年引进亿元以上产业项目超100个、总投资超300亿元的目标。全市现有储备招商项目180个,计划投资超1200亿元。"
            "力争全年引进项目投资额超2000亿元。")
    assert parse_article(text, "2026-01-20").batches == ()


def test_policy_article_is_empty() -> None:
    text = "会议强调,要持续优化营商环境,完善招商引资激励政策,对集约用地的鼓励类工业项目优先供应土地。"
    facts = parse_article(text, "2024-04-24")
    assert facts.projects == () and facts.batches == ()


def test_to_json_shape() -> None:
    data = parse_article("投资100亿元的隆盛硅能源生产基地项目上台签约。", "2022-12-21").to_json()
    assert set(data) == {"projects", "batches"}
    assert isinstance(data["projects"][0]["aliases"], list)


def test_import_is_quiet_and_light() -> None:
    code = "import sys, parsers; print(parsers.PARSER_VERSION); print('jionlp' in sys.modules, 'opencc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [PARSER_VERSION, "False False"]


def test_parse_prints_nothing() -> None:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        parse_article("總投資超317億元的項目簽約。", None)
    assert buf.getvalue() == ""


def test_never_raises_on_fragments_and_odd_dates() -> None:
    import random
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2].parent / "shared"
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))] or ["总投资5亿元的X项目开工。"]
    rng = random.Random(7)
    for _ in range(300):
        t = rng.choice(texts)
        a = rng.randrange(len(t))
        parse_article(t[a : a + rng.randrange(1, 400)], rng.choice([None, "2023", "2023-02", "2024-02-29"]))
    for odd in ["", "项目", "投资亿元", "13月投产", "第五季度开工", "昨日开工", ")项目("]:
        parse_article(odd, "2023-02-30")
