"""bench/scale's figures: timed child processes (wall, CPU, peak RSS), medians over repeats, the printed table."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BACKENDS = ("sqlite", "pg")


def label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


# --- timed child processes ----------------------------------------------------------------------------------


@dataclass
class Timed:
    """One finished command: wall seconds from start, peak RSS (largest process of its tree that it reaped,
    from wait4), exit code, and where its output went."""

    cmd: str
    wall_s: float
    cpu_s: float  # user + system of the command and the children it reaped: less load-dependent than wall
    peak_rss_mb: float
    rc: int
    log: str
    timed_out: bool = False
    load_avg: float = 0.0  # 1-minute load average when it ended: how busy the shared machine was


def timed(cmd: list[str], env: dict[str, str], log: Path, timeout_s: float, cwd: Path) -> Timed:
    """Run ``cmd`` to the end (killed with its process group after ``timeout_s``), output to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    killed = threading.Event()
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Timed(" ".join(cmd[1:] if cmd[0] == sys.executable else cmd), round(wall, 2),
                 round(usage.ru_utime + usage.ru_stime, 2), round(usage.ru_maxrss / 1024, 1), proc.returncode,
                 str(log), killed.is_set(), round(os.getloadavg()[0], 1))



# --- results ----------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One repeat at one size: the four timed commands and what the database held around them."""

    idle: Timed
    export: Timed
    reparse: Timed
    new: Timed
    reparse_parsed: int
    stored_before: int
    stored_after_idle: int
    stored_after_new: int
    notes: list[str] = field(default_factory=list)
    reparse_parse_s: float | None = None  # the parse stage alone (older results files have none)


# --- table ------------------------------------------------------------------------------------------------------


def summarise(backend: str, size: int, samples: list[Sample], meta: dict[str, Any]) -> dict[str, Any]:
    """Medians over the repeats; failed or timed-out commands are left out of a median and counted."""

    def med(values: list[float]) -> float | None:
        return round(statistics.median(values), 2) if values else None

    def ok(t: Timed) -> bool:
        return t.rc == 0 and not t.timed_out

    rates = [s.reparse_parsed / s.reparse.wall_s for s in samples if ok(s.reparse) and s.reparse_parsed]
    cpu_rates = [s.reparse_parsed / s.reparse.cpu_s for s in samples if ok(s.reparse) and s.reparse_parsed]
    return {
        "backend": backend, "size": size, "repeats": len(samples),
        "stored_articles": meta["articles"], "representatives": meta["representatives"], "projects": meta["projects"],
        "no_change_run_s": med([s.idle.wall_s for s in samples if ok(s.idle)]),
        "new_10_run_s": med([s.new.wall_s for s in samples if ok(s.new)]),
        "export_s": med([s.export.wall_s for s in samples if ok(s.export)]),
        "no_change_run_cpu_s": med([s.idle.cpu_s for s in samples if ok(s.idle)]),
        "new_10_run_cpu_s": med([s.new.cpu_s for s in samples if ok(s.new)]),
        "export_cpu_s": med([s.export.cpu_s for s in samples if ok(s.export)]),
        "reparse_articles": med([float(s.reparse_parsed) for s in samples]),
        "reparse_articles_per_s": round(statistics.median(rates), 2) if rates else None,
        "reparse_articles_per_cpu_s": round(statistics.median(cpu_rates), 2) if cpu_rates else None,
        "peak_rss_mb": med([max(s.idle.peak_rss_mb, s.new.peak_rss_mb) for s in samples]),
        "export_peak_rss_mb": med([s.export.peak_rss_mb for s in samples]),
        "reparse_peak_rss_mb": med([s.reparse.peak_rss_mb for s in samples]),
        "reparse_parse_stage_articles_per_s": med([s.reparse_parsed / s.reparse_parse_s for s in samples
                                                   if ok(s.reparse) and s.reparse_parse_s]),
        "db_mb": round(meta["db_bytes"] / 2**20, 1), "db_bytes": meta["db_bytes"],
        "load_avg": med([t.load_avg for s in samples for t in (s.idle, s.export, s.reparse, s.new)]),
        "build_s": meta["build_s"],
        "notes": [n for s in samples for n in s.notes],
        "samples": [asdict(s) for s in samples],
    }


