"""Companies: find them (full and short names), and decide which one invests in a project; the project's industry."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from .gazetteer import is_short_place, province_short_names
from .mentions import name_key
from .names import (
    NameMention,
    specific_part,
)
from .places import longest_place_prefix
from .project_ctx import Ctx, scope_of_mention
from .text import last_of

# Company suffixes (longest first).
COMPANY_SUFFIX = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司")


# Words too common to tie a company to a project by name alone.
_COMMON = frozenset(
    "科技 电子 智能 制造 智造 新材料 材料 产业 集团 项目 基地 中国 国际 发展 投资 实业 股份 有限 公司 新能源 能源 "
    "电池 动力 高新 技术 工业 生产 研发 总部 管理 运营 产业园 园区 设备 装备 精密 半导体 控股 江门 广东 深圳 广州 "
    "浙江 江苏 上海 北京 天津 福建 湖南 湖北 山东 河南 集成 电路 新型 环保 建设 工程 医药 生物 食品".split()
)


_COMMON_RE = re.compile("|".join(sorted(_COMMON, key=len, reverse=True)))


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
        # 在新疆成立的子公司: a subsidiary described, not named (的 does not occur in a registered name)
        if len(name) < 4 or name.startswith(("该", "本", "这", "此", "其", "子", "总", "分")) or "的" in name:
            continue
        if _branch_of_place(name):
            continue  # …集团有限公司青海分公司 cut after 有限公司: "青海分公司" names no company
        s = m.end() - len(name)
        out.append((s, m.end(), name))
    out.extend(_short_investors(work, out))
    out.sort()
    return out


_BRANCH = re.compile(r"(.{2,8}?)(?:分公司|子公司|公司)$")


def _branch_of_place(name: str) -> bool:
    """A branch named only by its place (青海分公司, 江门公司): part of a company's name, not a company.

    >>> _branch_of_place("青海分公司"), _branch_of_place("江门分公司"), _branch_of_place("华宇电机分公司")
    (True, True, False)
    """
    m = _BRANCH.fullmatch(name)
    if m is None:
        return False
    head = m.group(1)
    return _is_place_short(head) or longest_place_prefix(head) == head


# A company by its short name (鑫达纺织再投资12亿元 / 园区企业恒锐精密新建的X项目 / 新加坡恒达资本投资的X项目).
# 中国燃气计划在德惠市建设X项目: a plan to build in a place names its builder too.
_INVEST_VERB = re.compile(r"(?:再投资|追加投资|增资|新建的|新上|投资建设的|投资兴建的|投资的|(?:计划|拟)在[^,。;、的]{2,10}?建设)")


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
    r"成功|签约|落户|联盟|董事长|总经理|主任|表示|说|介绍|——|—|:|暨|项目(?!管理)|"
    # 禄丰市宣布云南方德…有限公司 / 在拉萨注册两家公司 / 包括A公司: a verb or a count before the name is not part of it
    r"宣布|注册|设立|[一二三四五六七八九十两几多\d]家|包括|包含|共有|还有|另有|消化|有效|举行|分别)"
)


def _trim_company(s: str) -> str:
    last = 0
    for m in _COMPANY_CUT.finditer(s):
        if len(s) - m.end() >= 4:
            last = m.end()
    s = s[last:].lstrip("()")
    zone = _ZONE_BEFORE.match(s)
    if zone and len(s) - zone.end() >= 4 and _opens_with_place(s[zone.end() :]):
        s = s[zone.end() :]  # 正定高新区(南区)河北新之春…有限公司: the zone the firm is in opens no company name
    return s


_ZONE_BEFORE = re.compile(r".{2,12}?(?:高新区|开发区|经开区|园区|产业园|工业园)(?:\([^()]{1,6}\))?")


def _opens_with_place(s: str) -> bool:
    """A province, city or county short name opens s (河北新之春…, 江门华宇…).

    >>> _opens_with_place("河北新之春科技发展有限公司"), _opens_with_place("运营管理集团")
    (True, False)
    """
    return any(_is_place_short(s[:n]) for n in (2, 3))


def _is_place_short(s: str) -> bool:
    """A province's, city's or county's short name (河北, 江门, 吴江)."""
    return is_short_place(s) or s in province_short_names()


# What follows an investing company: (与B公司)(共同/合资)投资建设…
# 广东格兰仕公司启动建设X项目: a company that starts building a project builds it (启动 / 开工 before 建设).
_INVESTS = re.compile(r"\s*(?:(?:和|与|及|、)[^,。;]{2,30}?(?:公司|集团))?(?:共同|联合|合资|再|追加|启动|开工|正式启动)?"
                      # 计划在空港经济开发区建设X项目: a plan to build names the builder too
                      r"(?:(?:计划|拟|将)(?:在|于)[^,。;]{2,16}?(?=建设|投资))?"
                      r"(?:投资建设|投资|建设|承建|出资|新建的|增资)")
