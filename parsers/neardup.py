"""Near-duplicate articles: MinHash over character shingles of normalised text, confirmed by the figures (datasketch), pure.

Republished copies add captions, drop a paragraph, re-punctuate the title or convert to traditional
characters; normalising (simplified, NFKC, no punctuation or whitespace) before 5-character shingles
keeps such copies at Jaccard ≈ 0.7–0.95, while different articles on the same topic stay below 0.1.
But two roundups written from one template (same city, same boilerplate, other projects, counts and
amounts) also reach Jaccard 0.5–0.85 on text alone. A copy keeps the article's figures (numbers with
their units: 289.51亿元, 43个, 3月23日), a template sibling does not; so a text match must also share most
figures: of the smaller figure multiset, at least MIN_FIGURES must be in the other (a dropped paragraph
only removes figures). Measured in bench/neardup: copies keep >= 0.78 of their figures, siblings <= 0.23.

The stored signature stays 128 uint32 values (512 bytes): slots 0-95 are the text MinHash (the same values
as the first 96 of a text-only signature, so older stored signatures still compare on text), slots 96-126
a MinHash of the figures, slot 127 a marker with the figure count. A signature without the marker (stored
before figures were added) is compared on text alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from parsers.text import to_simplified

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; fixed so stored signatures stay comparable across upgrades
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
    return _DROP.sub("", _clean(text)).lower()


def _clean(text: str) -> str:
    """Simplified NFKC text without portal boilerplate lines (converted once per signature: OpenCC is slow)."""
    return _NOISE.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Character k-shingles of the normalised text.

    >>> sorted(shingles("ab，cdef", 5))
    [b'abcde', b'bcdef']
    """
    return _shingles(normalise(text), k)


def _shingles(norm: str, k: int = SHINGLE) -> set[bytes]:
    if len(norm) <= k:
        return {norm.encode()} if norm else set()
    return {norm[i : i + k].encode() for i in range(len(norm) - k + 1)}


TEXT_PERM = 96  # slots of the text MinHash
FIG_PERM = NUM_PERM - TEXT_PERM - 1  # slots of the figure MinHash; the last slot is the marker
MIN_FIGURES = 0.5
_MARKER = 0xFFFF0000  # | figure count; a text MinHash value this high is (all but) impossible
_MAX_COUNT = 0xFFFE
_KEEP = re.compile(r"[^\w.%\n]+|_")  # decimals, percent signs and line ends survive (numbers never join lines)
_UNIT = ("万亿元|亿美元|万美元|亿元|万元|千元|元|万亿|亿|万|个|项|家|宗|批|季度|年|月|日|号|%|万平方米|平方米|平方公里|公里|亩|"
         "万吨|吨|gwh|gw|mwh|mw|万辆|辆|万台|台|万套|套|条|座|人|名|倍|期|栋|户|所|次|届|小时|天")
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(" + _UNIT + ")?")


def figures(text: str) -> list[str]:
    """The figures of a text (numbers with their units), each occurrence numbered to keep it a multiset.

    >>> figures("共有43个項目簽約，總投資289.51億元；另有3个项目、投资43亿元。")
    ['43个#0', '289.51亿元#0', '3个#0', '43亿元#0']
    >>> figures("2,000万元 2000万元")
    ['2000万元#0', '2000万元#1']
    """
    return _figures(_clean(text))


def _figures(clean: str) -> list[str]:
    text = _KEEP.sub("", clean).lower()
    seen: dict[str, int] = {}
    out = []
    for m in _FIGURE.finditer(text):
        tok = m.group(1) + (m.group(2) or "")
        out.append(f"{tok}#{seen.get(tok, 0)}")
        seen[tok] = seen.get(tok, 0) + 1
    return out


def figure_containment(a: str, b: str) -> float:
    """Exact share of the smaller figure multiset found in the other (for measuring; the index estimates it).

    >>> figure_containment("总投资289.51亿元，43个项目", "43个项目签约，总投资289.51亿元，3月23日")
    1.0
    """
    fa, fb = set(figures(a)), set(figures(b))
    if not fa or not fb:
        return 1.0 if fa == fb else 0.0
    return len(fa & fb) / min(len(fa), len(fb))