# (key, header, unit, key of the CPU seconds shown beside it)
COLUMNS = (("no_change_run_s", "no-change run", " s", "no_change_run_cpu_s"),
           ("new_10_run_s", "10 new articles", " s", "new_10_run_cpu_s"),
           ("export_s", "`export --full`", " s", "export_cpu_s"),
           ("reparse_articles_per_s", "reparse articles/s", "", "reparse_articles_per_cpu_s"),
           ("peak_rss_mb", "peak RSS", " MB", None), ("db_mb", "DB size", " MB", None),
           ("repeats", "repeats", "", None), ("load_avg", "load avg", "", None))
NO_RATIO = {"repeats", "load_avg"}  # context, not cost


FORMAT = {" s": ".1f", " MB": ".0f", "": ".2f"}
FORMATS = {"repeats": "d", "load_avg": ".1f"}


def table(rows: list[dict[str, Any]]) -> str:
    """The issue's table, one row per backend and size, and per backend a ratio row (largest / smallest).
    Timed cells are "wall (CPU)": on a shared machine CPU seconds move less with the load (they still rise
    under contention), and the load average says how busy the machine was."""
    head = "| stored articles | backend | " + " | ".join(c[1] for c in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]

    def cell(r: dict[str, Any], key: str, unit: str, cpu: str | None) -> str:
        if r[key] is None:
            return "–"
        if not cpu or r.get(cpu) is None:
            return f"{r[key]:{FORMATS.get(key, FORMAT[unit])}}{unit}"
        per = f"{r[cpu]:.1f}/CPU-s" if unit == "" else f"{r[cpu]:.0f} s CPU"
        return f"{r[key]:{FORMAT[unit]}}{unit} ({per})"

    def ratio(lo: dict[str, Any], hi: dict[str, Any], key: str | None) -> str:
        if key is None or key in NO_RATIO or not lo.get(key) or hi.get(key) is None:
            return "–"
        return f"{hi[key] / lo[key]:.2f}×"

    for backend in BACKENDS:
        mine = sorted((r for r in rows if r["backend"] == backend), key=lambda r: r["size"])
        for r in mine:
            lines.append(f"| {r['stored_articles']:,} | {backend} | "
                         + " | ".join(cell(r, k, u, c) for k, _, u, c in COLUMNS) + " |")
        if len(mine) >= 2:
            lo, hi = mine[0], mine[-1]
            ratios = [ratio(lo, hi, k) + (f" ({ratio(lo, hi, c)} CPU)" if c else "") for k, _, _, c in COLUMNS]
            lines.append(f"| ratio {label(hi['size'])} / {label(lo['size'])} | {backend} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def rows_from_json(paths: list[Path]) -> list[dict[str, Any]]:
    """Rows saved by earlier invocations (e.g. sizes built in separate caches), summarised again."""
    rows = []
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            if any("cpu_s" not in t for s in row["samples"] for t in (s["idle"], s["new"])):
                raise SystemExit(f"{path}: written before CPU seconds were recorded; measure again")
            samples = [Sample(**{k: Timed(**v) if k in ("idle", "export", "reparse", "new") else v
                                 for k, v in s.items()}) for s in row["samples"]]
            meta = {"articles": row["stored_articles"], "representatives": row["representatives"],
                    "projects": row["projects"], "db_bytes": row.get("db_bytes", row["db_mb"] * 2**20),
                    "build_s": row["build_s"]}
            rows.append(summarise(row["backend"], row["size"], samples, meta))
    return rows


def notes(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        extra = f"; {'; '.join(r['notes'])}" if r["notes"] else ""
        print(f"- {r['backend']} {label(r['size'])}: {r['repeats']} repeats, {r['stored_articles']} articles "
              f"({r['representatives']} cluster representatives, {r['projects']} projects); reparse of "
              f"{r['reparse_articles']:g} articles ({r.get('reparse_parse_stage_articles_per_s')} articles/s in its parse "
              f"stage alone); export peak RSS {r['export_peak_rss_mb']} MB, reparse peak RSS "
              f"{r['reparse_peak_rss_mb']} MB; built in {r['build_s']:.0f} s; median load average {r['load_avg']} "
              f"on {os.cpu_count()} CPUs{extra}")
