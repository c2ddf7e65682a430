"""`investwatch status`: last run per stage, failures by cause, stuck alerts, flagged sources; exit 0/1/2."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli_common import DataDirOpt, plain_console, settings_for

if TYPE_CHECKING:
    from flows.status import Report

# flows.status (SQLAlchemy, the models) is imported inside the command: `investwatch --help` stays light
FAILING = 2  # flows.status.FAILING, the exit code when the pipeline is failing
_STYLE = {0: "green", 1: "yellow", FAILING: "red"}


def _when(value: datetime | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _print(report: Report) -> None:
    """Tables of plain Text cells: stored text (titles, errors, source names) is scraped, never markup."""
    from flows.status import LEVEL_NAME, STAGES

    snap, out = report.snapshot, plain_console()
    stages = Table(title="last run per stage")
    for col in ("stage", "run", "started", "finished", "outcome", "counts"):
        stages.add_column(col, overflow="fold")
    for name in STAGES:
        st = snap.stages.get(name)
        if st is None:
            stages.add_row(name, "—", "—", "—", "never recorded", "")
            continue
        counts = ", ".join(f"{k} {v}" for k, v in st.counts.items())
        outcome = st.outcome + (f": {st.error}" if st.error else "")
        stages.add_row(name, str(st.run_id), _when(st.started_at), _when(st.finished_at), Text(outcome), counts)
    out.print(stages)
    if snap.runs:
        r = snap.runs[0]
        out.print(Text(f"newest run {r.id} ({r.kind}): {r.status}, started {_when(r.started_at)}, "
                       f"heartbeat {_when(r.heartbeat_at)}" + (f", stage {r.stage}" if r.stage else "")))
    if snap.failures:
        table = Table(title="failures by cause (window)")
        for col in ("stage", "cause", "count", "last", "last url"):
            table.add_column(col, overflow="fold")
        for f in snap.failures:
            table.add_row(f.stage, Text(f.cause), str(f.count), _when(f.last_at), Text(f.last_url or ""))
        out.print(table)
    shown = [a for a in snap.alerts if a.status != "pending" or a.attempts]
    if shown:
        table = Table(title="alerts not delivered yet (sending, inflight, unconfirmed, failed, retried)")
        for col in ("id", "channel", "status", "attempts", "next", "title", "last error"):
            table.add_column(col, overflow="fold")
        for a in shown:
            table.add_row(str(a.id), Text(a.channel), a.status, str(a.attempts), _when(a.next_attempt_at),
                          Text(a.title), Text((a.last_error or "")[:160]))
        out.print(table)
    flagged = [(n, f) for n, f in snap.sources if f]
    if flagged:
        table = Table(title="flagged sources")
        table.add_column("source", overflow="fold")
        table.add_column("flag", overflow="fold")
        for name, flag in flagged:
            table.add_row(Text(name), Text(flag or ""))
        out.print(table)
    for p in report.problems:
        out.print(Text.assemble((f"{LEVEL_NAME[p.level]}: ", _STYLE[p.level]), p.message))
    code = report.exit_code
    out.print(Text.assemble("status: ", (LEVEL_NAME[code], f"bold {_STYLE[code]}"), f" (exit {code})"))


def status(
    data_dir: DataDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
    max_age_hours: Annotated[float, typer.Option(min=0.01, help="Failing when no run succeeded for this long.")]
    = 24.0,
    window_hours: Annotated[float, typer.Option(min=0.01, help="Failures are counted by cause over this window.")]
    = 24.0,
    pending_grace_minutes: Annotated[float, typer.Option(min=0, help="A pending alert due for longer is overdue.")]
    = 60.0,
    silent_runs: Annotated[int, typer.Option(min=1, help="Flag a source silent for this many runs in a row.")] = 3,
    alerts: Annotated[Path | None, typer.Option("--alerts", help="alerts.yaml, only to mask its secrets.")] = None,
) -> None:
    """Health for monitoring: last run per stage, failures by cause, stuck alerts, flagged sources.

    Exit 0 ok, 1 warning (failures in the last run, unconfirmed or stuck alerts, a flagged source),
    2 failing (last run failed or crashed, alerts given up, no successful run within --max-age-hours,
    no database).
    """
    from flows.cli_alerts import _register_secrets_quietly
    from flows.cli_common import missing_database, open_session
    from flows.status import Thresholds, assess, gather, to_json

    settings = settings_for(data_dir)
    _register_secrets_quietly(alerts, settings)
    th = Thresholds(max_age=timedelta(hours=max_age_hours), window=timedelta(hours=window_hours),
                    stale_after=timedelta(seconds=settings.heartbeat_stale_s),
                    pending_grace=timedelta(minutes=pending_grace_minutes), silent_runs=silent_runs)
    why = missing_database(settings)
    if why is not None:
        if as_json:
            sys.stdout.write(json.dumps({"status": "failing", "exit_code": FAILING, "problems": [
                {"level": "failing", "check": "database", "message": why}]}, ensure_ascii=False) + "\n")
        else:
            typer.echo(f"failing: {why}", err=True)
        raise typer.Exit(FAILING)
    try:
        with open_session(data_dir) as session:
            report = assess(gather(session, datetime.now(UTC), th), th)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - an unreachable or broken database is a failing status, not a traceback
        from alerts.redact import mask_secrets

        message = mask_secrets(f"cannot read the database: {type(exc).__name__}: {exc}".splitlines()[0])
        if as_json:
            sys.stdout.write(json.dumps({"status": "failing", "exit_code": FAILING, "problems": [
                {"level": "failing", "check": "database", "message": message}]}, ensure_ascii=False) + "\n")
        else:
            typer.echo(f"failing: {message}", err=True)
        raise typer.Exit(FAILING) from None
    if as_json:
        sys.stdout.write(json.dumps(to_json(report, th), ensure_ascii=False, indent=2) + "\n")
    else:
        _print(report)
    raise typer.Exit(report.exit_code)
