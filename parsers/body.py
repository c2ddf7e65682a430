"""Main text of an article page: trafilatura without tables, falling back to the fuller extraction (pure)."""

from __future__ import annotations

from typing import Any

import trafilatura
from trafilatura.settings import use_config

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


def raw_main_text(html: str, url: str | None = None) -> str:
    """trafilatura's text of the page: without tables (layout tables on gov pages collapse the body,
    DEPENDENCIES.md), or with them when that keeps much more."""
    return choose_body(_extract(html, url, tables=False), _extract(html, url, tables=True))


def recall_main_text(html: str, url: str | None = None) -> str:
    """trafilatura's recall-favouring text with tables and its own (larger) minimum size, under which it
    falls back to its baseline extractor: the second try when the first held only chrome."""
    return _extract(html, url, tables=True, recall=True, config=use_config())
