"""What every `investwatch` command shares: the --data-dir option, settings, a database session, display."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console

from alerts.message import STAGE_ZH, format_amount

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flows.settings import Settings

DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (env INVESTWATCH_DATA_DIR).")]

__all__ = ["STAGE_ZH", "DataDirOpt", "format_yi", "open_session", "mask_std_streams", "plain_console", "settings_for"]


def plain_console(stderr: bool = False) -> Console:
    """A console that prints strings as they are: scraped titles, names and evidence may hold "[/red]",
    which rich would read as markup (MarkupError, or restyled text). Our own styling passes markup=True
    explicitly, with every interpolated value escaped."""
    # soft_wrap on stderr: an error stays one line (monitoring greps it), however narrow the terminal
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=stderr)


def settings_for(data_dir: Path | None) -> Settings:
    """Settings from the environment, with --data-dir winning over INVESTWATCH_DATA_DIR."""
    from flows.settings import Settings

    return Settings(data_dir=data_dir) if data_dir else Settings()


@contextmanager
def open_session(data_dir: Path | None, write: bool = False) -> Iterator[Session]:
    """A session on the (migrated) database; with write=True its work commits on success."""
    from storage.db import make_engine, session_factory, transaction, upgrade

    engine = make_engine(settings_for(data_dir).db_url())
    try:
        upgrade(engine)
        factory = session_factory(engine)
        if write:
            with transaction(factory) as session:
                yield session
        else:
            with factory() as session:
                yield session
    finally:
        engine.dispose()


def format_yi(amount_yuan: int | None, qualifier: str | None = None) -> str:
    """An amount in 亿元 for tables, "—" when unknown (alerts.message.format_amount otherwise).

    >>> format_yi(20_000_000_000), format_yi(1_767_000_000, "over"), format_yi(None)
    ('200亿元', '超17.67亿元', '—')
    """
    return "—" if amount_yuan is None else format_amount(amount_yuan, qualifier)


class MaskingStream(io.TextIOBase):
    """A text stream that masks every registered secret value (alerts.redact) before writing through.

    stdout and stderr of the CLI go through it, so a secret cannot reach the terminal or a log file by
    any route (a library's log line, a traceback, our own tables) once its config has been loaded.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        from alerts.redact import mask_secrets

        self.inner.write(mask_secrets(text))
        return len(text)

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


def mask_std_streams() -> None:
    """Route sys.stdout and sys.stderr through MaskingStream (idempotent)."""
    if not isinstance(sys.stdout, MaskingStream):
        sys.stdout = MaskingStream(sys.stdout)
    if not isinstance(sys.stderr, MaskingStream):
        sys.stderr = MaskingStream(sys.stderr)
