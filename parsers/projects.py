"""Projects: merge name mentions into one record per project and attach amount, stage, place, investor, dates."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .amounts import Amount, cn_number, find_amounts, is_investment
from .dates import Anchor, find_dates
from .model import Expected, Milestone, PhaseAmount, Project, stage_rank
from .name_index import NameIndex
from .names import (
    NameMention,
    facility_candidates,
    head_candidates,
    heading_candidates,
    list_candidates,
    specific_part,
)
from .places import cued_places, label_place, longest_place_prefix, paren_place, scene_place, venue_place
from .stages import StageMention, find_stages
from .text import Prepared, last_of, paragraphs, sentences

# Words that mark a phase amount (首期…计划投资45亿元) rather than the project total.
PHASE_WORDS = ("首期", "一期", "二期", "三期", "四期", "其中")
# Words that mark an expansion of something already there.
EXPANSION_WORDS = ("二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期", "扩建", "扩产", "增资", "技改", "产能扩大", "升级改造", "扩能",
                   "二次布局")
# Company suffixes (longest first).
COMPANY_SUFFIX = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司")
# Words too common to tie a company to a project by name alone.
_COMMON = frozenset(
    "科技 电子 智能 制造 智造 新材料 材料 产业 集团 项目 基地 中国 国际 发展 投资 实业 股份 有限 公司 新能源 能源 "
    "电池 动力 高新 技术 工业 生产 研发 总部 管理 运营 产业园 园区 设备 装备 精密 半导体 控股 江门 广东 深圳 广州 "
    "浙江 江苏 上海 北京 天津 福建 湖南 湖北 山东 河南 集成 电路 新型 环保 建设 工程 医药 生物 食品".split()
)


_COMMON_RE = re.compile("|".join(sorted(_COMMON, key=len, reverse=True)))


@dataclass
class _Ctx:
    prep: Prepared
    work: str
    anchor: Anchor
    sents: list[tuple[int, int]]
    paras: list[tuple[int, int]]
    amounts: list[Amount]
    stages: list[StageMention]
    default_place: str | None
    companies: list[tuple[int, int, str]] = field(default_factory=list)
    event_date: str | None = None
    event_stage: str | None = None
    single: bool = False
    short_names: frozenset[tuple[int, int, str]] = frozenset()
    title_end: int = 0
    assigned_place: dict[int, tuple[int, int]] = field(default_factory=dict)

    sent_starts: list[int] = field(default_factory=list)
    para_starts: list[int] = field(default_factory=list)
    # _scope of each mention (by id) for this article's one `ordered`/`gid`.
    scopes: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Per company (by index): followed by an investing verb; leading an industry only (以X公司为龙头).
    invests: list[bool] = field(default_factory=list)
    background: frozenset[str] = frozenset()
    # Company indices sorted by start, and those starts: a scope's companies by bisection, not a full scan.
    company_order: list[int] = field(default_factory=list)
    company_starts: list[int] = field(default_factory=list)
    company_span: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> its last span
    stage_order: list[int] = field(default_factory=list)
    stage_starts: list[int] = field(default_factory=list)
    ordered_starts: list[int] = field(default_factory=list)  # starts of the article's one `ordered` list

    def stages_between(self, lo: int, hi: int) -> list[StageMention]:
        """Stage words starting in [lo, hi), in their original order."""
        if len(self.stage_order) != len(self.stages):
            self.stage_order = sorted(range(len(self.stages)), key=lambda k: self.stages[k].start)
            self.stage_starts = [self.stages[k].start for k in self.stage_order]
        a, b = bisect_left(self.stage_starts, lo), bisect_left(self.stage_starts, hi)
        return [self.stages[k] for k in sorted(self.stage_order[a:b])]

    def first_at_or_after(self, ordered: list[NameMention], pos: int) -> int:
        """Index of the first mention of ``ordered`` (sorted by start) starting at or after ``pos``."""
        if len(self.ordered_starts) != len(ordered):
            self.ordered_starts = [o.start for o in ordered]
        return bisect_left(self.ordered_starts, pos)

    def companies_between(self, lo: int, hi: int) -> list[int]:
        """Indices (in article order) of the companies starting in [lo, hi)."""
        if len(self.company_order) != len(self.companies):
            self.company_order = sorted(range(len(self.companies)), key=lambda k: self.companies[k][0])
            self.company_starts = [self.companies[k][0] for k in self.company_order]
        a, b = bisect_left(self.company_starts, lo), bisect_left(self.company_starts, hi)
        return sorted(self.company_order[a:b])

    def __post_init__(self) -> None:
        self.sent_starts = [s for s, _ in self.sents]
        self.para_starts = [s for s, _ in self.paras]

    def sentence_of(self, i: int) -> tuple[int, int]:
        k = bisect_right(self.sent_starts, i) - 1
        return self.sents[max(k, 0)] if self.sents else (0, len(self.work))

    def paragraph_of(self, i: int) -> tuple[int, int]:
        k = bisect_right(self.para_starts, i) - 1
        return self.paras[max(k, 0)] if self.paras else (0, len(self.work))


_KEY_DROP = re.compile(r"[\s·.“”\"‘’()\-—、,]")


def _key(name: str) -> str:
    """Name normalised for matching: no punctuation or spaces, no trailing 项目."""
    k = _KEY_DROP.sub("", name)
    return k[:-2] if k.endswith("项目") and len(k) > 4 else k


_SAME_PROJECT_RE1 = re.compile(r"\d")


def same_project(a: str, b: str) -> bool:
    """Two names for one project: containment, an in-order abbreviation, or a shared brand prefix.

    >>> same_project("中创新航项目", "中创新航50GWh动力电池及储能系统江门基地项目")
    True
    >>> same_project("中创新航江门基地项目", "中创新航50GWh动力电池及储能系统江门基地项目")
    True
    >>> same_project("江门110千伏仲元输变电工程", "江门110千伏广兴输变电工程")
    False
    >>> same_project("君乐宝华南液态奶生产基地项目", "君乐宝华南液态奶自产加工销售一体化基地")
    True
    """
    ka, kb = _key(a), _key(b)
    short, long_ = sorted((ka, kb), key=len)
    if len(short) < 3:
        return False
    if short in long_:
        return True
    if len(short) >= 4 and short[:2] == long_[:2] and _subsequence(short, long_) and short[-2:] == long_[-2:]:
        return True
    prefix = _common_prefix(ka, kb)
    return len(prefix) >= 6 and not _SAME_PROJECT_RE1.search(prefix) and ka[-2:] == kb[-2:]


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def find_mentions(work: str) -> list[NameMention]:
    """All name mentions, overlapping ones resolved (the longer span wins)."""
    paras = paragraphs(work)
    found = head_candidates(work) + list_candidates(work) + heading_candidates(work, paras) + facility_candidates(work)
    # Longer spans first; drop a mention inside a kept one unless it is the same span.
    rank = {"heading": 0, "list": 1, "head": 2, "facility": 3}
    found.sort(key=lambda m: (-(m.end - m.start), m.start, rank[m.kind]))
    # A mention inside, equal to or crossing a kept one is dropped: all three are overlaps. Kept spans are
    # disjoint, so the kept span starting last before m's end is the only one to test (bisect, not a scan).
    kept: list[NameMention] = []
    starts: list[int] = []
    for m in found:
        i = bisect_left(starts, m.end) - 1
        if i >= 0 and kept[i].end > m.start and m.start < m.end:
            continue
        kept.insert(i + 1, m)
        starts.insert(i + 1, m.start)
    return kept


_SHORT_ALIASES_RE2 = re.compile(r"([^,。;:(\s]{4,60}?)\((?:以下)?简称[“\"]([^”\"]{2,20})[”\"]\)")


def short_aliases(work: str) -> dict[str, str]:
    """`X项目(以下简称“义欣项目”)`: short name -> full name, declared by the article itself.

    >>> short_aliases("浙江义欣新能源动力电池生产基地项目(以下简称“义欣项目”)举行")
    {'义欣项目': '浙江义欣新能源动力电池生产基地项目'}
    """
    out: dict[str, str] = {}
    if "简称" not in work:
        return out  # the pattern needs the word; its lazy prefix is slow to fail at every position
    for m in _SHORT_ALIASES_RE2.finditer(work):
        out[m.group(2)] = m.group(1)
    return out


_PLACE_STEMS_RE3 = re.compile(r"([\u4e00-\u9fff]{2})(?:县|市|区)")


_PLACE_SUFFIX = re.compile("县|市|区")


def _place_stems(work: str) -> frozenset[str]:
    """Two-character stems the article writes as places (德清 from 德清县), which a headline may put before a name.

    >>> sorted(_place_stems("德清县阜溪街道,南海区"))
    ['南海', '德清']
    """
    # Exactly findall over the whole text: a match is the two characters before a 县/市/区, so only merged
    # windows [q-2, q+1] around those are scanned (every CJK position would start a try otherwise).
    spans: list[list[int]] = []
    for q in _PLACE_SUFFIX.finditer(work):
        a, b = max(0, q.start() - 2), q.start() + 1
        if spans and a <= spans[-1][1]:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return frozenset(s for a, b in spans for s in _PLACE_STEMS_RE3.findall(work, a, b))


def _same_with_place(a: str, b: str, stems: frozenset[str]) -> bool:
    """same_project, also after dropping a place stem that opens one name (德清年产30万台X项目 / Y公司年产30万台X项目).

    >>> _same_with_place("德清年产30万台割草机器人项目", "华友智能装备有限公司年产30万台割草机器人项目", frozenset({"德清"}))
    True
    """
    if same_project(a, b):
        return True
    for x, y in ((a, b), (b, a)):
        if x[:2] in stems and len(x) >= 10 and same_project(x[2:], y):
            return True
    return False


def cluster(mentions: list[NameMention], aliases: dict[str, str] | None = None,
            stems: frozenset[str] = frozenset()) -> list[list[NameMention]]:
    """Group mentions naming the same project, in order of first mention."""
    aliases = aliases or {}
    # Names recur in an article: each pair is compared once (both tests are pure functions of the names).
    with_place: dict[tuple[str, str], bool] = {}
    plain: dict[tuple[str, str], bool] = {}

    def same_with_place(a: str, b: str) -> bool:
        r = with_place.get((a, b))
        if r is None:
            r = with_place[(a, b)] = _same_with_place(a, b, stems)
        return r

    def same(a: str, b: str) -> bool:
        r = plain.get((a, b))
        if r is None:
            r = plain[(a, b)] = same_project(a, b)
        return r

    # Only groups the bigram index says could match are compared (a superset of the real matches, so the
    # first matching group is the same as when comparing all): near-linear on texts with hundreds of names.
    def keys(name: str) -> list[str]:
        ks = [_key(name)]
        if name[:2] in stems and len(name) >= 10:
            ks.append(_key(name[2:]))  # _same_with_place also compares the name without its place stem
        return ks

    groups: list[list[NameMention]] = []
    index = NameIndex()
    for m in mentions:
        for gi in sorted(index.candidates(keys(m.name)) if m.name not in aliases else range(len(groups))):
            g = groups[gi]
            if any(same_with_place(m.name, o.name) or aliases.get(m.name, "").endswith(o.name)
                   or aliases.get(o.name, "").endswith(m.name) for o in g):
                g.append(m)
                index.add(gi, keys(m.name), always=m.name in aliases)
                break
        else:
            index.add(len(groups), keys(m.name), always=m.name in aliases)
            groups.append([m])
    # A later mention may bridge two groups (short alias then long name): merge transitively once.
    merged: list[list[NameMention]] = []
    merged_index = NameIndex()
    for g in groups:
        g_keys = [_key(a.name) for a in g]
        for hi in sorted(merged_index.candidates(g_keys)):
            h = merged[hi]
            if any(same(a.name, b.name) for a in g for b in h):
                h.extend(g)
                merged_index.add(hi, g_keys)
                break
        else:
            merged_index.add(len(merged), g_keys)
            merged.append(g)
    return merged


_COMPANY = re.compile(rf"[\u4e00-\u9fffA-Za-z()·]{{2,30}}?(?:{'|'.join(COMPANY_SUFFIX)})")
_COMPANY_TAIL = re.compile("公司|集团")  # every suffix ends in one of these


def company_matches(work: str) -> list[re.Match[str]]:
    """Exactly `_COMPANY.finditer(work)`, scanning only windows around 公司/集团.

    The lazy prefix makes the pattern slow to fail at every position; a match ends with an occurrence q of
    公司/集团 and starts at most 34 characters before it, so windows [q-36, q+8], merged, hold every match,
    and inside a window the engine reads nothing beyond its end.
    """
    spans: list[list[int]] = []
    for q in _COMPANY_TAIL.finditer(work):
        a, b = max(0, q.start() - 36), min(len(work), q.start() + 8)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [m for a, b in spans for m in _COMPANY.finditer(work, a, b)]


def _find_companies(work: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in company_matches(work):
        name = _trim_company(m.group(0))
        if len(name) < 4 or name.startswith(("该", "本", "这", "此", "其", "子", "总", "分")):
            continue
        s = m.end() - len(name)
        out.append((s, m.end(), name))
    out.extend(_short_investors(work, out))
    out.sort()
    return out


# A company by its short name (鑫达纺织再投资12亿元 / 园区企业恒锐精密新建的X项目 / 新加坡恒达资本投资的X项目).
_INVEST_VERB = re.compile(r"(?:再投资|追加投资|增资|新建的|新上|投资建设的|投资兴建的|投资的)")
_NOT_INVESTOR = re.compile(r"^(?:该|本|这|此|其|总|共|累计|全|今年|去年|已|将|计划|拟|公司|企业|集团|双方|政府|我|项目|协议|合同|"
                           r"固定资产|社会|民间|外商|外资|实际|新增|预计|年度|首期|一期|二期)|"
                           r"(?:项目|工程|基地|园|中心|区|县|市|镇|乡|省|公司|企业|集团|方|者|商|人|们|额|金|资金|总|共|计)$|计划|意向|完成|项目")


_SHORT_INVESTORS_RE4 = re.compile(r"[\u4e00-\u9fff]{4,9}")


def _short_investors(work: str, companies: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Companies written by a short name right before an investing verb, after a clause start, 的 or 企业.

    >>> [n for _, _, n in _short_investors("已在沭阳扎根10年的鑫达纺织再投资12亿元,建设X项目", [])]
    ['鑫达纺织']
    >>> [n for _, _, n in _short_investors("台资企业宝成精密追加投资8亿元;新加坡恒达资本投资的Y项目", [])]
    ['宝成精密', '新加坡恒达资本']
    >>> _short_investors("高新区投资10亿元,该公司投资的Z项目,今年计划投资8亿元", [])
    []
    """
    out: list[tuple[int, int, str]] = []
    for v in _INVEST_VERB.finditer(work):
        cs = last_of(work, ",。;:、\n", 0, v.start()) + 1
        head = work[cs : v.start()]
        cut = max(head.rfind("的") + 1, head.rfind("企业") + 2 if "企业" in head else 0)
        name = head[cut:]
        s = cs + cut
        if not _SHORT_INVESTORS_RE4.fullmatch(name) or _NOT_INVESTOR.search(name) or \
                longest_place_prefix(name) == name or any(a <= s < b or s <= a < v.start() for a, b, _ in companies):
            continue
        out.append((s, v.start(), name))
    return out


