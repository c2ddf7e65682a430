"""The speed-ups keep exact behaviour: text.last_of equals max(rfind) and the tighter first-character filters
of text.finditer_from equal plain finditer, on real texts and every window start."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parsers.text import last_of, prepare

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TEXTS = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "data" / "dev" / "articles").glob("*.txt"))

pytestmark = pytest.mark.skipif(not TEXTS, reason="../shared not present")

_CHAR_SETS = (",。;:\n", "。!?\n", ",;:、。\n", ",;。\n", "。\n", ",;:", "。;\n", ",。;:、\n", ",。;:\n、暨",
              ",。;:!?\n", "。!?;", "。!?", ",。;\n", ",;:。\n", ",。;:!?\n、", "、")


def test_last_of_equals_max_rfind() -> None:
    rng = random.Random(3)
    for p in TEXTS[:12]:
        w = prepare(p.read_text(encoding="utf-8")).work
        for chars in _CHAR_SETS:
            for _ in range(300):
                hi = rng.randrange(-3, len(w) + 3)
                lo = rng.choice((0, max(0, hi - rng.randrange(0, 60)), rng.randrange(-2, len(w) + 2)))
                assert last_of(w, chars, lo, hi) == max(w.rfind(c, lo, hi) for c in chars), (chars, lo, hi)


def test_first_filters_every_start() -> None:
    from parsers.dates import _DATE, _DATE_FIRST
    from parsers.name_lists import _FAC_STAGE, _FAC_STAGE_FIRST
    from parsers.tallies import _COUNT, _COUNT_FIRST
    from parsers.text import finditer_from

    for p in TEXTS[:6]:
        w = prepare(p.read_text(encoding="utf-8")).work
        for pat, first in ((_DATE, _DATE_FIRST), (_COUNT, _COUNT_FIRST), (_FAC_STAGE, _FAC_STAGE_FIRST)):
            for s in range(0, len(w), 7):
                e = min(len(w), s + 1 + (s * 13) % 90)
                plain = [(m.span(), m.groupdict()) for m in pat.finditer(w, s, e)]
                assert [(m.span(), m.groupdict()) for m in finditer_from(pat, first, w, s, e)] == plain


def test_window_and_first_char_scans_equal_finditer() -> None:
    from parsers.name_lists import _LIST_STAGE, _LIST_STAGE_FIRST
    from parsers.places import _DISTRICT, district_matches
    from parsers.text import finditer_from

    rng = random.Random(11)
    works = [prepare(p.read_text(encoding="utf-8")).work for p in TEXTS]
    # Cut-and-joined texts put 区/县 and stage words next to every kind of neighbour.
    for _ in range(30):
        a, b = rng.sample(works, 2)
        i, j = rng.randrange(len(a)), rng.randrange(len(b))
        works.append(a[:i] + b[j:] + "区县(高新区)工业园区")
    for w in works:
        assert [(m.span(), m.groups()) for m in district_matches(w)] == \
            [(m.span(), m.groups()) for m in _DISTRICT.finditer(w)]
        assert _LIST_STAGE_FIRST is not None
        assert [m.span() for m in finditer_from(_LIST_STAGE, _LIST_STAGE_FIRST, w)] == \
            [m.span() for m in _LIST_STAGE.finditer(w)]


def test_place_stems_equal_plain_findall() -> None:
    import re

    from parsers.mentions import _place_stems

    works = [prepare(p.read_text(encoding="utf-8")).work for p in TEXTS]
    works += ["德清县阜溪街道,南海区", "市区县市区县", "县市"]
    for w in works:
        assert _place_stems(w) == frozenset(re.findall(r"([\u4e00-\u9fff]{2})(?:县|市|区)", w))


def test_list_stops_equal_the_backward_walk() -> None:
    from parsers.name_lists import _LIST_CHAR, _is_deng, _list_stops

    rng = random.Random(5)
    for p in TEXTS[:12]:
        w = prepare(p.read_text(encoding="utf-8")).work + "高等级A、B等项目"
        stops = _list_stops(w)
        for _ in range(400):
            end, floor = rng.randrange(len(w) + 1), rng.choice((0, rng.randrange(len(w) + 1)))
            start = end
            while start > floor and _LIST_CHAR.match(w[start - 1]) and not _is_deng(w, start - 1):
                start -= 1
            k = max((s for s in stops if s < end), default=None)
            assert min(max(floor, k + 1 if k is not None else 0), end) == start
