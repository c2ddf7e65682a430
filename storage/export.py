"""Analyst dataset: projects, milestones, mentions, batches and articles as CSV, Parquet and one Excel book.

Written as a stream and only where the data changed: each table is cut into buckets of keys
(storage/fingerprint.py fingerprints each bucket in SQL); a bucket whose fingerprint moved is queried again and
cached as a part (storage/parts.py), and a changed table's CSV and Parquet are assembled from its parts by file
copies, so a run that adds ten articles re-reads one or two buckets, not the history. The workbook
(XlsxWriter constant_memory) is rewritten when one of its tables changed and, in pipeline runs, at most every
``workbook_every`` (it is the costly file: every cell of every row). State: dataset/.export-state.json.
"""

from __future__ import annotations

import json
import logging
import shutil
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from storage.atomic import atomic_write, atomic_write_text, publish, temp_name
from storage.changes import SNAPSHOT_DIR, compute_changes, previous_snapshot, snapshots
from storage.dataset import CHUNK_ROWS, TABLE_NAMES, bucket_frame, dataset_rows, empty_frame
from storage.fingerprint import bucket_fingerprints, table_fingerprints
from storage.parts import arrow_schema, assemble, csv_frame, has_part, parquet_frame, prune_parts, write_part
from storage.schema import columns, schema_markdown
from storage.workbook import EXCEL_MAX_ROWS, SHEETS, WorkbookWriter

log = logging.getLogger("investwatch")

PROJECT_COLUMNS = columns("projects")  # the documented order (dataset/SCHEMA.md); new columns go at the end
DEFAULT_SNAPSHOTS_KEPT = 10
STATE_FILE = ".export-state.json"
STATE_VERSION = 2  # a change of the files' or the parts' format bumps it, so the next export rewrites all
WORKBOOK = "investwatch.xlsx"

def read_state(out_dir: Path) -> dict[str, Any]:
    """What the last export wrote (fingerprints per table, of the workbook and of the last snapshot)."""
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else {}


def buckets_to_write(done: dict[str, str], prints: dict[int, str], present: Any, force: bool) -> set[int]:
    """The buckets whose part is missing or whose data changed since the part was written.

    >>> sorted(buckets_to_write({"0": "a", "1": "b"}, {0: "a", 1: "x", 2: "c"}, lambda b: True, False))
    [1, 2]
    >>> sorted(buckets_to_write({"0": "a"}, {0: "a"}, lambda b: False, False)), sorted(buckets_to_write({"0": "a"}, {0: "a"}, lambda b: True, True))
    ([0], [0])
    """
    return {b for b, h in prints.items() if force or done.get(str(b)) != h or not present(b)}


def workbook_due(state: dict[str, Any], prints: dict[str, str], exists: bool, force: bool, now: datetime,
                 every: timedelta) -> bool:
    """Rewrite the workbook when forced or missing, or when its tables changed and the last one is ``every`` old.

    >>> t = datetime(2026, 1, 2, 12, tzinfo=UTC)
    >>> old = {"workbook": {"a": "1"}, "workbook_at": "2026-01-02T06:00:00+00:00"}
    >>> [workbook_due(old, {"a": p}, True, False, t, timedelta(hours=h)) for p, h in (("1", 0), ("2", 0), ("2", 6), ("2", 7))]
    [False, True, True, False]
    >>> workbook_due(old, {"a": "1"}, False, False, t, timedelta(hours=24)), workbook_due(old, {"a": "1"}, True, True, t, timedelta(hours=24))
    (True, True)
    """
    if force or not exists or not state.get("workbook_at"):
        return True
    if state.get("workbook") == prints:
        return False
    try:
        last = datetime.fromisoformat(state["workbook_at"])
    except (TypeError, ValueError):
        return True
    return now - last >= every


def _write_tables(session: Session, out_dir: Path, buckets: dict[str, dict[int, str]], rewrite: dict[str, set[int]],
                  missing: set[str], book: WorkbookWriter | None, size: int) -> list[Path]:
    """One pass over the tables in sheet order: each bucket that changed is queried and cached as a part; with a
    workbook to write, every bucket is queried once and goes to its sheet too; a changed table is assembled."""
    written: list[Path] = []
    for table in SHEETS:
        keys = sorted(buckets[table])
        sheet = None
        for bucket in keys:
            if book is None and bucket not in rewrite[table]:
                continue
            frame = bucket_frame(session, table, bucket, size)
            if bucket in rewrite[table]:
                write_part(out_dir, table, bucket, frame)
            if book is not None:
                sheet = sheet or book.sheet(table, frame)
                sheet.append(frame)
        empty = empty_frame(session, table)
        if book is not None:
            book.done(table, sheet or book.sheet(table, empty))
        dropped = prune_parts(out_dir, table, set(keys))
        if rewrite[table] or dropped or table in missing:
            written += assemble(out_dir, table, keys, empty)
    return written


