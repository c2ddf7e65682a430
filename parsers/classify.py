"""Is this an investment-news article at all (a signing, start, production, or tally of projects)?"""

from __future__ import annotations

import re

# Event words that only investment-project news uses.
_EVENT = re.compile(r"签约|开工|动工|投产|竣工|落户|封顶|集中|试产|达产|落地|建成|揭牌|奠基|施工|投资|开建|破土")
# Project-ish nouns.
_PROJECT = re.compile(r"项目|基地|产业园|工程")


def is_investment_article(work: str) -> bool:
    """True when the text speaks of projects and of at least one project event.

    >>> is_investment_article("会议强调，要持续优化营商环境。")
    False
    >>> is_investment_article("投资100亿元的隆基项目上台签约。")
    True
    """
    return bool(_PROJECT.search(work)) and bool(_EVENT.search(work))
