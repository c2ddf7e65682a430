"""A bigram index of project-name keys, so clustering compares a name only with names it could match.

`projects.same_project` holds only when the shorter key's first two characters occur in the longer key
(containment, an in-order abbreviation with the same opening, or a shared prefix of six or more). So the
groups holding a possible match of key k are those with a key containing k[:2], or a key whose first
two characters occur in k: a superset, found in time linear in len(k), instead of every group.
"""

from __future__ import annotations

from collections.abc import Iterable


class NameIndex:
    """Group ids by the bigrams of their members' keys (all bigrams, and the opening one).

    >>> ix = NameIndex()
    >>> ix.add(0, ["中创新航江门基地"]); ix.add(1, ["君乐宝华南基地"])
    >>> sorted(ix.candidates(["中创新航"])), sorted(ix.candidates(["江门中创新航动力电池基地"]))
    ([0], [0])
    >>> sorted(ix.candidates(["广兴输变电工程"]))
    []
    """

    def __init__(self) -> None:
        self._containing: dict[str, set[int]] = {}  # bigram -> groups with a key containing it
        self._opening: dict[str, set[int]] = {}  # bigram -> groups with a key starting with it
        self._always: set[int] = set()

    def add(self, gid: int, keys: Iterable[str], *, always: bool = False) -> None:
        """Index a group under its members' keys; ``always``: a candidate for every query (alias matches)."""
        if always:
            self._always.add(gid)
        for k in keys:
            if len(k) < 3:
                continue  # same_project never matches a key this short
            self._opening.setdefault(k[:2], set()).add(gid)
            for i in range(len(k) - 1):
                self._containing.setdefault(k[i:i + 2], set()).add(gid)

    def candidates(self, keys: Iterable[str]) -> set[int]:
        out = set(self._always)
        for k in keys:
            if len(k) < 3:
                continue
            out |= self._containing.get(k[:2], set())
            for i in range(len(k) - 1):
                out |= self._opening.get(k[i:i + 2], set())
        return out
