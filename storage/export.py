"""Analyst dataset: projects, milestones, mentions, batches and articles as CSV, Parquet and one Excel book.

Written as a stream (chunked queries -> CSV appended chunk by chunk, Parquet row group by row group, the
workbook by XlsxWriter in constant_memory mode), so memory stays flat however much history is stored; and only when
the data changed since the last export (storage/fingerprint.py, remembered in dataset/.export-state.json).
"""

from __future__ import annotations

import json
import logging
import shutil
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy.orm import Session

from storage.atomic import atomic_write, atomic_write_text, publish, temp_name
from storage.changes import SNAPSHOT_DIR, compute_changes, previous_snapshot, snapshots
from storage.dataset import TABLE_NAMES, table_chunks
from storage.fingerprint import table_fingerprints
from storage.sanitize import spreadsheet_value, strip_controls
from storage.schema import TABLES, columns, schema_markdown
from storage.workbook import EXCEL_MAX_ROWS, SHEETS, WorkbookWriter

log = logging.getLogger("investwatch")

PROJECT_COLUMNS = columns("projects")  # the documented order (dataset/SCHEMA.md); new columns go at the end
DEFAULT_SNAPSHOTS_KEPT = 10
STATE_FILE = ".export-state.json"
STATE_VERSION = 1  # a change of the files' format bumps it, so the next export rewrites everything
WORKBOOK = "investwatch.xlsx"

# Parquet types by schema kind, fixed so every row group of a file has one schema (a chunk whose column is
# all empty would otherwise be typed `null` and clash with the next one)
_ARROW = {"int": pa.int64(), "yuan": pa.int64(), "yi": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
          "datetime": pa.timestamp("us")}


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


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(c.name, _ARROW.get(c.kind, pa.large_string())) for c in TABLES[table][1]])


def _arrow_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    out = parquet_frame(frame)
    for field in schema:
        numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type) or pa.types.is_boolean(field.type)
        if not numeric and out[field.name].dtype.kind == "f":
            # a text or date column missing in every row of this chunk comes as float NaN (pandas' map)
            out[field.name] = pd.Series([None] * len(out), index=out.index, dtype=object)
        elif pa.types.is_timestamp(field.type) and len(out):
            # SQLite gives naive UTC datetimes, PostgreSQL aware ones: one column type, naive UTC, for both
            stamps = pd.to_datetime(out[field.name], utc=True)
            out[field.name] = stamps.dt.tz_convert(None)
    return pa.Table.from_pandas(out, schema=schema, preserve_index=False)


class _TableFiles:
    """name.csv and name.parquet written chunk by chunk into temp files, renamed into place on commit."""

    def __init__(self, stack: ExitStack, out_dir: Path, table: str) -> None:
        self.paths = [out_dir / f"{table}.csv", out_dir / f"{table}.parquet"]
        self.temps = [temp_name(p) for p in self.paths]
        for tmp in self.temps:
            stack.callback(tmp.unlink, missing_ok=True)  # a failed write leaves no temp; after a commit, a no-op
        self.csv = stack.enter_context(open(self.temps[0], "w", encoding="utf-8-sig", newline=""))  # BOM once
        self.schema = arrow_schema(table)
        self.parquet = pq.ParquetWriter(self.temps[1], self.schema)
        stack.callback(self.parquet.close)
        self.header = True

    def append(self, frame: pd.DataFrame) -> None:
        csv_frame(frame).to_csv(self.csv, index=False, header=self.header)
        self.header = False
        self.parquet.write_table(_arrow_table(frame, self.schema))

    def commit(self) -> list[Path]:
        self.csv.close()
        self.parquet.close()
        return [publish(tmp, path) for tmp, path in zip(self.temps, self.paths, strict=True)]


def read_state(out_dir: Path) -> dict[str, Any]:
    """What the last export wrote (fingerprints per table, of the workbook and of the last snapshot)."""
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else {}


def tables_to_write(state: dict[str, Any], prints: dict[str, str], out_dir: Path, force: bool) -> set[str]:
    """The tables whose files are missing or whose data changed since they were written.

    >>> sorted(tables_to_write({"tables": {"a": "1"}}, {"a": "1", "b": "3"}, Path("/nonexistent"), False))
    ['a', 'b']
    """
    done = state.get("tables", {})
    return {t for t in prints if force or done.get(t) != prints[t]
            or not (out_dir / f"{t}.csv").exists() or not (out_dir / f"{t}.parquet").exists()}


