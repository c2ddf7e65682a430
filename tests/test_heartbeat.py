"""The run heartbeat: a stale one marks a run dead whatever its pid says, and its alert claims go at once."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from flows.heartbeat import Heartbeat
from flows.pipeline import begin_run
from spiders.procs import host_name
from storage import outbox, repo
from storage.db import transaction
from storage.models import Alert, Run
from storage.runs import as_utc


def _claimed_run(factory: sessionmaker[Session], *, pid: int, host: str, beat_age: timedelta) -> int:
    """A `running` row with two alerts it claimed (`sending`) and one it handed to apprise (`inflight`)."""
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run", pid=pid, host=host)
        s.execute(update(Run).where(Run.id == run_id).values(heartbeat_at=repo.now_utc() - beat_age))
        repo.enqueue_alerts(s, [repo.OutboxItem(key=f"k{i}", channel="hook", rule="big", project_id=None,
                                                urgent=False, title="t", body="b") for i in range(3)])
    with transaction(factory) as s:
        claimed = repo.claim_due_alerts(s, repo.now_utc(), 5, run_id)
        assert len(claimed) == 3
        assert outbox.mark_inflight(s, [claimed[0].id], run_id) == [claimed[0].id]
    return run_id


def _states(factory: sessionmaker[Session]) -> tuple[str, list[str]]:
    with factory() as s:
        run_status = s.scalars(select(Run.status).order_by(Run.id)).first()
        return str(run_status), [a.status for a in s.scalars(select(Alert).order_by(Alert.key))]


def test_a_stale_heartbeat_with_a_live_unrelated_pid_is_dead_and_its_claims_go(factory: sessionmaker[Session]) -> None:
    # this test process is alive on this host, and is not that run: a reused pid
    _claimed_run(factory, pid=os.getpid(), host=host_name(), beat_age=timedelta(minutes=10))
    begin_run(factory, "run", exclusive_db=False, stale_after_s=120)
    run_status, alerts = _states(factory)
    assert run_status == "crashed"
    assert alerts == ["unconfirmed", "pending", "pending"]  # inflight: delivery unknown; sending: never attempted
    with factory() as s:
        crashed = s.scalars(select(Run).order_by(Run.id)).first()
        assert crashed is not None and "no heartbeat for" in (crashed.error or "")
        assert all(a.claimed_by_run is None for a in s.scalars(select(Alert)))


def test_a_stale_heartbeat_on_another_host_is_dead_too(factory: sessionmaker[Session]) -> None:
    _claimed_run(factory, pid=1, host="another-host", beat_age=timedelta(minutes=3))
    begin_run(factory, "run", exclusive_db=False, stale_after_s=120)
    assert _states(factory) == ("crashed", ["unconfirmed", "pending", "pending"])


def test_a_fresh_heartbeat_keeps_the_run_and_its_claims(factory: sessionmaker[Session]) -> None:
    _claimed_run(factory, pid=1, host="another-host", beat_age=timedelta(seconds=5))
    begin_run(factory, "run", exclusive_db=False, stale_after_s=120)
    assert _states(factory) == ("running", ["inflight", "sending", "sending"])


def test_the_heartbeat_thread_refreshes_the_row_and_stops_when_the_run_was_found_dead(
        factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run", pid=os.getpid(), host=host_name())
        s.execute(update(Run).where(Run.id == run_id).values(heartbeat_at=repo.now_utc() - timedelta(minutes=1)))
    hb = Heartbeat(factory, run_id, interval_s=0.2)
    hb.start()
    try:
        assert hb.beat(stage="parse", stats={"parsed_articles": 3})
        time.sleep(1.0)
        with factory() as s:
            row = s.get(Run, run_id)
            assert row is not None and row.stage == "parse" and row.stats == {"parsed_articles": 3}
            beat_at = as_utc(row.heartbeat_at)
            assert beat_at is not None and repo.now_utc() - beat_at < timedelta(seconds=2)
        assert hb.beats >= 3 and not hb.fenced
        # another run finds it dead (it was stalled): the next beat learns it and does not revive the row
        with transaction(factory) as s:
            s.execute(update(Run).where(Run.id == run_id).values(status="crashed"))
        deadline = time.monotonic() + 5
        while not hb.fenced and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hb.fenced
    finally:
        hb.stop()
    with factory() as s:
        assert s.scalar(select(Run.status).where(Run.id == run_id)) == "crashed"


def test_a_run_found_dead_cannot_send_the_claims_another_run_took_over(factory: sessionmaker[Session]) -> None:
    stalled = _claimed_run(factory, pid=1, host="another-host", beat_age=timedelta(minutes=10))
    next_run = begin_run(factory, "run", exclusive_db=False, stale_after_s=120)
    with transaction(factory) as s:
        taken = [a.id for a in repo.claim_due_alerts(s, repo.now_utc(), 5, next_run)]
    assert len(taken) == 2  # the two never attempted; the unconfirmed one waits for its re-send delay
    with transaction(factory) as s:
        assert outbox.mark_inflight(s, taken, stalled) == []  # the stalled run wakes up: nothing is its own
        assert sorted(outbox.mark_inflight(s, taken, next_run)) == sorted(taken)
