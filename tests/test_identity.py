"""Project identity: name variants join, different projects stay apart (own harder cases + gold same_as)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parsers.identity import MentionView, expansion_base, resolve, same_project

M = MentionView
ZC_INVESTOR = "中创新航科技股份有限公司"
ZC_BASE = M(("中创新航动力电池及储能系统江门基地项目", "中创新航江门基地"), "江门市", ZC_INVESTOR, 20_000_000_000)
ZC_EXPANSION = M(("中创新航动力电池及储能系统江门基地增资扩产项目",), "江门市", ZC_INVESTOR, 8_000_000_000,
                 is_expansion=True)

SAME = [
    (M(("中创新航动力电池及储能系统江门基地项目",), "江门市"), M(("中创新航50GWh动力电池及储能系统江门基地项目",), "江门市")),
    (M(("中创新航动力电池及储能系统江门基地项目",), "江门市"), M(("中创新航江门基地",), "江门市")),
    (M(("中創新航動力電池及儲能系統江門基地項目",), "江门市"), M(("中创新航动力电池及储能系统江门基地项目",), "江门市")),
    (M(("隆基硅能源生产基地项目",), "江门市", "隆基绿能", 10_000_000_000),
     M(("隆基绿能硅能源产品生产基地项目",), "江门市", "隆基绿能科技股份有限公司", 10_000_000_000)),
    (M(("华津大型金属产业园项目",)), M(("“华津”大型金属产业园",))),
    (M(("崇辉集成电路材料制造及封测总部项目",), investor="深圳市芯联电股份有限公司"),
     M(("崇辉集成电路材料制造及封测总部项目一期",), investor="芯联电")),
    (M(("君乐宝华南基地",), "江门市", amount_yuan=3_000_000_000),
     M(("君乐宝华南液态奶自产加工销售一体化基地",), "江门市", amount_yuan=2_500_000_000)),
    # two mentions of one 增资扩产 project
    (ZC_EXPANSION, M(("中创新航江门基地增资扩产项目",), "江门市", "中创新航", 8_000_000_000, is_expansion=True)),
    (M(("三菱重工空调器整体搬迁及升级扩建",), "江门市", is_expansion=True),
     M(("三菱重工空调器整体搬迁及升级扩建项目",), "江门市", "三菱重工", is_expansion=True)),
    # one name is one project, whatever one article's context said about expanding
    (M(("中创新航江门基地项目",), "江门市", is_expansion=True), M(("中创新航江门基地",), "江门市")),
]

DIFFERENT = [
    # 二期 is not 一期
    (M(("崇辉集成电路材料制造及封测总部项目（二期）",)), M(("崇辉集成电路材料制造及封测总部项目",))),
    (M(("崇辉集成电路材料制造及封测总部项目（二期）",)), M(("崇辉集成电路材料制造及封测总部一期项目",))),
    # the same company in another city is another project
    (M(("中创新航动力电池及储能系统基地项目",), "江门市", ZC_INVESTOR), M(("中创新航动力电池及储能系统基地项目",), "成都市", ZC_INVESTOR)),
    # two different projects of one investor
    (M(("隆基硅能源生产基地项目",), investor="隆基绿能"), M(("隆基光伏组件项目",), investor="隆基绿能")),
    (M(("美的集团江门智能家居产业园",)), M(("美的集团江门冰箱生产基地",))),
    # two parks of one city share only the place
    (M(("江门市国家高新区新材料产业园",)), M(("江门市国家高新区智能制造产业园",))),
    # one name, clearly different investors
    (M(("新能源电池产业园项目",), investor="中创新航科技股份有限公司"), M(("新能源电池产业园项目",), investor="宁德时代新能源科技股份有限公司")),
    # incompatible amounts (200亿 vs 5亿) for a generic name
    (M(("新材料产业园项目",), amount_yuan=20_000_000_000), M(("新材料产业园项目",), amount_yuan=500_000_000)),
    # an expansion (增资扩产 80亿) is not its 200亿 base (the audit's false merge), nor a base by another name
    (ZC_EXPANSION, ZC_BASE),
    (ZC_EXPANSION, M(("中创新航50GWh动力电池及储能系统江门基地项目",), "江门市")),
    (M(("三菱重工空调器整体搬迁及升级扩建",), is_expansion=True), M(("三菱重工空调器生产基地",))),
    # 二期 is not 一期, even when both are reported as expansions
    (M(("江松科技光伏自动化设备二期项目",), "无锡市", is_expansion=True), M(("江松科技光伏自动化设备项目",), "无锡市")),
    # the same company's expansion in another city
    (ZC_EXPANSION, M(("中创新航动力电池及储能系统成都基地增资扩产项目",), "成都市", ZC_INVESTOR, is_expansion=True)),
    # two expansions of one investor
    (ZC_EXPANSION, M(("中创新航储能电池PACK产线增资扩产项目",), "江门市", ZC_INVESTOR, is_expansion=True)),
]

# (expansion, base candidate, linked?): an expansion is its own project linked to the one it expands
LINKS = [
    (ZC_EXPANSION, ZC_BASE, True),
    (M(("中创新航江门基地扩产项目",), "江门市", is_expansion=True), ZC_BASE, True),
    (M(("崇辉集成电路材料制造及封测总部项目（二期）",), is_expansion=True), M(("崇辉集成电路材料制造及封测总部一期项目",)), True),
    (M(("崇辉集成电路材料制造及封测总部项目（二期）",), is_expansion=True), M(("崇辉集成电路材料制造及封测总部项目",)), True),
    (M(("三菱重工空调器整体搬迁及升级扩建",), "江门市", is_expansion=True), M(("三菱重工空调器项目",), "江门市"), True),
    # not: another city, another project of the investor, a base that is itself an expansion, not an expansion
    (ZC_EXPANSION, M(("中创新航动力电池及储能系统江门基地项目",), "成都市", ZC_INVESTOR), False),
    (ZC_EXPANSION, M(("中创新航储能电池PACK产线项目",), "江门市", ZC_INVESTOR), False),
    (ZC_EXPANSION, M(("中创新航江门基地技改项目",), "江门市", amount_yuan=500_000_000, is_expansion=True), False),
    (M(("中创新航储能电池PACK产线项目",), "江门市"), ZC_BASE, False),
    (M(("崇辉集成电路材料制造及封测总部项目",)), M(("崇辉集成电路材料制造及封测总部项目（二期）",), is_expansion=True), False),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_variants_are_one_project(a: MentionView, b: MentionView) -> None:
    assert same_project(a, b) and same_project(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_projects_stay_apart(a: MentionView, b: MentionView) -> None:
    assert not same_project(a, b) and not same_project(b, a)


def test_resolution_over_all_own_cases_has_no_false_merge() -> None:
    mentions = [m for pair in SAME + DIFFERENT for m in pair]
    clusters = resolve(mentions)
    for k in range(len(SAME)):
        assert clusters[2 * k] == clusters[2 * k + 1], SAME[k]
    for k in range(len(SAME), len(SAME) + len(DIFFERENT)):
        assert clusters[2 * k] != clusters[2 * k + 1], DIFFERENT[k - len(SAME)]


@pytest.mark.parametrize(("expansion", "base", "linked"), LINKS)
def test_expansion_links_to_its_base(expansion: MentionView, base: MentionView, linked: bool) -> None:
    assert not same_project(expansion, base)
    assert expansion_base(expansion, [(1, M(("隆基硅能源生产基地项目",), "江门市")), (7, base)]) == (7 if linked else None)


def test_expansion_links_to_the_base_not_to_a_sibling_expansion() -> None:
    technical = M(("中创新航江门基地技改项目",), "江门市", amount_yuan=500_000_000, is_expansion=True)
    phase_two = M(("中创新航动力电池及储能系统江门基地二期项目",), "江门市", is_expansion=True)
    assert expansion_base(ZC_EXPANSION, [(2, technical), (3, phase_two), (5, ZC_BASE)]) == 5


def test_resolution_keeps_an_expansion_apart_whichever_comes_first() -> None:
    base_again = M(("中创新航江门基地",), "江门市")
    assert resolve([ZC_BASE, ZC_EXPANSION, base_again]) == [0, 1, 0]
    assert resolve([ZC_EXPANSION, ZC_BASE, base_again, ZC_EXPANSION]) == [0, 1, 1, 0]


def test_phase_two_links_to_phase_one() -> None:
    base = M(("崇辉集成电路材料制造及封测总部项目",))
    assert expansion_base(M(("崇辉集成电路材料制造及封测总部项目（二期）",)), [(3, base)]) == 3
    assert expansion_base(M(("崇辉集成电路材料制造及封测总部项目",)), [(3, base)]) is None


def test_gold_same_as_pairs_are_resolved_exactly(shared: Path) -> None:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench" / "resolve"),
                          "--shared", str(shared)], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "seed gold: pairwise precision 1.000 recall 1.000" in out
    assert "dev gold: pairwise precision 1.000" in out
    assert "same_project pairwise precision 1.000 recall 1.000" in out
    assert f"own expansion links: {len(LINKS)}/{len(LINKS)} right" in out
