"""Bounds on parsing one article: a length cap (the leading part is parsed) and a time budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_MAX_CHARS = 60_000  # a 1.16 MB page once made 2,506 "projects"; real articles are under 20k
DEFAULT_BUDGET_S = 30.0


class ParseBudgetExceeded(Exception):
    """Parsing one article took longer than its budget."""


def capped(text: str, max_chars: int) -> tuple[str, str | None]:
    """The leading part of ``text`` to parse, cut at a line break when one is near, and the flag to store.

    >>> capped("abc", 10)
    ('abc', None)
    >>> capped("第一段\\n第二段很长很长", 6)
    ('第一段\\n', 'truncated:11')
    """
    if len(text) <= max_chars:
        return text, None
    head = text[:max_chars]
    cut = head.rfind("\n")
    if cut >= max_chars * 0.5:  # don't split the last paragraph's sentence when a break is near enough
        head = head[:cut + 1]
    return head, f"truncated:{len(text)}"


def bounded(parse: Callable[[str], Any], text: str, max_chars: int, budget_s: float) -> tuple[Any, str | None]:
    """``parse`` over the capped text; its result and flag, or ParseBudgetExceeded after an overrun.

    The budget is checked when the parse returns, not by interrupting it: an asynchronous exception
    (SIGALRM) can land where Python swallows it, such as a garbage-collection callback, so it would not
    reliably stop anything. What bounds the time is the cap together with the parser's near-linear paths
    (bench/parse: ~1-2 s for 60k characters); the budget catches a regression and keeps its facts out.
    """
    head, flag = capped(text, max_chars)
    started = time.monotonic()
    result = parse(head)
    elapsed = time.monotonic() - started
    if budget_s > 0 and elapsed > budget_s:
        raise ParseBudgetExceeded(f"parse took {elapsed:.1f} s, over its budget of {budget_s:g} s "
                                  "(INVESTWATCH_PARSE_BUDGET_S)")
    return result, flag
