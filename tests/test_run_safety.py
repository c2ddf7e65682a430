"""One run per data dir, crash hygiene after kill -9: real processes, bounded waits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from flows.pipeline import begin_run
from flows.runlock import EXIT_BUSY, RunBusy, run_lock
from spiders.procs import clean_dead_crawl_dirs, pid_alive
from spiders.run import iter_items
from storage import repo
from storage.atomic import replace_atomically
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Run

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _wait_for(predicate, timeout_s: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _hold_lock(data_dir: Path, db_url: str, ready: Path) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from flows.runlock import run_lock
        with run_lock(Path({str(data_dir)!r}), {db_url!r}, 5):
            Path({str(ready)!r}).write_text("x")
            time.sleep(120)
    """)
    proc = subprocess.Popen([PY, "-c", code], cwd=ROOT)
    assert _wait_for(ready.exists), "the lock holder did not start"
    return proc


def test_second_cli_run_on_a_data_dir_exits_3_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = _hold_lock(data, f"sqlite:///{data / 'investwatch.db'}", tmp_path / "ready")
    try:
        started = time.monotonic()
        proc = subprocess.run([PY, "-m", "flows.cli", "run", "--data-dir", str(data)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "INVESTWATCH_RUN_LOCK_WAIT_S": "1"})
        assert proc.returncode == EXIT_BUSY, proc.stderr
        assert "another investwatch run" in proc.stderr and f"process {holder.pid}" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert time.monotonic() - started < 60
        assert not (data / "prefect" / "prefect.db").exists(), "Prefect was started before the lock"
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'investwatch.db'}"
    holder = _hold_lock(data, url, tmp_path / "ready")
    with pytest.raises(RunBusy):
        with run_lock(data, url, wait_s=0.3):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_lock(data, url, wait_s=5) as lock:
        assert lock.exclusive_db  # the SQLite file lives in the data dir


def test_postgresql_advisory_lock_serialises_runs_of_two_data_dirs(pg_url: str, tmp_path: Path) -> None:
    with run_lock(tmp_path / "a", pg_url, wait_s=1) as lock:
        assert lock.exclusive_db
        with pytest.raises(RunBusy, match="PostgreSQL"):
            with run_lock(tmp_path / "b", pg_url, wait_s=0.5):
                pass
    with run_lock(tmp_path / "b", pg_url, wait_s=1):
        pass


def test_unique_temp_names_let_concurrent_writers_both_succeed(tmp_path: Path) -> None:
    target = tmp_path / "investwatch.xlsx"
    # the old fixed name "investwatch.xlsx.tmp": the first rename moved the second writer's file away
    replace_atomically(target, lambda p: replace_atomically(target, lambda q: q.write_text("inner")) or
                       p.write_text("outer"))
    assert target.read_text() == "outer"
    assert [p.name for p in tmp_path.iterdir()] == ["investwatch.xlsx"]
    with pytest.raises(ZeroDivisionError):
        replace_atomically(target, lambda p: p.write_text("half") and 1 / 0)
    assert target.read_text() == "outer" and len(list(tmp_path.iterdir())) == 1


