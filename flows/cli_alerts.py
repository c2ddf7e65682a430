"""`investwatch alerts ...`: try a channel, preview what a run would send (read-only), list the outbox."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from alerts.message import message_text
from alerts.redact import mask_secrets
from flows.cli_common import DataDirOpt, settings_for

if TYPE_CHECKING:  # the commands import these lazily, so `investwatch --help` stays fast
    from sqlalchemy import Engine

    from alerts.config import AlertsConfig
    from alerts.rules import AlertDraft
    from storage.models import Alert

alerts_app = typer.Typer(
    help="Alerts: test a channel, preview what the next run would send, list what was sent.",
    no_args_is_help=True,
    add_completion=False,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_TITLE = "【测试】investwatch 提醒通道测试"
STATUSES = ("pending", "sending", "inflight", "unconfirmed", "sent", "failed")

AlertsOpt = Annotated[
    Path | None, typer.Option("--alerts", help="alerts.yaml (default: INVESTWATCH_ALERTS, else ./alerts.yaml).")
]


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False)  # alert text is scraped: print it as is


def _fail(message: str) -> typer.Exit:
    from rich.text import Text

    _console(stderr=True).print(Text(message, style="red"))  # Text: a "[" in an error must print as is
    return typer.Exit(1)


def _load_config(path: Path | None, settings: Any) -> AlertsConfig:
    """The alerts config a run would use: --alerts, else the settings' file, else the one shipped with the code."""
    from alerts.config import AlertsConfigError, load_alerts_config

    if path is None:
        path = settings.alerts if Path(settings.alerts).exists() else PROJECT_ROOT / "alerts.yaml"
    try:
        return load_alerts_config(path, os.environ)
    except AlertsConfigError as exc:
        raise _fail(str(exc)) from None


def _register_secrets_quietly(path: Path | None, settings: Any) -> None:
    """Load the alerts config only so its secret values are known to the masking (a broken file is ignored:
    history must still show the outbox)."""
    from alerts.config import AlertsConfigError, load_alerts_config

    if path is None:
        path = settings.alerts if Path(settings.alerts).exists() else PROJECT_ROOT / "alerts.yaml"
    try:
        load_alerts_config(path, os.environ)
    except AlertsConfigError:
        pass


def _open_existing(settings: Any) -> Engine | None:
    """An engine on the configured database, or None when its SQLite file does not exist (nothing to read).

    Checked first because opening a missing SQLite file would create it, and preview/history write nothing.
    """
    from sqlalchemy.engine import make_url

    from storage.db import make_engine

    url = make_url(settings.db_url())
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).exists():
            return None
    return make_engine(url.render_as_string(hide_password=False))


def _as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PreviewRow:
    """One message-to-be on one channel, as the next run's alert stage would send it."""

    channel: str
    key: str
    rule: str
    urgent: bool
    title: str
    body: str
    status: str  # new | retry | queued | resend (unconfirmed, re-sent now) | resend-later (re-sent at `due`)
    due: datetime | None = None

    @property
    def sends_now(self) -> bool:
        return self.status != "resend-later"

    def status_text(self) -> str:
        """How the table names it: an unknown outcome is re-sent once, marked 【重发】."""
        if self.status == "resend":
            return "re-sent once now (【重发】)"
        if self.status == "resend-later":
            when = self.due.astimezone().strftime("%Y-%m-%d %H:%M") if self.due else "?"
            return f"would be re-sent once (【重发】) at {when}"
        return self.status


