"""Name mentions: find them, tell which name the same project, and group them into one record per project."""

from __future__ import annotations

import re
from bisect import bisect_left

from .enumerations import enumeration_candidates
from .name_index import NameIndex
from .name_lists import facility_candidates, heading_candidates, list_candidates
from .names import NameMention, head_candidates
from .places import longest_place_prefix
from .text import last_of, paragraphs

_KEY_DROP = re.compile(r"[\s·.“”\"‘’()\-—、,]")


def name_key(name: str) -> str:
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
    ka, kb = name_key(a), name_key(b)
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
    found += enumeration_candidates(work)
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
    return [m for m in kept if not _names_no_project(work, m, kept)]


def _names_no_project(work: str, m: NameMention, kept: list[NameMention]) -> bool:
    """A kept mention that is no project: a category phrase, a campaign batch, a rule's condition, a class in a
    list of classes, a restatement of the sentence's subject, or a place a delegation visited."""
    if _CATEGORY_NAME.match(m.name) or _A_KIND_OF.match(work, m.end) or _EVENT_OF.match(work, m.end):
        return True
    clause = last_of(work, ",。;:\n", 0, m.start) + 1  # one look-up for the clause tests below
    if _purpose(work, m):
        return True
    return bool(_ANY_THAT.match(work, clause, m.start)) or _in_class_list(work, m, clause) \
        or _restates_subject(work, m, kept, clause) or bool(_VISITED.search(work, clause, m.start))


# 项目的开工建设,对加快建设X基地,推进Y中心建设…具有十分重大的意义: what the projects serve, not projects
_PURPOSE_OPEN = re.compile(r"对(?:于)?(?:加快|推进|推动|打造|进一步|助力|促进)")
_PURPOSE_CLOSE = re.compile(r"(?:具有|有着)[^。!?]{0,12}(?:意义|作用)")


def _purpose(work: str, m: NameMention) -> bool:
    ss = last_of(work, "。!?\n", 0, m.start) + 1
    opened = _PURPOSE_OPEN.search(work, ss, m.start)
    if opened is None:
        return False
    se = work.find("。", m.start)
    return bool(_PURPOSE_CLOSE.search(work, opened.end(), se if se >= 0 else len(work)))


# 宜宾产业投资项目推介会暨签约仪式: the 项目 of a promotion or matchmaking event's name is the event's subject
_EVENT_OF = re.compile(r"(?:推介会|推介活动|推介大会|洽谈会|对接会|说明会|招商会|路演)")


# 代表团先后考察了A、B和C项目: the places a delegation visits are shown to it, no milestone of theirs is reported.
_VISITED = re.compile(r"(?:考察|参观|走访)了")


def _restates_subject(work: str, m: NameMention, kept: list[NameMention], clause: int) -> bool:
    """X项目总投资1亿元,是龙头企业——Y公司肉制品加工配套延伸项目: a name in a 是 clause (starting at ``clause``) of a
    sentence that opens with another project's name says what that project is, it names no other one."""
    if work[clause : clause + 1] != "是":
        return False
    sent = last_of(work, "。;!?\n", 0, m.start) + 1
    return any(o.start == sent and o.end <= clause for o in kept)


# 包括铁路、公路、外送电通道和电网工程建设、…共11大类: the items of a list counted in 类 are classes of projects.
_CLASS_COUNT = re.compile(r"(?:共|等)[\d一二三四五六七八九十]+(?:大|个)?类$")
_CLAUSE_END = re.compile(r"[,。;:\n]")


def _in_class_list(work: str, m: NameMention, start: int) -> bool:
    e = _CLAUSE_END.search(work, m.end)
    end = e.start() if e else len(work)
    return "、" in work[start:end] and bool(_CLASS_COUNT.search(work, m.end, end))


# Not one project: a name numbered as a batch (…建设项目(第四批)集中开工), or one in a clause opened by 凡 ("any
# project that": 凡入驻园区自建厂房项目,按…供地 / 凡落户本区的X项目), which is a rule's condition.
_ANY_THAT = re.compile(r"\s*(?:[一二三四五六七八九十\d]{1,2}[、.])?\s*凡")
_A_KIND_OF = re.compile(r"\(第[一二三四五六七八九十\d]+批(?:次)?\)")


# A descriptor, verb or class word + 项目 names a kind of project or a task, not one project (优化项目服务,
# 掀起项目建设热潮, 配套道路项目, 住宅项目, 第三批项目, 新基建项目, 农林牧渔项目).
_CATEGORY_NAME = re.compile(
    r"^(?:要|将|全力|进一步|持续|不断|着力)?(?:优化|掀起|跑出|跟进|动员|制约|复工|合同|历次|跟踪|推进|加快|保障|服务|谋划|储备|前期|续建|在建|新建|竣工|开工|签约|"
    r"投产|招引|引进|落地|重点|重大|优质|住宅|住宅類?|文化|民生|基建|新基建|土建|基础建设|民生保障|大体量|大中型\S{0,4}|"
    r"配套[\u4e00-\u9fff]{0,6}|第[一二三四五六七八九十\d]+批|[\u4e00-\u9fff]{2}合作|农林牧渔|[\u4e00-\u9fff]{2}产业|"
    r"[\u4e00-\u9fff]{1,4}类|[\u4e00-\u9fff]{2}服务业|现代服务业|社会民生[\u4e00-\u9fff]{0,4})(?:项目|工程|項目)$"
)


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
        ks = [name_key(name)]
        if name[:2] in stems and len(name) >= 10:
            ks.append(name_key(name[2:]))  # _same_with_place also compares the name without its place stem
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
        g_keys = [name_key(a.name) for a in g]
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


_TITLE_SEP = re.compile(r"——|—|--|\s+|\||:")


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
        k = name_key(g[0].name)
        place = longest_place_prefix(k)
        hits = [o for o in out if place and len(_common_suffix(k, name_key(o[0].name))) >= 4
                and not name_key(o[0].name).startswith(place)]
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
