"""Places: where the article puts a project."""

from __future__ import annotations

import re

from .event_places import venue_place
from .gazetteer import city_short_names, county_cities, is_short_place, opening_city, provincial_headline
from .names import (
    NameMention,
)
from .places import (
    _NOT_DISTRICT,
    cued_places,
    is_relative_place,
    label_place,
    longest_place_prefix,
    paren_place,
    scene_place,
)
from .project_ctx import (
    SUBJECT,
    Ctx,
    _list_spans,
    _one_project_before,
    _sentence_end_loose,
    respectively_lists,
    scope_of_mention,
)
from .section_places import heading_place, tally_place
from .text import last_of

_LOCATION_RE33 = re.compile(r"(?:在|于)")


_BRACKET_PLACE = re.compile(r"\(([\u4e00-\u9fff]{2,6})\)$")
_COMPANY_AT_PLACE = re.compile(r"(?:公司|集团)在([\u4e00-\u9fff]{2,12})的$")
_SIGNING_PLACE = re.compile(r"([\u4e00-\u9fff]{2,20}?)(?:与|和|同)[^,。;]{2,30}?(?:签署|签订|签约)了?")
# A、B与合肥市庐阳区政府签约: the government that signs names the place (its county or district when it has one).
_GOVERNMENT_SIGNS = re.compile(r"与((?:[\u4e00-\u9fff]{2,3}市)?([\u4e00-\u9fff]{2,4}(?:县|区|市)))(?:人民政府|政府|管委会)"
                               r"(?:正式|成功|现场|集中)?(?:签约|签订|签署)")
# 中国保利与郫都区合作的X项目: the place a company works with on the project is where it goes.
_PARTNER_PLACE = re.compile(r"[^,。;、与]{2,16}?与([\u4e00-\u9fff]{2,8}?(?:区|县|市))(?:合作|共建|携手|签约|签订|签署)的$")
_LOCATION_RE34 = re.compile(r"位于|坐落|地处|落户|落地|选址|建于|扎根")


