"""Error classes that part g of the real corpus (tune articles, first scored at 98a3bbb) exposed, each with
sentences written for the rule."""

from __future__ import annotations

import pytest

from parsers import parse_article


def places(text: str, published: str = "2024-05-10") -> dict[str, str | None]:
    return {p.name: p.location for p in parse_article(text, published).projects}


@pytest.mark.parametrize(("text", "place"), [
    # leaders listed before 等县领导 and a relative 将为我县 are not the county the article calls 我县
    ("5月8日,我县集中开工建设三个项目。这批项目的开工,将为我县经济发展注入活力。王立群、陈卫东等县领导,"
     "山阳县各镇负责人参加仪式。此次开工项目包括华宇电机项目、恒通纸业项目、金穗米业项目,总投资5亿元。", "山阳县"),
    ("5月8日,我县集中开工建设三个项目。王立群、陈卫东等县领导参加仪式。"
     "此次开工项目包括华宇电机项目、恒通纸业项目、金穗米业项目,总投资5亿元。", None),
])
def test_the_county_called_我县_is_a_real_county_named_in_the_lead(text: str, place: str | None) -> None:
    got = places(text)
    assert set(got) >= {"华宇电机项目", "恒通纸业项目", "金穗米业项目"}
    assert {got[n] for n in ("华宇电机项目", "恒通纸业项目", "金穗米业项目")} == {place}
