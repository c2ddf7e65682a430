"""Text preparation: traditional->simplified, punctuation folding, layout joins, with an offset map back to the original."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

try:  # the parser of the standard library's re, to read which characters a pattern can start with
    from re import _constants as _re_c  # type: ignore[attr-defined]
    from re import _parser as _re_parser  # type: ignore[attr-defined]
except ImportError:  # Python < 3.11
    import sre_constants as _re_c
    import sre_parse as _re_parser

# Full-width punctuation folded 1:1 to half-width so every rule can use one spelling; offsets do not move.
_FOLD_CHARS: dict[str, str] = {
    "，": ",",  # comma
    "（": "(",  # parentheses
    "）": ")",
    "：": ":",  # colon
    "；": ";",  # semicolon
    "！": "!",
    "？": "?",
    "－": "-",
    "～": "~",
    "\u3000": " ",  # ideographic space
    "\xa0": " ",
    "％": "%",
    "／": "/",
}
# Digits and Latin letters written full-width.
_FOLD_CHARS.update({chr(0xFF10 + i): chr(ord("0") + i) for i in range(10)})
_FOLD_CHARS.update({chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)})
_FOLD_CHARS.update({chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)})
_FOLD = str.maketrans(_FOLD_CHARS)
_FOLD_ANY = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")

# Characters that exist only in traditional script and are common in investment news; one of them
# is enough to run OpenCC (which costs ~2 ms per 1,000 characters, so simplified texts skip it).
# The facility words a short name may be written with alone (拉哇水電站, 北站醫院) are markers too.
_TRADITIONAL_MARKERS = frozenset("項資億萬開產區發團業與為這會個們來對時國際總額簽約動門場廣東設計劃劃樓鐵園體協議達實現進書"
                                 "電廠線醫學館橋灣環")
# The same test as a scan in C (isdisjoint builds a str object per CJK character: ~8x slower).
_TRADITIONAL_ANY = re.compile("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")

_TERMINAL = "。!?！？”\"…:：;；"
_JOIN_MIN_LINE = 30  # a line this long that stops mid-sentence was broken by the page layout


_PREPARED_RE1 = re.compile(r"\s+")


@dataclass(frozen=True)
class Prepared:
    """The working text and how to get back to the original.

    `work` is simplified, punctuation-folded and has layout line breaks removed; `pos[i]` is the index in
    `original` of `work[i]`.
    """

    original: str
    work: str
    pos: tuple[int, ...]

    def verbatim(self, start: int, end: int, *, squeeze: bool = False) -> str:
        """The original text under work[start:end]; `squeeze` drops whitespace (names broken by layout).

        >>> p = prepare("投资１００亿元（首期）")
        >>> p.work
        '投资100亿元(首期)'
        >>> p.verbatim(0, len(p.work))
        '投资１００亿元（首期）'
        """
        if end <= start:
            return ""
        s = self.original[self.pos[start] : self.pos[end - 1] + 1]
        return _PREPARED_RE1.sub("", s) if squeeze else s


@lru_cache(maxsize=1)
def _converter() -> object:
    from opencc import OpenCC  # imported lazily: only traditional texts need it

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, keeping the length (character by character where phrases change it).

    >>> to_simplified("總投資達5000多億元")
    '总投资达5000多亿元'
    >>> to_simplified("already simplified 项目")
    'already simplified 项目'
    """
    if _TRADITIONAL_ANY.search(text) is None:
        return text
    cc = _converter()
    out = cc.convert(text)  # type: ignore[attr-defined]
    if len(out) == len(text):
        return str(out)
    # A phrase rule changed the length: fall back to single characters so offsets stay aligned.
    chars = [cc.convert(ch) for ch in text]  # type: ignore[attr-defined]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text, strict=True))


def _fold(text: str) -> str:
    """Exactly `text.translate(_FOLD)`: each folded character present is replaced in one pass (translate looks
    every character up in the table, ~8x slower on CJK text). No replacement is itself a folded character.

    >>> s = "投资（首期）：１００亿元，约Ａ\u3000"
    >>> _fold(s) == s.translate(_FOLD)
    True
    """
    for c in set(_FOLD_ANY.findall(text)):
        text = text.replace(c, _FOLD_CHARS[c])
    return text