def would_send(
    drafts: Sequence[AlertDraft], outbox: Iterable[Alert], now: datetime, max_attempts: int
) -> tuple[list[PreviewRow], dict[str, int]]:
    """What the alert stage would deliver now: drafts not in the outbox, and outbox rows due (retries, the one
    re-send of an unconfirmed alert); unconfirmed alerts not yet due are listed with the time of their re-send.

    Mirrors storage.repo.claim_due_alerts read-only. Also counts what is held back: already sent, waiting
    for its back-off or being sent by a run, in flight (handed to a channel, outcome not yet recorded),
    unconfirmed and already re-sent once (never sent a third time), given up after max_attempts.
    """
    rows = {(a.key, a.channel): a for a in outbox}
    out: list[PreviewRow] = []
    held = {"sent": 0, "waiting": 0, "inflight": 0, "unconfirmed": 0, "given_up": 0}

    def classify(a: Alert) -> tuple[str, datetime | None] | None:
        next_at = _as_utc(a.next_attempt_at)
        if a.status == "sent":
            held["sent"] += 1
        elif a.status == "inflight":
            held["inflight"] += 1  # a run handed it over; if that run died, the next one makes it unconfirmed
        elif a.attempts >= max_attempts:
            held["given_up"] += 1
        elif a.status == "unconfirmed":
            if next_at is None:
                held["unconfirmed"] += 1  # re-sent once already: left for the operator
            else:
                return ("resend" if next_at <= now else "resend-later"), next_at
        elif (a.status == "pending" and (next_at is None or next_at <= now)) or (
            a.status == "sending" and next_at is not None and next_at <= now
        ):
            return ("retry" if a.attempts else "queued"), next_at
        else:
            held["waiting"] += 1
        return None

    def add(src: Alert | AlertDraft, channel: str, verdict: tuple[str, datetime | None]) -> None:
        out.append(PreviewRow(channel, src.key, src.rule, src.urgent, src.title, src.body, verdict[0], verdict[1]))

    for d in drafts:
        for channel in d.channels:
            row = rows.pop((d.key, channel), None)
            if row is None and any((k, channel) in rows for k in d.former_keys):
                continue  # announced under a former id of the project (merge, re-parse): the stage skips it too
            verdict = ("new", None) if row is None else classify(row)
            if verdict is not None:
                # an outbox row is sent with the text it was queued with, not today's wording
                add(d if row is None else row, channel, verdict)
    for a in sorted(rows.values(), key=lambda a: a.id):  # queued earlier, no longer matched: still delivered
        verdict = classify(a)
        if verdict is not None:
            add(a, a.channel, verdict)
    return out, held


