"""Analyst dataset: projects, milestones, mentions, batches and articles as CSV, Parquet and one Excel book."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from storage.atomic import atomic_write, atomic_write_text
from storage.changes import compute_changes, previous_snapshot, take_snapshot
from storage.dataset import dataset_frames
from storage.sanitize import spreadsheet_value, strip_controls
from storage.schema import columns, schema_markdown
from storage.workbook import DEFAULT_MAX_ROWS, write_workbook

log = logging.getLogger("investwatch")

PROJECT_COLUMNS = columns("projects")  # the documented order (dataset/SCHEMA.md); new columns go at the end
DEFAULT_SNAPSHOTS_KEPT = 10


def _map_text(frame: pd.DataFrame, fn: object) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].map(lambda v: fn(v) if isinstance(v, str) else v)  # type: ignore[operator]
    return out


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it goes into a CSV: every text cell spreadsheet-safe (OWASP CSV injection rule)."""
    return _map_text(frame, spreadsheet_value)


def parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet keeps exact text (no formula quoting: no spreadsheet reads it) but never control characters."""
    return _map_text(frame, strip_controls)


def _write_table(out_dir: Path, name: str, frame: pd.DataFrame) -> list[Path]:
    csv_path, pq_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
    atomic_write(csv_path, lambda p: csv_frame(frame).to_csv(p, index=False, encoding="utf-8-sig"))
    atomic_write(pq_path, lambda p: parquet_frame(frame).to_parquet(p, index=False))
    return [csv_path, pq_path]


def export_dataset(session: Session, out_dir: Path, *, run_id: int | None = None,
                   snapshots_kept: int = DEFAULT_SNAPSHOTS_KEPT, now: datetime | None = None,
                   workbook_max_rows: int = DEFAULT_MAX_ROWS) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, so Excel shows Chinese) and Parquet, plus investwatch.xlsx.

    With a ``run_id`` (a pipeline run) also changes.csv against the previous run's snapshot, and this run's
    snapshot; without one (a manual export) the last run's changes file is left as it is. A sheet longer
    than ``workbook_max_rows`` is cut in the workbook only (noted in 数据说明 and logged), never failing the run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = dataset_frames(session)
    written: list[Path] = []
    for name, frame in frames.items():
        written += _write_table(out_dir, name, frame)
    changes_csv = out_dir / "changes.csv"
    if run_id is not None:
        at = now or datetime.now(UTC)
        changes = compute_changes(previous_snapshot(out_dir, run_id), frames["projects"], at)
        atomic_write(changes_csv, lambda p: csv_frame(changes).to_csv(p, index=False, encoding="utf-8-sig"))
        written += [changes_csv, take_snapshot(out_dir, parquet_frame(frames["projects"]), run_id, at, snapshots_kept)]
    elif not changes_csv.exists():
        empty = pd.DataFrame(columns=columns("changes"))
        atomic_write(changes_csv, lambda p: empty.to_csv(p, index=False, encoding="utf-8-sig"))
        written.append(changes_csv)
    cut: dict[str, int] = {}
    written.append(atomic_write(out_dir / "investwatch.xlsx",
                                lambda p: cut.update(write_workbook(p, frames, workbook_max_rows))))
    for table, total in cut.items():
        log.warning("workbook: sheet %s cut at %d of %d rows (INVESTWATCH_WORKBOOK_MAX_ROWS); every row is in "
                    "%s.csv and %s.parquet", table, workbook_max_rows, total, table, table)
    written.append(atomic_write_text(out_dir / "SCHEMA.md", schema_markdown()))
    return written
