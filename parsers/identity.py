"""Project identity: do two mentions (from two articles, or two names in one) denote the same project? Pure.

The same project is written many ways over months of news (中创新航动力电池及储能系统江门基地项目 /
中创新航50GWh动力电池及储能系统江门基地项目 / 中创新航江门基地). Rules, in order:
1. a different phase (二期 vs 一期 or no phase) or a different city is another project, and so is an
   expansion (增资扩产, 扩建…: is_expansion) of a project that is not one (unless their core names are equal:
   one name is one project, as the storage key has it); `expansion_base` links it to the project it expands;
2. clearly different investors, or amounts more than AMOUNT_RATIO apart, are another project;
3. names match when their cores (no punctuation, 项目, capacities like 50GWh, or company-form words)
   are equal, one contains the other, or they share the same lead (company short name) and most of
   the shorter name's character bigrams.
No name list, no per-article rule: only the shape of Chinese project names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.text import to_simplified

AMOUNT_RATIO = 3.0  # a project re-reported at 1/3 or 3x its amount is taken to be another project
BIGRAM_CONTAINMENT = 0.75
ALIAS_WEIGHT = 0.99
LEAD_CHARS = 2  # the company short name leads a project name (中创新航…, 隆基…); its first 2 chars must agree

_PHASES = {"一": 1, "首": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_PHASE = re.compile(r"([一二三四五首12345])期")
_CAPACITY = re.compile(
    r"(?:年产)?\d+(?:\.\d+)?\s*(?:GWh|gwh|MWh|GW|MW|万吨|吨|万套|万台|万件|万平方米|平方米|亩|条|万辆|亿片|万片)"
)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
# A leading place (江门市国家高新区…, 新会区…) says where, not which: two parks of one city must not match on it.
_LEAD_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?(?:省|市|区|县|镇)|国家级?|高新区)+")
_TRAILING = re.compile(r"(?:项目|工程)+$")
# Words that make a name an expansion of another project (二期… are phases, handled apart).
_EXPANSION = re.compile(r"(?:增资扩产|扩产增资|增资扩建|产能扩大|升级改造|二次布局|扩产|扩建|增资|技改|扩能)(?:建设)?")
# Company-form words: 中创新航科技股份有限公司 and 中创新航科技（江门）有限公司 are one investor.
_COMPANY_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|股份|公司|科技|实业|控股|\(.*?\)|（.*?）)")


def _norm(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text))


def phase(name: str) -> int | None:
    """The phase number a name states, if any.

    >>> phase("崇辉集成电路材料制造及封测总部项目（二期）"), phase("首期工程"), phase("隆基硅能源生产基地项目")
    (2, 1, None)
    """
    m = _PHASE.search(_norm(name))
    return _PHASES[m.group(1)] if m else None


@lru_cache(maxsize=1 << 16)  # pure, and called for every candidate pair a record is compared with
def core_name(name: str) -> str:
    """The part of a name that identifies the project.

    >>> core_name("中创新航50GWh动力电池及储能系统江门基地项目")
    '中创新航动力电池及储能系统江门基地'
    >>> core_name("崇辉集成电路材料制造及封测总部项目（二期）")
    '崇辉集成电路材料制造及封测总部'
    """
    text = _CAPACITY.sub("", _norm(name))
    text = _PHASE.sub("", text)
    text = _PUNCT.sub("", text)
    text = _TRAILING.sub("", text)
    stripped = _LEAD_PLACE.sub("", text)
    return stripped if len(stripped) >= 4 else text


@lru_cache(maxsize=1 << 16)
def without_expansion(name: str) -> str:
    """The name without its expansion words: what an expansion and the project it expands share.

    >>> without_expansion("中创新航动力电池及储能系统江门基地增资扩产项目")
    '中创新航动力电池及储能系统江门基地项目'
    """
    return _EXPANSION.sub("", _norm(name))


def is_expansion_name(name: str) -> bool:
    """Whether the name itself says it expands a project (二期 and later, 增资扩产, 扩建…).

    >>> is_expansion_name("崇辉集成电路材料制造及封测总部项目（二期）"), is_expansion_name("乙电池增资扩产项目")
    (True, True)
    >>> is_expansion_name("中创新航动力电池及储能系统江门基地项目"), is_expansion_name("一期工程")
    (False, False)
    """
    return (phase(name) or 1) >= 2 or bool(_EXPANSION.search(_norm(name)))


def investor_core(name: str) -> str:
    """
    >>> investor_core("中创新航科技股份有限公司") == investor_core("中创新航科技（江门）有限公司")
    True
    """
    return _PUNCT.sub("", _COMPANY_FORM.sub("", _norm(name)))


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} if len(s) > 1 else {s}


def name_similarity(a: str, b: str) -> float:
    """How much of the shorter core name the longer one holds (1.0 = equal or contained).

    >>> name_similarity("中创新航江门基地项目", "中创新航动力电池及储能系统江门基地项目") >= 0.75
    True
    >>> name_similarity("隆基硅能源生产基地项目", "隆基光伏组件项目") < 0.75
    True
    """
    ca, cb = core_name(a), core_name(b)
    if not ca or not cb:
        return 0.0
    short, long_ = sorted((ca, cb), key=len)
    if short == long_ or (len(short) >= 4 and short in long_):
        return 1.0
    if short[:LEAD_CHARS] != long_[:LEAD_CHARS]:
        return 0.0
    bs, bl = _bigrams(short), _bigrams(long_)
    return len(bs & bl) / len(bs)


@dataclass(frozen=True)
class MentionView:
    """What identity looks at in a project record (from a parser record or a stored project)."""

    names: tuple[str, ...]  # the name first, then aliases
    city: str | None = None
    investor: str | None = None
    amount_yuan: int | None = None
    is_expansion: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def phase(self) -> int | None:
        phases = {p for p in (phase(n) for n in self.names) if p is not None}
        return min(phases) if phases else None


def _phase_conflict(a: MentionView, b: MentionView) -> bool:
    # no phase and 一期 are the same project; 二期 and later only match the same phase
    pa, pb = a.phase or 1, b.phase or 1
    return pa != pb


def _expansion_conflict(a: MentionView, b: MentionView) -> bool:
    # an expansion is its own project, linked to its base by expansion_base; only one name is one project
    if a.is_expansion == b.is_expansion:
        return False
    cores = {core_name(n) for n in a.names}
    return not any(core_name(n) in cores for n in b.names)


def _investor_conflict(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    ia, ib = investor_core(a), investor_core(b)
    if not ia or not ib or ia in ib or ib in ia:
        return False
    return ia[:LEAD_CHARS] != ib[:LEAD_CHARS]


def _amount_conflict(a: int | None, b: int | None) -> bool:
    if not a or not b:
        return False
    return max(a, b) / min(a, b) > AMOUNT_RATIO


def similarity(a: MentionView, b: MentionView) -> float:
    """0 when the two cannot be one project, else the best name similarity over both name lists."""
    if a.city and b.city and a.city != b.city:
        return 0.0
    if _phase_conflict(a, b) or _expansion_conflict(a, b) or _investor_conflict(a.investor, b.investor) or _amount_conflict(
        a.amount_yuan, b.amount_yuan
    ):
        return 0.0
    # a match through an alias counts slightly less than one through the name as written, so that a tie
    # between two candidate projects goes to the one matching the article's own name
    return max((name_similarity(x, y) * (1.0 if i == 0 else ALIAS_WEIGHT)
                for i, x in enumerate(a.names) for y in b.names), default=0.0)


def same_project(a: MentionView, b: MentionView) -> bool:
    """
    >>> zc = MentionView(("中创新航50GWh动力电池及储能系统江门基地项目", "中创新航江门基地项目"), "江门市", "中创新航科技股份有限公司")
    >>> same_project(zc, MentionView(("中创新航动力电池及储能系统江门基地项目",), "江门市", "中创新航科技股份有限公司"))
    True
    >>> same_project(zc, MentionView(("中创新航动力电池及储能系统江门基地项目",), "成都市"))
    False
    >>> same_project(MentionView(("崇辉集成电路材料制造及封测总部项目（二期）",)), MentionView(("崇辉集成电路材料制造及封测总部项目",)))
    False
    """
    return similarity(a, b) >= BIGRAM_CONTAINMENT


def best_match(mention: MentionView, candidates: Sequence[tuple[int, MentionView]]) -> int | None:
    """The id of the candidate project this mention belongs to, or None for a new project."""
    best: tuple[float, int] | None = None
    for cid, cand in candidates:
        score = similarity(mention, cand)
        if score >= BIGRAM_CONTAINMENT and (best is None or score > best[0]):
            best = (score, cid)
    return best[1] if best else None


def expansion_base(mention: MentionView, candidates: Sequence[tuple[int, MentionView]]) -> int | None:
    """The project an expansion extends: for 二期 and later, the same core name at a lower phase; for another
    expansion (增资扩产, 扩建…), the same core name once the expansion words are removed, not itself an
    expansion. Same city (or no city); the best name match wins, the earliest on a tie.

    >>> base = MentionView(("崇辉集成电路材料制造及封测总部项目",))
    >>> expansion_base(MentionView(("崇辉集成电路材料制造及封测总部项目（二期）",)), [(7, base)])
    7
    >>> zc = MentionView(("中创新航动力电池及储能系统江门基地项目",), "江门市")
    >>> expansion_base(MentionView(("中创新航动力电池及储能系统江门基地增资扩产项目",), "江门市", is_expansion=True),
    ...                [(3, base), (5, zc)])
    5
    """
    mp = mention.phase or 1
    if mp < 2 and not mention.is_expansion:
        return None
    best: tuple[float, int] | None = None
    for cid, cand in candidates:
        if cand.city and mention.city and cand.city != mention.city:
            continue
        cp = cand.phase or 1
        if mp >= 2:
            if cp >= mp:
                continue
        elif cp != 1 or cand.is_expansion:
            continue
        score = max((name_similarity(without_expansion(x), without_expansion(y))
                     for x in mention.names for y in cand.names), default=0.0)
        if score >= BIGRAM_CONTAINMENT and (best is None or score > best[0]):
            best = (score, cid)
    return best[1] if best else None


def resolve(mentions: Iterable[MentionView]) -> list[int]:
    """Greedy resolution of a sequence of mentions (in article order): the cluster index of each.

    >>> resolve([MentionView(("中创新航动力电池及储能系统江门基地项目",)), MentionView(("隆基硅能源生产基地项目",)),
    ...          MentionView(("中创新航50GWh动力电池及储能系统江门基地项目",))])
    [0, 1, 0]
    """
    clusters: list[MentionView] = []
    out: list[int] = []
    for m in mentions:
        idx = best_match(m, list(enumerate(clusters)))
        if idx is None:
            clusters.append(m)
            out.append(len(clusters) - 1)
        else:
            c = clusters[idx]
            # the cluster learns the new names, investor and amount so later variants can match any of them
            clusters[idx] = MentionView(
                names=tuple(dict.fromkeys(c.names + m.names)), city=c.city or m.city,
                investor=c.investor or m.investor, amount_yuan=c.amount_yuan or m.amount_yuan,
                is_expansion=c.is_expansion,  # an expansion never joins a base (nor a base an expansion)
            )
            out.append(idx)
    return out