_COMPANY_CUT = re.compile(
    r"(?:的|是|由|与|和|及|在|为|将|对|从|向|了|以|企业|龙头|冠军|巨人|首位|前三|领域|投资方|引进|吸引|推动|"
    r"成功|签约|落户|联盟|董事长|总经理|主任|表示|说|介绍|——|—|:)"
)


def _trim_company(s: str) -> str:
    last = 0
    for m in _COMPANY_CUT.finditer(s):
        if len(s) - m.end() >= 4:
            last = m.end()
    return s[last:].lstrip("()")


_BUILD_PROJECTS_RE5 = re.compile(r"分别")
_BUILD_PROJECTS_RE6 = re.compile(r"分别(?:是|为)")
_BUILD_PROJECTS_RE7 = re.compile(r"(?:落户|位于|落地|选址|布局|建在|在)(?:于|在)?")
_BUILD_PROJECTS_RE8 = re.compile(r"的?(?:这个|该|此)?项目")
_BUILD_PROJECTS_RE9 = re.compile(r"[。;]")
_BUILD_PROJECTS_RE10 = re.compile(r"投资(?:额|总额)?$")
_BUILD_PROJECTS_RE11 = re.compile(r"(?:为|是)")
_BUILD_PROJECTS_RE12 = re.compile(r"(?:这个|该|此)[^,。;]{0,12}项目$")
_BUILD_PROJECTS_RE13 = re.compile(r"(?:这个|该|此)项目[^,。;]{0,6}$")
_BUILD_PROJECTS_RE14 = re.compile(r",(?:主要)?(?:建设|用于建设|打造|新建|实施)")
_BUILD_PROJECTS_RE15 = re.compile(r"\d+\s*个")
_BUILD_PROJECTS_RE16 = re.compile(r"(?:这个|该|此)")


