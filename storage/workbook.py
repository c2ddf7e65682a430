"""investwatch.xlsx for the analyst: Chinese headers and words, real numbers and dates, links, a 数据说明 sheet."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter

from storage.sanitize import spreadsheet_text, strip_controls
from storage.schema import TABLES, Col

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

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
DEFAULT_MAX_ROWS = 200_000  # data rows per sheet: far under Excel's limit, and a workbook that opens quickly
MAX_WIDTH = 60
MAX_TEXT = 32_767  # characters of one Excel cell; XlsxWriter would cut longer text itself, with a warning each
MAX_LINKS = 65_530  # hyperlinks per Excel sheet; later URLs are plain text (XlsxWriter would warn and drop them)
MAX_URL = 2_079  # characters of an Excel hyperlink
# Strings are never read as formulas, URLs or numbers: text is written as text (sanitize.py defuses it too);
# NaN/inf become #NUM! rather than failing the save.
BOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False, "nan_inf_to_errors": True}


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


WIDTH_ROWS = 300  # column widths from the first rows; enough to size a column


def _widths(cols: list[Col], first: pd.DataFrame) -> list[int]:
    widths = [display_width(c.zh) + 2 for c in cols]
    for record in first[[c.name for c in cols]].head(WIDTH_ROWS).itertuples(index=False):
        for i, (col, raw) in enumerate(zip(cols, record, strict=True)):
            value = cell_value(col, raw)
            if value is not None:
                shown = 12 if isinstance(value, (date, datetime)) else display_width(str(value))
                widths[i] = max(widths[i], min(shown + 2, MAX_WIDTH))
    return widths


class SheetWriter:
    """One sheet of a streamed workbook, filled chunk by chunk: bold Chinese header, frozen, filtered, sized
    from the first chunk; values typed; http(s) URLs clickable."""

    def __init__(self, ws: Worksheet, formats: dict[str, Format], cols: list[Col], first: pd.DataFrame,
                 max_rows: int = EXCEL_MAX_ROWS) -> None:
        self.ws, self.formats, self.cols, self.max_rows = ws, formats, cols, max_rows
        for i, w in enumerate(_widths(cols, first)):
            ws.set_column(i, i, w)
        ws.freeze_panes(1, 0)
        for i, c in enumerate(cols):
            ws.write_string(0, i, c.zh, formats["bold"])
        self.rows = 1
        self.links = 0
        self.left_out = 0  # data rows past Excel's limit (kept in the CSV and Parquet files)

    def _write(self, row: int, i: int, col: Col, value: Any) -> None:
        ws = self.ws
        if isinstance(value, str):
            text = value[:MAX_TEXT]
            if col.kind == "url" and self.links < MAX_LINKS:
                url = strip_controls(value).strip()
                if url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL:  # no javascript:
                    self.links += 1
                    ws.write_url(row, i, url, self.formats["link"], string=text)
                    return
            ws.write_string(row, i, text)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(row, i, value, self.formats.get(col.kind))
        else:  # int or float: bools and codes are words by now
            ws.write_number(row, i, value, self.formats.get(col.kind))

    def append(self, frame: pd.DataFrame) -> None:
        cols = self.cols
        for record in frame[[c.name for c in cols]].itertuples(index=False):
            if self.rows >= self.max_rows:
                self.left_out += 1
                continue
            for i, (col, raw) in enumerate(zip(cols, record, strict=True)):
                value = cell_value(col, raw)
                if value is not None:  # an empty cell is simply not written
                    self._write(self.rows, i, col, value)
            self.rows += 1

    def close(self) -> None:
        self.ws.autofilter(0, 0, max(self.rows, 1) - 1, len(self.cols) - 1)


def write_notes(ws: Worksheet, bold: Format, left_out: dict[str, int] | None = None,
                max_rows: int = EXCEL_MAX_ROWS, generated_at: datetime | None = None,
                every: timedelta = timedelta(0)) -> None:
    """数据说明: every column of every sheet with its meaning, unit and derivation; any sheet cut at
    Excel's row limit, with where the whole table is; and when the workbook was written."""
    for i, width in enumerate((10, 18, 22, 90)):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, ("工作表", "列名", "字段名(CSV)", "说明"), bold)
    rows = [[sheet, c.zh, c.name, c.meaning] for sheet, cols in (TABLES[t] for t in (*SHEETS, "changes"))
            for c in cols]
    if generated_at is not None:
        hours = every.total_seconds() / 3600
        cadence = (f"运行时每 {hours:g} 小时最多重写一次（期间 CSV/Parquet 与报告每次运行更新）" if hours
                   else "数据有变化的每次运行都重写")
        rows.append(["（工作簿）", "生成时间", "generated_at",
                     f"{generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC；{cadence}；investwatch export 立即重写"])
    for table, n in sorted((left_out or {}).items()):
        if n:
            rows.append([TABLES[table][0], "（全部）", table,
                         f"该表超出工作簿每表 {max_rows:,} 行的上限，本工作表只含前 {max_rows - 1:,} 行，"
                         f"另有 {n:,} 行未列出；完整数据见 {table}.csv 和 {table}.parquet"])
    for r, row in enumerate(rows, start=1):
        for i, text in enumerate(row):
            ws.write_string(r, i, text)
    ws.autofilter(0, 0, len(rows), 3)


class WorkbookWriter:
    """investwatch.xlsx written as a stream (XlsxWriter constant_memory: each row goes to a temporary file
    once the next begins, so memory does not grow with the tables; bench/workbook measures it against
    openpyxl's write-only mode); sheets in SHEETS order, then 数据说明."""

    def __init__(self, path: Path, max_rows: int = EXCEL_MAX_ROWS) -> None:
        self.path = path
        self.wb = xlsxwriter.Workbook(str(path), BOOK_OPTIONS)
        self.formats = {kind: self.wb.add_format({"num_format": f}) for kind, f in _FORMATS.items()}
        self.formats["bold"] = self.wb.add_format({"bold": True})
        self.formats["link"] = self.wb.add_format({"font_color": "#0563C1", "underline": 1})
        self.max_rows = min(max_rows, EXCEL_MAX_ROWS)
        self.left_out: dict[str, int] = {}

    def sheet(self, table: str, first: pd.DataFrame) -> SheetWriter:
        sheet, cols = TABLES[table]
        return SheetWriter(self.wb.add_worksheet(sheet), self.formats, cols, first, self.max_rows)

    def done(self, table: str, writer: SheetWriter) -> None:
        writer.close()
        self.left_out[table] = writer.left_out

    def save(self, generated_at: datetime | None = None, every: timedelta = timedelta(0)) -> None:
        write_notes(self.wb.add_worksheet("数据说明"), self.formats["bold"], self.left_out, self.max_rows,
                    generated_at, every)
        self.wb.close()


def write_workbook(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Write the workbook of whole frames to ``path`` (the caller makes it atomic)."""
    book = WorkbookWriter(path)
    for table in SHEETS:
        writer = book.sheet(table, frames[table])
        writer.append(frames[table])
        book.done(table, writer)
    book.save()
