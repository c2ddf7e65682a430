"""Structured logs (`--log-json` / INVESTWATCH_LOG_JSON=1): one JSON object per stderr line, secrets masked.

Every line carries ts, level, logger, message and, where known, run_id, stage, source and url: the run and
stage come from a context the pipeline sets (contextvars, so Prefect's task threads see them), source and
url from the log call (``extra=``). Libraries that print to stderr themselves (Prefect, uvicorn, rich)
are caught by a stream wrapper that turns each of their lines into a JSON object too, so a log shipper
can parse every line. Written by hand because the standard library has no JSON formatter and the
ones on PyPI neither mask secrets by value nor wrap foreign stderr lines.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from alerts.redact import mask_secrets
from flows.streams import PassThroughStream
from storage.sanitize import strip_controls

FIELDS = ("run_id", "stage", "source", "url")
_context: ContextVar[dict[str, Any] | None] = ContextVar("investwatch_log_context", default=None)
_enabled = False

# Per-item events (a failed fetch, extraction, parse or send): off unless JSON logs are on, so the plain
# output (a line per stage, the summary with causes) keeps its shape.
events = logging.getLogger("investwatch.events")
events.addHandler(logging.NullHandler())
events.propagate = False


def enabled() -> bool:
    return _enabled


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add fields (run_id, stage, ...) to every log line emitted inside the block."""
    token = _context.set({**(_context.get() or {}), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def _masked(value: Any) -> Any:
    return strip_controls(mask_secrets(value)) if isinstance(value, str) else value


def entry(level: str, logger: str, message: str, **fields: Any) -> str:
    """One JSON log line (no newline): the context's fields, then the given ones; every string masked.

    >>> entry("info", "x", "started", run_id=3, url=None)  # doctest: +ELLIPSIS
    '{"ts": "...", "level": "info", "logger": "x", "message": "started", "run_id": 3}'
    """
    ctx = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    out: dict[str, Any] = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": level,
                           "logger": logger, "message": _masked(message)}
    out.update({k: _masked(ctx[k]) for k in FIELDS if ctx.get(k) is not None})
    out.update({k: _masked(v) for k, v in ctx.items() if k not in FIELDS and k not in out})
    return json.dumps(out, ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {k: getattr(record, k) for k in FIELDS if getattr(record, k, None) is not None}
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info)
        return entry(record.levelname.lower(), record.name, record.getMessage(), **fields)


class JsonLinesStream(PassThroughStream):
    """stderr in JSON mode: JSON lines pass through; any other line (Prefect, rich, a library) is wrapped."""

    def __init__(self, inner: TextIO) -> None:
        super().__init__(inner)
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._line(line)
        return len(text)

    def _line(self, line: str) -> None:
        clean = strip_controls(line).strip()
        if not clean or set(clean) <= set("─━═│┃╭╮╰╯ "):  # blank lines and box rules carry nothing
            return
        try:
            ok = isinstance(json.loads(clean), dict)
        except ValueError:
            ok = False
        if not ok:
            word = clean.split(":", 1)[0].lower()
            level = word if word in ("warning", "error") else "error" if word == "failing" else "info"
            clean = entry(level, "stderr", clean.strip("│ "))
        self.inner.write(mask_secrets(clean) + "\n")
        self.inner.flush()

    def close_partial(self) -> None:
        if self._partial:
            line, self._partial = self._partial, ""
            self._line(line)

    def isatty(self) -> bool:
        return False  # no spinner: a log shipper reads this stream



def handler() -> logging.Handler:
    """A handler writing JSON lines to the current sys.stderr."""
    h = logging.StreamHandler(sys.stderr)
    h.setFormatter(JsonFormatter())
    return h


def enable(level: int = logging.INFO) -> None:
    """Switch this process to JSON logs on stderr (idempotent): root, per-item events, Python warnings."""
    global _enabled
    if _enabled:
        return
    _enabled = True
    if not isinstance(sys.stderr, JsonLinesStream):
        sys.stderr = JsonLinesStream(sys.stderr)
        import atexit

        atexit.register(sys.stderr.close_partial)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler())
    root.setLevel(level)
    events.addHandler(handler())
    events.setLevel(level)
    for chatty in ("alembic", "httpx"):  # a line per migration plugin and per Prefect API call: not the run's story
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
    logging.captureWarnings(True)