_PERMS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations
_TEXT_PERMS = _PERMS[:, :TEXT_PERM]


class Signature(MinHash):
    """A stored signature: text MinHash, figure MinHash and figure count in 128 slots.

    ``jaccard`` estimates the text Jaccard only; ``figures_agree`` says whether the figures allow a copy.
    """

    @property
    def figure_count(self) -> int | None:
        """None for a signature stored before figures were added."""
        mark = int(self.hashvalues[-1])
        return mark - _MARKER if _MARKER <= mark <= _MARKER + _MAX_COUNT else None

    def text_part(self) -> MinHash:
        return MinHash(num_perm=TEXT_PERM, scheme=SCHEME, hashvalues=self.hashvalues[:TEXT_PERM],
                       permutations=_TEXT_PERMS)

    def jaccard(self, other: MinHash) -> float:
        return float(np.mean(self.hashvalues[:TEXT_PERM] == other.hashvalues[:TEXT_PERM]))

    def figures_agree(self, other: Signature, min_share: float = MIN_FIGURES) -> bool:
        """At least ``min_share`` of the smaller figure multiset is in the other (estimated from the MinHash)."""
        ca, cb = self.figure_count, other.figure_count
        if ca is None or cb is None:
            return True  # an old signature: text alone decides, as it did
        if not ca or not cb:
            return ca == cb
        fig = slice(TEXT_PERM, TEXT_PERM + FIG_PERM)
        j = float(np.mean(self.hashvalues[fig] == other.hashvalues[fig]))
        return j * (ca + cb) / (1 + j) >= min_share * min(ca, cb)


def signature(text: str) -> Signature:
    clean = _clean(text)
    words = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMS)
    words.update_batch(list(_shingles(_DROP.sub("", clean).lower())))
    figs = _figures(clean)
    nums = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMS)
    nums.update_batch([f.encode() for f in figs])
    values = np.concatenate([words.hashvalues[:TEXT_PERM], nums.hashvalues[TEXT_PERM:NUM_PERM - 1],
                             np.array([_MARKER + min(len(figs), _MAX_COUNT)], dtype=words.hashvalues.dtype)])
    return Signature(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=values, permutations=_PERMS)


def to_bytes(m: MinHash) -> bytes:
    """The 128 uint32 hash values (512 bytes), for storage beside the article."""
    return np.asarray(m.hashvalues, dtype=np.uint64).astype(np.uint32).tobytes()


def from_bytes(data: bytes) -> Signature:
    return Signature(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMS,
                     hashvalues=np.frombuffer(data, dtype=np.uint32).astype(np.uint64))


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for measuring; the index uses MinHash).

    >>> jaccard("江门市举行重大项目集中签约仪式", "江门市举行重大项目集中签约仪式。")
    1.0
    """
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class NearDupIndex:
    """An in-memory LSH index of article signatures: add each article, ask for its near-duplicates.

    LSH on the text part finds candidates; a candidate is a near-duplicate when its estimated text Jaccard
    reaches min_jaccard and the figures agree.
    """

    def __init__(self, threshold: float = THRESHOLD, min_jaccard: float = MIN_JACCARD,
                 min_figures: float = MIN_FIGURES) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=TEXT_PERM)
        self._sigs: dict[int, Signature] = {}
        self.min_jaccard = min_jaccard
        self.min_figures = min_figures

    def add(self, key: int, sig: Signature) -> None:
        if key not in self._sigs:
            self._lsh.insert(key, sig.text_part())
            self._sigs[key] = sig

    def matches(self, sig: Signature) -> list[tuple[int, float]]:
        """Stored keys whose estimated text Jaccard with ``sig`` reaches min_jaccard and whose figures
        agree, best first."""
        found = []
        for k in self._lsh.query(sig.text_part()):
            other = self._sigs[k]
            score = sig.jaccard(other)
            if score >= self.min_jaccard and sig.figures_agree(other, self.min_figures):
                found.append((k, score))
        return sorted(found, key=lambda x: (-x[1], x[0]))

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