# Spaces some pages put between a figure and its unit (10 个, 35.8 亿元, 7 月 22 日): dropped like layout
_SPACED_FIGURE = re.compile(r"(?<=\d) +(?=[个亿万元月日年项家%])|(?<=[年月]) +(?=\d)")
_CREDIT = re.compile(r"(?:摄|摄影|供图|图片来源[^\n]{0,20})$")


def prepare(text: str) -> Prepared:
    """Simplify, fold punctuation and join lines the page layout broke mid-sentence.

    >>> p = prepare("全市引进中\\n\\n创新航项目签约。\\n\\n标题\\n\\n正文")
    >>> p.work
    '全市引进中\\n\\n创新航项目签约。\\n\\n标题\\n\\n正文'
    >>> prepare("标题\\n这是一段很长的正文内容，在这里被页面排版截断了，总投资200亿元的中\\n\\n创新航项目").work
    '标题\\n这是一段很长的正文内容,在这里被页面排版截断了,总投资200亿元的中创新航项目'
    """
    simple = _fold(to_simplified(text))
    # Some pages end sentences with a half-width period (均超过300亿元.其中): between Chinese characters it is a
    # full stop, so sentence and clause scopes end there (digits keep their decimal point: 4.0, 5.5亿元).
    if "." in simple:
        simple = _HALF_STOP.sub("。", simple)
    drops: list[tuple[int, int]] = [m.span() for m in PINYIN_NOTE.finditer(simple)]
    if " " in simple:
        drops += [m.span() for m in _SPACED_FIGURE.finditer(simple)]  # 10 个项目 / 35.8 亿元 / 7 月 22 日
    for m in _LINE_BREAK.finditer(simple):
        i, j = m.start(), m.end()
        line_start = simple.rfind("\n", 0, i) + 1
        line = simple[line_start:i].strip()
        if (
            line_start > 0  # the first line is the title
            and len(line) >= _JOIN_MIN_LINE
            and line[-1] not in _TERMINAL
            and not _CREDIT.search(line)  # 开工仪式现场。曾佐然 摄: a photo credit closes its caption
            and j < len(simple)
            and not _is_heading_like(simple, j)
        ):
            drops.append((i, j))  # the layout break: skip the whitespace run
    work: list[str] = []
    pos: list[int] = []
    kept_from = 0  # start of the not yet copied part of `simple`
    for i, j in sorted(drops):
        if i < kept_from:
            continue
        work.append(simple[kept_from:i])
        pos.extend(range(kept_from, i))
        kept_from = j
    work.append(simple[kept_from:])
    pos.extend(range(kept_from, len(simple)))
    return Prepared(original=text, work="".join(work), pos=tuple(pos))


_HALF_STOP = re.compile(r"(?<=[\u4e00-\u9fff”)])\.(?=[\u4e00-\u9fff“]|[ \t\r]*\n)")  # …五大板块.\n\n此前: a line-final . too
_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
# Some traditional-script mirrors annotate characters with their pinyin: 項(xiàng)目, 產(chǎn). The notes split
# words (項目 is no longer one word), so the working text drops them; `verbatim` keeps them as written.
PINYIN_NOTE = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def _is_heading_like(s: str, j: int) -> bool:
    """A following line that starts a list item or a dated paragraph is not a continuation."""
    return s[j] in "●○■□◆◇▲△★☆•-—(" or bool(_DATED.match(s, j))


_DATED = re.compile(r"(?:\d{1,2}月\d{1,2}日|\d{4}[-/年])")


