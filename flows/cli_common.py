"""What every `investwatch` command shares: the --data-dir option, settings, a database session, display."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alerts.message import STAGE_ZH, format_amount

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flows.settings import Settings

DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (env INVESTWATCH_DATA_DIR).")]

__all__ = ["STAGE_ZH", "DataDirOpt", "format_yi", "open_session", "settings_for"]


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