def build_projects(prep: Prepared, anchor: Anchor, default_place: str | None,
                   event_date: str | None = None, event_stage: str | None = None) -> list[Project]:
    """One Project per named project in the article, attributes read around its mentions."""
    work = prep.work
    ctx = _Ctx(
        prep=prep,
        work=work,
        anchor=anchor,
        sents=sentences(work),
        paras=paragraphs(work),
        amounts=find_amounts(work),
        stages=find_stages(work),
        default_place=default_place,
        event_date=event_date,
        event_stage=event_stage,
    )
    ctx.companies = _find_companies(work)
    ctx.short_names = frozenset(c for c in ctx.companies if not c[2].endswith(COMPANY_SUFFIX))
    ctx.invests = [bool(_INVESTS.match(work, e, e + 40)) for _, e, _ in ctx.companies]
    ctx.background = frozenset(name for _, ce, name in ctx.companies if _BACKGROUND.match(work[ce : ce + 4]))
    mentions = find_mentions(work)
    # Only short names declared for a project (not for a zone: 起步区) count.
    aliases = {k: v for k, v in short_aliases(work).items() if any(m.name.endswith(v) or v.endswith(m.name)
                                                                    for m in mentions)}
    # A declared short name is a mention wherever it appears.
    for short in aliases:
        for mm in re.finditer(re.escape(short), work):
            if not any(o.start <= mm.start() < o.end for o in mentions):
                mentions.append(NameMention(mm.start(), mm.end(), short, "head"))
    mentions.sort(key=lambda x: x.start)
    groups = cluster(mentions, aliases, _place_stems(work))
    first_line = work.find("\n")
    if 0 < first_line <= 60 and not _BUILD_PROJECTS_RE9.search(work[:first_line]) and not _ITEM_NUMBER.match(work):
        ctx.title_end = first_line
    groups = _merge_title_groups(work, groups, ctx.title_end)
    ctx.single = len(groups) == 1
    gid = {id(m): i for i, g in enumerate(groups) for m in g}
    ordered = sorted(mentions, key=lambda m: m.start)
    claimed: set[int] = set()
    amount_of: dict[int, tuple[Amount, bool]] = {}
    # Pass 0: A、B和C分别落户X、Y和Z / 总投资分别为a、b和c: the i-th place or amount is the i-th name's.
    ctx.assigned_place = {}
    for fb in _BUILD_PROJECTS_RE5.finditer(work):
        ss = last_of(work, "。;\n", 0, fb.start()) + 1
        names: list[int] = []
        for o in ordered:
            if ss <= o.start < fb.start() and gid[id(o)] not in names:
                names.append(gid[id(o)])
        if len(names) < 2:
            continue
        ce = min([i for i in (work.find(c, fb.end()) for c in ",。;\n") if i >= 0] or [len(work)])
        mp = _BUILD_PROJECTS_RE7.match(work[fb.end() : ce])
        if mp:
            spans = _list_spans(work, fb.end() + mp.end(), ce)
            if len(spans) == len(names) and all(
                    longest_place_prefix(work[a:b]) == work[a:b] or venue_place(work[a:b]) for a, b in spans):
                for g, sp in zip(names, spans, strict=True):
                    ctx.assigned_place.setdefault(g, sp)
        if _BUILD_PROJECTS_RE10.search(work[max(ss, fb.start() - 6) : fb.start()]) and \
                _BUILD_PROJECTS_RE11.match(work[fb.end() : fb.end() + 1]):
            listed = [a for a in ctx.amounts if fb.end() <= a.start < ce and a.yuan is not None]
            if len(listed) == len(names) and not any(id(a) in claimed for a in listed):
                for g, amt in zip(names, listed, strict=True):
                    if g not in amount_of:
                        amount_of[g] = (amt, False)
                        claimed.add(id(amt))
    # Pass 1: amounts written right before a name (投资100亿元的X项目).
    for m in ordered:
        a = _amount_before(ctx, m)
        if a is not None and id(a) not in claimed:
            claimed.add(id(a))
            amount_of.setdefault(gid[id(m)], (a, False))
    # Pass 2: the first investment amount after the name in its scope.
    for m in ordered:
        g = gid[id(m)]
        if g in amount_of:
            continue
        a = _amount_after(ctx, m, ordered, gid, claimed)
        if a is not None:
            claimed.add(id(a))
            amount_of[g] = (a, True)
    # Pass 3: one amount shared by a list (投资10亿元以上项目2个,分别是A和B): each gets it.
    for fb in _BUILD_PROJECTS_RE6.finditer(work):
        clause = last_of(work, "。;\n", 0, fb.start()) + 1
        shared = [a for a in ctx.amounts if clause <= a.start < fb.start() and a.yuan is not None
                  and is_investment(work, a, clause)]
        if len(shared) != 1:
            continue
        end = _sentence_end_loose(work, fb.end())
        comma = work.find(",", fb.end(), end)
        end = comma if comma > 0 else end
        for o in ordered:
            if fb.end() <= o.start < end and gid[id(o)] not in amount_of:
                amount_of[gid[id(o)]] = (shared[0], False)
    # Pass 4: `这个计划投资44亿元的项目` / `该项目总投资…`: an anaphoric amount goes to the last project named before.
    for a in ctx.amounts:
        if id(a) in claimed or a.yuan is None:
            continue
        clause = last_of(work, ",。;:\n", 0, a.start) + 1
        if not is_investment(work, a, clause):
            continue
        anaphor = _BUILD_PROJECTS_RE12.search(work[a.end : a.end + 20].split(",")[0]) or _BUILD_PROJECTS_RE13.search(work[clause : a.start])
        tail = _BUILD_PROJECTS_RE8.match(work[a.end : a.end + 6])
        # 该项目由X投资建设,总投资50亿元: a sentence about 该项目 whose first investment figure this is.
        sent_start = last_of(work, "。!?\n", 0, a.start) + 1
        subj = _SUBJECT.match(work, sent_start, sent_start + 12)
        subject = subj is not None and (bool(subj.group(1)) or _one_project_before(work, sent_start, ordered, gid)) and not any(
            w in work[max(sent_start, a.start - 12) : a.start] for w in PHASE_WORDS) and not any(
            sent_start <= b.start < a.start and is_investment(work, b, sent_start) for b in ctx.amounts) and not any(
            sent_start <= o.start < a.start for o in ordered)
        if not (anaphor or subject or (tail and _BUILD_PROJECTS_RE16.search(work[clause : a.start]))):
            continue
        prev = [o for o in ordered if o.end <= a.start]
        if prev and gid[id(prev[-1])] not in amount_of and a.start - prev[-1].end < 200:
            amount_of[gid[id(prev[-1])]] = (a, True)
            claimed.add(id(a))
    # Pass 5: `计划总投资50亿元,建设…的X项目`: an amount stated just before, with a building verb between.
    for m in ordered:
        if gid[id(m)] in amount_of or m.kind == "heading":
            continue
        sa, _ = ctx.sentence_of(m.start)
        before = [a for a in ctx.amounts if sa <= a.start and a.end <= m.start and id(a) not in claimed
                  and a.yuan is not None]
        if not before:
            continue
        a = before[-1]
        between = work[a.end : m.start]
        clause = last_of(work, ",。;:\n", 0, a.start) + 1
        if (len(between) <= 40 and _BUILD_PROJECTS_RE14.match(between)
                and not _BUILD_PROJECTS_RE15.search(work[clause : m.start])
                and not any(o is not m and a.end <= o.start < m.start for o in ordered)
                and is_investment(work, a, clause)):
            amount_of[gid[id(m)]] = (a, True)
            claimed.add(id(a))
    projects: list[Project] = []
    for k, grp in enumerate(groups):
        if all(_is_place_project(work, m.name) for m in grp):
            continue
        proj = _project(ctx, grp, amount_of.get(k), ordered, gid)
        if not proj.stage_history and all(_INTENT.search(work, *ctx.sentence_of(m.start)) for m in grp):
            continue  # 达成投资意向,涉及X等项目 / 意向投资…的X项目进入磋商: a lead, not a project
        if proj.name:
            projects.append(proj)
    return projects


_INTENT = re.compile(r"意向|磋商|洽谈中|在谈")


# A sentence about the project just named: 该项目… / 据悉,项目总投资… / 其总投资….
_SUBJECT = re.compile(r"\s*(?:(?:据悉|据了解|据介绍|记者了解到|另悉|经了解),?)?\s*(?:((?:这个|该|此)项目)|项目|其(?![中他它余]))")