def _location(ctx: Ctx, group: list[NameMention], ordered: list[NameMention],
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
        lo, hi = scope_of_mention(ctx, m, ordered, gid)
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
        at = _COMPANY_AT_PLACE.search(head)
        if at and (longest_place_prefix(at.group(1)) == at.group(1) or is_short_place(at.group(1))) \
                and not is_relative_place(at.group(1)):
            # 北京华阳新能源投资有限公司在乐亭县的热电项目: the company's project in that place.
            v = ctx.prep.verbatim(clause + at.start(1), clause + at.end(1))
            if v not in found:
                found.append(v)
        signer = _SIGNING_PLACE.fullmatch(head)
        if signer and longest_place_prefix(signer.group(1)) == signer.group(1) and not is_relative_place(signer.group(1)):
            # 长春净月高新区与万达集团签署了X项目: the place that signs the project is where it goes.
            v = ctx.prep.verbatim(clause, clause + signer.end(1))
            if v not in found:
                found.append(v)
        partner = _PARTNER_PLACE.search(head)
        if partner and longest_place_prefix(partner.group(1)) == partner.group(1) and \
                partner.group(1) not in _NOT_NAME_PLACE and not is_relative_place(partner.group(1)):
            v = ctx.prep.verbatim(clause + partner.start(1), clause + partner.end(1))
            if v not in found:
                found.append(v)
        gov = _GOVERNMENT_SIGNS.match(work, m.group[1] if m.group else m.end)
        if gov and gov.group(2) not in _NOT_NAME_PLACE and not is_relative_place(gov.group(2)):
            v = ctx.prep.verbatim(gov.start(2), gov.end(2))
            if v not in found:
                found.append(v)
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
            if nxt < len(work) and SUBJECT.match(work, nxt, nxt + 12) and \
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
        # 拉萨市尼木县X项目 / 佛山市三水区Y项目: a county or district after the city opening the name is finer.
        for m in group:
            cm = _CITY_COUNTY.match(work, m.start, m.end)
            if cm and cm.group(2) not in _NOT_NAME_PLACE:
                found.append(ctx.prep.verbatim(cm.start(2), cm.end(2)))
                break
    if not found:
        # 芜湖市X项目 / 龙泉驿区Y项目: a city, county or district opening the name.
        for m in group:
            pm = _NAME_PLACE.match(work, m.start, m.end)
            if pm and pm.group(1) not in _NOT_NAME_PLACE and pm.group(1)[-2:] not in _CAMPUS and not (
                    pm.group(1).endswith("市") and pm.group(1) not in county_cities() and (ctx.default_place or (len(_city_openers(ordered)) < 2
                                                                  and not provincial_headline(work)))):
                found.append(ctx.prep.verbatim(m.start, pm.end(1)))
                break
    if not found:
        # 孝感临空经济区凤凰旅游区项目: a zone opening the name, before a name of its own, is where the project is.
        for m in group:
            zm = _ZONE_IN_NAME.match(m.name)
            if zm and len(m.name) - zm.end() >= 4 and zm.group(0) not in _NOT_NAME_PLACE and \
                    not is_relative_place(zm.group(0)) and zm.group(0) not in _NOT_DISTRICT:
                found.append(ctx.prep.verbatim(m.start, m.start + zm.end()))
                break
    if not found and not ctx.default_place and (len(_bare_city_openers(ctx, ordered)) >= 2 or (
            _bare_city_openers(ctx, ordered) and provincial_headline(work))):
        # 芜湖天宸…项目、合肥晶合…项目: a roundup over several cities opens names with their short names (as
        # for 芜湖市X项目, not when the article has a place of its own that its projects take).
        for m in group:
            c = opening_city(m.name)
            if c:
                found.append(ctx.prep.verbatim(m.start, m.start + len(c)))
                break
    if not found and provincial_headline(work):
        # 国家文化出口基地(自贡) in a province's roundup: a city or county in brackets closing the name is where it is
        # (in a city's own article, its own name in brackets is only the article's place).
        for m in group:
            bm = _BRACKET_PLACE.search(m.name)
            if bm and (is_short_place(bm.group(1)) or longest_place_prefix(bm.group(1)) == bm.group(1)):
                found.append(ctx.prep.verbatim(m.start + bm.start(1), m.start + bm.end(1)))
                break
    if not found:
        # 韶水干线毛田镇区段项目: a town written inside the name is finer than any place the article gives.
        for m in group:
            tm = _TOWN_IN_NAME.search(m.name)
            if tm and tm.group(0)[1] not in "小城乡集重":
                found.append(ctx.prep.verbatim(m.start + tm.start(), m.start + tm.end()))
                break
    if not found:
        # 福清市参加“云签约”的项目包括A、B: a county-level place opening the sentence whose projects it spells out.
        for m in group:
            sp = _subject_place(work, m.start)
            if sp:
                found.append(ctx.prep.verbatim(*sp))
                break
    if not found:
        # 凤阳宁国现代产业园集中开工的项目有10个,…分别是A、B / a line 渝中区 heading its part: the part's place.
        for m in group:
            pa = ctx.paragraph_of(m.start)[0]
            sp = tally_place(work, pa, m.start)
            if sp is None and pa > 0 and _CONTINUES.match(work, pa):
                # 当天,X经开区共有7个项目集中开工。\n此次项目开工包括A、B: the list continues the tally before it.
                sp = tally_place(work, ctx.paragraph_of(pa - 1)[0], m.start)
            sp = sp or heading_place(work, pa)
            if sp:
                found.append(ctx.prep.verbatim(*sp))
                break
    if found:
        best = max(found, key=len)
        aliases = tuple(f for f in found if f != best)
        if ctx.default_place and ctx.default_place not in found and ctx.default_place not in best:
            aliases += (ctx.default_place,)
        return best, aliases
    if min(m.start for m in group) < ctx.default_after:
        return None, ()
    return ctx.default_place, ()


_SPELT_OUT = re.compile(r"的项目(?:包括|有|分别为|分别是)")


def _subject_place(work: str, start: int) -> tuple[int, int] | None:
    """The county, district or county-level city opening the sentence in which `start` is one of the projects
    listed after 的项目包括.

    >>> w = "其中,甲区签约8个项目。乙县参加签约的项目包括A基地、B园等。"
    >>> w[slice(*_subject_place(w, w.index("A")))]
    '乙县'
    >>> _subject_place("全县参加签约的项目包括A基地、B园等。", 12) is None
    True
    """
    ss = last_of(work, "。!?\n", 0, start) + 1
    if not _SPELT_OUT.search(work, ss, start):
        return None
    place = longest_place_prefix(work[ss:start])
    if not place or is_relative_place(place) or place.startswith("全"):
        return None
    if not (place.endswith(("县", "区", "旗")) or is_short_place(place[:-1]) and place[:-1] not in city_short_names()):
        return None
    return ss, ss + len(place)


# (…) or a sub-tally with no place of its own (开工项目4个,…为A;B): the paragraph continues the tally before it
_CONTINUES = re.compile(r"\s*(?:此次|本次|这次|其中|具体|分别|这些项目|上述项目|项目包括|包括|"
                        r"(?:集中)?(?:签约|开工|动工|投产|竣工)的?(?:工业|产业)?项目(?:共有?|有)?[0-9一二三四五六七八九十两]+个)")
# A town is two characters and 镇 (毛田镇); 小镇/城镇/乡镇/集镇/重镇 are kinds of place, not names.
_TOWN_IN_NAME = re.compile(r"(?<![小城乡集重])[\u4e00-\u9fff]{2}镇(?=[\u4e00-\u9fff])")
_CITY_COUNTY = re.compile(r"([\u4e00-\u9fff]{2,3}市)([\u4e00-\u9fff]{2,3}(?:县|区))(?=[\u4e00-\u9fff]{2})")
_NAME_PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}(?:市|县|区))(?![块域市郊])(?=[\u4e00-\u9fff]{2})")


