"""`investwatch status`: what the database says about the last runs, read once, then judged by pure rules.

``gather`` reads (one session, nothing written); ``assess`` decides the problems and the exit code for
monitoring: 0 ok, 1 warning, 2 failing. Scraped text (source names, titles, errors) is cleaned of control
characters here; the CLI prints it with markup off.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.redact import mask_secrets
from flows.progress import fetch_cause
from storage import repo
from storage.models import Alert, Failure, Run
from storage.runs import as_utc, heartbeat_stale
from storage.sanitize import strip_controls

OK, WARNING, FAILING = 0, 1, 2
LEVEL_NAME = {OK: "ok", WARNING: "warning", FAILING: "failing"}
STAGES = ("crawl", "extract", "parse", "alert", "export")
# the RunStats counters that belong to each stage (the run row keeps them in `stats`)
STAGE_COUNTS: dict[str, tuple[str, ...]] = {
    "crawl": ("pages_fetched", "fetch_errors"),
    "extract": ("new_articles", "duplicate_articles", "updated_articles", "extract_failures"),
    "parse": ("parsed_articles", "parse_failures", "projects"),
    "alert": ("alerts_sent", "alerts_failed", "alerts_unconfirmed", "alerts_given_up"),
    "export": (),
}
RUNS_LOOKED_AT = 50
PIPELINE_KINDS = ("run", "demo")  # the newest runs searched for each stage's last execution


@dataclass(frozen=True)
class Thresholds:
    """What counts as a problem; the CLI options set them."""

    max_age: timedelta = timedelta(hours=24)  # no successful run for longer: failing
    window: timedelta = timedelta(hours=24)  # failures counted by cause over this window
    stale_after: timedelta = timedelta(minutes=2)  # a running row with an older heartbeat is dead
    pending_grace: timedelta = timedelta(hours=1)  # a pending alert due for longer is overdue
    silent_runs: int = 3  # `investwatch sources` flags
    failing_runs: int = 1


@dataclass(frozen=True)
class RunView:
    id: int
    kind: str
    status: str  # running | ok | failed | crashed
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    stage: str | None
    error: str | None
    host: str | None
    pid: int | None


@dataclass(frozen=True)
class StageView:
    stage: str
    run_id: int
    started_at: str | None
    finished_at: str | None
    outcome: str  # ok | failed | running (the run died in it when the run is not running any more)
    counts: dict[str, int]
    error: str | None = None


@dataclass(frozen=True)
class FailureCause:
    stage: str
    cause: str
    count: int
    last_at: datetime | None
    last_url: str | None


@dataclass(frozen=True)
class AlertView:
    id: int
    key: str
    channel: str
    status: str
    title: str
    attempts: int
    next_attempt_at: datetime | None
    claimed_by_run: int | None
    last_error: str | None


@dataclass(frozen=True)
class Snapshot:
    """Everything `status` judges, as read from the database at ``now``."""

    now: datetime
    runs: list[RunView]  # newest first
    stages: dict[str, StageView]
    failures: list[FailureCause]  # in the window, most frequent first
    last_run_failures: int
    alert_counts: dict[str, int]
    alerts: list[AlertView]  # every alert not sent nor pending-and-waiting (see gather)
    sources: list[tuple[str, str | None]]  # (name, flag)


@dataclass(frozen=True)
class Problem:
    level: int
    check: str
    message: str


@dataclass
class Report:
    snapshot: Snapshot
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((p.level for p in self.problems), default=OK)


def _clean(text: object) -> str:
    """Scraped or stored text for display: secrets masked (again, for rows older than a secret), controls out."""
    return strip_controls(mask_secrets("" if text is None else str(text)))


def failure_cause(stage: str, error: str) -> str:
    """The cause of a recorded failure, in words that group well.

    >>> failure_cause("fetch", "HTTP 0: DNSLookupError: DNS lookup failed: no results for x.cn"), failure_cause("fetch", "HTTP 404: error")
    ('DNS lookup failed', 'HTTP 404')
    >>> failure_cause("extract", "empty extraction (12 chars)"), failure_cause("parse", "ParseBudgetExceeded: 31 s")
    ('empty extraction', 'ParseBudgetExceeded')
    >>> failure_cause("alert", "hook: Failed to send JSON POST notification: Internal server error., error=500.")
    'hook: Failed to send JSON POST notification: Internal server error'
    """
    m = re.match(r"HTTP (\d+): (.*)", error, re.S)
    if stage == "fetch" and m:
        return fetch_cause(int(m.group(1)), m.group(2) if m.group(2) != "error" else None)
    if stage == "alert" and ": " in error:  # "<channel>: <apprise's cause>": per channel, the cause's lead
        channel, _, rest = error.partition(": ")
        return f"{channel}: {re.sub(r'[0-9]+', 'N', re.split(r'[.|,(（]', rest, maxsplit=1)[0].strip())[:60]}"
    head = re.split(r"[:(（]", error, maxsplit=1)[0].strip()
    return re.sub(r"\d+", "N", head)[:80] or "unknown error"


def _run_view(r: Run) -> RunView:
    return RunView(id=r.id, kind=r.kind, status=r.status, started_at=as_utc(r.started_at),
                   finished_at=as_utc(r.finished_at), heartbeat_at=as_utc(r.heartbeat_at), stage=r.stage,
                   error=_clean(r.error) if r.error else None, host=r.host, pid=r.pid)


def _counts(stats: dict[str, Any], stage: str) -> dict[str, int]:
    out = {}
    for key in STAGE_COUNTS[stage]:
        value = stats.get(key, 0)
        out[key] = len(value) if isinstance(value, list) else int(value or 0)
    return out


def last_stages(rows: list[tuple[Run, dict[str, Any]]]) -> dict[str, StageView]:
    """Each stage's newest execution among runs given newest first (stats.stages, recorded since 0006)."""
    out: dict[str, StageView] = {}
    for run, stats in rows:
        for name, rec in (stats.get("stages") or {}).items():
            if name in STAGE_COUNTS and name not in out:
                out[name] = StageView(stage=name, run_id=run.id, started_at=rec.get("started_at"),
                                      finished_at=rec.get("finished_at"), outcome=str(rec.get("outcome", "?")),
                                      counts=_counts(stats, name),
                                      error=_clean(rec["error"]) if rec.get("error") else None)
    return out


