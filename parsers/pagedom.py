"""DOM helpers shared by the page extractors: the visible block lines, the title's line, list-item links."""

from __future__ import annotations

import re
from collections.abc import Collection

import lxml.html

TITLE_SUFFIX = re.compile(r"\s*[-_|｜—]+\s*[^-_|｜—]{2,30}$")


# Tags that hold running text inside a block (a paragraph's pieces), not blocks of their own.
INLINE_TAGS = {"p", "span", "font", "strong", "b", "em", "i", "u", "br", "section", "center", "big", "small", "sup", "sub"}


def _chars(text: str) -> int:
    return len("".join(text.split()))


def own_text_size(el: lxml.html.HtmlElement) -> int:
    """Characters (whitespace aside) of an element's own text and inline children, outside links: how much
    running text the element holds itself (the measure of the page's main text block)."""
    size = _chars(el.text or "")
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag.lower() in INLINE_TAGS:
            size += _chars(child.text_content()) - sum(_chars(a.text_content()) for a in child.iter("a"))
        size += _chars(child.tail or "")
    return size


def norm_title(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def visible_text(doc: lxml.html.HtmlElement) -> str:
    body = doc.find("body")
    root = body if body is not None else doc
    parts = [
        t
        for t in root.xpath(".//text()[not(ancestor::script)][not(ancestor::style)]")
        if isinstance(t, str) and t.strip()
    ]
    return "\n".join(p.strip() for p in parts)


BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "th", "tr",
    "ul", "center",
}  # fmt: skip


def block_lines(doc: lxml.html.HtmlElement) -> list[str]:
    """The body's visible text, one line per block element (inline elements stay on their line)."""
    body = doc.find("body")
    root = body if body is not None else doc
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in {"script", "style", "noscript", "template"} or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return [x for x in (re.sub(r"[ \t\r\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n")) if x]


def title_line(lines: list[str], title: str | None) -> int | None:
    """Index of the line showing the article title (a <title> with a site-name suffix still matches)."""
    if not title:
        return None
    want = norm_title(title)
    forms = [want, norm_title(TITLE_SUFFIX.sub("", want))]
    for i, line in enumerate(lines):
        if norm_title(line) in forms:
            return i
    head = want[:20]
    for i, line in enumerate(lines):
        norm = norm_title(line)
        if len(head) >= 6 and head in norm and len(norm) <= len(want) + 30:
            return i
        if len(norm) >= 6 and norm in want and len(norm) * 2 >= len(want):
            return i
    return None


def link_texts(doc: lxml.html.HtmlElement) -> set[str]:
    """Texts of title-like links (8+ characters): lines holding one are list items pointing elsewhere."""
    out: set[str] = set()
    for a in doc.iter("a"):
        if a.get("href"):
            text = re.sub(r"[ \t\r\n\u3000\xa0]+", " ", a.text_content()).strip()
            if len(text) >= 8:
                out.add(text)
    return out


def link_item(line: str, linked: Collection[str]) -> bool:
    """Whether a line shows a title-like link text that is not a labelled value (来源：<a>人民网</a>):
    a related-news or ranking item, whose date is another article's."""
    for text in linked:
        at = line.find(text)
        if at >= 0 and not re.search(r"[:：]\s*$", line[:at]):
            return True
    return False