_ONE_PROJECT_BEFORE_RE17 = re.compile(r"等|[\d一二三四五六七八九十两多]+\s*(?:个|家|项)")


def _one_project_before(work: str, sent_start: int, ordered: list[NameMention], gid: dict[int, int]) -> bool:
    """The sentence before sent_start names exactly one project (so a bare 项目/其 can only mean that one).

    >>> w = "6月11日,A电池项目开工。项目总投资120亿元"
    >>> m = NameMention(6, 12, "A电池项目", "head")
    >>> _one_project_before(w, 15, [m], {id(m): 0})
    True
    """
    prev_end = sent_start - 1
    while prev_end > 0 and work[prev_end - 1] in "。!?\n ":
        prev_end -= 1  # the previous sentence may end a paragraph
    if prev_end <= 0:
        return False
    ps = last_of(work, "。!?\n", 0, prev_end) + 1
    if _ONE_PROJECT_BEFORE_RE17.search(work[ps:prev_end]):
        return False  # X等5个项目集中开工。项目总投资…: the sentence is about a batch, not one project
    groups = {gid[id(o)] for o in ordered if ps <= o.start < sent_start}
    last = [o for o in ordered if o.end <= sent_start]
    return len(groups) == 1 and bool(last) and gid[id(last[-1])] in groups


_IS_PLACE_PROJECT_RE18 = re.compile(r"([\u4e00-\u9fff]{2})项目")


def _is_place_project(work: str, name: str) -> bool:
    """`深圳项目`: a two-character place + 项目 is where projects come from, not one project.

    The two characters count as a place when the article also writes them with a place suffix or after
    来自 (from).

    >>> _is_place_project("超过1/3的项目来自深圳。深圳项目扎堆", "深圳项目"), _is_place_project("灯火汇项目", "灯火汇项目")
    (True, False)
    """
    m = _IS_PLACE_PROJECT_RE18.fullmatch(name)
    if not m:
        return False
    stem = re.escape(m.group(1))
    return bool(re.search(rf"{stem}(?:市|省|区|县)|来自{stem}|{stem}等地", work))


def _scope(ctx: _Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int]) -> tuple[int, int]:
    """From the mention to the next mention of another project, within its paragraph (or its heading block)."""
    hit = ctx.scopes.get(id(m))
    if hit is None:
        hit = ctx.scopes[id(m)] = _scope_of(ctx, m, ordered, gid)
    return hit


def _scope_of(ctx: _Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int]) -> tuple[int, int]:
    end_of = m.group[1] if m.group else m.end
    if m.kind == "heading":
        limit = _block_end(ctx, m)
    elif m.group is not None:
        limit = ctx.sentence_of(m.start)[1]  # a list's own words end with its sentence (;-separated lists)
    else:
        limit = ctx.paragraph_of(m.start)[1]
    for o in ordered[ctx.first_at_or_after(ordered, end_of):]:
        if o.start >= end_of and gid[id(o)] != gid[id(m)] and (m.group is None or o.group != m.group):
            ostart = o.group[0] if o.group else o.start
            # Words in the next name's own clause (…,加快推进X) speak about that name, not this one.
            clause = last_of(ctx.work, ",;。\n", end_of, ostart) + 1
            limit = min(limit, clause if clause > end_of else ostart)
            break
    return end_of, limit


_BLOCK_END_RE19 = re.compile(r"[,。;:!?]")


def _block_end(ctx: _Ctx, m: NameMention) -> int:
    """A heading's block runs until the next short unpunctuated line (the next heading) or 6 paragraphs."""
    idx = [k for k, (a, _) in enumerate(ctx.paras) if a <= m.start][-1]
    end = ctx.paras[idx][1]
    for a, b in ctx.paras[idx + 1 : idx + 7]:
        line = ctx.work[a:b]
        if len(line) <= 40 and not _BLOCK_END_RE19.search(line):
            break
        end = b
    return end


_AMOUNT_BEFORE_RE20 = re.compile(r"(?:人民币)?(?:级)?的?")


def _amount_before(ctx: _Ctx, m: NameMention) -> Amount | None:
    """`投资100亿元的X项目` / `扩产增资3.5亿元的X`: an amount ending at most a few characters before the name.

    A list item's own amount stands right before it (总投资45亿元的A、总投资20亿元的B等项目).
    """
    start = m.start
    for a in reversed(ctx.amounts):
        if a.end > start:
            continue
        gap = ctx.work[a.end : start]
        clause = last_of(ctx.work, ",。;:\n、", 0, a.start) + 1
        if gap == "," and _own_total_clause(ctx.work, a, clause):
            return a  # …领军企业,总投资24.68亿元,年产4万吨…项目: a clause of its own naming the next project's total
        if len(gap) > 6 or not _AMOUNT_BEFORE_RE20.fullmatch(gap):
            return None
        if is_investment(ctx.work, a, clause) or (gap.endswith("的") and not _non_investment_before(ctx.work, a, clause)):
            return a
        return None
    return None


_OWN_TOTAL_CLAUSE_RE21 = re.compile(r"(?:计划)?(?:总投资|投资总额)(?:额)?(?:为|达|约)?")
_OWN_TOTAL_CLAUSE_RE22 = re.compile(r"(?:项目|工程|基地|园|中心|港|线)[”\"]?$")


def _own_total_clause(work: str, a: Amount, clause: int) -> bool:
    """The amount's clause is only `总投资X亿元`, and the clause before it does not end in a project name."""
    if not _OWN_TOTAL_CLAUSE_RE21.fullmatch(work[clause : a.start]):
        return False
    prev = work[max(0, clause - 30) : max(0, clause - 1)]
    prev_clause = prev[max(prev.rfind(c) for c in ",。;:\n") + 1 :]
    if _BUILD_PROJECTS_RE15.search(prev_clause):
        return False  # 开工项目68个,总投资426亿元,A项目…: the total is the tally's
    return not _OWN_TOTAL_CLAUSE_RE22.search(prev)


def _non_investment_before(work: str, a: Amount, clause: int) -> bool:
    from .amounts import NON_INVESTMENT

    head = work[clause : a.start]
    return any(k in head for k in NON_INVESTMENT)


_AMOUNT_AFTER_RE23 = re.compile(r"\s*(?:在内|等)")


def _amount_after(ctx: _Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int],
                  claimed: set[int]) -> Amount | None:
    s_end = ctx.sentence_of(m.start)[1]
    lo, hi = _scope(ctx, m, ordered, gid)
    if _AMOUNT_AFTER_RE23.match(ctx.work[m.end : m.end + 3]) or (
            m.group is not None and ctx.work.startswith("等", m.group[1])):
        return None  # 包括X在内,…总投资566亿元 / A、B、C等项目,总投资35亿元: the amount is the group's
    if m.group is not None:
        # A list item's own amount sits inside its item (A(总投资15亿元)、B…); after the list comes the whole
        # list's total (开工建设A、B、C,总投资合计420亿元).
        nxt = ctx.work.find("、", m.end, m.group[1])
        lo, hi = m.end, nxt if nxt >= 0 else m.group[1]
    if m.kind != "heading":
        hi = min(hi, _sentence_end_loose(ctx.work, m.end))
    for a in ctx.amounts:
        if a.start < lo or a.start >= hi or id(a) in claimed:
            continue
        clause = last_of(ctx.work, ",。;:\n", 0, a.start) + 1
        if not is_investment(ctx.work, a, clause):
            continue
        if _phase_amount(ctx.work, a, max(clause, m.end)):
            continue
        if _BUILD_PROJECTS_RE15.search(ctx.work[min(clause, max(lo, m.end)) : a.start]):
            continue  # an amount of a tally (项目15个,总投资…)
        semi = ctx.work.rfind(";", m.end, a.start)
        if semi >= 0 and _BUILD_PROJECTS_RE14.match(ctx.work[a.end : a.end + 6]):
            continue  # A项目;B企业追加投资8亿元,实施C项目: the amount opens the next item's clause
        return a
    del s_end
    return None


def _phase_amount(work: str, a: Amount, floor: int) -> bool:
    """A phase word (首期/一期…/其中) written after `floor` and at most 12 characters before the amount.

    The floor is the end of the project's name: the name's own phase (恒力三期项目总投资200亿元) is the
    project, and its total is the project's amount.

    >>> w = "恒力三期项目总投资200亿元,其中一期投资50亿元"
    >>> [_phase_amount(w, a, 6) for a in find_amounts(w)]
    [False, True]
    """
    before = work[max(floor, a.start - 12) : a.start]
    return any(w in before for w in PHASE_WORDS)