def gather(session: Session, now: datetime, thresholds: Thresholds = Thresholds()) -> Snapshot:
    """Read what `status` needs; writes nothing."""
    run_rows = list(session.scalars(select(Run).order_by(Run.id.desc()).limit(RUNS_LOOKED_AT)))
    runs = [_run_view(r) for r in run_rows]
    stages = last_stages([(r, r.stats or {}) for r in run_rows])
    since = now - thresholds.window
    # (count, last time, last url) per (stage, cause); columns only: a bad day can hold many thousand rows
    grouped: dict[tuple[str, str], tuple[int, datetime | None, str | None]] = {}
    for stage, error, url, at in session.execute(
            select(Failure.stage, Failure.error, Failure.url, Failure.created_at)
            .where(Failure.created_at >= since).order_by(Failure.id)).tuples():
        key = (stage, failure_cause(stage, error))
        grouped[key] = (grouped.get(key, (0, None, None))[0] + 1, as_utc(at), url)
    failures = sorted(
        (FailureCause(stage=stage, cause=_clean(cause), count=n, last_at=at, last_url=_clean(url) if url else None)
         for (stage, cause), (n, at, url) in grouped.items()),
        key=lambda c: (-c.count, c.stage, c.cause))
    finished = next((r for r in runs if r.status != "running"), None)
    last_run_failures = 0
    if finished is not None:
        last_run_failures = int(session.scalar(select(func.count(Failure.id)).where(Failure.run_id == finished.id))
                                or 0)
    counts = dict(session.execute(select(Alert.status, func.count(Alert.id)).group_by(Alert.status)).tuples().all())
    alerts = [AlertView(id=a.id, key=_clean(a.key), channel=_clean(a.channel), status=a.status, title=_clean(a.title),
                        attempts=a.attempts, next_attempt_at=as_utc(a.next_attempt_at), claimed_by_run=a.claimed_by_run,
                        last_error=_clean(a.last_error) if a.last_error else None)
              for a in session.scalars(select(Alert).where(Alert.status.in_(
                  ["pending", "sending", "inflight", "unconfirmed", "failed"])).order_by(Alert.id))]
    sources = [(_clean(h.source), h.flag(thresholds.silent_runs, thresholds.failing_runs))
               for h in repo.source_health(session)]
    return Snapshot(now=now, runs=runs, stages=stages, failures=failures, last_run_failures=last_run_failures,
                    alert_counts={str(k): int(v) for k, v in counts.items()}, alerts=alerts, sources=sources)


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "—"


def _run_problems(snap: Snapshot, th: Thresholds) -> list[Problem]:
    out = []
    for r in snap.runs:
        if r.status == "running" and heartbeat_stale(r.heartbeat_at, snap.now, th.stale_after):
            out.append(Problem(FAILING, "run", f"run {r.id} is marked running but its heartbeat is "
                               f"{(snap.now - (r.heartbeat_at or snap.now)).total_seconds():.0f} s old (stage "
                               f"{r.stage or '?'}): its process is dead; the next run marks it crashed"))
    finished = next((r for r in snap.runs if r.status != "running"), None)
    if finished is not None and finished.status in ("failed", "crashed"):
        where = f" in stage {finished.stage}" if finished.stage else ""
        out.append(Problem(FAILING, "run", f"last run {finished.id} {finished.status}{where} at "
                           f"{_when(finished.finished_at)}: {finished.error or 'no error recorded'}"))
    # a re-parse crawls and sends nothing: only pipeline runs keep the data fresh
    last_ok = next((r for r in snap.runs if r.status == "ok" and r.kind in PIPELINE_KINDS), None)
    ok_at = last_ok.finished_at if last_ok else None
    if ok_at is None or snap.now - ok_at > th.max_age:
        hours = th.max_age.total_seconds() / 3600
        seen = f"last successful run {last_ok.id} finished {_when(ok_at)}" if last_ok else "none yet"
        out.append(Problem(FAILING, "freshness", f"no successful run within {hours:g} h ({seen})"))
    if finished is not None and snap.last_run_failures:
        out.append(Problem(WARNING, "failures", f"last run {finished.id} recorded {snap.last_run_failures} failures"))
    return out


