"""The running pipeline's heartbeat: its run row is refreshed at every stage boundary and from a light thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from storage import runs
from storage.db import transaction

log = logging.getLogger("investwatch.heartbeat")
DEFAULT_INTERVAL_S = 15.0


def _now() -> datetime:
    return datetime.now(UTC)


class Heartbeat:
    """Writes ``runs.heartbeat_at`` of one run every ``interval_s`` seconds while started.

    A later run treats a row whose heartbeat is older than INVESTWATCH_HEARTBEAT_STALE_S as dead, whatever
    its pid, and takes its alert claims; ``fenced`` turns True once this run's row is no longer `running`
    (it was found dead while it was only stalled), so its owner knows its claims are gone.
    """

    def __init__(self, factory: sessionmaker[Session], run_id: int, interval_s: float = DEFAULT_INTERVAL_S,
                 clock: Callable[[], datetime] = _now) -> None:
        self.factory, self.run_id, self.interval_s, self.clock = factory, run_id, interval_s, clock
        self.fenced = False
        self.beats = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self, stage: str | None = None, stats: dict[str, Any] | None = None) -> bool:
        """One heartbeat now (with the stage and stats so far at a stage boundary); False once fenced.

        A failed write (database briefly unreachable or locked) is logged and retried on the next beat: the
        heartbeat must never be what stops a run.
        """
        try:
            with transaction(self.factory) as session:
                ok = runs.beat(session, self.run_id, self.clock(), stage=stage, stats=stats)
        except Exception as exc:  # noqa: BLE001 - any database error: logged, the next beat retries
            self.failures += 1
            log.warning("heartbeat of run %s not written: %s: %s", self.run_id, type(exc).__name__, exc)
            return not self.fenced
        self.beats += 1
        if not ok and not self.fenced:
            self.fenced = True
            log.warning("run %s was marked dead by another run (heartbeat too old); its alert claims were "
                        "released", self.run_id)
        return ok

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.beat()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-run{self.run_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval_s + 5)


@contextmanager
def heartbeat(factory: sessionmaker[Session], run_id: int, interval_s: float = DEFAULT_INTERVAL_S) -> Iterator[Heartbeat]:
    """A started Heartbeat for the block; stopped (thread joined) when the block ends."""
    hb = Heartbeat(factory, run_id, interval_s)
    hb.start()
    try:
        yield hb
    finally:
        hb.stop()
