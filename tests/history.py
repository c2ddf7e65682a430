"""A generated project history from the gold records (seeds, dev, real, own unseen): each gold project
reported again by later articles under the variants news uses, plus expansions, phases and namesakes
elsewhere. Used by tests/test_blocking.py and bench/resolve_scale. Deterministic for a seed."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from parsers.identity import core_name
from parsers.model import ArticleFacts, Project

ROOT = Path(__file__).resolve().parents[1]
GOLD = [ROOT.parent / "shared/data/gold/seeds.jsonl", ROOT.parent / "shared/data/dev/gold.jsonl",
        ROOT / "tests/data/real/gold.jsonl", ROOT / "tests/data/unseen/gold.jsonl"]
# company leads for the copies of the gold history (copy k renames every project with its own lead)
LEADS = "华鑫恒瑞正泰金科远航博达宏图天合中联盛世嘉禾新元同创安信宝丰"


@dataclass(frozen=True)
class HistoryArticle:
    url: str
    published: date
    city: str | None
    facts: ArticleFacts


def _date(value: str | None) -> date:
    parts = [int(x) for x in (value or "2024").split("-")[:3] if x.isdigit()]
    return date(*(parts + [1, 1])[:3]) if parts else date(2024, 1, 1)


def gold_records() -> list[tuple[str | None, date, list[Project]]]:
    """(city, published, projects) of every gold article found."""
    out = []
    for path in GOLD:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            art = json.loads(line)
            published = _date(art.get("published"))
            recs = [Project(name=p["name"], aliases=tuple(p.get("aliases") or ()), investor=p.get("investor"),
                            amount_yuan=p.get("amount_yuan"), is_expansion=bool(p.get("is_expansion")),
                            stage=p.get("stage"))
                    for p in art["projects"] if p.get("name")]
            if recs:
                out.append((art.get("city"), published, recs))
    return out


def _variant(rng: random.Random, p: Project, city: str | None) -> Project:
    """How a later article writes the same (or a related) project."""
    name = p.name
    core = core_name(name)
    kind = rng.randrange(10)
    if kind == 0:
        name = name.replace("项目", "") + "年产50万吨项目" if "项目" in name else name + "50GWh项目"
    elif kind == 1 and city:
        name = city + name
    elif kind == 2 and len(core) >= 8:
        name = core[:4] + core[-4:] + "项目"  # 中创新航江门基地
    elif kind == 3 and len(core) >= 6:
        name = core[: max(4, int(len(core) * 0.7))]
    elif kind == 4:
        name = name.removesuffix("项目") + "（二期）项目"
    elif kind == 5:
        return replace(p, name=name.removesuffix("项目") + "增资扩产项目", is_expansion=True, aliases=())
    elif kind == 6:
        name = f"“{name}”"
    elif kind == 7 and len(core) >= 5:
        i = rng.randrange(2, len(core))
        name = core[:i] + rng.choice("新智云") + core[i + 1:]  # a one-character misprint
    amount = p.amount_yuan
    pick = rng.randrange(4)
    if amount and pick == 1:
        amount = int(amount * 1.2)
    elif amount and pick == 2:
        amount = amount * 5  # another project of the same name shape, or a wrong figure
    elif pick == 3:
        amount = None
    aliases = (p.name,) if rng.random() < 0.2 else ()
    return replace(p, name=name, aliases=aliases, amount_yuan=amount,
                   investor=p.investor if rng.random() < 0.7 else None)


def _renamed(p: Project, lead: str) -> Project:
    """The same shapes of name for another company (copies of the gold history)."""
    return replace(p, name=lead + p.name[2:], aliases=tuple(lead + a[2:] for a in p.aliases),
                   investor=lead + p.investor[2:] if p.investor else None)


def history(seed: int = 14, variants: int = 3, copies: int = 1, city: str | None = "keep",
            other_city: float = 0.1) -> Iterator[HistoryArticle]:
    """Gold articles, then ``variants`` later re-reports of each; ``copies`` > 1 repeats the whole history
    under other company leads; ``city`` forces one city for all (None: no city), ``other_city`` is the
    share of re-reports placed in another city (namesakes there)."""
    rng = random.Random(seed)
    gold = gold_records()
    cities = sorted({c for c, _, _ in gold if c})
    n = 0
    for k in range(copies):
        lead = LEADS[2 * (k - 1): 2 * k] if k else ""
        for c, published, recs in gold:
            base_city = c if city == "keep" else city
            recs = [_renamed(r, lead) for r in recs] if lead else recs
            n += 1
            yield HistoryArticle(f"http://h/{n}", published, base_city, ArticleFacts(projects=tuple(recs)))
            for v in range(variants):
                where = rng.choice(cities) if cities and rng.random() < other_city else base_city
                chosen = rng.sample(recs, k=min(len(recs), rng.randint(1, 3)))
                n += 1
                yield HistoryArticle(f"http://h/{n}", published + timedelta(days=30 * (v + 1)), where,
                                     ArticleFacts(projects=tuple(_variant(rng, r, where) for r in chosen)))