def _alert_problems(snap: Snapshot, th: Thresholds) -> list[Problem]:
    alive = {r.id for r in snap.runs if r.status == "running"
             and not heartbeat_stale(r.heartbeat_at, snap.now, th.stale_after)}
    out = []
    stuck = [a for a in snap.alerts if a.status in ("sending", "inflight") and alert_stuck(a, alive, snap.now)]
    if stuck:
        states = ", ".join(sorted({a.status for a in stuck}))
        out.append(Problem(WARNING, "alerts", f"{len(stuck)} alerts claimed by a dead run ({states}); the next run "
                           "releases them (sending → pending, inflight → unconfirmed)"))
    unconfirmed = [a for a in snap.alerts if a.status == "unconfirmed"]
    if unconfirmed:
        again = [a for a in unconfirmed if a.next_attempt_at is not None]
        out.append(Problem(WARNING, "alerts", f"{len(unconfirmed)} alerts unconfirmed (delivery unknown): "
                           f"{len(again)} will be re-sent once marked 【重发】, {len(unconfirmed) - len(again)} "
                           "were already re-sent and are not sent again (see `alerts history --status unconfirmed`)"))
    failed = [a for a in snap.alerts if a.status == "failed"]
    if failed:
        channels = ", ".join(sorted({a.channel for a in failed}))
        out.append(Problem(FAILING, "alerts", f"{len(failed)} alerts given up after repeated failures "
                           f"(channels: {channels})"))
    overdue = [a for a in snap.alerts if pending_overdue(a, snap.now, th.pending_grace)]
    if overdue:
        out.append(Problem(WARNING, "alerts", f"{len(overdue)} pending alerts are past their due time by more than "
                           f"{th.pending_grace.total_seconds() / 60:g} min (oldest due "
                           f"{_when(min(a.next_attempt_at or snap.now for a in overdue))})"))
    return out


def alert_stuck(a: AlertView, live_runs: set[int], now: datetime) -> bool:
    """A claim nobody will finish: its run is not alive, or (no run named) its lease ran out."""
    if a.claimed_by_run is not None:
        return a.claimed_by_run not in live_runs
    return a.next_attempt_at is not None and a.next_attempt_at <= now


def pending_overdue(a: AlertView, now: datetime, grace: timedelta) -> bool:
    """A pending alert whose due time (next attempt; a new one is due when queued) passed more than ``grace`` ago."""
    return a.status == "pending" and a.next_attempt_at is not None and now - a.next_attempt_at > grace


def assess(snap: Snapshot, th: Thresholds = Thresholds()) -> Report:
    """The problems in a snapshot; Report.exit_code is the worst level (0 ok, 1 warning, 2 failing)."""
    problems = _run_problems(snap, th) + _alert_problems(snap, th)
    problems += [Problem(WARNING, "sources", f"source {name}: {flag}") for name, flag in snap.sources if flag]
    return Report(snap, problems)


def to_json(report: Report, th: Thresholds) -> dict[str, Any]:
    """The report for monitoring tools: stable keys, ISO times, levels by name."""
    snap = report.snapshot

    def enc(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat(timespec="seconds")
        if isinstance(value, dict):
            return {k: enc(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [enc(v) for v in value]
        return value

    live = {r.id for r in snap.runs if r.status == "running" and not heartbeat_stale(r.heartbeat_at, snap.now,
                                                                                       th.stale_after)}
    return enc({
        "status": LEVEL_NAME[report.exit_code], "exit_code": report.exit_code, "checked_at": snap.now,
        "problems": [{"level": LEVEL_NAME[p.level], "check": p.check, "message": p.message} for p in report.problems],
        "runs": {"last": asdict(snap.runs[0]) if snap.runs else None,
                 "last_finished": next((asdict(r) for r in snap.runs if r.status != "running"), None),
                 "last_ok": next((asdict(r) for r in snap.runs if r.status == "ok"), None),
                 "running": [asdict(r) for r in snap.runs if r.status == "running"]},
        "stages": {name: asdict(snap.stages[name]) if name in snap.stages else None for name in STAGES},
        "failures": {"window_hours": th.window.total_seconds() / 3600, "last_run": snap.last_run_failures,
                     "by_cause": [asdict(c) for c in snap.failures]},
        "alerts": {"counts": snap.alert_counts,
                   "stuck": [asdict(a) for a in snap.alerts
                             if (a.status in ("sending", "inflight") and alert_stuck(a, live, snap.now))
                             or a.status in ("unconfirmed", "failed")
                             or pending_overdue(a, snap.now, th.pending_grace)]},
        "sources": [{"source": name, "flag": flag} for name, flag in snap.sources],
    })
