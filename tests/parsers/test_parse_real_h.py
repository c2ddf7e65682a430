"""A place error class that part h of the real corpus (tune articles, first scored after round 5) exposed, each
with sentences written for the rule."""

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
