"""Near-duplicate articles: MinHash over character shingles of normalised text (datasketch), pure.

Republished copies add captions, drop a paragraph, re-punctuate the title or convert to traditional
characters; normalising (simplified, NFKC, no punctuation or whitespace) before 5-character shingles
keeps such copies at Jaccard ≈ 0.8–0.95, while different articles on the same topic stay below 0.1
(measured in bench/neardup; DEPENDENCIES.md saw the same).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from parsers.text import to_simplified

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.5  # LSH band threshold: candidate pairs, confirmed by the estimated Jaccard below
MIN_JACCARD = 0.5
# Lines portals add to a copy; dropping them before hashing keeps a copy closer to its original.
_NOISE = re.compile(r"打开网易新闻\s*查看精彩图片|责任编辑[:：].*|本文来源[:：].*|编辑[:：].*")
_DROP = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Simplified, NFKC text without punctuation, whitespace or portal boilerplate lines.

    >>> normalise("項目簽約， 總投資10億元。\\n打开网易新闻 查看精彩图片")
    '项目签约总投资10亿元'
    """
    text = _NOISE.sub("", to_simplified(unicodedata.normalize("NFKC", text)))
    return _DROP.sub("", text).lower()


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Character k-shingles of the normalised text.

    >>> sorted(shingles("ab，cdef", 5))
    [b'abcde', b'bcdef']
    """
    norm = normalise(text)
    if len(norm) <= k:
        return {norm.encode()} if norm else set()
    return {norm[i : i + k].encode() for i in range(len(norm) - k + 1)}


SCHEME = "affine32"  # datasketch 2's default; fixed so stored signatures stay comparable across upgrades


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def to_bytes(m: MinHash) -> bytes:
    """The 128 uint32 hash values (512 bytes), for storage beside the article."""
    return np.asarray(m.hashvalues, dtype=np.uint64).astype(np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME,
                   hashvalues=np.frombuffer(data, dtype=np.uint32).astype(np.uint64))


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for measuring; the index uses MinHash).

    >>> jaccard("江门市举行重大项目集中签约仪式", "江门市举行重大项目集中签约仪式。")
    1.0
    """
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class NearDupIndex:
    """An in-memory LSH index of article signatures: add each article, ask for its near-duplicates."""

    def __init__(self, threshold: float = THRESHOLD, min_jaccard: float = MIN_JACCARD) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[int, MinHash] = {}
        self.min_jaccard = min_jaccard

    def add(self, key: int, sig: MinHash) -> None:
        if key not in self._sigs:
            self._lsh.insert(key, sig)
            self._sigs[key] = sig

    def matches(self, sig: MinHash) -> list[tuple[int, float]]:
        """Stored keys whose estimated Jaccard with ``sig`` reaches min_jaccard, best first."""
        found = [(k, float(sig.jaccard(self._sigs[k]))) for k in self._lsh.query(sig)]
        return sorted((x for x in found if x[1] >= self.min_jaccard), key=lambda x: (-x[1], x[0]))

    def __len__(self) -> int:
        return len(self._sigs)


def cluster(texts: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Cluster (key, text) pairs: each key -> the key of its cluster's first member (input order = priority).

    >>> a = "江门市今天举行重大项目集中签约仪式，共有43个项目签约，总投资289.51亿元，涵盖新能源等产业。"
    >>> cluster([(1, a), (2, a + "（图片来源：网络）"), (3, "台山市召开全市经济工作会议，部署明年重点工作任务。")])
    {1: 1, 2: 1, 3: 3}
    """
    index = NearDupIndex()
    rep: dict[int, int] = {}
    for key, text in texts:
        sig = signature(text)
        hits = index.matches(sig)
        rep[key] = rep[hits[0][0]] if hits else key
        index.add(key, sig)
    return rep