def finditer_from(pattern: re.Pattern[str], first: re.Pattern[str], work: str, start: int = 0,
                  end: int | None = None) -> list[re.Match[str]]:
    r"""Exactly `pattern.finditer(work, start, end)`, jumping between the characters a match can start with.

    Patterns that open with an optional group or an alternation have no literal prefix, so the regex engine
    tries every branch at every position; for sparse starting characters this is 5-10x faster. `first` must
    cover every possible first character and `pattern` must never match empty (tests check both on real texts);
    `first` matches one character, optionally with a lookahead over characters that any match of `pattern`
    starting there consumes (so it is a necessary condition, whatever the window).

    >>> p, f = re.compile(r"(?:约)?\d+亿"), re.compile(r"[约\d]")
    >>> [m.group(0) for m in finditer_from(p, f, "投资约5亿,另12亿")] == [m.group(0) for m in p.finditer("投资约5亿,另12亿")]
    True
    """
    end = len(work) if end is None else end
    out: list[re.Match[str]] = []
    if start < 0 or end < 0:  # slice-style negative bounds: search as the engine would
        pos = start
        while True:
            c = first.search(work, pos, end)
            if c is None:
                return out
            m = pattern.match(work, c.start(), end)
            if m is None:
                pos = c.start() + 1
            else:
                out.append(m)
                pos = m.end()
    # The positions `first` matches at, found once per text (a match of `pattern` inside any window also
    # satisfies `first` on the whole text, and positions `first` rejects cannot start a match).
    ps = _first_positions(work, first)
    k, n = bisect_left(ps, start), len(ps)
    while k < n:
        p = ps[k]
        if p >= end:
            break
        m = pattern.match(work, p, end)
        if m is None:
            k += 1
        else:
            out.append(m)
            k = bisect_left(ps, m.end(), k + 1)
    return out


