"""Per-run source counts -> SourceHealth (silent streaks, failing extraction, when each episode began), purely."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alerts.rules import SourceHealth


@dataclass(frozen=True)
class SourceRun:
    """One source in one pipeline run, as storage records it (source_health row + the run's date)."""

    source: str
    run_on: date
    links_found: int = 0  # article links seen on its list pages / feeds
    pages: int = 0  # pages fetched
    new_articles: int = 0
    errors: int = 0
    empty_extractions: int = 0  # pages whose text extraction failed or came out empty
    last_error: str | None = None  # the run's latest error for the source, redacted


def is_silent(run: SourceRun) -> bool:
    """The source gave nothing at all: no link on its lists and no page (down, blocked, or its layout changed).

    A run with links but no new article is not silent: a site with no news today is healthy.
    """
    return run.links_found == 0 and run.pages == 0


def _streak(runs: list[SourceRun], *, test: str) -> list[SourceRun]:
    """The trailing runs (latest last) for which the test holds."""
    out: list[SourceRun] = []
    for run in reversed(runs):
        holds = is_silent(run) if test == "silent" else run.empty_extractions > 0
        if not holds:
            break
        out.append(run)
    return out[::-1]


def summarize_source_runs(runs: Iterable[SourceRun]) -> list[SourceHealth]:
    """One SourceHealth per source, from its runs (any order; a day's runs keep their given order).

    silent_runs counts the latest runs in a row that were silent, silent_since is the day the streak began;
    failing_extractions is the latest run's count, failing_since the first day of the streak of runs with
    failures. A recovery ends an episode, so a later one alerts again (its since differs).

    >>> runs = [SourceRun("江门日报", date(2024, 5, n), links_found=0 if n > 1 else 9) for n in (1, 2, 3, 4)]
    >>> (h,) = summarize_source_runs(runs)
    >>> h.silent_runs, h.silent_since, h.last_ok
    (3, '2024-05-02', '2024-05-01')
    """
    by_source: dict[str, list[SourceRun]] = {}
    for run in runs:
        by_source.setdefault(run.source, []).append(run)
    out = []
    for source, source_runs in sorted(by_source.items()):
        ordered = sorted(source_runs, key=lambda r: r.run_on)  # stable: same-day runs keep their order
        silent = _streak(ordered, test="silent")
        failing = _streak(ordered, test="extraction")
        ok = [r for r in ordered if not is_silent(r)]
        errors = [r.last_error for r in ordered if r.last_error]
        out.append(
            SourceHealth(
                source=source,
                silent_runs=len(silent),
                failing_extractions=ordered[-1].empty_extractions,
                last_ok=ok[-1].run_on.isoformat() if ok else None,
                last_error=errors[-1] if errors else None,
                silent_since=silent[0].run_on.isoformat() if silent else None,
                failing_since=failing[0].run_on.isoformat() if failing else None,
            )
        )
    return out


# --- causes in plain words ------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFailure:
    """A list page of a source whose fetches keep failing (a `list_pages` row)."""

    url: str
    runs: int  # failed runs in a row
    cause: str  # e.g. "HTTP 503", "connection refused", "unparsable listing"
    given_up: bool = False
    since: str | None = None  # ISO date of the first failure of the streak


def fetched_nothing(*, listings_ok: int, pages: int, links_found: int, errors: int) -> bool:
    """Every request of the run failed: errors, and no list page, link or page came back.

    >>> fetched_nothing(listings_ok=0, pages=0, links_found=0, errors=12)
    True
    >>> fetched_nothing(listings_ok=1, pages=0, links_found=0, errors=3), fetched_nothing(listings_ok=0, pages=0, links_found=0, errors=0)
    (False, False)
    """
    return errors > 0 and listings_ok == 0 and pages == 0 and links_found == 0


def _counted(causes: dict[str, int]) -> str:
    ordered = sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{n} × {cause}" for cause, n in ordered)


def describe_problem(unreachable_runs: int, causes: dict[str, int], lists: list[ListFailure]) -> str | None:
    """What is wrong with a source, in plain words, or None when its requests and list pages work.

    ``unreachable_runs``: latest runs in a row in which every request failed (``causes``: the latest run's
    failed fetches by cause); ``lists``: its list pages failing now, worst first.

    >>> describe_problem(1, {"connection refused": 12}, [])
    'every request failed: 12 × connection refused'
    >>> describe_problem(3, {"HTTP 503": 1, "timed out": 2}, [])
    'every request failed for 3 runs: 2 × timed out, 1 × HTTP 503'
    >>> describe_problem(0, {}, [ListFailure("http://x/2.html", 3, "HTTP 503", given_up=True), ListFailure("u", 1, "timed out")])
    'list page failing for 3 runs: HTTP 503 (given up; http://x/2.html) and 1 more list page'
    >>> describe_problem(0, {"HTTP 404": 2}, []) is None
    True
    """
    if unreachable_runs > 0:
        runs = f" for {unreachable_runs} runs" if unreachable_runs > 1 else ""
        return f"every request failed{runs}: {_counted(causes) or 'no response'}"
    if not lists:
        return None
    worst = lists[0]
    runs = f"{worst.runs} runs" if worst.runs != 1 else "1 run"
    note = f"given up; {worst.url}" if worst.given_up else worst.url
    more = len(lists) - 1
    tail = f" and {more} more list page{'s' if more > 1 else ''}" if more else ""
    return f"list page failing for {runs}: {worst.cause} ({note}){tail}"
