"""Project identity: name variants join, different projects stay apart (own harder cases + gold same_as)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parsers.identity import MentionView, expansion_base, resolve, same_project

M = MentionView
ZC_INVESTOR = "中创新航科技股份有限公司"

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


def test_phase_two_links_to_phase_one() -> None:
    base = M(("崇辉集成电路材料制造及封测总部项目",))
    assert expansion_base(M(("崇辉集成电路材料制造及封测总部项目（二期）",)), [(3, base)]) == 3
    assert expansion_base(M(("崇辉集成电路材料制造及封测总部项目",)), [(3, base)]) is None


def test_gold_same_as_pairs_are_resolved_exactly(shared: Path) -> None:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench" / "resolve"),
                          "--shared", str(shared)], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "seed gold: pairwise precision 1.000 recall 1.000" in out
    assert "dev gold: pairwise precision 1.000" in out
