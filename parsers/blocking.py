"""Blocking keys for project resolution: which stored projects a record must be compared with. Pure.

`identity.name_similarity` reaches the match threshold (0.75) only when the two core names are
1. equal,
2. one contained in the other, the shorter having at least 4 characters, or
3. led by the same 2 characters (LEAD_CHARS) with most of the shorter core's bigrams shared.
Every other rule (city, phase, expansion, investor, amount, alias weight) can only lower a score.
So a stored project whose names share no key below with the record's names can never be its match:
- equal cores share ``=core`` (1);
- one core contained in the other: every 4-gram of the shorter is one of the longer, and both sides hold
  ``g`` + each of their 4-grams (2);
- the same lead L: both cores hold the bigram L, so both have ``l`` + L + L; ``l`` + L + each other bigram
  ranks the candidates of a frequent lead by how many bigrams they share (3).
The keys of a stored project and of a record are made alike (`blocking_keys`).
`identity.expansion_base` compares names without their expansion words (增资扩产…), so keys are made
from both cores of each name. Keys are over-complete (a shared key is no match), never under-complete;
`tests/test_blocking.py` checks that on every record of a generated history against the full scan.
"""

from __future__ import annotations

from collections.abc import Iterable

from parsers.identity import LEAD_CHARS, core_name, without_expansion

GRAM = 4  # containment needs a shorter core of at least 4 characters (identity.name_similarity)
KEY_CHARS = 100  # an equality key is cut (equal cores still share it; PostgreSQL btree rows are bounded)


def _cores(names: Iterable[str]) -> set[str]:
    out = set()
    for n in names:
        out.add(core_name(n))
        out.add(core_name(without_expansion(n)))
    out.discard("")
    return out


def _grams(core: str, size: int) -> list[str]:
    return [core[i:i + size] for i in range(len(core) - size + 1)]


def blocking_keys(names: Iterable[str]) -> set[str]:
    """The keys of a project's names (a stored project is indexed under them; a record looks them up).

    >>> sorted(blocking_keys(["华秋电子基地项目"]))
    ['=华秋电子基地', 'g华秋电子', 'g电子基地', 'g秋电子基', 'l华秋华秋', 'l华秋基地', 'l华秋子基', 'l华秋电子', 'l华秋秋电']
    >>> stored = blocking_keys(["中创新航动力电池及储能系统江门基地项目"])
    >>> bool(stored & blocking_keys(["中创新航江门基地"])), bool(stored & blocking_keys(["储能系统江门基地"]))
    (True, True)
    >>> bool(stored & blocking_keys(["隆基绿能硅能源生产基地项目"]))
    False
    """
    keys: set[str] = set()
    for core in _cores(names):
        keys.add("=" + core[:KEY_CHARS])
        keys.update("g" + g for g in _grams(core, GRAM))
        if len(core) >= LEAD_CHARS:
            lead = core[:LEAD_CHARS]
            keys.update("l" + lead + b for b in _grams(core, 2))
    return keys