def test_next_run_marks_a_dead_runs_row_crashed_and_keeps_a_live_one(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        dead = repo.start_run(s, "run", pid=_dead_pid(), host="this-host")
        alive = repo.start_run(s, "run", pid=os.getpid(), host="this-host")
        other_host = repo.start_run(s, "run", pid=1, host="elsewhere")
    with transaction(factory) as s:
        assert repo.mark_crashed_runs(s, exclusive=False, host="this-host", alive=pid_alive) == [dead]
    with transaction(factory) as s:
        status = dict(s.execute(select(Run.id, Run.status)).tuples().all())
    assert status[dead] == "crashed" and status[alive] == "running" and status[other_host] == "running"
    # holding the database-wide lock, every `running` row is stale
    new_id = begin_run(factory, "run", exclusive_db=True)
    with transaction(factory) as s:
        status = dict(s.execute(select(Run.id, Run.status)).tuples().all())
    assert status[alive] == "crashed" and status[other_host] == "crashed" and status[new_id] == "running"
    engine.dispose()


def test_crawl_temp_dirs_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"investwatch-crawl-{_dead_pid()}-abc"
    live = tmp_path / f"investwatch-crawl-{os.getpid()}-def"
    for d in (dead, live):
        d.mkdir()
        (d / "job.json").write_text("{}")
    assert clean_dead_crawl_dirs(tmp_path) == [dead]
    assert live.exists() and not dead.exists()


def test_unnumbered_crawl_dirs_are_removed_only_when_untouched_for_a_day(tmp_path: Path) -> None:
    # the naming before issue 12 had no pid: a fresh one may be an older investwatch's live crawl
    fresh, stale = tmp_path / "investwatch-crawl-b5_q9wa4", tmp_path / "investwatch-crawl-x7k2m1pq"
    for d in (fresh, stale):
        d.mkdir()
        (d / "items.jsonl").write_text("{}\n")
    old = time.time() - 2 * 86400
    os.utime(stale / "items.jsonl", (old, old))
    os.utime(stale, (old, old))
    assert clean_dead_crawl_dirs(tmp_path) == [stale]
    assert fresh.exists() and not stale.exists()


def test_a_cut_off_last_crawl_item_is_skipped(tmp_path: Path) -> None:
    import json

    item = {"url": "http://x/1", "final_url": "http://x/1", "status": 200, "source": "s",
            "fetched_at": "2023-01-01T00:00:00+00:00"}
    path = tmp_path / "crawl-run1.jsonl"
    path.write_text(json.dumps(item) + "\n" + json.dumps(item)[:20], encoding="utf-8")
    assert [i.url for i in iter_items(path)] == ["http://x/1"]


def _spawn_tree(tmp_path: Path, with_watchdog: bool) -> tuple[subprocess.Popen[bytes], int, int]:
    """A parent that starts a plain child (like Prefect's server) and a die-with-parent child (the crawler)."""
    pids = tmp_path / "pids"
    code = textwrap.dedent(f"""
        import subprocess, time
        from contextlib import nullcontext
        from pathlib import Path
        from flows.watchdog import watchdog
        from spiders.procs import die_with_parent
        with (watchdog() if {with_watchdog} else nullcontext()):
            plain = subprocess.Popen(["sleep", "300"])
            crawler = subprocess.Popen(["sleep", "301"], preexec_fn=die_with_parent())
            time.sleep(1.5)  # let the watchdog see them
            Path({str(pids)!r}).write_text(f"{{plain.pid}} {{crawler.pid}}")
            time.sleep(300)
    """)
    parent = subprocess.Popen([PY, "-c", code], cwd=ROOT)
    assert _wait_for(pids.exists)
    plain, crawler = (int(p) for p in pids.read_text().split())
    return parent, plain, crawler


def test_kill_9_of_the_pipeline_takes_its_server_and_crawler_down(tmp_path: Path) -> None:
    parent, plain, crawler = _spawn_tree(tmp_path, with_watchdog=True)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _wait_for(lambda: not pid_alive(crawler), 10), "crawler outlived its parent"
    assert _wait_for(lambda: not pid_alive(plain), 15), "the watchdog did not end the orphaned server"


def test_without_the_watchdog_the_plain_child_would_be_orphaned(tmp_path: Path) -> None:
    # the control: shows the previous test measures the watchdog, not some other cleanup
    parent, plain, crawler = _spawn_tree(tmp_path, with_watchdog=False)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    try:
        assert _wait_for(lambda: not pid_alive(crawler), 10)  # PR_SET_PDEATHSIG alone covers the crawler
        time.sleep(2)
        assert pid_alive(plain)
    finally:
        if pid_alive(plain):
            os.kill(plain, signal.SIGKILL)


def test_watchdog_finds_the_same_descendants_from_children_files_as_from_a_full_scan() -> None:
    import os
    import subprocess

    from flows import watchdog

    tree = subprocess.Popen(["bash", "-c", "sleep 30 & (sleep 30 & wait) & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(watchdog._descendants_by_scan(os.getpid())) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        scan = watchdog._descendants_by_scan(os.getpid())
        assert len(scan) >= 4  # bash, a sleep, the subshell and its sleep (a grandchild)
        assert watchdog.descendants(os.getpid()) == scan
    finally:
        for pid in watchdog._descendants_by_scan(os.getpid()):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        tree.wait(timeout=10)
