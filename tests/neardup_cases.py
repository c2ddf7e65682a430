"""Generated near-duplicate cases: realistic republication edits of real articles, and unrelated pairs."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from opencc import OpenCC

_S2T = OpenCC("s2t")


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def add_captions(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    for _ in range(3):
        paras.insert(rng.randrange(1, len(paras) + 1), "打开网易新闻 查看精彩图片")
    paras.insert(rng.randrange(1, len(paras) + 1), "（图片来源：江门日报）")
    return "\n".join(paras + ["责任编辑：李明_NB1234"])


def drop_paragraph(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    if len(paras) > 4:
        # drop one body paragraph that is not a big share of the article
        small = [i for i in range(1, len(paras)) if len(paras[i]) < 0.15 * len(text)]
        if small:
            del paras[rng.choice(small)]
    return "\n".join(paras)


def reorder(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    if len(paras) > 3:
        i = rng.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    return "\n".join(paras)


def repunctuate_title(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    paras[0] = paras[0].replace(" ", "，").replace("：", ":") + "！"
    return "\n".join(paras)


def traditional(text: str, rng: random.Random) -> str:
    return str(_S2T.convert(text))


def combined(text: str, rng: random.Random) -> str:
    return repunctuate_title(drop_paragraph(add_captions(text, rng), rng), rng)


EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "captions": add_captions, "drop_paragraph": drop_paragraph, "reorder": reorder,
    "repunctuate_title": repunctuate_title, "traditional": traditional, "combined": combined,
}


def corpus(shared: Path) -> dict[str, str]:
    """The real articles: five seeds and 26 dev articles (25 cities; several same-topic roundups)."""
    files = sorted((shared / "seeds").glob("*.txt")) + sorted((shared / "data" / "dev" / "articles").glob("*.txt"))
    return {p.stem: p.read_text(encoding="utf-8") for p in files}


def labelled_documents(shared: Path, seed: int = 7) -> list[tuple[str, str, str]]:
    """(doc_id, story_id, text): every original plus each edit of it; same story_id = duplicates."""
    rng = random.Random(seed)
    docs = []
    for name, text in corpus(shared).items():
        docs.append((name, name, text))
        for edit, fn in EDITS.items():
            docs.append((f"{name}~{edit}", name, fn(text, rng)))
    return docs
