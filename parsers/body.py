"""Main text of an article page: trafilatura without tables, falling back to the fuller extraction (pure)."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import use_config

from parsers.pagedom import INLINE_TAGS, own_text_size

# Chinese packs ~3x the meaning per character of English: trafilatura's 250-char minimum makes it
# fall back to a one-line dump on short gov notices, so lower it.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "80")
_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")

# the table-free text must keep at least this share of the with-tables text, or the body sat in a table
_KEEP_SHARE = 0.5


def _extract(html: str, url: str | None, tables: bool, recall: bool = False, config: Any = _CONFIG) -> str:
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=tables,
        favor_recall=recall,
        include_images=False,
        deduplicate=False,  # process-global cache: output would depend on run order
        config=config,
    )
    return getattr(doc, "text", None) or ""


def _size(text: str) -> int:
    return len("".join(text.split()))


def choose_body(without_tables: str, with_tables: str) -> str:
    """The table-free text, unless it lost most of what the with-tables text holds (a layout-table body).

    >>> choose_body("本站声明", "本站声明\\n某区项目签约，总投资10亿元，计划年内开工建设。")
    '本站声明\\n某区项目签约，总投资10亿元，计划年内开工建设。'
    >>> choose_body("某区项目签约，总投资10亿元。", "某区项目签约，总投资10亿元。\\n打印本页 关闭")
    '某区项目签约，总投资10亿元。'
    """
    if _size(without_tables) >= _KEEP_SHARE * _size(with_tables):
        return without_tables
    return with_tables


def raw_main_text(html: str, url: str | None = None, block: int | None = None) -> str:
    """trafilatura's text of the page without tables (layout tables on gov pages collapse the body,
    DEPENDENCIES.md), unless it is much shorter than the page's main block or the with-tables text: then
    the page with its layout tables flattened into paragraphs, or else the with-tables text. ``block`` is
    main_block_size(html) when the caller has it."""
    without = _extract(html, url, tables=False)
    with_tables = _extract(html, url, tables=True)
    block = main_block_size(html) if block is None else block
    if _size(without) >= _KEEP_SHARE * max(_size(with_tables), block):
        return without
    flat_html = flatten_layout_tables(html)
    if flat_html is not html:
        flat = _extract(flat_html, url, tables=False)
        if _size(flat) > _size(without) and _size(flat) >= _KEEP_SHARE * _size(with_tables):
            return flat
    return choose_body(without, with_tables)


def recall_main_text(html: str, url: str | None = None) -> str:
    """trafilatura's recall-favouring text with tables and its own (larger) minimum size, under which it
    falls back to its baseline extractor: the second try when the first held only chrome."""
    return _extract(html, url, tables=True, recall=True, config=use_config())


# ---------------------------------------------------------------- layout tables and the main block

# cells of a layout table hold running text; a data table's hold figures under a header row
_LONG_CELL = 60  # characters of text that make a cell running text rather than a field
_LAYOUT_MAX_COLS = 3
_NUMBER_CELL = re.compile(r"^[\s\d.,，%％\-—~／/()（）亿万元个项台套吨亩平方米公里kmKM]*\d[\s\d.,，%％\-—~／/()（）亿万元个项台套吨亩平方米公里kmKM]*$")
_INLINE = INLINE_TAGS


def _rows(table: Any) -> list[list[Any]]:
    """The table's own rows of cells (nested tables' rows are theirs)."""
    return [
        [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        for tr in table.iter("tr")
        if _owner(tr) is table
    ]


def _owner(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and (not isinstance(parent.tag, str) or parent.tag.lower() != "table"):
        parent = parent.getparent()
    return parent


def _cell_text(cell: Any) -> str:
    return "".join(cell.text_content().split())


def is_layout_table(table: Any) -> bool:
    """A table used for page layout (few columns, a cell of running text), not a data table (a header row
    of <th>, or a column of figures), which stays a table for parsers/table.py.

    >>> import lxml.html
    >>> is_layout_table(lxml.html.fragment_fromstring("<table><tr><td>" + "某区项目签约，总投资10亿元。" * 6 + "</td></tr></table>"))
    True
    >>> is_layout_table(lxml.html.fragment_fromstring(
    ...     "<table><tr><th>项目名称</th><th>总投资(亿元)</th></tr><tr><td>" + "某某新材料产业园项目" * 7 + "</td><td>12.5</td></tr></table>"))
    False
    """
    rows = [r for r in _rows(table) if r]
    if not rows:
        return False
    if any(c.tag.lower() == "th" for r in rows for c in r):
        return False
    cols = max(len(r) for r in rows)
    texts = [[_cell_text(c) for c in r] for r in rows]
    numeric_rows = sum(any(t and _NUMBER_CELL.match(t) for t in r) for r in texts)
    if len(rows) >= 3 and numeric_rows * 2 >= len(rows):
        return False  # a column of figures: a data table
    return cols <= _LAYOUT_MAX_COLS and max(len(t) for r in texts for t in r) >= _LONG_CELL


def _link_table(table: Any) -> bool:
    """A navigation table: every cell holding text holds only link text."""
    cells = [c for r in _rows(table) for c in r if _cell_text(c)]
    return bool(cells) and all(_cell_text(c) == "".join(_cell_text(a) for a in c.iter("a")) for c in cells)


def flatten_layout_tables(html: str) -> str:
    """The page with every layout table turned into paragraphs (one per cell; a table of links only into a
    list of links), innermost first, so that
    trafilatura's table-free extraction keeps a body an old table layout put in a cell. Written by hand:
    trafilatura either drops tables or renders them as table rows, which collapses a layout body.

    >>> out = flatten_layout_tables("<html><body><table><tr><td>" + "某区项目签约，总投资10亿元。" * 6 + "</td></tr></table></body></html>")
    >>> "<table" in out, "<p>某区项目签约" in out
    (False, True)
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    tables = list(doc.iter("table"))
    changed = False
    for table in reversed(tables):  # descendants come after their ancestors in document order
        nav = _link_table(table)
        if not nav and not is_layout_table(table):
            continue
        changed = True
        for cell in [c for r in _rows(table) for c in r]:
            blocks = any(isinstance(x.tag, str) and x.tag.lower() not in _INLINE for x in cell.iterdescendants())
            # a navigation table becomes a list of links, which trafilatura drops by its link density
            cell.tag = "li" if nav else "div" if blocks else "p"
            cell.attrib.clear()
        for el in list(table.iter("tr", "tbody", "thead", "tfoot")):
            if _owner(el) is table:
                el.drop_tag()
        table.tag = "ul" if nav else "div"
        table.attrib.clear()
    return lxml.html.tostring(doc, encoding="unicode") if changed else html


def main_block_size(html: str) -> int:
    """Characters (whitespace aside) of the page's largest visible text block: the element whose own text
    and inline children (paragraphs, spans, line breaks) hold the most text outside links and scripts.

    >>> main_block_size("<html><body><div><a href='/'>首页导航链接</a><p>某区项目签约。</p><p>总投资10亿元。</p></div></body></html>")
    15
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return 0
    for el in doc.xpath("//script | //style | //noscript | //template"):
        el.drop_tree()
    return max((own_text_size(el) for el in doc.iter()
                if isinstance(el.tag, str) and el.tag.lower() not in _INLINE and el.tag.lower() != "a"), default=0)