_TITLE_SEP = re.compile(r"——|—|--|\s+|\||:")
# A clause whose subject is the article's one project: 项目/该项目/项目一期/首条生产线 before the stage word.
_BARE_SUBJECT = re.compile(r"^(?:目前|当前|现在|如今)?(?:(?:该|这个|此)?项目(?![二三四五六七八九十]期)|一期|首期|首条生产线)")


def _merge_title_groups(work: str, groups: list[list[NameMention]], title_end: int) -> list[list[NameMention]]:
    """A headline name written as place + a shorter description (宜宾三江新区锂电正极材料项目) is the body's one
    project whose name ends the same way (年产10万吨磷酸铁锂正极材料项目), not another project.

    >>> w = "三江新区锂电正极材料项目签约\\n总投资6亿元的年产5万吨磷酸铁锂正极材料项目签约。"
    >>> gs = [[NameMention(0, 12, "三江新区锂电正极材料项目", "head")], [NameMention(22, 38, "年产5万吨磷酸铁锂正极材料项目", "head")]]
    >>> [[m.name for m in g] for g in _merge_title_groups(w, gs, 14)]
    [['年产5万吨磷酸铁锂正极材料项目', '三江新区锂电正极材料项目']]
    """
    if not title_end:
        return groups
    out = [g for g in groups if not all(m.end <= title_end for m in g)]
    for g in groups:
        if not all(m.end <= title_end for m in g):
            continue
        k = _key(g[0].name)
        place = longest_place_prefix(k)
        hits = [o for o in out if place and len(_common_suffix(k, _key(o[0].name))) >= 4
                and not _key(o[0].name).startswith(place)]
        if place and len(hits) == 1:
            hits[0].extend(g)
        else:
            out.append(g)
    order = {id(g): i for i, g in enumerate(groups)}
    return sorted(out, key=lambda g: order.get(id(g), 0))


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :]


def _title_segment(work: str, start: int, end: int, title_end: int) -> tuple[int, int]:
    """The part of a headline (split at dashes, spaces, |, :) that holds work[start:end]."""
    a, b = 0, title_end
    for m in _TITLE_SEP.finditer(work, 0, title_end):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            b = m.start()
            break
    return a, b


_SINGLE_PROJECT_STAGES_RE24 = re.compile(r"^\d{4}年|^\d{1,2}月(?:\d{1,2}日)?(?:底|初|中旬|下旬|上旬)?|^(?:同年|当年|当月|今年|去年)\d{0,2}月?")
_SINGLE_PROJECT_STAGES_RE25 = re.compile(r"\d+\s*个|[二三四五六七八九十]期")


def _single_project_stages(ctx: _Ctx, ordered: list[NameMention]) -> list[StageMention]:
    """Reported stage words of body clauses about the article's one project (同年9月,项目破土动工 /
    目前一期已实现满产); a clause on phase 2 or a tally (…个) is not about it.

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> w = "X报道\\n甲乙新材料年产5万吨树脂项目生产车间里机器轰鸣。今年5月,项目一期进入试生产,目前一期已实现满产。"
    >>> p, = build_projects(prepare(w), Anchor(2024, 9, 5), None)
    >>> p.stage
    'full_production'
    """
    work = ctx.work
    out: list[StageMention] = []
    for st in ctx.stages:
        if st.planned or st.start < ctx.title_end or _alternative(work, st):
            continue
        cs = last_of(work, ",。;:!?\n", 0, st.start) + 1
        clause = work[cs : st.start]
        clause_m = _SINGLE_PROJECT_STAGES_RE24.sub("", clause)
        if not _BARE_SUBJECT.search(clause_m) or _SINGLE_PROJECT_STAGES_RE25.search(clause):
            continue
        if any(cs <= o.start < st.start for o in ordered):
            continue  # the clause names the project itself: its own scope reads it
        out.append(st)
    return out


_LIST_SPANS_RE26 = re.compile(r"(?:正式|顺利|成功|集中)?(?:签约|落地|开工|动工|投产|建设|举行).*$")
_LIST_SPANS_RE27 = re.compile(r"、|(?:以及|和|及|与)(?=[\u4e00-\u9fff]{2})")