def _write_tables(session: Session, out_dir: Path, rewrite: set[str], workbook: bool,
                  chunk_rows: int | None, max_rows: int = EXCEL_MAX_ROWS) -> list[Path]:
    """One pass over the tables in sheet order: each chunk goes to the files that need rewriting."""
    written: list[Path] = []
    kwargs = {"size": chunk_rows} if chunk_rows else {}
    with ExitStack() as stack:
        book_tmp = temp_name(out_dir / WORKBOOK)
        stack.callback(lambda: book_tmp.unlink(missing_ok=True))
        book = WorkbookWriter(book_tmp, max_rows) if workbook else None
        for table in SHEETS:
            if table not in rewrite and book is None:
                continue
            files = _TableFiles(stack, out_dir, table) if table in rewrite else None
            sheet = None
            for chunk in table_chunks(session, table, **kwargs):
                if book is not None and sheet is None:
                    sheet = book.sheet(table, chunk)
                if sheet is not None:
                    sheet.append(chunk)
                if files is not None:
                    files.append(chunk)
            if book is not None and sheet is not None:
                book.done(table, sheet)
            if files is not None:
                written += files.commit()
        if book is not None:
            book.save()
            for table, n in book.left_out.items():
                if n:
                    log.warning("workbook: sheet %s cut at %d rows, %d more only in %s.csv and %s.parquet",
                                table, book.max_rows - 1, n, table, table)
            written.append(publish(book_tmp, out_dir / WORKBOOK))
    return written


def _write_changes(out_dir: Path, run_id: int, at: datetime, keep: int) -> list[Path]:
    """changes.csv against the previous run's snapshot, and this run's snapshot (a copy of projects.parquet)."""
    current = pd.read_parquet(out_dir / "projects.parquet", columns=["project_id", "name", "stage", "amount_yuan"])
    changes = compute_changes(previous_snapshot(out_dir, run_id), current, at)
    changes_csv = atomic_write(out_dir / "changes.csv",
                               lambda p: csv_frame(changes).to_csv(p, index=False, encoding="utf-8-sig"))
    for _, rid, p in snapshots(out_dir):
        if rid == run_id:
            p.unlink(missing_ok=True)  # one snapshot per run: a re-export replaces it
    snap = out_dir / SNAPSHOT_DIR / f"projects-{at.strftime('%Y%m%dT%H%M%SZ')}-run{run_id}.parquet"
    atomic_write(snap, lambda p: shutil.copyfile(out_dir / "projects.parquet", p))
    for _, _, old in snapshots(out_dir)[:-max(keep, 1)]:
        old.unlink(missing_ok=True)
    return [changes_csv, snap]


def export_dataset(session: Session, out_dir: Path, *, run_id: int | None = None,
                   snapshots_kept: int = DEFAULT_SNAPSHOTS_KEPT, now: datetime | None = None,
                   force: bool = False, chunk_rows: int | None = None,
                   workbook_max_rows: int = EXCEL_MAX_ROWS) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, so Excel shows Chinese) and Parquet, plus investwatch.xlsx;
    returns the files written. A table whose data did not change since the last export is not rewritten, and
    the workbook only when one of its tables changed; ``force`` (`investwatch export`) rewrites all. A sheet
    longer than ``workbook_max_rows`` (at most Excel's limit) keeps its first rows, 数据说明 and a warning say so.

    With a ``run_id`` (a pipeline run) also changes.csv against the previous run's snapshot, and this run's
    snapshot; without one (a manual export) the last run's changes file is left as it is. A sheet longer
    than ``workbook_max_rows`` is cut in the workbook only (noted in 数据说明 and logged), never failing the run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    prints = table_fingerprints(session)
    state = read_state(out_dir)
    rewrite = tables_to_write(state, prints, out_dir, force)
    workbook = force or bool(rewrite) or state.get("workbook") != prints or not (out_dir / WORKBOOK).exists()
    written = _write_tables(session, out_dir, rewrite, workbook, chunk_rows, workbook_max_rows)
    changes_csv = out_dir / "changes.csv"
    if run_id is not None:
        written += _write_changes(out_dir, run_id, now or datetime.now(UTC), snapshots_kept)
    elif not changes_csv.exists():
        empty = pd.DataFrame(columns=columns("changes"))
        written.append(atomic_write(changes_csv, lambda p: empty.to_csv(p, index=False, encoding="utf-8-sig")))
    schema = out_dir / "SCHEMA.md"
    text = schema_markdown()
    if force or not schema.exists() or schema.read_text(encoding="utf-8") != text:
        written.append(atomic_write_text(schema, text))
    # last: a crash before this line leaves the old state, so the next export rewrites what it may have missed
    atomic_write_text(out_dir / STATE_FILE, json.dumps(
        {"version": STATE_VERSION, "tables": prints, "workbook": prints}, indent=1, sort_keys=True))
    return written


__all__ = ["PROJECT_COLUMNS", "TABLE_NAMES", "arrow_schema", "csv_frame", "export_dataset", "parquet_frame"]
