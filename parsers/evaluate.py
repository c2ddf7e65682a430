"""Score the parser against a gold JSONL (seeds or dev schema): project and batch P/R/F1, field accuracies.

This is the scoring tool, so unlike the rest of parsers/ it reads files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.utf8 import decode_utf8

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def norm(s: str | None) -> str:
    """Lower-cased, traditional folded to simplified, without whitespace or punctuation.

    >>> norm("網驿·江门 智造（科技港）")
    '网驿江门智造科技港'
    """
    if not s:
        return ""
    from .text import _converter

    return _PUNCT.sub("", _converter().convert(s)).lower()  # type: ignore[attr-defined]


def name_match(pred: str, gold_names: list[str]) -> int:
    """2 for an equal name, 1 for containment either way (shorter side ≥ 2 characters), 0 otherwise.

    >>> name_match("灯火汇", ["灯火汇项目"]), name_match("X项目", ["Y项目"]), name_match("科技港", ["科技港"])
    (1, 0, 2)
    """
    p = norm(pred)
    best = 0
    for g in gold_names:
        q = norm(g)
        if not p or not q:
            continue
        if p == q:
            return 2
        short = min(len(p), len(q))
        if short >= 2 and (p in q or q in p):
            best = 1
    return best


def _contains_match(pred: str | None, gold: list[str | None]) -> bool:
    """Equal or containment, None == None."""
    if pred is None:
        return all(g is None for g in gold[:1])
    p = norm(pred)
    for g in gold:
        if g is None:
            continue
        q = norm(g)
        if p and q and (p == q or p in q or q in p):
            return True
    return False


def _lcs_len(a: str, b: str) -> int:
    """Longest common substring length (dynamic programming; event texts are short)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def event_overlap(a: str, b: str) -> bool:
    """Event texts overlap: containment, or a common run of ≥ 6 characters and ≥ half the shorter one.

    >>> event_overlap("广州市举行2022年重大项目集中开工竣工签约活动", "2022年重大项目集中开工竣工签约活动")
    True
    >>> event_overlap("12个签约项目", "7个动工项目")
    False
    """
    p, q = norm(a), norm(b)
    if not p or not q:
        return False
    if p in q or q in p:
        return True
    n = _lcs_len(p, q)
    return n >= 6 and n * 2 >= min(len(p), len(q))


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Acc:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class EvalReport:
    """Scores over a gold file; `details` lists every miss for debugging."""

    projects: PRF = field(default_factory=PRF)
    batches: PRF = field(default_factory=PRF)
    amount: Acc = field(default_factory=Acc)
    stage: Acc = field(default_factory=Acc)
    location: Acc = field(default_factory=Acc)
    investor: Acc = field(default_factory=Acc)
    category: Acc = field(default_factory=Acc)  # only where the gold labels it
    articles: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Figures as a plain dict (rounded to 4 places)."""

        def prf(x: PRF) -> dict[str, Any]:
            return {"tp": x.tp, "fp": x.fp, "fn": x.fn, "precision": round(x.precision, 4),
                    "recall": round(x.recall, 4), "f1": round(x.f1, 4)}

        def acc(x: Acc) -> dict[str, Any]:
            return {"right": x.right, "total": x.total, "accuracy": round(x.value, 4)}

        return {
            "articles": self.articles,
            "projects": prf(self.projects),
            "batches": prf(self.batches),
            "amount_yuan": acc(self.amount),
            "stage": acc(self.stage),
            "location": acc(self.location),
            "investor": acc(self.investor),
            "category": acc(self.category),
            "details": self.details,
        }

    def to_table(self) -> str:
        """A fixed-width text table of the headline figures.

        >>> print(EvalReport().to_table().splitlines()[0])
        metric          P       R      F1   (tp/fp/fn | right/total)
        """
        rows = ["metric          P       R      F1   (tp/fp/fn | right/total)"]
        for label, x in (("projects", self.projects), ("batches", self.batches)):
            rows.append(f"{label:<12}{x.precision:7.3f} {x.recall:7.3f} {x.f1:7.3f}   ({x.tp}/{x.fp}/{x.fn})")
        for label, a in (("amount_yuan", self.amount), ("stage", self.stage), ("location", self.location),
                         ("investor", self.investor), ("category", self.category)):
            rows.append(f"{label:<12}{'':>16}{a.value:7.3f}   ({a.right}/{a.total})")
        rows.append(f"articles: {self.articles}")
        return "\n".join(rows)


def _match_projects(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one matching, exact name matches before containment ones, longer overlaps first."""
    pairs: list[tuple[int, int, int, int]] = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            s = name_match(p["name"], [g["name"], *g.get("aliases", [])])
            if s:
                overlap = min(len(norm(p["name"])), len(norm(g["name"])))
                pairs.append((s, overlap, i, j))
    pairs.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def _batch_match(p: dict[str, Any], g: dict[str, Any]) -> bool:
    same_numbers = p.get("project_count") == g.get("project_count") and p.get("amount_yuan") == g.get("amount_yuan")
    if same_numbers and (g.get("project_count") is not None or g.get("amount_yuan") is not None):
        return True
    return event_overlap(p.get("event_text") or "", g.get("event_text") or "")


