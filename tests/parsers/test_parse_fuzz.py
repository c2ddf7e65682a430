"""Robustness: random slices, joins and punctuation/width swaps of real texts never raise, and every verbatim
field stays a substring of the input (or of it with whitespace removed)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from parsers import parse_article

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TEXTS = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "data" / "dev" / "articles").glob("*.txt"))

pytestmark = pytest.mark.skipif(not TEXTS, reason="../shared not present")

# Half-width <-> full-width punctuation and digits, both directions.
_SWAPS = {",": "，", "，": ",", "(": "（", "（": "(", ")": "）", "）": ")", ":": "：", "：": ":", ";": "；",
          "；": ";", "1": "１", "5": "５", "0": "０", "-": "—", "。": "\n"}
_PUBLISHED = (None, "", "2023", "2023-02", "2023-02-30", "1999-12-31", "garbage", "2024-13-01", "2026-01-15")


def _mutate(rng: random.Random, texts: list[str]) -> str:
    kind = rng.randrange(4)
    a = rng.choice(texts)
    if kind == 0:  # a random slice (cuts through names, amounts and dates)
        i = rng.randrange(len(a))
        return a[i : i + rng.randrange(1, 800)]
    if kind == 1:  # two slices joined
        b = rng.choice(texts)
        return a[: rng.randrange(len(a))] + rng.choice(("", "\n", "。", "、")) + b[rng.randrange(len(b)) :]
    if kind == 2:  # punctuation and width swaps
        chars = list(a[: rng.randrange(200, 3000)])
        for k in rng.sample(range(len(chars)), min(len(chars), 60)):
            chars[k] = _SWAPS.get(chars[k], chars[k])
        return "".join(chars)
    # odd inputs: whitespace, lone symbols, repeated stage words, numbers only
    return rng.choice(("", " ", "\n\n\n", "项目", "签约签约开工投产", "总投资亿元", "1-11月", "、、、等项目",
                       "年产的项目", "同年同日次年", "5亿至", "12,500", "●\n●", a[:3]))


def _verbatim_strings(facts: Any) -> list[str]:
    out: list[str] = []
    for p in facts.projects:
        out += [p.name, *p.aliases, *p.investor_aliases, p.evidence, *(x.text for x in p.phase_amounts),
                *(h.text for h in p.stage_history), *(e.when_text for e in p.expected)]
        out += [s for s in (p.investor, p.amount_text, p.location, p.industry) if s]
    for b in facts.batches:
        out += [b.event_text, b.evidence] + ([b.location] if b.location else [])
    return out


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("seed", range(8))
def test_mutated_texts(seed: int) -> None:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    for _ in range(40):
        text = _mutate(rng, texts)
        facts = parse_article(text, rng.choice(_PUBLISHED))
        squeezed = _squeeze(text)
        for s in _verbatim_strings(facts):
            assert s in text or _squeeze(s) in squeezed, (s, text[:200])


def test_fast_scans_equal_plain_finditer() -> None:
    """The first-character scans (text.finditer_from) and the company windows find exactly what finditer finds."""
    from parsers.amounts import _AMOUNT, _AMOUNT_FIRST
    from parsers.companies import _COMPANY, company_matches
    from parsers.dates import _DATE, _DATE_FIRST
    from parsers.name_lists import _FAC_STAGE, _FAC_STAGE_FIRST
    from parsers.tallies import _COUNT, _COUNT_FIRST
    from parsers.text import finditer_from, prepare

    rng = random.Random(7)
    works = [prepare(p.read_text(encoding="utf-8")).work for p in TEXTS]
    works += [prepare(_mutate(rng, works)).work for _ in range(40)]
    for w in works:
        assert [m.span() for m in company_matches(w)] == [m.span() for m in _COMPANY.finditer(w)]
        for pat, first in ((_DATE, _DATE_FIRST), (_AMOUNT, _AMOUNT_FIRST), (_COUNT, _COUNT_FIRST),
                           (_FAC_STAGE, _FAC_STAGE_FIRST)):
            for s in range(0, len(w), 211):
                for e in (s + 40, len(w)):
                    plain = [(m.span(), m.groupdict()) for m in pat.finditer(w, s, e)]
                    assert [(m.span(), m.groupdict()) for m in finditer_from(pat, first, w, s, e)] == plain
