"""The pieces an exported table is assembled from: one cached part per bucket of keys (CSV rows and a Parquet
file in dataset/.parts/<table>/), rewritten only when that bucket's fingerprint moved.

A run that adds ten articles rewrites the buckets those articles and their projects fall in (usually the
last one) and assembles each changed table's CSV by byte copies of its parts and its Parquet file from the
parts' row groups, instead of querying and converting every stored row again. Assembly is plain file I/O,
so its cost grows with history only at disk speed (a 100k-article dataset is some tens of MB).
"""

from __future__ import annotations

import codecs
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from storage.atomic import atomic_write, publish, temp_name
from storage.sanitize import spreadsheet_value, strip_controls
from storage.schema import TABLES

PARTS_DIR = ".parts"
_PART = re.compile(r"^(\d{6,})\.(csv|parquet)$")

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


def arrow_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
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


def part_paths(out_dir: Path, table: str, bucket: int) -> tuple[Path, Path]:
    """(csv, parquet) of one bucket's part.

    >>> [p.as_posix() for p in part_paths(Path("/d"), "projects", 3)]
    ['/d/.parts/projects/000003.csv', '/d/.parts/projects/000003.parquet']
    """
    folder = out_dir / PARTS_DIR / table
    return folder / f"{bucket:06d}.csv", folder / f"{bucket:06d}.parquet"


def has_part(out_dir: Path, table: str, bucket: int) -> bool:
    return all(p.exists() for p in part_paths(out_dir, table, bucket))


def write_part(out_dir: Path, table: str, bucket: int, frame: pd.DataFrame) -> None:
    """One bucket's rows as headerless CSV (spreadsheet-safe) and as Parquet (exact text), each atomically."""
    csv_path, parquet_path = part_paths(out_dir, table, bucket)
    rows = csv_frame(frame)
    atomic_write(csv_path, lambda p: rows.to_csv(p, index=False, header=False, encoding="utf-8"))
    arrow = arrow_table(frame, arrow_schema(table))
    atomic_write(parquet_path, lambda p: pq.write_table(arrow, p))


def prune_parts(out_dir: Path, table: str, keep: set[int]) -> int:
    """Remove the parts of buckets that no longer hold rows (and any stray file); returns how many went."""
    folder = out_dir / PARTS_DIR / table
    gone = 0
    for path in folder.iterdir() if folder.is_dir() else ():
        m = _PART.match(path.name)
        if m is None or int(m.group(1)) not in keep:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def assemble(out_dir: Path, table: str, buckets: list[int], header: pd.DataFrame) -> list[Path]:
    """<table>.csv (BOM, header, the parts' rows in bucket order) and <table>.parquet (one row group per
    non-empty part) from the cached parts, each into a temp file renamed into place."""
    csv_path, parquet_path = out_dir / f"{table}.csv", out_dir / f"{table}.parquet"
    csv_tmp, parquet_tmp = temp_name(csv_path), temp_name(parquet_path)
    schema = arrow_schema(table)
    try:
        with open(csv_tmp, "wb") as out:
            out.write(codecs.BOM_UTF8 + csv_frame(header.iloc[:0]).to_csv(index=False).encode("utf-8"))
            for bucket in buckets:
                with open(part_paths(out_dir, table, bucket)[0], "rb") as part:
                    shutil.copyfileobj(part, out)
        with pq.ParquetWriter(parquet_tmp, schema) as writer:
            for bucket in buckets:
                rows = pq.read_table(part_paths(out_dir, table, bucket)[1], schema=schema)
                if rows.num_rows:
                    writer.write_table(rows)
        return [publish(csv_tmp, csv_path), publish(parquet_tmp, parquet_path)]
    finally:
        csv_tmp.unlink(missing_ok=True)  # after a publish, a no-op
        parquet_tmp.unlink(missing_ok=True)