_CITY_OPENERS_RE35 = re.compile(r"[\u4e00-\u9fff]{2,3}市")


def _city_openers(ordered: list[NameMention]) -> set[str]:
    """Cities opening project names (芜湖市X项目、合肥市Y项目): a roundup city by city when there are several;
    an article naming its own city's projects writes one."""
    return {m.name[: m.name.index("市") + 1] for m in ordered if _CITY_OPENERS_RE35.match(m.name)}


def _bare_city_openers(ctx: Ctx, ordered: list[NameMention]) -> set[str]:
    """Cities opening project names by their short names (芜湖天宸…项目、合肥晶合…项目); one scan per article."""
    if ctx.city_openers is None:
        ctx.city_openers = {c for m in ordered if (c := opening_city(m.name))}
    return ctx.city_openers


# 东盟校区学生宿舍楼 / 东院区住院楼: a campus, a plant's or a hospital's area opening a name is part of it, no place.
# the first zone suffix closes the zone (孝感临空经济区|凤凰旅游区项目: 旅游区 is the project's own)
_ZONE_IN_NAME = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:高新技术产业开发区|经济技术开发区|经济开发区|开发区|高新区|经开区|经济区|"
                           r"新区|示范区|工业园区|产业园区|工业园)")
_CAMPUS = frozenset("校区 院区 厂区".split())
_NOT_NAME_PLACE = frozenset("全市 我市 本市 该市 全县 我县 本县 该县 全区 我区 本区 该区 园区 新区 城区 片区 社区 景区 厂区 校区 湾区 "
                            "示范区 自贸区 保税区 开发区 经开区 产业区 工业区 服务区 功能区 合作区 "
                            # 大湾区国际…总会项目: a region of several provinces names no place for a project.
                            "大湾区 三角区 经济区".split())


_PLACE_FLOOR_RE36 = re.compile(r"在[^,。;]{2,20},")


_PLACE_FLOOR_RE37 = re.compile(r"[^,。;]{0,4}(?:位于|落户|坐落于|选址于?|落地)")


def _place_floor(ctx: Ctx, m: NameMention, start: int, ordered: list[NameMention], gid: dict[int, int]) -> int:
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


_SETTLED_IN = re.compile(r"(?:落户|位于|落地|选址|布局|建在|在)(?:于|在)?")


def listed_places(ctx: Ctx, ordered: list[NameMention], gid: dict[int, int]) -> dict[int, tuple[int, int]]:
    """`A、B和C分别落户X、Y和Z`: the i-th place of the list is the i-th name's (group id -> place span)."""
    work = ctx.work
    assigned: dict[int, tuple[int, int]] = {}
    for _, fb, ce, names in respectively_lists(work, ordered, gid):
        mp = _SETTLED_IN.match(work[fb.end() : ce])
        if mp:
            spans = _list_spans(work, fb.end() + mp.end(), ce)
            if len(spans) == len(names) and all(
                    longest_place_prefix(work[a:b]) == work[a:b] or venue_place(work[a:b]) for a, b in spans):
                for g, sp in zip(names, spans, strict=True):
                    assigned.setdefault(g, sp)
    return assigned
