"""Pure parsers: article text (+ its date) -> structured project and batch records. No I/O here."""

from __future__ import annotations

from typing import TYPE_CHECKING

# Bump when the output for some input changes, so stored rows can be re-parsed.
PARSER_VERSION = "0.5.0"

if TYPE_CHECKING:
    from .model import ArticleFacts


def parse_article(text: str, published: str | None = None) -> ArticleFacts:
    """Projects and batch events of one article; `published` is "YYYY-MM-DD", "YYYY-MM", "YYYY" or None.

    >>> facts = parse_article("今日，投资100亿元的隆基硅能源生产基地项目上台签约。", "2022-12-21")
    >>> p = facts.projects[0]
    >>> (p.name, p.amount_yuan, p.stage, p.stage_date)
    ('隆基硅能源生产基地项目', 10000000000, 'signed', '2022-12-21')
    """
    from .article import parse_article as _parse  # lazy: keeps `import parsers` cheap

    return _parse(text, published)


__all__ = ["PARSER_VERSION", "parse_article"]
