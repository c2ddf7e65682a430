"""Forum thread lists: the thread links are the title column of the list's repeated rows (pure).

A forum's thread row links its thread (title, icon, reply count, page jumps 2 3 4) but also its author, its
last poster and a "last post" redirect; quick-nav boxes, side boxes and ads link other threads. The title
links of the rows share one markup (the anchor's class and its ancestors' tags: ``th > a.s.xst``,
``div.threadlist_title > a.j_th_tit``), which the author, last-post, page-jump and ad links do not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from parsel import Selector

_MIN_THREADS = 10  # title links of a thread list
# other links per thread row (author, last poster, last-post redirect, page jumps): a news list's item links
# only its article (and its image or comments), a forum's thread row at least two more places
_MIN_ROW_LINKS = 2.0
# a user's page (the thread's author or last poster), as forum software names it: Discuz home.php?mod=space&uid=,
# phpBB memberlist.php?mode=viewprofile&u=, vBulletin member.php?u=, /home/main?un=, /u/name, /user/123 ...
_USER_LINK = re.compile(
    r"[?&](?:mod=space|uid=|un=|username=|u=\d|mode=viewprofile)|/(?:space|home|member|memberlist|user|users|u|profile|people)"
    r"(?:[/.?-]|$)",
    re.I,
)
_MIN_USER_ROWS = 0.5  # share of thread rows linking a user's page
_PATH_DEPTH = 5  # ancestors whose tags make an anchor's markup signature


def _signature(a: Any) -> tuple[str, ...]:
    tags: list[str] = []
    node = a.getparent()
    while node is not None and len(tags) < _PATH_DEPTH:
        tags.append(node.tag if isinstance(node.tag, str) else "")
        node = node.getparent()
    return (" ".join(sorted((a.get("class") or "").split())), *tags)


def _text(a: Any) -> str:
    return "".join(a.text_content().split())


def _href(a: Any) -> str:
    href = (a.get("href") or "").strip()
    return "" if href.startswith(("javascript:", "#", "mailto:")) else href


def _row(a: Any, titles: set[Any]) -> Any:
    """The largest ancestor of a title link holding no other title link: its thread row."""
    row = a
    parent = a.getparent()
    while parent is not None and sum(1 for x in parent.iter("a") if x in titles) == 1:
        row, parent = parent, parent.getparent()
    return row


def thread_title_anchors(sel: Selector) -> list[Selector] | None:
    """The title links of a forum thread list, in page order; None when the page is not one.

    The title column is the anchor markup with the longest link texts (on average) over at least ``_MIN_THREADS`` distinct
    links; the page is a thread list when the rows around those links link on average ``_MIN_ROW_LINKS``
    other places (author, last poster, page jumps), most rows a user's page, unlike a news list's items
    (keywords, comments, share links).

    >>> row = ('<tbody><tr><th><a class="s xst" href="/thread-{i}-1-1.html">第{i}帖：某新区重大项目进展</a> <a href="/thread-{i}-2-1.html">2</a></th>'
    ...        '<td><cite><a href="/space-{i}.html">用户{i}</a></cite></td><td><a href="/redirect?tid={i}">最后发表</a></td></tr></tbody>')
    >>> page = Selector(text='<table>' + ''.join(row.format(i=i) for i in range(12)) + '</table><a href="/thread-99-1-1.html">侧栏热帖</a>')
    >>> [a.attrib['href'] for a in thread_title_anchors(page)][:2]
    ['/thread-0-1-1.html', '/thread-1-1-1.html']
    >>> news = ''.join(f'<li><a href="/a/{i}.html">某市第{i}个重大项目开工</a></li>' for i in range(12))
    >>> thread_title_anchors(Selector(text=f'<ul>{news}</ul>')) is None
    True
    """
    anchors = [a for a in sel.xpath("//body//a[@href]") if _href(a.root)]
    groups: dict[tuple[str, ...], list[Selector]] = defaultdict(list)
    for a in anchors:
        groups[_signature(a.root)].append(a)
    best: list[Selector] | None = None
    best_text = 0.0
    for group in groups.values():
        if len({_href(a.root) for a in group}) < _MIN_THREADS:
            continue
        text = sum(len(_text(a.root)) for a in group) / len(group)  # titles are longer than names and counts
        if text > best_text:
            best, best_text = group, text
    if best is None:
        return None
    titles = {a.root for a in best}
    others = users = 0
    for a in best:
        links = {_href(x) for x in _row(a.root, titles).iter("a")} - {_href(a.root), ""}
        others += len(links)
        users += any(_USER_LINK.search(x) for x in links)
    if others / len(best) < _MIN_ROW_LINKS or users / len(best) < _MIN_USER_ROWS:
        return None  # a news list's items (keywords, comments, share links), not threads with their posters
    return best
