"""What part of the text speaks about a name mention: the per-article context, scopes, sentence and list bounds."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .amounts import Amount
from .dates import Anchor
from .names import (
    NameMention,
)
from .stages import StageMention
from .text import Prepared, last_of


@dataclass
class Ctx:
    prep: Prepared
    work: str
    anchor: Anchor
    sents: list[tuple[int, int]]
    paras: list[tuple[int, int]]
    amounts: list[Amount]
    stages: list[StageMention]
    default_place: str | None
    default_after: int = 0  # a project first named before this offset does not take default_place
    companies: list[tuple[int, int, str]] = field(default_factory=list)
    event_date: str | None = None
    event_stage: str | None = None
    single: bool = False
    short_names: frozenset[tuple[int, int, str]] = frozenset()
    title_end: int = 0
    assigned_place: dict[int, tuple[int, int]] = field(default_factory=dict)

    sent_starts: list[int] = field(default_factory=list)
    para_starts: list[int] = field(default_factory=list)
    # scope_of_mention of each mention (by id) for this article's one `ordered`/`gid`.
    scopes: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Per company (by index): followed by an investing verb; leading an industry only (以X公司为龙头).
    invests: list[bool] = field(default_factory=list)
    background: frozenset[str] = frozenset()
    # Company indices sorted by start, and those starts: a scope's companies by bisection, not a full scan.
    company_order: list[int] = field(default_factory=list)
    company_starts: list[int] = field(default_factory=list)
    company_span: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> its last span
    city_openers: set[str] | None = None  # cities opening the article's project names (attach_places), once
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


TALLY_COUNT = re.compile(r"\d+\s*个")


INTENT = re.compile(r"意向|磋商|洽谈中|在谈")


# A sentence about the project just named: 该项目… / 据悉,项目总投资… / 其总投资….
SUBJECT = re.compile(r"\s*(?:(?:据悉|据了解|据介绍|记者了解到|另悉|经了解),?)?\s*(?:((?:这个|该|此)项目)|项目|其(?![中他它余]))")


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


def scope_of_mention(ctx: Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int]) -> tuple[int, int]:
    """From the mention to the next mention of another project, within its paragraph (or its heading block)."""
    hit = ctx.scopes.get(id(m))
    if hit is None:
        hit = ctx.scopes[id(m)] = _scope_of(ctx, m, ordered, gid)
    return hit


def _scope_of(ctx: Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int]) -> tuple[int, int]:
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


def _block_end(ctx: Ctx, m: NameMention) -> int:
    """A heading's block runs until the next short unpunctuated line (the next heading) or 6 paragraphs."""
    idx = [k for k, (a, _) in enumerate(ctx.paras) if a <= m.start][-1]
    end = ctx.paras[idx][1]
    for a, b in ctx.paras[idx + 1 : idx + 7]:
        line = ctx.work[a:b]
        if len(line) <= 40 and not _BLOCK_END_RE19.search(line):
            break
        end = b
    return end


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


ITEM_NUMBER = re.compile(r"\s*(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}、|[●■◆▲★○•])")


_RESPECTIVELY = re.compile(r"分别")


def respectively_lists(work: str, ordered: list[NameMention],
                       gid: dict[int, int]) -> list[tuple[int, re.Match[str], int, list[int]]]:
    """`A、B和C分别…X、Y和Z`: for each 分别 after two or more projects in its sentence, the sentence start,
    the 分别 match, the end of the clause after it, and the projects' group ids in order (the i-th value of
    the clause is the i-th project's: its place or its amount).
    """
    out: list[tuple[int, re.Match[str], int, list[int]]] = []
    for fb in _RESPECTIVELY.finditer(work):
        ss = last_of(work, "。;\n", 0, fb.start()) + 1
        names: list[int] = []
        for o in ordered:
            if ss <= o.start < fb.start() and gid[id(o)] not in names:
                names.append(gid[id(o)])
        if len(names) < 2:
            continue
        ce = min([i for i in (work.find(c, fb.end()) for c in ",。;\n") if i >= 0] or [len(work)])
        out.append((ss, fb, ce, names))
    return out
