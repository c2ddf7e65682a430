"""Each source's recent record (silent runs, failing extraction, failed requests, failing list pages), for
`investwatch sources`, the report and the source_health alert rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.health import ListFailure, describe_problem, fetched_nothing
from storage import listpages
from storage.models import Failure, Source, SourceHealth


@dataclass(frozen=True)
class SourceHealthView:
    """A source's recent record: how many latest runs in a row it yielded nothing, or only failed extractions,
    or had every request fail, and which of its list pages keep failing; ``problem`` says it in plain words."""

    source: str
    url: str
    runs: int
    silent_runs: int  # latest consecutive runs with no article link found and no new article
    failing_extractions: int  # latest consecutive runs whose fetched pages all failed extraction
    last_ok: str | None  # date of the last run that found links or new articles
    since: str | None  # date the current silent/failing episode began
    last_error: str | None
    last: dict[str, int]  # the latest run's counts
    silent_since: str | None = None  # date the current silence began
    failing_since: str | None = None  # date the current run of failing extractions began
    unreachable_runs: int = 0  # latest consecutive runs in which every request failed
    unreachable_since: str | None = None
    list_failures: tuple[ListFailure, ...] = ()  # list pages failing now, worst first
    problem: str | None = None  # "every request failed: 12 × connection refused", "list page failing for 3 runs: …"

    def flag(self, silent_runs: int = 3, failing_runs: int = 1) -> str | None:
        """Why the source is flagged (`investwatch sources`, `investwatch status`), or None when healthy: every
        request failing or a list page failing is said whatever the thresholds."""
        if self.problem:
            return self.problem
        if self.silent_runs >= silent_runs:
            return f"silent {self.silent_runs} runs (since {self.since})"
        if self.failing_extractions >= max(failing_runs, 1):
            return f"extraction failing {self.failing_extractions} runs (since {self.since})"
        return None


def _streak(rows: list[SourceHealth], test: Callable[[SourceHealth], bool]) -> int:
    """How many of the latest runs (rows newest first) in a row pass the test."""
    n = 0
    for r in rows:
        if not test(r):
            break
        n += 1
    return n


def _fetched_nothing(r: SourceHealth) -> bool:
    return fetched_nothing(listings_ok=r.listings_ok or 0, pages=r.pages, links_found=r.links_found, errors=r.errors)


def source_health(session: Session, window: int = 30) -> list[SourceHealthView]:
    out = []
    for src in session.execute(select(Source).order_by(Source.name)).scalars():
        rows = list(session.execute(
            select(SourceHealth).where(SourceHealth.source_id == src.id)
            .order_by(SourceHealth.run_id.desc()).limit(window)
        ).scalars())
        silent = _streak(rows, lambda r: r.links_found == 0 and r.new_articles == 0 and r.pages == 0)
        failing = _streak(rows, lambda r: r.empty_extractions > 0 and r.new_articles == 0)
        unreachable = _streak(rows, _fetched_nothing)
        ok = next((r for r in rows if r.links_found > 0 or r.new_articles > 0), None)
        episode = rows[max(silent, failing) - 1] if max(silent, failing) else None
        err = session.execute(select(Failure.error).where(Failure.source_id == src.id)
                              .order_by(Failure.id.desc()).limit(1)).scalar_one_or_none()
        last = rows[0] if rows else None
        lists = tuple(ListFailure(url=lp.url, runs=lp.attempts, cause=lp.last_error, given_up=lp.status == "given_up",
                                  since=lp.first_failed_at.date().isoformat())
                      for lp in listpages.failing(session, src.id))
        causes = dict(last.error_causes or {}) if last is not None else {}
        out.append(SourceHealthView(
            source=src.name, url=src.url, runs=len(rows), silent_runs=silent, failing_extractions=failing,
            last_ok=ok.created_at.date().isoformat() if ok else None,
            since=episode.created_at.date().isoformat() if episode else None, last_error=err,
            last={k: getattr(last, k) for k in ("links_found", "pages", "new_articles", "errors",
                                                 "empty_extractions")} if last else {},
            silent_since=rows[silent - 1].created_at.date().isoformat() if silent else None,
            failing_since=rows[failing - 1].created_at.date().isoformat() if failing else None,
            unreachable_runs=unreachable,
            unreachable_since=rows[unreachable - 1].created_at.date().isoformat() if unreachable else None,
            list_failures=lists, problem=describe_problem(unreachable, causes, list(lists)),
        ))
    return out
