"""Deliver one message: through apprise (with its logged cause on failure) or to the local alerts.log + console."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import apprise
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from alerts.message import escape_markdown
from alerts.redact import redact, redact_text

LOCAL_CHANNEL = "file"  # the built-in channel URL: append to <data dir>/alerts.log and print to the console
ALERTS_LOG = "alerts.log"
_MAX_ERROR_CHARS = 1000

_log = logging.getLogger(__name__)
# urllib3 logs each request line at DEBUG, query string included (DingTalk's access_token=...).
_CAPTURED = (logging.getLogger("apprise"), logging.getLogger("urllib3.connectionpool"))


@dataclass(frozen=True)
class SendResult:
    """ok only when the channel confirmed delivery and apprise logged no problem; error is redacted.

    unknown: the request went out but no answer came back in time (read timeout): it may have arrived.
    """

    ok: bool
    error: str | None = None
    unknown: bool = False


class _ThreadRecords(logging.Handler):
    """Keeps the apprise records of one thread: with one URL apprise notifies in the calling thread, so
    concurrent sends from other threads do not mix their causes into ours."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


_capture_lock = threading.Lock()
_capturing = 0
_saved_logger_state: list[tuple[int, bool]] = []


@contextmanager
def _capture_apprise() -> Iterator[list[logging.LogRecord]]:
    """Collect this thread's apprise (and urllib3) log records, DEBUG included, while the block runs.

    Apprise reports per-URL results only through logging, and the cause itself ("Connection refused",
    the response body) is logged at DEBUG. While capturing, these loggers do not propagate: their
    debug lines carry URLs and payloads that must not reach the application's handlers; the problems
    are re-logged redacted by the caller. Levels and propagation are restored when the last
    concurrent capture ends (reference-counted, as other threads may be capturing too).
    """
    global _capturing, _saved_logger_state
    handler = _ThreadRecords()
    with _capture_lock:
        if _capturing == 0:
            _saved_logger_state = [(logger.level, logger.propagate) for logger in _CAPTURED]
            for logger in _CAPTURED:
                logger.setLevel(logging.DEBUG)
                logger.propagate = False
        _capturing += 1
        for logger in _CAPTURED:
            logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        with _capture_lock:
            for logger in _CAPTURED:
                logger.removeHandler(handler)
            _capturing -= 1
            if _capturing == 0:
                for logger, (level, propagate) in zip(_CAPTURED, _saved_logger_state, strict=True):
                    logger.setLevel(level)
                    logger.propagate = propagate


def _is_problem(record: logging.LogRecord) -> bool:
    # With ?optional=yes apprise turns a failed delivery into success and says so only at INFO.
    if str(record.msg).startswith("Optional service"):
        return True
    if record.levelno < logging.WARNING or record.levelname == "DEPRECATION WARNING":
        return False
    # "Retry 1/2 for X" only announces another attempt; the final result decides.
    return not str(record.msg).startswith("Retry ")


def _cause(records: list[logging.LogRecord], url: str) -> str:
    """The problems apprise logged, followed by the detail lines it logged after them (at DEBUG), redacted."""
    first = next((i for i, r in enumerate(records) if _is_problem(r)), None)
    if first is None:
        return ""
    lines = [r.getMessage().strip()[:300] for r in records[first:] if _is_problem(r) or r.levelno < logging.INFO]
    return redact_text(" | ".join(line for line in lines if line), url)[:_MAX_ERROR_CHARS]


# urllib3/requests wording of a read timeout: the request was sent, the answer did not come in time
_READ_TIMEOUT = ("Read timed out", "ReadTimeout")


def _read_timed_out(records: list[logging.LogRecord]) -> bool:
    return any(marker in r.getMessage() for r in records for marker in _READ_TIMEOUT)


def _explicit(url: str, arg: str) -> bool:
    """Whether the channel URL sets an apprise argument itself (cto=, rto=): then it wins over ours.

    >>> _explicit("json://h/?rto=60", "rto"), _explicit("json://h/?format=text", "rto")
    (True, False)
    """
    query = url.partition("?")[2]
    return any(part.partition("=")[0].lower() == arg for part in query.split("&"))


def _relog(records: list[logging.LogRecord], url: str) -> None:
    for record in records:
        if record.levelno >= logging.WARNING:
            _log.warning("apprise (%s): %s", redact(url), redact_text(record.getMessage(), url))