def finditer_scan(pattern: re.Pattern[str], first: re.Pattern[str] | None, s: str) -> list[re.Match[str]]:
    r"""Exactly `pattern.finditer(s)` for a short string, trying `pattern` only where `first` matches (no cache).

    >>> p = re.compile(r"的|\d+个")
    >>> [m.group(0) for m in finditer_scan(p, first_char_class(p), "投资的12个项目的")]
    ['的', '12个', '的']
    """
    if first is None:
        return list(pattern.finditer(s))
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        c = first.search(s, pos)
        if c is None:
            return out
        m = pattern.match(s, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            out.append(m)
            pos = m.end()


def first_char_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A character class holding every character a match of `pattern` can start with, read from the parsed
    pattern; None when that cannot be told (a negated class, `.`, an anchor, flags, a pattern matching empty).

    >>> print(first_char_class(re.compile(r"(?<![高中])等|[一二]{1,2}、|(?:19|20)年|[0-9]+个")).pattern)
    [0-912一二等]
    >>> first_char_class(re.compile(r"^项目|的")) is None
    True
    """
    chars: set[str] = set()
    try:
        if _first_chars(_re_parser.parse(pattern.pattern, pattern.flags), chars):
            return None  # may match empty: every position is a candidate
    except _Unsupported:
        return None
    return re.compile("[" + "".join(sorted(chars)) + "]")


class _Unsupported(Exception):
    pass


_CATEGORY = {_re_c.CATEGORY_DIGIT: r"\d", _re_c.CATEGORY_NOT_DIGIT: r"\D", _re_c.CATEGORY_SPACE: r"\s",
             _re_c.CATEGORY_NOT_SPACE: r"\S", _re_c.CATEGORY_WORD: r"\w", _re_c.CATEGORY_NOT_WORD: r"\W"}


def _first_chars(seq: Any, out: set[str]) -> bool:
    """Add the possible first characters of a parsed sequence to `out`; True when it can match empty."""
    for op, av in seq:
        if op is _re_c.LITERAL:
            out.add(re.escape(chr(av)))
            return False
        if op is _re_c.IN:
            for o, a in av:
                if o is _re_c.LITERAL:
                    out.add(re.escape(chr(a)))
                elif o is _re_c.RANGE:
                    out.add(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
                elif o is _re_c.CATEGORY and a in _CATEGORY:
                    out.add(_CATEGORY[a])
                else:
                    raise _Unsupported(o)  # NEGATE and anything else
            return False
        if op is _re_c.BRANCH:
            nullable = False
            for alt in av[1]:
                nullable = _first_chars(alt, out) or nullable
            if not nullable:
                return False
        elif op is _re_c.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unsupported("flags")
            if not _first_chars(av[3], out):
                return False
        elif op is _re_c.MAX_REPEAT or op is _re_c.MIN_REPEAT:
            if not _first_chars(av[2], out) and av[0] >= 1:
                return False
        elif op is _re_c.ASSERT or op is _re_c.ASSERT_NOT:
            continue  # zero width: the next item holds the first character
        else:
            raise _Unsupported(op)  # anchors, ., groups referenced, ...
    return True


@lru_cache(maxsize=1)
def _first_index(work: str) -> dict[re.Pattern[str], list[int]]:
    return {}  # one text at a time (size 1): a benchmark that repeats texts gains nothing from it


def _first_positions(work: str, first: re.Pattern[str]) -> list[int]:
    index = _first_index(work)
    ps = index.get(first)
    if ps is None:
        ps = index[first] = [c.start() for c in first.finditer(work)]
    return ps


_SENT_END = re.compile(r"[。!?;\n]+")


def sentences(work: str) -> list[tuple[int, int]]:
    """Spans of sentences (ended by 。！？； or a line break), empty ones skipped.

    >>> w = "甲项目签约。乙项目开工;\\n丙"
    >>> [w[a:b] for a, b in sentences(w)]
    ['甲项目签约。', '乙项目开工;', '丙']
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(work):
        end = m.start() + 1 if work[m.start()] != "\n" else m.start()
        if work[start:end].strip():
            out.append(_strip_span(work, start, end))
        start = m.end()
    if work[start:].strip():
        out.append(_strip_span(work, start, len(work)))
    return out


def _strip_span(work: str, a: int, b: int) -> tuple[int, int]:
    while a < b and work[a] in " \t\r\n":
        a += 1
    while b > a and work[b - 1] in " \t\r\n":
        b -= 1
    return a, b


def paragraphs(work: str) -> list[tuple[int, int]]:
    """Spans of non-empty lines.

    >>> w = "一\\n\\n  二 \\n三"
    >>> [w[a:b] for a, b in paragraphs(w)]
    ['一', '二', '三']
    """
    return list(_paragraphs(work))


_PARAGRAPHS_RE2 = re.compile(r"\n")


@lru_cache(maxsize=1)
def _paragraphs(work: str) -> tuple[tuple[int, int], ...]:
    # Cached for one text: batches, names and projects all split the same article.
    out: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPHS_RE2.finditer(work):
        if work[start : m.start()].strip():
            out.append(_strip_span(work, start, m.start()))
        start = m.end()
    if work[start:].strip():
        out.append(_strip_span(work, start, len(work)))
    return tuple(out)


# Punctuation that clause and sentence look-ups search backwards for (see last_of).
_MARKS = ",。;:!?\n、暨"
_MARK_RES = {c: re.compile(re.escape(c)) for c in _MARKS}


@lru_cache(maxsize=1)
def _mark_index(work: str) -> dict[str, list[int]]:
    # Cached for one text (size 1): positions of each mark, and lazily of each set of marks asked for.
    return {c: [m.start() for m in p.finditer(work)] for c, p in _MARK_RES.items()}


def last_of(work: str, chars: str, lo: int, hi: int) -> int:
    """Exactly `max(work.rfind(c, lo, hi) for c in chars)` for single characters, by bisecting an index.

    >>> w = "甲,乙。丙;丁"
    >>> [last_of(w, ",。;", 0, i) == max(w.rfind(c, 0, i) for c in ",。;") for i in range(len(w) + 2)]
    [True, True, True, True, True, True, True, True, True]
    >>> last_of(w, ",。", 2, 5), last_of(w, "、", 0, 7)
    (3, -1)
    """
    if lo < 0 or hi < 0:
        return max(work.rfind(c, lo, hi) for c in chars)
    index = _mark_index(work)
    ps = index.get(chars)
    if ps is None:
        if not chars or any(c not in _MARKS for c in chars):
            return max(work.rfind(c, lo, hi) for c in chars)
        ps = []
        for c in set(chars):
            ps += index[c]
        ps.sort()
        index[chars] = ps
    k = bisect_left(ps, hi) - 1
    return ps[k] if k >= 0 and ps[k] >= lo else -1
