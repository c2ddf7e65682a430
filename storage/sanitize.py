"""Cell hygiene for everything exported: control characters out, spreadsheet formulas defused, HTML escaped."""

from __future__ import annotations

import html
import re
from typing import Any

# ANSI escape sequences (\x1b[31m) go whole, so no "[31m" residue is left in a cell.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
# C0/C1 controls and DEL; tab, newline and carriage return are kept (multi-line evidence); XML
# forbids the others (openpyxl: IllegalCharacterError) and terminals act on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# OWASP CSV injection: a cell starting with one of these is read as a formula by Excel/LibreOffice.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(text: str) -> str:
    r"""Remove ANSI sequences and control characters (tab, CR, LF stay).

    >>> strip_controls("a\x01b\x1b[31mred\x1b[0m\tc")
    'abred\tc'
    """
    return _CONTROL.sub("", _ANSI.sub("", text))


def spreadsheet_text(text: str) -> str:
    """Text safe for a CSV or xlsx cell: controls removed, a formula-leading character quoted with "'".

    >>> spreadsheet_text('=HYPERLINK("http://x","点击")'), spreadsheet_text("-5%"), spreadsheet_text("江门")
    ('\\'=HYPERLINK("http://x","点击")', "'-5%", '江门')
    """
    clean = strip_controls(text)
    return "'" + clean if clean.startswith(FORMULA_LEADS) else clean


def spreadsheet_value(value: Any) -> Any:
    """Strings made spreadsheet-safe; numbers, dates and missing values pass through unchanged."""
    return spreadsheet_text(value) if isinstance(value, str) else value


def html_text(value: object) -> str:
    """Scraped text for an HTML page: controls removed, then every markup character escaped.

    >>> html_text('"><img src=x onerror=alert(1)>')
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(strip_controls("" if value is None else str(value)), quote=True)


def safe_href(url: object) -> str | None:
    """An http(s) URL escaped for an href attribute, or None (javascript:, data: and junk are not links).

    >>> safe_href("http://a.cn/x?a=1&b=2"), safe_href("javascript:alert(1)")
    ('http://a.cn/x?a=1&amp;b=2', None)
    """
    text = strip_controls("" if url is None else str(url)).strip()
    if not re.match(r"https?://", text, re.IGNORECASE):
        return None
    return html.escape(text, quote=True)
