"""Workbook writer side by side: XlsxWriter constant_memory (storage/workbook.py) against openpyxl write-only
(storage/workbook.py as of BASELINE, taken from git), on synthetic rows of the real mentions/projects columns.

    .venv/bin/python bench/workbook/bench.py --rows 100000

Each writer runs in its own child process so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "cd43328"  # last commit writing the workbook with openpyxl
CHUNK = 10_000  # rows per chunk, as export streams them


def frames(rows: int) -> dict[str, pd.DataFrame]:
    """Realistic shapes: Chinese text, URLs, dates, money; a few hostile cells (formula leads, controls)."""
    i = pd.RangeIndex(rows)
    day = [date(2020, 1, 1) + timedelta(days=int(k % 1500)) for k in i]
    url = [f"https://www.example.gov.cn/xwzx/{k // 100}/t2024{k:07d}_{k * 7}.html" for k in i]
    hostile = ["=HYPERLINK(\"http://x\")", "-5%", "@SUM(A1)", "a\x01b"]
    evidence = [hostile[k % 4] if k % 97 == 0 else f"总投资{k % 90 + 10}亿元的江门新能源电池材料项目{k}号正式签约落地，"
                "计划明年开工建设，达产后年产值约50亿元" for k in i]
    mentions = pd.DataFrame({
        "project_id": i + 1, "article_id": i // 3 + 1, "article_url": url, "published_on": day,
        "name_as_written": [f"江门新能源电池材料项目{k}" for k in i], "amount_yuan": (i % 90 + 10) * 100_000_000,
        "stage": ["signed", "started", "in_production"] * (rows // 3) + ["signed"] * (rows % 3),
        "evidence": evidence, "parser_version": "html-4"})
    projects = pd.DataFrame({
        "project_id": i + 1, "name": mentions["name_as_written"], "investor": "广东某某新材料科技有限公司",
        "amount_yuan": mentions["amount_yuan"], "amount_yi": (i % 90 + 10) * 1.0, "amount_qualifier": "about",
        "amount_text": "约50亿元", "stage": mentions["stage"], "stage_date": ["2024-03"] * rows, "location": "江门市蓬江区",
        "city": "江门市", "district": "蓬江区", "industry": "新能源", "category": "制造业", "is_expansion": i % 5 == 0,
        "first_seen_at": [datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=int(k)) for k in i],
        "first_article_url": url, "article_count": 3, "article_urls": [u + "," + u for u in url],
        "signed_on": [str(d) for d in day], "expansion_of_id": None, "first_reported_on": day, "last_reported_on": day})
    return {"mentions": mentions, "projects": projects}


def writer_module(which: str):  # type: ignore[no-untyped-def]
    if which == "xlsxwriter":
        from storage import workbook
        return workbook
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE}:storage/workbook.py"],
                         check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "workbook_openpyxl.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("workbook_openpyxl", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def child(which: str, rows: int, tables: list[str]) -> None:
    data = frames(rows)
    mod = writer_module(which)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = Path(tempfile.mkdtemp()) / "book.xlsx"
    t0 = time.perf_counter()
    book = mod.WorkbookWriter(out)
    for table in tables:
        frame = data[table]
        sheet = book.sheet(table, frame.iloc[:CHUNK])
        for start in range(0, len(frame), CHUNK):
            sheet.append(frame.iloc[start:start + CHUNK])
        book.done(table, sheet)
    book.save()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"writer": which, "seconds": round(seconds, 2), "rss_mb_before": before // 1024,
                      "rss_mb_peak": peak // 1024, "size_mb": round(out.stat().st_size / 1e6, 1)}))
    out.unlink()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--tables", default="mentions,projects")
    ap.add_argument("--child")
    args = ap.parse_args()
    tables = args.tables.split(",")
    if args.child:
        child(args.child, args.rows, tables)
        return
    print(f"{args.rows:,} rows each of {', '.join(tables)}, chunks of {CHUNK:,}")
    for which in ("openpyxl", "xlsxwriter"):
        res = subprocess.run([sys.executable, __file__, "--child", which, "--rows", str(args.rows),
                              "--tables", args.tables], check=True, capture_output=True, text=True, cwd=ROOT)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"{r['writer']:>10}: {r['seconds']:7.2f} s  peak RSS {r['rss_mb_peak']} MB "
              f"(data built: {r['rss_mb_before']} MB)  file {r['size_mb']} MB")


if __name__ == "__main__":
    main()
