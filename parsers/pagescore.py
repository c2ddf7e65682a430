"""Scores an extracted page against hand labels: bag-of-characters P/R/F1 of the body (pure)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_SKIP = re.compile(r"[\s\u3000\xa0]")


@dataclass(frozen=True)
class BodyScore:
    precision: float
    recall: float
    f1: float


def chars(text: str) -> Counter[str]:
    """Multiset of the text's non-space characters (layout-independent)."""
    return Counter(_SKIP.sub("", text))


def body_score(got: str, want: str) -> BodyScore:
    """Character-bag precision, recall and F1 of ``got`` against ``want``.

    >>> body_score("甲乙丙", "甲乙丙丁")
    BodyScore(precision=1.0, recall=0.75, f1=0.857)
    >>> body_score("", "甲").f1
    0.0
    """
    g, w = chars(got), chars(want)
    common = sum((g & w).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(w.values()) if w else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return BodyScore(round(p, 3), round(r, 3), round(f, 3))


def squash(text: str) -> str:
    """Text without whitespace, for position checks of expected sentences."""
    return _SKIP.sub("", text)


def starts_with_sentence(text: str, sentence: str, window: int = 200) -> bool:
    """Whether ``sentence`` begins within the first ``window`` characters of ``text``.

    >>> starts_with_sentence("导语\\n今天，项目开工。", "今天，项目开工")
    True
    """
    at = squash(text).find(squash(sentence))
    return 0 <= at <= window


def ends_with_sentence(text: str, sentence: str, window: int = 200) -> bool:
    """Whether ``sentence`` ends within the last ``window`` characters of ``text``.

    >>> ends_with_sentence("今天，项目开工。\\n责任编辑：某", "项目开工。")
    True
    """
    flat, want = squash(text), squash(sentence)
    at = flat.rfind(want)
    return at >= 0 and len(flat) - (at + len(want)) <= window
