"""Shared fixtures: database URLs (SQLite and the loopback PostgreSQL), paths to ../shared."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.servers import HttpSink, MailBox, http_receiver, smtp_server

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# CI sets INVESTWATCH_TEST_PG_URL; then PostgreSQL tests must run (an unreachable server fails them).
PG_URL_ENV = os.environ.get("INVESTWATCH_TEST_PG_URL")
PG_URL = PG_URL_ENV or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# runs in tests never go to a Prefect server some other process left on 127.0.0.1:4200 (flows.prefect_env)
os.environ.setdefault("INVESTWATCH_PREFECT_LOCAL_API", "")


def _pg_reachable() -> bool:
    try:
        eng = create_engine(PG_URL)
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001 - any connection failure means "not available" when not required
        return False


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def pg_available() -> bool:
    ok = _pg_reachable()
    if not ok and PG_URL_ENV:
        pytest.fail(f"INVESTWATCH_TEST_PG_URL is set but PostgreSQL is unreachable: {PG_URL_ENV}")
    return ok


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not pg_available:
        pytest.skip("PostgreSQL not reachable and INVESTWATCH_TEST_PG_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    """A real JSON webhook receiver on loopback."""
    with http_receiver() as sink:
        yield sink


@pytest.fixture
def smtp() -> Iterator[tuple[MailBox, int]]:
    """A real SMTP server (aiosmtpd) on loopback: (mailbox, port)."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a migrated database (SQLite and PostgreSQL, via db_url)."""
    from storage.db import make_engine, session_factory, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_secret_registry() -> Iterator[None]:
    """Secrets registered by one test (alerts.redact masks them process-wide) must not mask another's output."""
    from alerts.redact import forget_secrets

    forget_secrets()
    yield
    forget_secrets()
