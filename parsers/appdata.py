"""An app page's body kept in its script data: a gallery shows caption 1 of N, the rest sit in JSON (pure)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html

# JSON.parse("...") literals (the data a script-rendered page starts from) and <script type="application/json">
_JSON_PARSE = re.compile(r'JSON\.parse\(\s*"((?:[^"\\]|\\.)*)"\s*\)', re.S)
_MIN_ITEMS = 3  # a caption list: at least this many strings
_MIN_SHOWN = 20  # characters of the shown caption that opens the list


def _script_data(doc: lxml.html.HtmlElement) -> Iterator[Any]:
    for script in doc.iter("script"):
        text = script.text or ""
        if (script.get("type") or "").lower() == "application/json":
            try:
                yield json.loads(text)
            except ValueError:
                pass
            continue
        for literal in _JSON_PARSE.findall(text):
            try:
                yield json.loads(json.loads(f'"{literal}"'))
            except ValueError:
                continue


def _string_lists(data: Any, depth: int = 0) -> Iterator[list[str]]:
    if depth > 8:
        return
    if isinstance(data, list):
        if len(data) >= _MIN_ITEMS and all(isinstance(x, str) for x in data):
            yield [str(x) for x in data]
        items: Any = data
    elif isinstance(data, dict):
        items = data.values()
    else:
        return
    for child in items:
        yield from _string_lists(child, depth + 1)


def _flat(text: str) -> str:
    return "".join(text.split())


def script_body(doc: lxml.html.HtmlElement, lines: list[str]) -> list[str] | None:
    """The body held in the page's script data, when the extracted ``lines`` show only its first part: a list
    of strings (a gallery's captions) whose first item is a shown line and which holds more text than all
    the lines. None when the page has no such list.

    >>> page = lxml.html.document_fromstring('<html><body><p>某县新建的光伏电站今日并网发电，年发电量可达1.2亿千瓦时。</p>'
    ...     '<script>var g = JSON.parse("{\\\\"captions\\\\":[\\\\"某县新建的光伏电站今日并网发电，年发电量可达1.2亿千瓦时。\\\\",'
    ...     '\\\\"电站总投资5亿元，占地1200亩，由某能源集团投资建设。\\\\",\\\\"项目建成后每年可减少二氧化碳排放约10万吨。\\\\"]}");</script>'
    ...     '</body></html>')
    >>> script_body(page, ["1/3", "某县新建的光伏电站今日并网发电，年发电量可达1.2亿千瓦时。", "举报"])[-1]
    '项目建成后每年可减少二氧化碳排放约10万吨。'
    >>> script_body(page, ["某县新建的光伏电站今日并网发电。"]) is None
    True
    """
    shown = {_flat(x) for x in lines if len(_flat(x)) >= _MIN_SHOWN}
    if not shown:
        return None
    size = sum(len(_flat(x)) for x in lines)
    for data in _script_data(doc):
        for items in _string_lists(data):
            out = [line.strip() for item in items for line in item.splitlines() if line.strip()]
            if out and _flat(out[0]) in shown and sum(len(_flat(x)) for x in out) > size:
                return out
    return None
