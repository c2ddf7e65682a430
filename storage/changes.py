"""What changed since the previous run (new projects, stage and amount changes) and the dated snapshots."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from storage.atomic import atomic_write
from storage.schema import columns

SNAPSHOT_DIR = "snapshots"
_SNAPSHOT = re.compile(r"^projects-(\d{8}T\d{6}Z)-run(\d+)\.parquet$")
_KEPT = ["project_id", "name", "stage", "amount_yuan"]


def _rows(kind: str, cur: pd.DataFrame, old: object, new: object, at: datetime) -> list[dict[str, object]]:
    return [{"change": kind, "project_id": int(r.project_id), "name": r.name, "old_value": old(r) if callable(old)
             else old, "new_value": new(r) if callable(new) else new, "detected_at": at} for r in cur.itertuples()]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def compute_changes(previous: pd.DataFrame | None, current: pd.DataFrame, at: datetime) -> pd.DataFrame:
    """New projects, stage changes and amount changes of ``current`` against ``previous`` (None: all new).

    >>> prev = pd.DataFrame({"project_id": [1, 2], "name": ["a", "b"], "stage": ["signed", "signed"],
    ...                      "amount_yuan": pd.array([100, 200], dtype="Int64")})
    >>> cur = pd.DataFrame({"project_id": [1, 2, 3], "name": ["a", "b", "c"],
    ...                     "stage": ["started", "signed", None], "amount_yuan": pd.array([100, 300, None], dtype="Int64")})
    >>> compute_changes(prev, cur, datetime(2026, 1, 1))[["change", "project_id", "old_value", "new_value"]].fillna("—").values.tolist()
    [['new_project', 3, '—', '—'], ['stage_change', 1, 'signed', 'started'], ['amount_change', 2, '200', '300']]
    """
    cur = current[_KEPT]
    if previous is None or previous.empty:
        return pd.DataFrame(_rows("new_project", cur, None, None, at), columns=columns("changes"))
    prev = previous[_KEPT].set_index("project_id")
    new = cur[~cur["project_id"].isin(prev.index)]
    both = cur[cur["project_id"].isin(prev.index)]
    old = prev.loc[both["project_id"]]
    stage_moved = both[(both["stage"].fillna("").values != old["stage"].fillna("").values)]
    amount_moved = both[(both["amount_yuan"].astype("Float64").fillna(-1).values
                         != old["amount_yuan"].astype("Float64").fillna(-1).values)]
    rows = (_rows("new_project", new, None, None, at)
            + _rows("stage_change", stage_moved, lambda r: _text(prev.at[r.project_id, "stage"]),
                    lambda r: _text(r.stage), at)
            + _rows("amount_change", amount_moved, lambda r: _text(prev.at[r.project_id, "amount_yuan"]),
                    lambda r: _text(r.amount_yuan), at))
    return pd.DataFrame(rows, columns=columns("changes"))


def snapshots(out_dir: Path) -> list[tuple[str, int, Path]]:
    """(stamp, run id, path) of the stored snapshots, oldest first."""
    folder = out_dir / SNAPSHOT_DIR
    found = [(m.group(1), int(m.group(2)), p) for p in folder.glob("projects-*.parquet")
             if (m := _SNAPSHOT.match(p.name))] if folder.exists() else []
    return sorted(found)


def previous_snapshot(out_dir: Path, run_id: int) -> pd.DataFrame | None:
    """The newest snapshot taken by another run than ``run_id`` (a retried export compares with the same one)."""
    earlier = [p for _, rid, p in snapshots(out_dir) if rid != run_id]
    return pd.read_parquet(earlier[-1]) if earlier else None


def take_snapshot(out_dir: Path, projects: pd.DataFrame, run_id: int, at: datetime, keep: int) -> Path:
    """Store this run's projects as a dated snapshot and delete all but the newest ``keep``."""
    for _, rid, p in snapshots(out_dir):
        if rid == run_id:
            p.unlink(missing_ok=True)  # one snapshot per run: a re-export replaces it
    path = out_dir / SNAPSHOT_DIR / f"projects-{at.strftime('%Y%m%dT%H%M%SZ')}-run{run_id}.parquet"
    atomic_write(path, lambda p: projects.to_parquet(p, index=False))
    for _, _, old in snapshots(out_dir)[:-max(keep, 1)]:
        old.unlink(missing_ok=True)
    return path
