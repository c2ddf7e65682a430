"""Markup repairs before extraction, so that text which odd or broken markup hides from trafilatura is kept (pure)."""

from __future__ import annotations

import re
from typing import TypeAlias

import lxml.html
from lxml.etree import ParserError

# An end of the document (</body>, </html>) followed by more markup: a page assembled from includes, each a
# whole document. libxml2 drops everything after the first </html>; HTML5 parsers ignore such end tags and
# keep parsing into the body (the "after body" insertion mode), which is what a browser shows.
_DOC_END = re.compile(r"</(?:body|html)\s*>", re.I)
_MARKUP_AFTER = re.compile(r"<[a-z!]", re.I)

# containers whose direct text trafilatura may lose when it runs between <br>s and child blocks
_CONTAINERS = {"div", "section", "article", "td", "main", "center", "blockquote"}
# elements that stay on the line they sit in (part of a paragraph run)
_INLINE = {
    "a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "img", "kbd", "label", "mark", "q", "s", "small",
    "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template"}


def keep_after_early_end(html: str) -> str:
    """The page without the </body> and </html> end tags that more markup follows (kept: the last ones).

    >>> keep_after_early_end("<html><body><div>页眉</div></body></html><div>正文</div></body></html>")
    '<html><body><div>页眉</div><div>正文</div></body></html>'
    >>> keep_after_early_end("<html><body><p>正文</p></body></html>\\n<!-- 注释 -->")
    '<html><body><p>正文</p></body></html>\\n<!-- 注释 -->'
    """
    ends = list(_DOC_END.finditer(html))
    if len(ends) < 1:
        return html
    # the tail after the last end tag holding markup other than comments means the ends came early
    cut = [m for m in ends if _MARKUP_AFTER.search(re.sub(r"<!--.*?-->", "", html[m.end() :], flags=re.S))]
    if not cut:
        return html
    out, last = [], 0
    for m in cut:
        out.append(html[last : m.start()])
        last = m.end()
    out.append(html[last:])
    return "".join(out)


def _tag(el: lxml.html.HtmlElement) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


_SENTENCE = re.compile(r"[。！？!?]")


def _has_loose_text(el: lxml.html.HtmlElement) -> bool:
    """Whether a container holds running text of its own (its text or a child's tail, with a sentence end in
    it: a footer's or an info bar's <br>-separated fields stay as they were) beside a <br> or a child block."""
    own = (el.text or "") + "".join(c.tail or "" for c in el)
    if not _SENTENCE.search(own):
        return False
    # an empty block (a clearing <p></p>) separates nothing: a lone run of text stays as the extractor sees it
    return any(_tag(c) == "br" or (_tag(c) not in _INLINE and _tag(c) and _shows([c])) for c in el)


Node: TypeAlias = "lxml.html.HtmlElement | str"


def _run_text(run: list[Node]) -> str:
    return "".join(x if isinstance(x, str) else x.text_content() if _tag(x) else "" for x in run)


def _shows(run: list[Node]) -> bool:
    """Whether a run shows anything: text, or an image (comments do not)."""
    return bool(_run_text(run).strip()) or any(
        not isinstance(x, str) and _tag(x) and (_tag(x) == "img" or x.find(".//img") is not None) for x in run
    )


def _paragraph(run: list[Node]) -> lxml.html.HtmlElement:
    p = lxml.html.Element("p")
    for x in run:
        if not isinstance(x, str):
            p.append(x)
        elif len(p):
            p[-1].tail = (p[-1].tail or "") + x
        else:
            p.text = (p.text or "") + x
    return p


def _wrap_runs(el: lxml.html.HtmlElement) -> None:
    """Turn each run of text and inline elements between <br>s and child blocks of ``el`` into a <p>.

    The <br>s go (each <p> ends its line); blocks stay where they are; blank runs stay as they were.
    """
    children = list(el)
    runs: list[Node | list[Node]] = []  # a block element, or a run of inline nodes
    current: list[Node] = [el.text] if el.text else []
    el.text = None
    for c in children:
        el.remove(c)
        tail, c.tail = c.tail, None
        tag = _tag(c)
        if tag == "br" or (isinstance(c.tag, str) and tag not in _INLINE):
            runs.append(current)
            current = []
            if tag != "br":
                runs.append(c)
        else:
            current.append(c)  # an inline element, a comment
        if tail:
            current.append(tail)
    runs.append(current)
    for item in runs:
        if not isinstance(item, list):
            el.append(item)
        elif _shows(item):
            el.append(_paragraph(item))
        else:  # whitespace, comments: kept as they were
            for x in item:
                if isinstance(x, str):
                    if len(el):
                        el[-1].tail = (el[-1].tail or "") + x
                    else:
                        el.text = (el.text or "") + x
                else:
                    el.append(x)


def paragraphs_from_breaks(doc: lxml.html.HtmlElement) -> bool:
    """Make paragraphs of the text a container holds between <br>s and child blocks (``<div>第一行<br>第二行
    <div><img></div>第三行</div>``): trafilatura keeps a <p>'s text but drops or joins the runs of a
    container's own text, often the first line of a body typed with line breaks. True when changed.

    >>> doc = lxml.html.document_fromstring('<html><body><div>首行。<br>次行<b>加粗</b>。<div><img src="a.jpg"></div>末行。</div></body></html>')
    >>> paragraphs_from_breaks(doc)
    True
    >>> lxml.html.tostring(doc.find("body"), encoding="unicode")
    '<body><div><p>首行。</p><p>次行<b>加粗</b>。</p><div><img src="a.jpg"></div><p>末行。</p></div></body>'
    """
    changed = False
    for el in list(doc.iter(*_CONTAINERS)):
        if any(_tag(a) in _SKIP for a in el.iterancestors()):
            continue
        if _has_loose_text(el):
            _wrap_runs(el)
            changed = True
    return changed


def unwrap_image_links(doc: lxml.html.HtmlElement) -> bool:
    """Drop the <a> around an image (keeping the image) in a paragraph that has text of its own: trafilatura
    takes a short paragraph whose links all lack text for a link box and deletes it, caption and all (a
    picture linked to its full-size view above a one-line caption). True when changed.

    >>> doc = lxml.html.document_fromstring('<html><body><p><a href="/big.jpg"><img src="a.jpg"></a><br>图为开工现场。</p></body></html>')
    >>> unwrap_image_links(doc), lxml.html.tostring(doc.find("body/p"), encoding="unicode")
    (True, '<p><img src="a.jpg"><br>图为开工现场。</p>')
    >>> unwrap_image_links(lxml.html.document_fromstring('<html><body><p><a href="/"><img src="logo.png"></a></p></body></html>'))
    False
    """
    changed = False
    for p in list(doc.iter("p")):
        links = [a for a in p.iter("a") if a.find(".//img") is not None and not a.text_content().strip()]
        if not links:
            continue
        own = p.text_content().strip()
        if not own:
            continue  # a picture alone: nothing of the article to keep
        for a in links:
            a.drop_tag()
        changed = True
    return changed


def repair_markup(html: str) -> str:
    """The page with the repairs above applied (the same string when none applies)."""
    html = keep_after_early_end(html)
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    changed = paragraphs_from_breaks(doc)
    changed = unwrap_image_links(doc) or changed
    return lxml.html.tostring(doc, encoding="unicode") if changed else html
