"""A text stream that writes through to another one: the base of the CLI's masking and JSON-lines streams."""

from __future__ import annotations

import io
from typing import TextIO


class PassThroughStream(io.TextIOBase):
    """Everything but `write` goes to the wrapped stream (sys.stdout / sys.stderr)."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]  # io.TextIOBase declares it read-only
        return getattr(self.inner, "encoding", "utf-8")