def _match_batches(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    used: set[int] = set()
    # Number agreement first (strongest), then text overlap.
    for strict in (True, False):
        for i, p in enumerate(pred):
            if any(i == a for a, _ in out):
                continue
            for j, g in enumerate(gold):
                if j in used:
                    continue
                ok = (p.get("project_count") == g.get("project_count") and p.get("amount_yuan") == g.get(
                    "amount_yuan") and (g.get("project_count") is not None or g.get("amount_yuan") is not None)
                      ) if strict else _batch_match(p, g)
                if ok:
                    out.append((i, j))
                    used.add(j)
                    break
    return out


def score_article(report: EvalReport, file: str, pred: dict[str, Any], gold_line: dict[str, Any]) -> None:
    """Add one article's comparison to the report."""
    report.articles += 1
    gp, pp = gold_line.get("projects", []), pred.get("projects", [])
    pairs = _match_projects(pp, gp)
    report.projects.tp += len(pairs)
    report.projects.fp += len(pp) - len(pairs)
    report.projects.fn += len(gp) - len(pairs)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    for i, j in pairs:
        p, g = pp[i], gp[j]
        checks = {
            "amount_yuan": (report.amount, p.get("amount_yuan") == g.get("amount_yuan")),
            "stage": (report.stage, p.get("stage") == g.get("stage")),
            "location": (report.location, _contains_match(p.get("location"),
                                                          [g.get("location"), *g.get("location_aliases", [])])),
            "investor": (report.investor, _contains_match(p.get("investor"),
                                                          [g.get("investor"), *g.get("investor_aliases", [])])),
        }
        if "category" in g:
            checks["category"] = (report.category, p.get("category") == g["category"])
        for key, (acc, ok) in checks.items():
            acc.total += 1
            acc.right += ok
            if not ok:
                report.details.append({"file": file, "kind": f"wrong_{key}", "name": g["name"],
                                       "pred": p.get(key), "gold": g.get(key)})
    for i, p in enumerate(pp):
        if i not in matched_p:
            report.details.append({"file": file, "kind": "fp_project", "name": p["name"]})
    for j, g in enumerate(gp):
        if j not in matched_g:
            report.details.append({"file": file, "kind": "fn_project", "name": g["name"]})
    gb, pb = gold_line.get("batches", []), pred.get("batches", [])
    bpairs = _match_batches(pb, gb)
    report.batches.tp += len(bpairs)
    report.batches.fp += len(pb) - len(bpairs)
    report.batches.fn += len(gb) - len(bpairs)
    mb = {i for i, _ in bpairs}
    mg = {j for _, j in bpairs}
    for i, b in enumerate(pb):
        if i not in mb:
            report.details.append({"file": file, "kind": "fp_batch", "name": b["event_text"],
                                   "count": b.get("project_count"), "amount": b.get("amount_yuan")})
    for j, b in enumerate(gb):
        if j not in mg:
            report.details.append({"file": file, "kind": "fn_batch", "name": b["event_text"],
                                   "count": b.get("project_count"), "amount": b.get("amount_yuan")})


def evaluate(gold_path: Path, texts_dir: Path) -> EvalReport:
    """Parse every article named in the gold file (with its `published`) and score the result."""
    from . import parse_article

    report = EvalReport()
    for line in decode_utf8(Path(gold_path).read_bytes(), str(gold_path)).splitlines():
        if not line.strip():
            continue
        gold_line = json.loads(line)
        text_path = Path(texts_dir) / gold_line["file"]
        text = decode_utf8(text_path.read_bytes(), str(text_path))
        facts = parse_article(text, gold_line.get("published"))
        score_article(report, gold_line["file"], facts.to_json(), gold_line)
    return report