# 山东百隆纺织有限公司的年产48万锭色纺纱项目 / 与深圳万利加集团300万吨…项目: the company right before the name.
_OWNS = re.compile(r"的?")
# 北京华阳新能源投资有限公司在乐亭县的热电项目: the company's project in a place.
_OWNS_AT = re.compile(r"在[\u4e00-\u9fff]{2,12}的")
# 长春高新区与万达集团签署了万达文旅项目: the company a place signs the project with builds it.
_SIGNS = re.compile(r"(?:签署|签订|签约)了?")


_BACKGROUND = re.compile(r"为(?:龙头|核心|主导|代表|引领|依托)")
RELATED_WINDOW = 6000  # characters either side of a project's mentions searched for a related company


def _investor(ctx: Ctx, group: list[NameMention], canonical: str, ordered: list[NameMention],
              gid: dict[int, int]) -> tuple[str | None, tuple[str, ...]]:
    work = ctx.work
    explicit: list[str] = []
    g = gid[id(group[0])]
    for m in group:
        lo, hi = scope_of_mention(ctx, m, ordered, gid)
        sa, _ = ctx.sentence_of(m.start)
        for k in ctx.companies_between(min(sa, lo), hi):  # the only companies either test below can accept
            s, _e, name = ctx.companies[k]
            if _opens_another_name(ordered, gid, g, s):
                continue  # A公司年产X项目、B公司Y基地: B opens the next project's name, it does not invest in A's
            if (sa <= s < hi) and ctx.invests[k]:
                if name not in explicit:
                    explicit.append(name)
            elif s < m.start and sa <= s and (_OWNS.fullmatch(work, _e, m.start) or _at_place(work, _e, m.start) or (
                    work[max(0, s - 1) : s] in ("与", "和", "同") and _SIGNS.fullmatch(work, _e, m.start))):
                if name not in explicit:
                    explicit.append(name)
            elif s == m.start and m.end - _e >= 4 and work[max(0, s - 1) : s] in ("与", "同"):
                # 与深圳万利加集团300万吨…项目签约: the signing partner written before the project's own words is
                # its builder, not a brand opening its name.
                if name not in explicit:
                    explicit.append(name)
            elif lo <= s < hi and work[max(0, s - 1) : s] == "由":
                if name not in explicit:
                    explicit.append(name)
    related: list[str] = []
    key = name_key(canonical)
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
               if name_key(canonical) == name_key(c + "项目")
               or any(not any(a <= s < b for a, b in mention_spans) and not _opens_another_name(ordered, gid, g, s)
                      for s, _, n in ctx.companies if n == c)]
    cands = explicit + related
    if not cands:
        return None, ()
    # A group is the investor and its local company an alias (gold rule).
    groups_first = sorted(cands, key=lambda n: (0 if n in explicit else 1, 0 if n.endswith("集团") else 1))
    best = groups_first[0]
    aliases = tuple(c for c in groups_first[1:] if _shared_core(c, name_key(best)) or c in explicit)
    if not ctx.company_span:
        ctx.company_span = {name: (s, e) for s, e, name in ctx.companies}
    spans = ctx.company_span
    return ctx.prep.verbatim(*spans[best]), tuple(ctx.prep.verbatim(*spans[a]) for a in aliases)


def _at_place(work: str, a: int, b: int) -> bool:
    """work[a:b] is 在<place>的 (…公司在乐亭县的热电项目); a county's short name is a place too (在北戴河的).

    >>> _at_place("公司在北戴河的电源项目", 2, 7), _at_place("公司在会上的发言", 2, 6)
    (True, False)
    """
    place = work[a + 1 : b - 1]
    return bool(_OWNS_AT.fullmatch(work, a, b)) and (longest_place_prefix(place) == place or is_short_place(place))


def _opens_another_name(ordered: list[NameMention], gid: dict[int, int], g: int, s: int) -> bool:
    """Whether the company starting at s lies inside the name of a project other than group g."""
    i = bisect_right(ordered, s, key=lambda o: o.start) - 1  # ordered is sorted by start
    return any(o.start <= s < o.end and gid[id(o)] != g for o in ordered[max(0, i - 2) : i + 1])


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
    if company[i + len(sub) : i + len(sub) + 1] in ("市", "省", "区", "县", "镇") and i == 0:
        return True  # 固始 of 固始县建设投资公司: the stem of the place opening the name, shared by the county's projects
    covered = _covered(company)
    free = sum(1 for k in range(i, i + len(sub)) if k < len(covered) and not covered[k])
    return free < 2


_INDUSTRY = re.compile(
    r"(?:瞄准|主要(?:研发|从事)?(?:生产|研发|研制|从事)|研制、生产|属于)"
    r"([\u4e00-\u9fffA-Za-z0-9、]{2,24}?)(?:产业|行业|领域|产品|等|,|。)"
)


def _industry(ctx: Ctx, group: list[NameMention], ordered: list[NameMention], gid: dict[int, int]) -> str | None:
    """`主要研发生产X` / `瞄准X产业`: a short industry phrase from the project's description."""
    work = ctx.work
    for m in group:
        lo, hi = scope_of_mention(ctx, m, ordered, gid)
        mm = _INDUSTRY.search(work, lo, hi)
        if mm and len(specific_part(mm.group(1))) >= 2:
            return ctx.prep.verbatim(mm.start(1), mm.end(1))
    return None
