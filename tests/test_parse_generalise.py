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