def check_url(url: str) -> str | None:
    """Why apprise cannot use this channel URL (redacted), or None when it can. No network."""
    if url == LOCAL_CHANNEL:
        return None
    with _capture_apprise() as records:
        server = apprise.Apprise.instantiate(url)
    _relog([r for r in records if r.levelname == "DEPRECATION WARNING"], url)
    cause = _cause(records, url)
    if server is None:
        return f"apprise cannot use {redact(url)}" + (f": {cause}" if cause else "")
    if cause:  # e.g. "Dropped invalid To email": it would deliver somewhere else than meant
        return f"apprise accepts {redact(url)} but warns: {cause}"
    return None


def send(channel_url: str, title: str, body: str, *, timeout_s: float = 30, urgent: bool = False) -> SendResult:
    """Send one message through a fresh apprise.Apprise(); ok only if apprise reports delivery and logs
    no warning or error (a silent non-delivery is a failure here).

    timeout_s is each socket wait (connect and read), replacing apprise's 4 s read default, which counted
    a webhook answering after 6 s as failed and so had it sent again; cto=/rto= in the URL still win.
    A read timeout comes back as ``unknown`` (sent, outcome not known), not as a plain failure.
    Text format, so e-mail keeps its line breaks.
    """
    if channel_url == LOCAL_CHANNEL:
        return SendResult(False, "the local channel is written by send_local (use deliver)")
    raised = None
    result: bool | None = None
    with _capture_apprise() as records:
        try:
            server = apprise.Apprise.instantiate(channel_url)
            if server is not None:
                if not _explicit(channel_url, "cto"):
                    server.socket_connect_timeout = timeout_s
                if not _explicit(channel_url, "rto"):
                    server.socket_read_timeout = timeout_s
                if server.notify_format == apprise.NotifyFormat.MARKDOWN:
                    # apprise escapes our plain text for HTML channels, not for Markdown ones: a scraped
                    # "[点击](http://evil)" would render as a link there
                    title, body = escape_markdown(title), escape_markdown(body)
                notifier = apprise.Apprise()
                notifier.add(server)
                result = notifier.notify(
                    body=body,
                    title=title,
                    body_format=apprise.NotifyFormat.TEXT,
                    notify_type=apprise.NotifyType.WARNING if urgent else apprise.NotifyType.INFO,
                )
        except Exception as exc:  # plugin code is third-party: any crash is a failed delivery, kept with its cause
            raised = redact_text(f"{type(exc).__name__}: {exc}", channel_url)
    _relog(records, channel_url)
    cause = _cause(records, channel_url)
    if raised is not None:
        return SendResult(False, raised)
    if result is True and not cause:
        return SendResult(True)
    if cause:
        return SendResult(False, cause, unknown=_read_timed_out(records))
    if result is None:
        return SendResult(False, f"apprise did not notify anything for {redact(channel_url)}")
    return SendResult(False, f"apprise reported a failure without a cause for {redact(channel_url)}")


def send_local(path: Path, title: str, body: str, *, console: Console | None = None) -> SendResult:
    """Append the message (timestamp, separator) to `path` and print it; stderr by default so that a
    command printing JSON on stdout stays parseable."""
    stamp = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    entry = f"{'=' * 72}\n{stamp}  {title}\n{body}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log_file:
            log_file.write(entry)
    except OSError as exc:
        return SendResult(False, f"cannot write {path}: {exc.strerror or exc}")
    out = console if console is not None else Console(stderr=True)
    # Text objects, not markup strings: a "[" in a title or URL must print as is.
    out.print(Panel(Text.assemble((title, "bold"), "\n", body), title=stamp, title_align="left"))
    return SendResult(True)


def deliver(
    channel_url: str,
    title: str,
    body: str,
    *,
    data_dir: Path,
    timeout_s: float = 30,
    urgent: bool = False,
    console: Console | None = None,
) -> SendResult:
    """Route a channel URL to its sender: the built-in "file" channel to data_dir/alerts.log, else apprise."""
    if channel_url == LOCAL_CHANNEL:
        return send_local(data_dir / ALERTS_LOG, title, body, console=console)
    return send(channel_url, title, body, timeout_s=timeout_s, urgent=urgent)
