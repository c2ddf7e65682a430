"""What every `investwatch` command shares: the --data-dir option, settings, a database session, display."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from alerts.message import STAGE_ZH, format_amount
from flows.streams import PassThroughStream

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flows.settings import Settings

DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (env INVESTWATCH_DATA_DIR).")]

__all__ = ["STAGE_ZH", "DataDirOpt", "fail", "term", "format_yi", "open_session", "parse_min_amount", "parse_stage",
           "settings_for", "mask_std_streams", "plain_console"]

DEMO_DIR = Path("investwatch-demo")  # where `investwatch demo` writes by default
# Chinese stage words an analyst types, beyond the canonical ones in STAGE_ZH.
STAGE_SYNONYMS = {"动工": "started", "开建": "started", "投用": "in_production", "建成投产": "in_production",
                  "落地": "signed", "签订": "signed"}


def term(value: object) -> str:
    r"""Scraped text for the CLI's plain consoles (plain_console: markup off, so [/red] prints as is):
    control characters and terminal escapes removed. Where a line opts into markup, escape() it as well.

    >>> term("[/red]\x1b[31m红")
    '[/red]红'
    """
    from storage.sanitize import strip_controls

    return strip_controls("" if value is None else str(value))


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one plain line on stderr (no rich markup: messages may hold scraped text) and return the exit."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def parse_stage(value: str) -> str:
    """A stage code from an English code or a Chinese word; BadParameter naming the allowed values.

    >>> parse_stage("开工"), parse_stage("in_production"), parse_stage("动工")
    ('started', 'in_production', 'started')
    """
    text = value.strip()
    if text in STAGE_ZH:
        return text
    by_word = {zh: code for code, zh in STAGE_ZH.items()} | STAGE_SYNONYMS
    if text in by_word:
        return by_word[text]
    allowed = ", ".join(f"{code}/{zh}" for code, zh in STAGE_ZH.items())
    raise typer.BadParameter(f"unknown stage {value!r}; one of {allowed}", param_hint="--stage")


def parse_min_amount(value: str) -> int:
    """An amount such as 10亿, 5000万 or 1000000000; BadParameter otherwise."""
    from alerts.config import parse_amount_yuan

    try:
        return parse_amount_yuan(value)
    except ValueError:
        raise typer.BadParameter(f"cannot read {value!r} as an amount; e.g. 10亿, 5000万 or 1000000000",
                                 param_hint="--min-amount") from None


def missing_database(settings: Settings) -> str | None:
    """Why there is nothing to read (a SQLite file that does not exist), with where to look instead; else None."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.db_url())
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if Path(url.database).exists():
        return None
    hint = "run `investwatch run` or `investwatch demo` first, or pass --data-dir"
    if (DEMO_DIR / "investwatch.db").exists() and settings.data_dir.resolve() != DEMO_DIR.resolve():
        hint = f"the demo's data is in {DEMO_DIR}: add --data-dir {DEMO_DIR}"
    return f"no database in {settings.data_dir} ({url.database} does not exist); {hint}"


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
    """A session on the (migrated) database; with write=True its work commits on success.

    A missing SQLite file is an error (exit 2, one line): opening it would create an empty database.
    """
    from storage.db import make_engine, session_factory, transaction, upgrade

    settings = settings_for(data_dir)
    why = missing_database(settings)
    if why is not None:
        raise fail(why)
    engine = make_engine(settings.db_url())
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


class MaskingStream(PassThroughStream):
    """A text stream that masks every registered secret value (alerts.redact) before writing through.

    stdout and stderr of the CLI go through it, so a secret cannot reach the terminal or a log file by
    any route (a library's log line, a traceback, our own tables) once its config has been loaded.
    """

    def write(self, text: str) -> int:
        from alerts.redact import mask_secrets

        self.inner.write(mask_secrets(text))
        return len(text)


def mask_std_streams() -> None:
    """Route sys.stdout and sys.stderr through MaskingStream (idempotent)."""
    if not isinstance(sys.stdout, MaskingStream):
        sys.stdout = MaskingStream(sys.stdout)
    if not isinstance(sys.stderr, MaskingStream):
        sys.stderr = MaskingStream(sys.stderr)
