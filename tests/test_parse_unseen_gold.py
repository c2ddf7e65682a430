"""The parser on the hand-written unseen set (tests/data/unseen) stays at or above the figures measured when the
set's rules were added (measured minus 0.05), so a regression on these wordings shows."""

from __future__ import annotations

from pathlib import Path

from parsers.evaluate import evaluate

DATA = Path(__file__).parent / "data" / "unseen"

# Measured on u01–u22: projects F1 1.0, batches F1 1.0, amount 1.0, stage 1.0, location 1.0, investor 1.0.
FLOORS = {"projects": 0.95, "batches": 0.95, "amount": 0.95, "stage": 0.95, "location": 0.95, "investor": 0.95}


def test_unseen_set_meets_its_floor() -> None:
    r = evaluate(DATA / "gold.jsonl", DATA)
    assert r.articles == 22
    got = {"projects": r.projects.f1, "batches": r.batches.f1, "amount": r.amount.value, "stage": r.stage.value,
           "location": r.location.value, "investor": r.investor.value}
    low = {k: round(v, 3) for k, v in got.items() if v < FLOORS[k]}
    assert not low, f"below floor: {low} (floors {FLOORS})"