def _write_book(out_dir: Path, write: Any, max_rows: int, generated_at: datetime, every: timedelta) -> list[Path]:
    book_path = out_dir / WORKBOOK
    with ExitStack() as stack:
        book_tmp = temp_name(book_path)
        stack.callback(lambda: book_tmp.unlink(missing_ok=True))
        book = WorkbookWriter(book_tmp, max_rows)
        written = write(book)
        book.save(generated_at=generated_at, every=every)
        for table, n in book.left_out.items():
            if n:
                log.warning("workbook: sheet %s cut at %d rows, %d more only in %s.csv and %s.parquet",
                            table, book.max_rows - 1, n, table, table)
        return [*written, publish(book_tmp, book_path)]


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
                   workbook_max_rows: int = EXCEL_MAX_ROWS, workbook_every: timedelta = timedelta(0),
                   workbook_every_from_rows: int = 0, workbook_now: bool = False) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, so Excel shows Chinese) and Parquet, plus investwatch.xlsx;
    returns the files written. Only the buckets of rows that changed since the last export are read again, a
    table with none is not rewritten; the workbook is rewritten when one of its tables changed and the last one
    is at least ``workbook_every`` old (0: whenever one changed; the interval applies only to a dataset of at
    least ``workbook_every_from_rows`` rows, below which the workbook is cheap), or when it is missing; ``force``
    (`investwatch export --full`) rewrites everything; ``workbook_now`` (`investwatch export`) rewrites a workbook
    that is behind at once, whatever the interval (which 数据说明 still states). ``chunk_rows`` is the bucket size.

    With a ``run_id`` (a pipeline run) also changes.csv against the previous run's snapshot, and this run's
    snapshot; without one (a manual export) the last run's changes file is left as it is. A sheet longer
    than ``workbook_max_rows`` is cut in the workbook only (noted in 数据说明 and logged), never failing the run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    at = now or datetime.now(UTC)
    size = chunk_rows or CHUNK_ROWS
    buckets = bucket_fingerprints(session, size)
    prints = table_fingerprints(buckets)
    state = read_state(out_dir)
    done = state.get("parts", {}) if state.get("bucket_size") == size else {}
    rewrite = {t: buckets_to_write(done.get(t, {}), buckets[t], lambda b, t=t: has_part(out_dir, t, b), force)
               for t in buckets}
    missing = {t for t in buckets if force or not ((out_dir / f"{t}.csv").exists()
                                                   and (out_dir / f"{t}.parquet").exists())}
    if workbook_every and workbook_every_from_rows and dataset_rows(session) < workbook_every_from_rows:
        workbook_every = timedelta(0)
    book_due = workbook_due(state, prints, (out_dir / WORKBOOK).exists(), force, at,
                            timedelta(0) if workbook_now else workbook_every) \
        or state.get("workbook_max_rows", workbook_max_rows) != workbook_max_rows  # a new row limit cuts anew

    def write(book: WorkbookWriter | None) -> list[Path]:
        return _write_tables(session, out_dir, buckets, rewrite, missing, book, size)

    if book_due:
        written = _write_book(out_dir, write, workbook_max_rows, at, workbook_every)
    else:
        written = write(None)
        if state.get("workbook") != prints:
            log.info("workbook kept (written %s; rewritten at most every %s, `investwatch export` now)",
                     state.get("workbook_at"), workbook_every)
    changes_csv = out_dir / "changes.csv"
    if run_id is not None:
        written += _write_changes(out_dir, run_id, at, snapshots_kept)
    elif not changes_csv.exists():
        empty = pd.DataFrame(columns=columns("changes"))
        written.append(atomic_write(changes_csv, lambda p: empty.to_csv(p, index=False, encoding="utf-8-sig")))
    schema = out_dir / "SCHEMA.md"
    text = schema_markdown()
    if force or not schema.exists() or schema.read_text(encoding="utf-8") != text:
        written.append(atomic_write_text(schema, text))
    # last: a crash before this line leaves the old state, so the next export rewrites what it may have missed
    atomic_write_text(out_dir / STATE_FILE, json.dumps({
        "version": STATE_VERSION, "bucket_size": size,
        "parts": {t: {str(b): h for b, h in sorted(v.items())} for t, v in buckets.items()},
        "workbook": prints if book_due else state.get("workbook"),
        "workbook_current": book_due or state.get("workbook") == prints,
        "workbook_max_rows": workbook_max_rows if book_due else state.get("workbook_max_rows", workbook_max_rows),
        "workbook_at": at.isoformat() if book_due else state.get("workbook_at")}, indent=1, sort_keys=True))
    return written


__all__ = ["PROJECT_COLUMNS", "TABLE_NAMES", "arrow_schema", "buckets_to_write", "csv_frame", "export_dataset",
           "parquet_frame", "workbook_due"]