def _list_spans(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a list X、Y和Z in work[start:end] (a closing stage verb cut off).

    >>> w = "网岭镇、皇图岭镇、新市镇和酒埠江镇"
    >>> [w[a:b] for a, b in _list_spans(w, 0, len(w))]
    ['网岭镇', '皇图岭镇', '新市镇', '酒埠江镇']
    """
    tail = _LIST_SPANS_RE26.search(work[start:end])
    if tail:
        end = start + tail.start()
    spans: list[tuple[int, int]] = []
    i = start
    for m in _LIST_SPANS_RE27.finditer(work[start:end]):
        a, b = start + m.start(), start + m.end()
        if m.group(0) != "、" and spans == [] and "、" in work[b:end]:
            continue  # 和 inside the first item
        spans.append((i, a))
        i = b
    spans.append((i, end))
    return [(a, b) for a, b in spans if b - a >= 2]


_LOOSE_END = re.compile(r"[。!?\n]")


def _sentence_end_loose(work: str, i: int) -> int:
    """End of the sentence at i, counting ; as inside the sentence (lists of facts about one project)."""
    m = _LOOSE_END.search(work, i)
    return m.start() if m else len(work)


_PROJECT_RE28 = re.compile(r"首期|一期")


def _project(ctx: _Ctx, group: list[NameMention], amount: tuple[Amount, bool] | None,
             ordered: list[NameMention], gid: dict[int, int]) -> Project:
    prep, work = ctx.prep, ctx.work
    names = []
    for m in group:
        v = prep.verbatim(m.start, m.end, squeeze=True)
        if v not in names:
            names.append(v)
    canonical = max(names, key=lambda n: (len(_key(n)), n.endswith("项目")))
    aliases = tuple(n for n in names if n != canonical and _key(n) != _key(canonical))
    first = group[0]

    # Amount and phase amounts.
    amount_yuan = amount_text = qualifier = None
    phases: list[PhaseAmount] = []
    if amount is not None:
        a, _ = amount
        amount_yuan = a.yuan
        if amount_yuan is not None:
            amount_text = _amount_phrase(ctx, a)
            qualifier = a.qualifier
    for m in group:
        lo, hi = _scope(ctx, m, ordered, gid)
        for a in ctx.amounts:
            if lo <= a.start < hi and a.yuan is not None:
                before = work[max(0, m.end, a.start - 14) : a.start]  # the name's own 一期 is not a phase amount
                clause = last_of(work, ",。;:\n", 0, a.start) + 1
                if _PROJECT_RE28.search(before) and is_investment(work, a, clause):
                    text = prep.verbatim(_phase_start(work, a), a.end)
                    pa = PhaseAmount(text=text, amount_yuan=a.yuan)
                    if pa not in phases:
                        phases.append(pa)

    # Stages.
    history: list[Milestone] = []
    expected: list[Expected] = []
    per: list[tuple[list[StageMention], list[StageMention]]] = []
    for m in group:
        rep, plan = _stages_for(ctx, m, ordered, gid)
        if m.end <= ctx.title_end:
            # A headline 从一纸协议到满产满销——X项目建设纪实: a stage word in another part of the headline is
            # the story's arc, not X's news.
            seg = _title_segment(work, m.start, m.end, ctx.title_end)
            rep = [st for st in rep if seg[0] <= st.start < seg[1]]
        per.append((rep, plan))
    if ctx.single:
        # One project in the article: the body's 项目/该项目/一期 sentences speak about it.
        per.append((_single_project_stages(ctx, ordered), []))
    for rep, plan in per:
        for st in rep:
            date = _stage_date(ctx, st)
            text = _clause_text(ctx, st)
            same = next((k for k, h in enumerate(history) if h.stage == st.stage), None)
            if same is None:
                history.append(Milestone(stage=st.stage, date=date, text=text))
            elif history[same].date is None and date is not None:
                history[same] = Milestone(stage=st.stage, date=date, text=text)  # a headline's undated mention
        for st in plan:
            when, when_text = _expected_when(ctx, st)
            if not any(e.stage == st.stage for e in expected):
                expected.append(Expected(stage=st.stage, when_text=when_text, when=when))
    # A headline's undated stage is the dated event's when they are the same stage.
    history = [Milestone(stage=h.stage, date=ctx.event_date, text=h.text)
               if h.date is None and h.stage == ctx.event_stage and ctx.event_date else h for h in history]
    if not history and ctx.event_stage and all(stage_rank(e.stage) > stage_rank(ctx.event_stage) for e in expected) \
            and not all(_INTENT.search(work, *ctx.sentence_of(m.start)) for m in group):
        # An article about one dated event (X项目集中签约仪式): a project it names with no stage of its own is
        # one of the event's, unless it only plans that stage.
        sa, sb = ctx.sentence_of(first.start)
        history.append(Milestone(stage=ctx.event_stage, date=ctx.event_date, text=prep.verbatim(sa, sb)))
    history.sort(key=lambda h: stage_rank(h.stage))
    stage = history[-1].stage if history else None
    stage_date = history[-1].date if history else None
    # A stage reported as happened is not also expected.
    expected = [_derive_when(e, history) for e in expected if stage_rank(e.stage) > stage_rank(stage)]

    # Place.
    location, loc_aliases = _location(ctx, group, ordered, gid)

    # Investor.
    investor, inv_aliases = _investor(ctx, group, canonical, ordered, gid)

    # Expansion.
    scope_text = "".join(work[max(0, m.start - 12) : m.end] for m in group)
    is_exp = any(w in n for n in names for w in EXPANSION_WORDS) or any(
        w in scope_text for w in ("扩产增资", "增资扩产", "二次布局")
    )

    sa, sb = ctx.sentence_of(first.start)
    evidence = prep.verbatim(sa, sb)
    return Project(
        name=canonical,
        aliases=aliases,
        investor=investor,
        investor_aliases=inv_aliases,
        amount_yuan=amount_yuan,
        amount_text=amount_text,
        amount_qualifier=qualifier,
        phase_amounts=tuple(phases),
        location=location,
        location_aliases=loc_aliases,
        industry=_industry(ctx, group, ordered, gid),
        stage=stage,
        stage_date=stage_date,
        stage_history=tuple(history),
        expected=tuple(expected),
        is_expansion=is_exp,
        evidence=evidence,
    )


_AFTER_SPAN = re.compile(r"(签约|开工|动工|投产|建成|竣工|试产|试生产)后(\d+|[一二两三四五六七八九十])(年|个月)")
_BASE_STAGE = {"签约": "signed", "开工": "started", "动工": "started", "投产": "in_production", "建成": "completed",
               "竣工": "completed", "试产": "trial_production", "试生产": "trial_production"}


_DERIVE_WHEN_RE29 = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _derive_when(e: Expected, history: list[Milestone]) -> Expected:
    """`投产后2年内达产`: a plan counted from a milestone that has a date in the history.

    >>> h = [Milestone("in_production", "2023-11-08", "")]
    >>> _derive_when(Expected("full_production", "预计投产后2年内达产", None), h).when
    '2025-11'
    >>> _derive_when(Expected("full_production", "投产后18个月达产", None), [Milestone("in_production", "2023", "")]).when is None
    True
    >>> _derive_when(Expected("full_production", "投产后2年达产", None), []).when is None
    True
    """
    m = _AFTER_SPAN.search(e.when_text)
    if e.when is not None or not m:
        return e
    base = next((h.date for h in history if h.stage == _BASE_STAGE[m.group(1)] and h.date), None)
    bm = _DERIVE_WHEN_RE29.match(base or "")
    if not bm:
        return e
    n = int(cn_number(m.group(2)) or 0)
    year, month = int(bm.group(1)), int(bm.group(2)) if bm.group(2) else None
    if m.group(3) == "年":
        when = f"{year + n:04d}" + (f"-{month:02d}" if month else "")
    elif month is None:
        return e  # months counted from a year-only date cannot be placed
    else:
        k = year * 12 + month - 1 + n
        when = f"{k // 12:04d}-{k % 12 + 1:02d}"
    return Expected(stage=e.stage, when_text=e.when_text, when=when)


_AMOUNT_PHRASE_RE30 = re.compile(r"(?:计划|预计|初步意向)?(?:总投资|投资总额|投资规模|投资额|投资|扩产增资|增资)(?:额|金额)?(?:为|达|约|超过|超|约合)?"
                  r"(?:人民币)?:?$")


def _amount_phrase(ctx: _Ctx, a: Amount) -> str:
    """The amount with the investment words before it: `计划总投资200亿元`."""
    work = ctx.work
    m = _AMOUNT_PHRASE_RE30.search(work[max(0, a.start - 14) : a.start])
    start = a.start - (len(m.group(0)) if m else 0)
    return ctx.prep.verbatim(start, a.end)


def _phase_start(work: str, a: Amount) -> int:
    i = max(work.rfind(w, max(0, a.start - 30), a.start) for w in ("首期", "一期"))
    return i if i >= 0 else a.start


def _stages_for(ctx: _Ctx, m: NameMention, ordered: list[NameMention],
                gid: dict[int, int]) -> tuple[list[StageMention], list[StageMention]]:
    """Reported and planned stage words that speak about this mention, nearest scope first."""
    work = ctx.work
    lo, hi = _scope(ctx, m, ordered, gid)
    start = m.group[0] if m.group else m.start
    clause_start = last_of(work, ",。;:\n", 0, start) + 1
    sent = ctx.sentence_of(start)

    def pick(a: int, b: int) -> tuple[list[StageMention], list[StageMention]]:
        sts = [s for s in ctx.stages_between(a, b) if not _alternative(work, s)]
        return [s for s in sts if not s.planned], [s for s in sts if s.planned]

    # Words in the list or clause right before the name (集中开工A、B / 此次开工建设A) speak for it first.
    # 暨 joins two events (集中开竣工暨X项目开工仪式): words before it are the other event's.
    before_start = last_of(work, ",。;:\n、暨", 0, start) + 1 if m.group is None else \
        max(clause_start, work.rfind("暨", 0, start) + 1)
    rep_before, plan_before = pick(before_start, start)
    rep_after, plan_after = pick(lo, hi)
    rep = rep_before if rep_before else rep_after
    plan = plan_after + plan_before
    if not rep:
        # The first stage word after the name in its sentence (…等3个项目上台签约), if it is reported.
        nxt = [s for s in ctx.stages if hi <= s.start < sent[1] and not _alternative(work, s)]
        if plan_before:
            nxt = []  # 将…建成A、B等项目,加快推进C: A's own verb is a plan; C's verb is not A's
        if nxt and not nxt[0].planned:
            rep = [nxt[0]]
        elif nxt and not any(hi <= o.start < nxt[0].start and gid[id(o)] != gid[id(m)]
                             and (m.group is None or o.group != m.group) for o in ordered):
            plan = plan or [nxt[0]]  # …,Y项目计划明年投产: a plan after another project's name is that one's
    if not rep:
        # The nearest reported stage word earlier in the sentence (各类项目相继动工,A等项目…).
        prev = [s for s in ctx.stages if sent[0] <= s.start < start and not _alternative(work, s)]
        if prev and not prev[-1].planned:
            rep = [prev[-1]]
    if not rep and m.kind != "heading":
        # A paragraph-level stage from sentences that name no other project (6个投产项目…。华秋…等项目).
        para = ctx.paragraph_of(start)
        for sa, sb in ctx.sents:
            if sa < para[0] or sb > para[1] or sa > start:
                continue
            others = [o for o in ordered if sa <= o.start < sb and gid[id(o)] != gid[id(m)]
                      and (m.group is None or o.group != m.group)]
            if not others:
                r3, _ = pick(sa, sb)
                rep = rep + r3
    if not rep and m.kind != "heading":
        rep = _list_intro_stage(ctx, start)
    if not rep and m.kind != "heading":
        rep = _inherited_stage(ctx, start)
    return rep, plan


_LIST_INTRO = re.compile(r"\s*其中|[^。!?]*?(?:分别为|分别是|包括|如下)")


def _inherited_stage(ctx: _Ctx, start: int) -> list[StageMention]:
    """A list opened by 其中/分别为/包括 takes the stage of the event sentence right before it, even when that
    sentence ends the previous paragraph (…5个项目集中签约。¶其中,A项目…;B项目…).

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> p, = build_projects(prepare("5个项目集中签约,总投资9亿元。\\n其中,甲乙电池项目总投资5亿元。"), Anchor(2024, 6, 12), None)
    >>> p.stage
    'signed'
    """
    work = ctx.work
    s0 = last_of(work, "。!?\n", 0, start) + 1
    if not _LIST_INTRO.match(work, s0, start):
        return []
    pe = s0
    while pe > 0 and work[pe - 1] in "。!?\n ":
        pe -= 1
    if work[pe:s0].count("\n") > 1 or pe == 0:
        return []
    ps = last_of(work, "。!?\n", 0, pe) + 1
    if not (_EVENT_MARK.search(work, ps, pe) or _BUILD_PROJECTS_RE15.search(work[ps:pe])):
        return []
    reported = [s for s in ctx.stages if ps <= s.start < pe and not s.planned and not _alternative(work, s)]
    return reported[:1]


_ITEM_NUMBER = re.compile(r"\s*(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}、|[●■◆▲★○•])")


def _list_intro_stage(ctx: _Ctx, start: int) -> list[StageMention]:
    """A numbered list item takes the stage of the line that introduces the list (签约项目如下:).

    Only when the item opens its paragraph; sibling items above it are skipped.
    """
    work = ctx.work
    k = bisect_right(ctx.para_starts, start) - 1
    if k < 1 or not _ITEM_NUMBER.match(work, ctx.paras[k][0]) or \
            work[ctx.paras[k][0] : start].strip(" .、()●■◆▲★○•0123456789一二三四五六七八九十"):
        return []
    for a, b in reversed(ctx.paras[max(0, k - 30) : k]):
        if _ITEM_NUMBER.match(work, a):
            continue  # a sibling item
        if not work[a:b].endswith(":"):
            return []
        sent_a = last_of(work, "。!?;", a, b - 1) + 1
        reported = [s for s in ctx.stages if sent_a <= s.start < b and not s.planned]
        return reported[:1]
    return []


_ALTERNATIVE_RE31 = re.compile(r"(?:动工|开工|签约|投产)$")


def _alternative(work: str, s: StageMention) -> bool:
    """`动工(投产)`: the stage in brackets after another stage word is an alternative, not a second fact."""
    return work[s.start - 1 : s.start] == "(" and work[s.end : s.end + 1] == ")" and bool(
        _ALTERNATIVE_RE31.search(work[max(0, s.start - 4) : s.start - 1])
    )


_CLAUSE_MARK = re.compile(r"[,。;:\n]")


def _clause_text(ctx: _Ctx, st: StageMention) -> str:
    work = ctx.work
    a = last_of(work, ",。;:\n", 0, st.start) + 1
    m = _CLAUSE_MARK.search(work, st.end)
    b = m.start() if m else len(work)
    return ctx.prep.verbatim(a, b)


_STAGE_DATE_RE32 = re.compile(r"\s*其中")


_DATE_FIELD = re.compile(r"(?:时间|日期)[为:]")
_FIELD_END = re.compile(r"[,。;\n]")


def _stage_date(ctx: _Ctx, st: StageMention) -> str | None:
    """A date written in the stage's clause (or the sentence before it), else the article's event date."""
    work = ctx.work
    field_ = _DATE_FIELD.match(work, st.end)
    if field_:
        # 开工时间:2024年4月: a field whose value is the date.
        nxt = _FIELD_END.search(work, field_.end())
        ds = find_dates(work, ctx.anchor, field_.end(), nxt.start() if nxt else len(work))
        if ds and ds[0].value and ds[0].start == field_.end():
            return ds[0].value
    a = last_of(work, ",。;\n", 0, st.start) + 1
    sa, sb = ctx.sentence_of(st.start)
    ds = [d for d in find_dates(work, ctx.anchor, a, st.start) if d.value and d.precision != "vague"]
    if ds:
        if ds[-1].precision in ("quarter", "half") or (
                ds[-1].precision == "year" and _EVENT_NOUN.match(work, st.end, st.end + 12)):
            # 3月15日,一季度重大项目集中开工活动… / 10月15日,2024年秋季…签约仪式: the period names the event;
            # the day dates it.
            days = [d for d in find_dates(work, ctx.anchor, sa, a) if d.value and d.precision == "day"]
            if days:
                return days[-1].value
        return ds[-1].value
    # A date earlier in the sentence, unless another stage word stands between (今年3月开工,目前已封顶).
    ds = [d for d in find_dates(work, ctx.anchor, sa, st.start) if d.value and d.precision != "vague"
          and not any(d.end <= o.start < st.start and o is not st and not o.planned for o in ctx.stages)]
    if ds:
        return ds[-1].value
    # The article's event date only for a stage reported as part of that event (此次/本次/集中/同步…), in this
    # sentence or the one before it in the paragraph, or in a list introduced by the event (签约项目如下:).
    # …or a sentence opening with 其中 (one of the event's projects).
    pa, _ = ctx.paragraph_of(st.start)
    full_stop = last_of(work, "。!?", pa, st.start)  # the previous full sentence (not ;-clause)
    prev_sa = last_of(work, "。!?", pa, full_stop) + 1 if full_stop >= 0 else sa
    if _EVENT_MARK.search(work, max(pa, min(prev_sa, sa)), sb) or work[sb - 1 : sb] == ":" or \
            _STAGE_DATE_RE32.match(work[last_of(work, "。!?\n", 0, st.start) + 1 :]) or \
            _INTRO_AFTER.match(work, st.end) or \
            _COLON_LIST.search(work, last_of(work, "。!?\n", 0, st.start) + 1, st.start):
        return ctx.event_date
    return None


# 签约项目分别为: / 开工项目包括: the stage word names the list that follows.
# 签约项目分别为:A…;B…,落户X: a stage word inside a colon-introduced list is the listed event's.
_COLON_LIST = re.compile(r"(?:分别为|分别是|包括|如下):")
_INTRO_AFTER = re.compile(r"[^,;。!?]{0,6}?(?:分别为|分别是|包括|如下)")
_EVENT_NOUN = re.compile(r"[^,。;]{0,6}?(?:仪式|活动|大会|推进会)")
_EVENT_MARK = re.compile(r"此次|本次|集中|现场|当天|今天|今日|昨日|昨天|仪式|活动|同步|同日|同一天")


def _expected_when(ctx: _Ctx, st: StageMention) -> tuple[str | None, str]:
    work = ctx.work
    a = last_of(work, ",。;:\n、", 0, st.start) + 1
    ds = find_dates(work, ctx.anchor, a, st.start, future=True)
    text = ctx.prep.verbatim(a, st.end)
    if ds:
        return ds[-1].value, text
    return None, text


_LOCATION_RE33 = re.compile(r"(?:在|于)")
_LOCATION_RE34 = re.compile(r"位于|坐落|地处|落户|落地|选址|建于|扎根")


def _location(ctx: _Ctx, group: list[NameMention], ordered: list[NameMention],
              gid: dict[int, int]) -> tuple[str | None, tuple[str, ...]]:
    work = ctx.work
    found: list[str] = []
    g = gid[id(group[0])]
    if g in ctx.assigned_place:
        return ctx.prep.verbatim(*ctx.assigned_place[g]), ()
    for m in group:
        pp = paren_place(work, m.end)
        if pp:
            found.append(ctx.prep.verbatim(*pp))
    for m in group:
        lo, hi = _scope(ctx, m, ordered, gid)
        if m.kind != "heading":
            hi = min(hi, _sentence_end_loose(work, m.end))
        start = m.group[0] if m.group else m.start
        for p in cued_places(work, _place_floor(ctx, m, start, ordered, gid), start) + cued_places(work, lo, hi):
            v = ctx.prep.verbatim(p.start, p.end)
            if v not in found:
                found.append(v)
        # 成都高新区的X项目: a clause that is only a place and 的 puts the project in that place.
        clause = last_of(work, ",。;:\n、", 0, start) + 1
        head = work[clause:start]
        if head.endswith("的") and longest_place_prefix(head[:-1]) == head[:-1] and \
                not _LOCATION_RE33.match(head) and not _LOCATION_RE34.search(head):
            v = ctx.prep.verbatim(clause, start - 1)
            if v not in found:
                found.append(v)
    if not found:
        # 6月8日,X项目开工。项目位于Y开发区…: the next sentence speaks about the one project just named.
        for m in group:
            if m.kind == "heading":
                continue
            nxt = _sentence_end_loose(work, m.end) + 1
            while nxt < len(work) and work[nxt] in "\n ":
                nxt += 1
            if nxt < len(work) and _SUBJECT.match(work, nxt, nxt + 12) and \
                    _one_project_before(work, nxt, ordered, gid) and \
                    not any(nxt <= o.start < _sentence_end_loose(work, nxt) for o in ordered):
                for p in cued_places(work, nxt, _sentence_end_loose(work, nxt)):
                    v = ctx.prep.verbatim(p.start, p.end)
                    if v not in found:
                        found.append(v)
    if not found:
        # 在赣州主会场,…A、B同时动工: the clause's venue place.
        for m in group:
            sp = scene_place(work, m.start)
            if sp and ctx.prep.verbatim(*sp) not in found:
                found.append(ctx.prep.verbatim(*sp))
    if not found:
        # 【青山镇】总投资5亿元的X项目开工: the paragraph's place label.
        for m in group:
            lp = label_place(work, ctx.paragraph_of(m.start)[0])
            if lp:
                found.append(ctx.prep.verbatim(*lp))
                break
    if not found:
        # 芜湖市X项目 / 龙泉驿区Y项目: a city, county or district opening the name.
        for m in group:
            pm = _NAME_PLACE.match(work, m.start, m.end)
            if pm and pm.group(1) not in _NOT_NAME_PLACE and not (
                    pm.group(1).endswith("市") and (ctx.default_place or len(_city_openers(ordered)) < 2)):
                found.append(ctx.prep.verbatim(m.start, pm.end(1)))
                break
    if found:
        best = max(found, key=len)
        aliases = tuple(f for f in found if f != best)
        if ctx.default_place and ctx.default_place not in found and ctx.default_place not in best:
            aliases += (ctx.default_place,)
        return best, aliases
    return ctx.default_place, ()


_NAME_PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}(?:市|县|区))(?![块域市郊])(?=[\u4e00-\u9fff]{3})")


_CITY_OPENERS_RE35 = re.compile(r"[\u4e00-\u9fff]{2,3}市")


def _city_openers(ordered: list[NameMention]) -> set[str]:
    """Cities opening project names (芜湖市X项目、合肥市Y项目): a roundup city by city when there are several;
    an article naming its own city's projects writes one."""
    return {m.name[: m.name.index("市") + 1] for m in ordered if _CITY_OPENERS_RE35.match(m.name)}
_NOT_NAME_PLACE = frozenset("全市 我市 本市 该市 全县 我县 本县 该县 全区 我区 本区 该区 园区 新区 城区 片区 社区 景区 厂区 校区 湾区 "
                            "示范区 自贸区 保税区 开发区 经开区 产业区 工业区 服务区 功能区 合作区".split())


_PLACE_FLOOR_RE36 = re.compile(r"在[^,。;]{2,20},")
_PLACE_FLOOR_RE37 = re.compile(r"[^,。;]{0,4}(?:位于|落户|坐落于|选址于?|落地)")


def _place_floor(ctx: _Ctx, m: NameMention, start: int, ordered: list[NameMention], gid: dict[int, int]) -> int:
    """Where to start looking for a place written before the name.

    The place may open the sentence (在X,…X项目的建设工地上 / 某公司落户X,建设Y项目) or the paragraph
    (在X,一处处…。在Y项目施工现场…), as long as no other project is named in between.
    """
    work = ctx.work
    sa, _ = ctx.sentence_of(start)
    pa, _ = ctx.paragraph_of(start)
    floor = sa
    if _PLACE_FLOOR_RE36.match(work[pa : pa + 24]) and pa < sa:
        floor = pa  # a paragraph that opens with 在X, sets the scene for all of it
    window = ordered[ctx.first_at_or_after(ordered, floor):ctx.first_at_or_after(ordered, start)]
    between = [o for o in window if floor <= o.start < start and gid[id(o)] != gid[id(m)]
               and (m.group is None or o.group != m.group)]
    if between:
        floor = max(floor, between[-1].end)
        # X项目位于P,总投资…的Y项目: a place cue right after another project's name is that project's.
        if _PLACE_FLOOR_RE37.match(work[floor : floor + 8]):
            clause_end = work.find(",", floor, start)
            floor = clause_end + 1 if clause_end >= 0 else start
    return floor


# What follows an investing company: (与B公司)(共同/合资)投资建设…
_INVESTS = re.compile(r"\s*(?:(?:和|与|及|、)[^,。;]{2,30}?(?:公司|集团))?(?:共同|联合|合资|再|追加)?"
                      r"(?:投资建设|投资|建设|承建|出资|新建的|增资)")


_BACKGROUND = re.compile(r"为(?:龙头|核心|主导|代表|引领|依托)")
RELATED_WINDOW = 6000  # characters either side of a project's mentions searched for a related company


def _investor(ctx: _Ctx, group: list[NameMention], canonical: str, ordered: list[NameMention],
              gid: dict[int, int]) -> tuple[str | None, tuple[str, ...]]:
    work = ctx.work
    explicit: list[str] = []
    for m in group:
        lo, hi = _scope(ctx, m, ordered, gid)
        sa, _ = ctx.sentence_of(m.start)
        for k in ctx.companies_between(min(sa, lo), hi):  # the only companies either test below can accept
            s, _e, name = ctx.companies[k]
            if (sa <= s < hi) and ctx.invests[k]:
                if name not in explicit:
                    explicit.append(name)
            elif lo <= s < hi and work[max(0, s - 1) : s] == "由":
                if name not in explicit:
                    explicit.append(name)
    related: list[str] = []
    key = _key(canonical)
    # A company that only leads an industry (以X公司为龙头) is background, not the builder.
    background = ctx.background
    # Companies near the project's mentions only: in a long roundup, one sharing a word with the name
    # thousands of characters away is another project's (and comparing every pair was quadratic).
    near = ctx.companies_between(min(m.start for m in group) - RELATED_WINDOW, max(m.end for m in group)
                                 + RELATED_WINDOW)
    for cs_, ce_, name in (ctx.companies[k] for k in near):
        if name in background or (cs_, ce_, name) in ctx.short_names:
            continue  # a short name (鑫达纺织再投资…) invests only where the article says so
        core = _shared_core(name, key)
        if core and name not in related and name not in explicit:
            related.append(name)
    # A company written only as the opening of the project name is not copied out (gold rule), unless the
    # name is just "<company>项目".
    mention_spans = [(m.start, m.end) for m in group]
    related = [c for c in related
               if _key(canonical) == _key(c + "项目")
               or any(not any(a <= s < b for a, b in mention_spans) for s, _, n in ctx.companies if n == c)]
    cands = explicit + related
    if not cands:
        return None, ()
    # A group is the investor and its local company an alias (gold rule).
    groups_first = sorted(cands, key=lambda n: (0 if n in explicit else 1, 0 if n.endswith("集团") else 1))
    best = groups_first[0]
    aliases = tuple(c for c in groups_first[1:] if _shared_core(c, _key(best)) or c in explicit)
    if not ctx.company_span:
        ctx.company_span = {name: (s, e) for s, e, name in ctx.companies}
    spans = ctx.company_span
    return ctx.prep.verbatim(*spans[best]), tuple(ctx.prep.verbatim(*spans[a]) for a in aliases)


def _shared_core(company: str, project_key: str) -> str | None:
    """A distinctive substring (≥2 characters, not a common word or place) shared by company and project."""
    best = ""
    for i in range(len(company)):
        for j in range(i + 2, min(len(company), i + 8) + 1):
            sub = company[i:j]
            if sub not in project_key:
                break  # a longer substring from i cannot be in the key either
            if len(sub) > len(best) and not _is_common(sub, company, i):
                best = sub
    return best or None


@lru_cache(maxsize=4096)
def _covered(company: str) -> tuple[bool, ...]:
    covered = [False] * len(company)
    for m in _COMMON_RE.finditer(company):
        for k in range(m.start(), m.end()):
            covered[k] = True
    return tuple(covered)


def _is_common(sub: str, company: str = "", i: int = 0) -> bool:
    """A shared substring is not distinctive when at most one of its characters lies outside common words."""
    if sub in _COMMON or sub.endswith(("市", "省", "区", "县")):
        return True
    covered = _covered(company)
    free = sum(1 for k in range(i, i + len(sub)) if k < len(covered) and not covered[k])
    return free < 2


_INDUSTRY = re.compile(
    r"(?:瞄准|主要(?:研发|从事)?(?:生产|研发|研制|从事)|研制、生产|属于)"
    r"([\u4e00-\u9fffA-Za-z0-9、]{2,24}?)(?:产业|行业|领域|产品|等|,|。)"
)


def _industry(ctx: _Ctx, group: list[NameMention], ordered: list[NameMention], gid: dict[int, int]) -> str | None:
    """`主要研发生产X` / `瞄准X产业`: a short industry phrase from the project's description."""
    work = ctx.work
    for m in group:
        lo, hi = _scope(ctx, m, ordered, gid)
        mm = _INDUSTRY.search(work, lo, hi)
        if mm and len(specific_part(mm.group(1))) >= 2:
            return ctx.prep.verbatim(mm.start(1), mm.end(1))
    return None
