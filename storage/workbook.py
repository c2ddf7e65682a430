"""investwatch.xlsx for the analyst: Chinese headers and words, real numbers and dates, links, a 数据说明 sheet."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from storage.sanitize import spreadsheet_text, strip_controls
from storage.schema import TABLES, Col

# Chinese words for the dataset's codes (alerts.message holds the same stage words for messages).
STAGE_WORDS = {"signed": "签约", "started": "开工", "capped": "封顶", "completed": "竣工",
               "trial_production": "试产", "in_production": "投产", "full_production": "达产"}
QUALIFIER_WORDS = {"exact": "确数", "over": "超", "about": "约", "nearly": "近", "at_least": "不低于"}
CODE_WORDS = {
    "reported": "已报道", "expected": "计划",  # milestone kinds
    "parsed": "已解析", "failed": "解析失败", "pending": "待解析", "duplicate": "重复", "skipped": "跳过",
    "new_project": "新项目", "stage_change": "阶段变化", "amount_change": "金额变化",  # changes.csv
    "meta": "页面元数据", "visible": "页面日期行", "script": "页面脚本", "url": "链接", "list": "列表页",  # date_origin
}
SHEETS = ("projects", "milestones", "mentions", "batches", "articles")
EXCEL_MAX_ROWS = 1_048_576  # rows of one Excel/WPS sheet, header included; a longer sheet fails to save or open
DEFAULT_MAX_ROWS = 200_000  # data rows per sheet: far under Excel's limit, and a workbook openpyxl writes in minutes
MAX_WIDTH = 60
LINK_FONT = Font(color="0563C1", underline="single")


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, tuple, str)) and bool(pd.isna(value)))


def _as_date(value: Any) -> Any:
    """A full ISO date (or datetime) as a date/datetime cell; partial dates (2023-03, 2023-Q1) stay text."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)  # Excel has no zones
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return spreadsheet_text(text)


def cell_value(col: Col, value: Any) -> Any:
    """The workbook value of one dataset value: Chinese words for codes, numbers as numbers, text made safe.

    >>> cell_value(Col("s", "阶段", "stage", ""), "in_production"), cell_value(Col("q", "", "qualifier", ""), "over")
    ('投产', '超')
    >>> cell_value(Col("t", "", "text", ""), "=1+1"), cell_value(Col("y", "", "yi", ""), 17.666)
    ("'=1+1", 17.67)
    """
    if _missing(value):
        return None
    kind = col.kind
    if kind in ("int", "yuan"):
        return int(value)
    if kind == "yi":
        return round(float(value), 2)
    if kind == "bool":
        return "扩建" if bool(value) else "新建"
    if kind in ("date", "datetime", "partial_date"):
        return _as_date(value)
    if kind == "stage":
        return STAGE_WORDS.get(str(value), spreadsheet_text(str(value)))
    if kind == "stages":
        return "、".join(STAGE_WORDS.get(s, s) for s in str(value).split(",") if s) or None
    if kind == "qualifier":
        return QUALIFIER_WORDS.get(str(value), spreadsheet_text(str(value)))
    if kind == "code":
        return CODE_WORDS.get(str(value), spreadsheet_text(str(value)))
    return spreadsheet_text(str(value))


_FORMATS = {"yi": "0.00", "yuan": "#,##0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
            "partial_date": "yyyy-mm-dd"}


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count two.

    >>> display_width("江门ab")
    6
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _link(cell: Any, url: str) -> None:
    clean = strip_controls(url).strip()
    if clean.lower().startswith(("http://", "https://")):  # no javascript:/file: links from scraped pages
        cell.hyperlink = clean
        cell.font = LINK_FONT


def write_sheet(ws: Worksheet, cols: list[Col], frame: pd.DataFrame) -> None:
    """One sheet: bold Chinese header, frozen, filtered, sized; values typed; URLs clickable."""
    ws.append([c.zh for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [display_width(c.zh) + 2 for c in cols]
    for r, record in enumerate(frame[[c.name for c in cols]].itertuples(index=False), start=2):
        for i, (col, raw) in enumerate(zip(cols, record, strict=True)):
            value = cell_value(col, raw)
            cell = ws.cell(row=r, column=i + 1, value=value)
            if col.kind in _FORMATS and not isinstance(value, str):
                cell.number_format = _FORMATS[col.kind]
            if col.kind == "url" and isinstance(value, str):
                _link(cell, value)
            if r <= 300 and value is not None:  # widths from the first rows; enough to size a column
                shown = 12 if isinstance(value, (date, datetime)) else display_width(str(value))
                widths[i] = max(widths[i], min(shown + 2, MAX_WIDTH))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(ws.max_row, 1)}"


def cut_note(sheet: str, table: str, total: int, kept: int) -> str:
    """The 数据说明 line for a sheet cut at the workbook's row cap.

    >>> cut_note("报道", "mentions", 250000, 200000)
    '共 250000 行，超过工作簿每表 200000 行的上限，此表只列前 200000 行（与 CSV 同序）；完整数据见 dataset/mentions.csv 与 mentions.parquet'
    """
    return (f"共 {total} 行，超过工作簿每表 {kept} 行的上限，此表只列前 {kept} 行（与 CSV 同序）；"
            f"完整数据见 dataset/{table}.csv 与 {table}.parquet")


def write_notes(ws: Worksheet, cut: dict[str, int] | None = None, max_rows: int = DEFAULT_MAX_ROWS) -> None:
    """数据说明: the sheets cut at the row cap first, then every column of every sheet with its meaning,
    unit and derivation."""
    ws.append(["工作表", "列名", "字段名(CSV)", "说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for table, total in (cut or {}).items():
        sheet = TABLES[table][0]
        ws.append([sheet, "（行数上限）", f"{table}.csv", cut_note(sheet, table, total, max_rows)])
        ws.cell(row=ws.max_row, column=4).font = Font(bold=True, color="C00000")
    for table in (*SHEETS, "changes"):
        sheet, cols = TABLES[table]
        for c in cols:
            ws.append([sheet, c.zh, c.name, c.meaning])
    for letter, width in zip("ABCD", (10, 18, 22, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{ws.max_row}"


def write_workbook(path: Path, frames: dict[str, pd.DataFrame], max_rows: int = DEFAULT_MAX_ROWS) -> dict[str, int]:
    """Write the workbook to ``path`` (the caller makes it atomic). A table longer than ``max_rows`` keeps
    its first ``max_rows`` rows in its sheet (the CSV and Parquet keep all): returns those tables' full
    row counts, which 数据说明 names too."""
    max_rows = min(max_rows, EXCEL_MAX_ROWS - 1)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    cut: dict[str, int] = {}
    for table in SHEETS:
        sheet, cols = TABLES[table]
        frame = frames[table]
        if len(frame) > max_rows:
            cut[table] = len(frame)
            frame = frame.head(max_rows)
        write_sheet(wb.create_sheet(sheet), cols, frame)
    write_notes(wb.create_sheet("数据说明"), cut, max_rows)
    wb.save(path)
    return cut
