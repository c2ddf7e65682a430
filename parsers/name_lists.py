"""Name candidates written in lists: enumerations (A、B和C等N个项目签约), bulleted or numbered headings,
and facilities before a stage word. Split from names.py, which finds the head-bearing names and trims them."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .descriptions import _builds_for_another, _is_description
from .names import (
    _ANY_HEAD_END,
    _FAC_RE,
    _HEADS_TALLY,
    _LEAD_STRIP,
    _NAME_CHARS,
    _PHASE_TAIL,
    _STRONG_RE,
    NOT_A_NAME,
    NameMention,
    _balanced_start,
    _in_headline,
    is_plausible,
    specific_part,
    trim_left,
)
from .text import finditer_from, first_char_class, last_of

_LIST_END = re.compile(
    r"等(?:[\d一二三四五六七八九十两几]+[余多]?(?:个|项|大)|一批|多个|重大|重点)?"
    r"(?:总?投资(?:约|超|达)?[\d.]+[亿万]元的)?"  # 等46个总投资389亿元的重点项目
    r"[^\s,。;:对为在是将的]{0,10}?"
    r"(?:项目|工程(?=[,。;、等将均已正相全的建])|企业|保障性住房|保障房|安置房)"
)
_PROGRESS_AFTER = re.compile(r"(?:已|均|提前|全部)*(?:超额)?完成(?!签约|簽約|开工|開工|投产|投產|竣工|建设|建成)")
_SHARE_AFTER = re.compile(r"(?:占比|所占|比重|为主|居多|较多|占(?![\d一二三四五六七八九十两]+个))")  # 等X项目占16个 counts them
_HAS_HEAD = re.compile(rf"(?:{_STRONG_RE}|{_FAC_RE})")


# A、B当天竣工投产: a day word before the verb is not part of the last item, nor is the first half of a compound
_LIST_STAGE = re.compile(r"(?:当天|当日|今天|今日|昨天|昨日|日前|近日)?(?:全线|相继|先后|均|已|正式|同时|同步|同期|一同|集中|陆续|顺利)?"
                         r"(?:动工|开工|竣工投产|投产|竣工|建成(?!区)|进入设备安装|进展顺利|封顶|开通|通车)")
# Its optional opening gives the engine no first character to skip to: scanned with text.finditer_from.
_LIST_STAGE_FIRST = first_char_class(_LIST_STAGE)
_LIST_CANDIDATES_RE16 = re.compile(r"(?:推进|开工建设|动工建设|建成|建设|开工|动工)(?=[^,。;]{4,}、)")
_LIST_CANDIDATES_RE17 = re.compile(r"^等(?:[\d一二三四五六七八九十两几]+[余多]?(?:个|项|大)|一批|多个)?")
_LIST_CANDIDATES_RE18 = re.compile(r"(?:项目|工程|保障性住房|保障房|安置房)$")
_LIST_CANDIDATES_RE19 = re.compile(r"等[^、]*$")


def list_candidates(work: str) -> list[NameMention]:
    """Items of `A、B、C等(N个)…项目` lists, and of `A、B全线动工` lists of facilities.

    >>> w = "网驿·江门智造科技港、灯火汇、博为光电生产基地等项目均瞄准"
    >>> [m.name for m in list_candidates(w)]
    ['网驿·江门智造科技港', '灯火汇', '博为光电生产基地']
    >>> [m.name for m in list_candidates("在吸引了一批如德昌、优美科、麦克韦尔等优质项目后")]
    []
    >>> [m.name for m in list_candidates("今年,深江铁路、珠肇高铁江机段全线动工")]
    ['深江铁路', '珠肇高铁江机段']
    """
    out: list[NameMention] = []
    for m in _LIST_END.finditer(work):
        if m.group(0).endswith("企业") or _SHARE_AFTER.match(work, m.end()):
            continue  # A、B等项目占比较大: the items are kinds of project the tally is made of
        if _PROGRESS_AFTER.match(work, m.end()):
            continue  # A、B等61个项目已超额完成(年度投资): a progress statistic, no milestone of named projects
        filler = _LIST_CANDIDATES_RE17.sub("", m.group(0))
        filler = _LIST_CANDIDATES_RE18.sub("", filler)
        # 等10大片区发展规划和重点项目: the list is of something else. A count of projects that the clause says were
        # signed or started (签约引进A、B等16个城市功能链项目) makes the words before 项目 their class, whatever
        # its wording; a count of promoted or planned ones (推介了基础设施、产业园区等260余个建设项目) does not.
        counted_class = bool(_COUNTED_LIST.match(m.group(0))) and not _JOINED_CLASS.search(filler) and bool(
            _STAGE_BEFORE.search(work, last_of(work, ",。;:\n", 0, m.start()) + 1, m.start()))
        if len(specific_part(filler + "项目")) > 1 and not counted_class:
            continue
        # 等8个总投资127亿元项目开工建设: a counted list the sentence says was started/signed: every item is a project.
        stated = bool(_COUNTED_LIST.match(m.group(0))) and bool(_STAGE_AFTER.match(work, m.end()))
        out.extend(_list_items(work, m.start(), require_facility=False, stated=stated))
    # 产业项目16个,…包括A、B等; / 既有A、B等涵盖…领域的…项目,也有C、D等…项目: a list that a tally of projects
    # spells out (包括), or one of the kinds a batch is made of (既有…也有…), is of its projects even when the
    # 等 closes it bare or a long description stands between 等 and 项目.
    for m in _FRAMED_LIST.finditer(work):
        if m.group(1) == "包括" and not _TALLY_BEFORE.search(work, last_of(work, "。;\n", 0, m.start()) + 1, m.start()) \
                and not _SIGNED_SUBJECT.search(work, last_of(work, ",。;\n", 0, m.start()) + 1, m.start()):
            continue
        out.extend(_list_items(work, m.end(2), require_facility=False, floor=m.start(2)))
    for m in (finditer_from(_LIST_STAGE, _LIST_STAGE_FIRST, work) if _LIST_STAGE_FIRST is not None
              else _LIST_STAGE.finditer(work)):
        items = _list_items(work, m.start(), require_facility=True)
        if len(items) >= 2:
            out.extend(items)
    # 继续推进A、B。 / 开工建设A、B: a facility list after a construction verb, up to the clause end.
    for m in _LIST_CANDIDATES_RE16.finditer(work):
        end = m.end()
        while end < len(work) and work[end] not in ",。;:\n":
            end += 1
        if work[end - 1 : end] in ("等",) or _LIST_CANDIDATES_RE19.search(work[m.end() : end]):
            continue  # an 等…项目 list, handled above
        if _builds_for_another(work, m.start()):
            continue
        items = _list_items(work, end, require_facility=True, floor=m.end())
        if len(items) >= 2:
            out.extend(items)
    out.extend(_cut_off_list(work))
    return out


def _cut_off_list(work: str) -> list[NameMention]:
    """A list of facilities that a truncated text stops in (…见证下,A生产线、B产业园、清徐经): the complete
    items before the cut one are named like those of a closed list.

    >>> [m.name for m in _cut_off_list("仪式上,江城明德年产5万吨新材料生产线、北湖无人机产业园、南岭经")]
    ['江城明德年产5万吨新材料生产线', '北湖无人机产业园']
    >>> _cut_off_list("仪式上,江城明德年产5万吨新材料生产线、北湖无人机产业园。")
    []
    """
    text = work.rstrip()
    if not text or text[-1] in _TERMINAL_END:
        return []
    clause = last_of(text, ",。;:!?\n", 0, len(text)) + 1
    last = text.rfind("、", clause)
    if last < 0:
        return []
    items = _list_items(work, last, require_facility=True, floor=clause)
    # Each item is read on its own: the list's words (its place, its company) are cut off with it.
    if len(items) < 2:
        return []
    out = []
    for m in items:
        name = trim_left(m.name)  # …公司在北戴河的X项目: the item's name starts after the words that lead it
        if name and is_plausible(name):
            out.append(NameMention(m.end - len(name), m.end, name, "head"))
    return out


_TERMINAL_END = frozenset("。!?;”\"')")


def _is_deng(work: str, i: int) -> bool:
    """work[i] is the list-closing 等, not part of 高等级 / 同等 / 中等.

    >>> _is_deng("A、B等项目", 3), _is_deng("高等级钢板", 1)
    (True, False)
    """
    return work[i] == "等" and work[i - 1 : i] not in ("高", "中", "同") and work[i + 1 : i + 2] != "级"


_LIST_ITEMS_RE20 = re.compile(r"(以及|和)")
_LIST_ITEMS_RE21 = re.compile(r"^(?:以及|和)")


_FRAMED_LIST = re.compile(r"(包括|既有|也有|还有)([^,。;:]{2,60}?、[^,。;:]{2,60}?)等"
                          r"(?=[;。]|(?:涵盖|涉及|属于|通过)[^。;]{0,40}?的[^,。;、]{0,12}项目[,。;])")
_TALLY_BEFORE = re.compile(r"项目[\d一二三四五六七八九十百]+[个项]|[\d一二三四五六七八九十百]+[个项][^,。;]{0,8}项目")
# 参加“云签约”的项目包括 / 此次开工的项目包括: the projects of a stage event, spelt out.
_SIGNED_SUBJECT = re.compile(r"(?:签约|簽約|开工|開工|动工|投产|投產|竣工)[^,。;]{0,4}的项目$")
_JOINED_CLASS = re.compile(r"[和及与、]")
_STAGE_BEFORE = re.compile(r"签约|簽約|开工|開工|动工|投产|投產|竣工|落户|落地")
_COUNTED_LIST = re.compile(r"等[\d一二三四五六七八九十两]+[余多]?个")  # 等十余个项目
# The counted list's verb: right after it, or ending its sentence after sibling groups (A、B等21个产业项目,
# C、D等12个政府投资项目集中投产投用).
_STAGE_AFTER = re.compile(r"[^,。;]{0,6}?(?:签约|簽約|开工|開工|动工|投产|投產|竣工)|[^。;!?]{0,48}?(?:集中|同时|一同|相继)"
                          r"(?:签约|簽約|开工|開工|动工|投产|投產|竣工)")


def _list_items(work: str, end: int, *, require_facility: bool, floor: int = 0,
                stated: bool = False) -> list[NameMention]:
    """Split the 、-separated run that ends at `end` into plausible names."""
    # Back from `end` over list characters, stopping after a list-closing 等 or at `floor` (the last stop
    # before `end` is found by bisecting the text's stops instead of walking character by character).
    stops = _list_stops(work)
    k = bisect_left(stops, end) - 1
    start = max(floor, stops[k] + 1) if k >= 0 else max(floor, 0)
    start = min(start, end)
    seg = work[start:end]
    if "、" not in seg and not require_facility:
        parts = [seg]
    else:
        parts = seg.split("、")
    # 以及 / 和 join two names when both sides carry a head (机场线和武鸣线).
    split_parts: list[str] = []
    for p in parts:
        pieces = _LIST_ITEMS_RE20.split(p)
        if len(pieces) == 3 and _HAS_HEAD.search(pieces[0]) and _HAS_HEAD.search(pieces[2]):
            split_parts.extend([pieces[0], pieces[1] + pieces[2]])
        else:
            split_parts.append(p)
    parts = split_parts
    if require_facility and len(parts) < 2:
        return []
    items: list[tuple[int, str]] = []
    self_contained: set[int] = set()  # items written with their own amount (总投资20亿元的X)
    cursor = start
    for i, p in enumerate(parts):
        part_at = work.find(p, cursor, end)
        if part_at < 0:
            continue
        cursor = part_at + len(p)
        # 、总投资20亿元的X: an item may carry its own amount (and stage words); the name starts after it.
        p = _PAREN_AMOUNT.sub("", p)  # X产业园(总投资15亿元): the bracket is the item's amount, not its name
        own = list(_ITEM_AMOUNT.finditer(p))
        p_name = p[own[-1].end() :] if own and i > 0 else p
        name = trim_left(p) if i == 0 else _LEAD_STRIP.sub("", _LIST_ITEMS_RE21.sub("", p_name))
        name = _balanced_start(name).strip()
        if not name:
            continue
        s = work.rfind(name, part_at, cursor)
        if s < 0:
            continue
        if own:
            self_contained.add(s)
        items.append((s, name))
    if not items:
        return []
    with_head = [bool(_HAS_HEAD.search(n)) for _, n in items]
    if require_facility and not all(with_head):
        return []
    any_head = any(with_head)
    out: list[NameMention] = []
    for (s, name), has_head in zip(items, with_head, strict=True):
        if not (has_head or len(name) >= 6 or ((any_head or stated) and len(name) >= 3)):
            continue
        if NOT_A_NAME.search(name) or len(specific_part(name)) < 2 or len(name) > 50:
            continue
        # An item with its own amount is described on its own, like a single name; others share the list's words.
        group = None if s in self_contained else (items[0][0], end)
        out.append(NameMention(s, s + len(name), name, "list" if group else "head", group))
    return out


_ITEM_AMOUNT = re.compile(r"元(?:级)?的")
_PAREN_AMOUNT = re.compile(r"\([^()]*?元[^()]*\)$")
_LIST_CHAR = re.compile(rf"{_NAME_CHARS}|、")
_LIST_STOP = re.compile("[^" + _NAME_CHARS[1:-1] + "、]|等")  # not a _LIST_CHAR, or a 等 that may close a list


@lru_cache(maxsize=1)
def _list_stops(work: str) -> list[int]:
    """Positions where a backward walk over a list stops: characters that are not _LIST_CHAR, and list-closing 等.

    Cached for one text (size 1).
    """
    return [m.start() for m in _LIST_STOP.finditer(work) if m.group() != "等" or _is_deng(work, m.start())]
_BULLET = re.compile(r"^[●■◆▲★○•]\s*")
# A numbered heading (一、 / 1. / (1) / 1、): the number is layout, like a bullet.
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|\d{1,2}(?:、|\.(?!\d))|\(\d{1,2}\)|\([一二三四五六七八九十]{1,3}\))\s*")


_HEADING_CANDIDATES_RE22 = re.compile(r"[,。;!?:]")


def heading_candidates(work: str, paras: list[tuple[int, int]]) -> list[NameMention]:
    """List-style profiles: a bullet line (● name) or a short unpunctuated line ending in a head whose next
    paragraph starts with 项目.

    >>> w = "● 优巨特种工程塑料项目\\n项目介绍:计划总投资5亿元\\n东湖国际创新中心一期\\n项目位于山阳镇"
    >>> from parsers.text import paragraphs
    >>> [m.name for m in heading_candidates(w, paragraphs(w))]
    ['优巨特种工程塑料项目', '东湖国际创新中心一期']
    >>> w = "一、明光显示模组项目\\n项目单位:明光公司\\n2.北岸储能电池项目\\n项目地址:东区"
    >>> [m.name for m in heading_candidates(w, paragraphs(w))]
    ['明光显示模组项目', '北岸储能电池项目']
    """
    out: list[NameMention] = []
    for i, (a, b) in enumerate(paras):
        line = work[a:b]
        bullet = _BULLET.match(line) or _NUMBERED.match(line)
        body = line[bullet.end() :] if bullet else line
        if len(body) > 40 or _HEADING_CANDIDATES_RE22.search(body) or len(body) < 3:
            continue
        nxt = work[paras[i + 1][0] : paras[i + 1][1]] if i + 1 < len(paras) else ""
        ends_in_head = bool(_ANY_HEAD_END.search(body))
        if not (bullet and (ends_in_head or nxt.startswith("项目"))) and not (ends_in_head and nxt.startswith("项目")):
            continue
        if NOT_A_NAME.search(body.replace("项目介绍", "")) and not ends_in_head:
            continue
        s = a + (bullet.end() if bullet else 0)
        out.append(NameMention(s, s + len(body), body.strip(), "heading"))
    return out


def facility_candidates(work: str) -> list[NameMention]:
    """A single facility name followed by a stage phrase: `南沙港铁路客运工程进展顺利`, `X实验室进入设备安装阶段`.

    >>> [m.name for m in facility_candidates("中科院(江门)中微子实验室进入设备安装阶段")]
    ['中科院(江门)中微子实验室']
    """
    out: list[NameMention] = []
    for st in finditer_from(_FAC_STAGE, _FAC_STAGE_FIRST, work):
        e = st.start()
        run = _NAME_BEFORE.search(work, max(0, e - 30), e)
        if not run:
            continue
        head = _FAC_END.search(run.group(0))
        if not head:
            continue
        text = run.group(0)
        if _in_headline(work, e - 1):
            text = text[text.rfind(" ") + 1 :]  # a space in a headline separates phrases
        name = _balanced_start(trim_left(text)).strip()
        if not is_plausible(name) or len(name) < 4 or _is_description(work, e - len(name)):
            continue  # 项目在南溪工业园正式投产: a place after 在/落户, not a facility
        if _HEADS_TALLY.match(work, e):
            continue  # 凤阳宁国现代产业园集中开工的项目有10个: the park heads a tally of its projects
        out.append(NameMention(e - len(name), e, name, "facility"))
    return out


_FAC_STAGE = re.compile(
    r"(?:全线|正式|顺利|已|已经|相继)?(?:主体)?(?:动工|开工|开建|投产|竣工|建成(?!区)|进入设备安装|进展顺利|封顶|开通|通车|建设现场)"
    r"|(?:计划)?(?:总投资|投资总额)(?=[约达超逾近为]{0,2}[\d一二三四五六七八九十百千])"  # X高速公路总投资328亿元: a facility with its own budget
)
# First characters of _FAC_STAGE, each with the character(s) a match must go on with.
_FAC_STAGE_FIRST = re.compile(r"[全正顺已相主动开投竣建进封通计总](?:(?<=全)(?=线)|(?<=正)(?=式)|(?<=顺)(?=利)|(?<=已)"
                              r"|(?<=相)(?=继)|(?<=主)(?=体)|(?<=动)(?=工)|(?<=开)(?=[工建通])|(?<=投)(?=产|资总额)"
                              r"|(?<=竣)(?=工)|(?<=建)(?=成|设现场)|(?<=进)(?=入|展)|(?<=封)(?=顶)|(?<=通)(?=车)"
                              r"|(?<=计)(?=划)|(?<=总)(?=投资))")
_NAME_BEFORE = re.compile(rf"{_NAME_CHARS}{{2,30}}$")
_FAC_END = re.compile(rf"(?:{_FAC_RE}){_PHASE_TAIL}$")