def _parse_day(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--today") from None


@alerts_app.command("test")
def test_channel(
    channel: Annotated[str, typer.Argument(help="A channel name from alerts.yaml, e.g. local or team_chat.")],
    alerts: AlertsOpt = None,
    data_dir: DataDirOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the channel.")] = 30.0,
) -> None:
    """Send a short Chinese test message to one channel; prints ok or the (redacted) error, exit 1 on failure."""
    from alerts.send import deliver

    settings = settings_for(data_dir)
    config = _load_config(alerts, settings)
    if channel not in config.channels:
        raise _fail(f"unknown channel {channel!r} (defined: {', '.join(config.channels) or 'none'})")
    stamp = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    body = f"这是一条测试消息：通道 {channel} 能收到 investwatch 的提醒。\n发送时间：{stamp}"
    result = deliver(config.channel_url(channel), TEST_TITLE, body, data_dir=settings.data_dir, timeout_s=timeout,
                     console=_console(stderr=True))
    shown = config.channel_display(channel)
    if not result.ok:
        raise _fail(f"failed: {channel} ({shown}): {result.error}")
    _console().print(f"ok: test message delivered to {channel} ({shown})", markup=False)


@alerts_app.command()
def preview(
    alerts: AlertsOpt = None,
    data_dir: DataDirOpt = None,
    today: Annotated[str | None, typer.Option(help="Evaluate as of this day, YYYY-MM-DD (default: today).")] = None,
    messages: Annotated[bool, typer.Option("--messages", help="Also print each message as it would be sent.")]
    = False,
) -> None:
    """Show the alerts the next run would send now (not yet sent); sends nothing and writes nothing."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from sqlalchemy import select

    from alerts.message import pack_messages
    from alerts.rules import evaluate_rules
    from flows.stages import snapshots, sources_health
    from storage.db import session_factory
    from storage.models import Alert

    day = _parse_day(today)
    settings = settings_for(data_dir)
    config = _load_config(alerts, settings)
    out = _console()
    engine = _open_existing(settings)
    if engine is None:
        out.print("no database yet: nothing to preview (run `investwatch run` first)")
        return
    try:
        with session_factory(engine)() as session:
            # the same inputs the alert stage uses; source health joins once the pipeline records it
            drafts = evaluate_rules(snapshots(session), config, day, sources_health=sources_health(session))
            outbox = list(session.scalars(select(Alert)))
            rows, held = would_send(drafts, outbox, datetime.now(UTC), settings.alert_max_attempts)
            session.rollback()
    finally:
        engine.dispose()
    table = Table(title=f"alerts that would be sent now ({day.isoformat()})")
    for column in ("channel", "rule", "status", "title"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r.channel, r.rule, r.status_text() + (" 紧急" if r.urgent else ""), Text(message_text(r.title)))
    now_rows = [r for r in rows if r.sends_now]
    if rows:
        out.print(table)
    if not now_rows:
        out.print("nothing would be sent now")
    later = len(rows) - len(now_rows)
    out.print(f"{len(now_rows)} to send; held back: {held['sent']} already sent, {held['waiting']} waiting to retry, "
              f"{held['given_up']} given up, {held['inflight']} in flight, {later} to re-send later (【重发】), "
              f"{held['unconfirmed']} unconfirmed and already re-sent once", markup=False)
    if messages:
        for channel in dict.fromkeys(r.channel for r in now_rows):
            mine = [r for r in now_rows if r.channel == channel]
            fresh = [r for r in mine if r.status != "resend"]
            again = [r for r in mine if r.status == "resend"]
            packed = pack_messages(fresh) + [replace(m, title=f"【重发】{m.title}") for m in pack_messages(again)]
            for m in packed:
                out.print(Panel(Text.assemble((m.title, "bold"), "\n", m.body), title=f"{channel}: {len(m.items)}条",
                                title_align="left"))


@alerts_app.command()
def history(
    alerts: AlertsOpt = None,
    data_dir: DataDirOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many alerts, newest first.")] = 50,
    status: Annotated[str | None, typer.Option(help="Only alerts with this status: " + ", ".join(STATUSES) + ".")]
    = None,
) -> None:
    """List the alert outbox, newest first: created, rule, channel, status, attempts, last error, title."""
    from rich.table import Table
    from rich.text import Text
    from sqlalchemy import select

    from storage.db import session_factory
    from storage.models import Alert

    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"one of {', '.join(STATUSES)}", param_hint="--status")
    out = _console()
    settings = settings_for(data_dir)
    _register_secrets_quietly(alerts, settings)
    engine = _open_existing(settings)
    if engine is None:
        out.print("no database yet: no alerts")
        return
    try:
        with session_factory(engine)() as session:
            stmt = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
            if status is not None:
                stmt = stmt.where(Alert.status == status)
            rows = list(session.scalars(stmt))
    finally:
        engine.dispose()
    if not rows:
        out.print("no alerts" + (f" with status {status}" if status else ""))
        return
    table = Table(title="alert outbox (newest first)")
    for column in ("created", "rule", "channel", "status", "attempts", "last error", "title"):
        table.add_column(column, overflow="fold")
    for a in rows:
        created = _as_utc(a.created_at)
        table.add_row(
            created.astimezone().strftime("%Y-%m-%d %H:%M") if created else "—",
            a.rule,
            a.channel,
            a.status + (" 紧急" if a.urgent else ""),
            str(a.attempts),
            Text(mask_secrets(a.last_error or "")),  # stored masked; masked again for rows older than a secret
            Text(message_text(a.title)),  # rows queued before titles were cleaned
        )
    out.print(table)
