"""The blocking table `project_keys`: kept in step with the live projects, queried for resolution candidates.

A record is compared only with the live projects of its city (or of no city) that share a blocking key
with it (parsers.blocking says why no match is lost), ranked by how many keys they share and cut at
``max_candidates``: at 100k articles a generic lead (新能…) could otherwise bring thousands of projects
to every record. A cut is reported to the caller, which records it on the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import BindParameter, Connection, Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from parsers.blocking import blocking_keys
from parsers.identity import MentionView
from storage.models import Project, ProjectKey
from storage.repo import _insert

MAX_CANDIDATES = 200  # compared per record; ~50 live projects share a key at 10k articles in the benches
_IN_CHUNK = 500  # ids per IN (...) list when re-keying many projects


def view_of(p: Project) -> MentionView:
    """What identity compares of a stored project."""
    return MentionView(names=tuple(p.names or [p.name]), city=p.city, investor=p.investor,
                       amount_yuan=p.amount_yuan, is_expansion=p.is_expansion)


def key_rows(project_id: int, names: Sequence[str], city: str | None) -> list[dict[str, Any]]:
    return [{"project_id": project_id, "key": k, "city": city or ""} for k in sorted(blocking_keys(names))]


_TABLE = cast(Table, ProjectKey.__table__)  # rows inserted through Core: no ORM bookkeeping per key
_KEYS: BindParameter[Any] = bindparam("keys", expanding=True)  # one bound list: no per-key coercion of ~100 literals per lookup
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
# the columns identity compares, not ORM entities: up to MAX_CANDIDATES rows per record, and building that many
# Project objects (and their identity-map bookkeeping) grew resolution's cost with history
_LIVE_VIEWS = (select(Project.id, Project.names, Project.name, Project.city, Project.investor, Project.amount_yuan,
                      Project.is_expansion)
               .where(Project.id.in_(_IDS), Project.merged_into_id.is_(None)).order_by(Project.id))
_KEYED = select(Project.id, Project.name, Project.names, Project.city).where(Project.id.in_(_IDS),
                                                                           Project.merged_into_id.is_(None))
_HAVE = select(ProjectKey.project_id, ProjectKey.key, ProjectKey.city).where(ProjectKey.project_id.in_(_IDS))


def _insert_keys(session: Session, rows: list[dict[str, Any]]) -> None:
    # ON CONFLICT: a concurrent re-keying of the same project (an analyst's merge) is no error
    session.connection().execute(_insert(session, ProjectKey).on_conflict_do_nothing(), rows)


def add(session: Session, project_id: int, names: Sequence[str], city: str | None) -> None:
    """Key a project just created (it has no keys yet)."""
    if rows := key_rows(project_id, names, city):
        _insert_keys(session, rows)


def sync(session: Session, project_ids: Iterable[int]) -> None:
    """Re-key these projects from their current names and city; merged or deleted ones lose their keys.
    Only the difference is written (most refreshes change no name)."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    session.flush()  # names changed on ORM objects must be what is keyed
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start:start + _IN_CHUNK]
        want: set[tuple[int, str, str]] = set()
        for pid, name, names, city in session.execute(_KEYED, {"ids": chunk}).tuples():
            want.update((pid, k, city or "") for k in blocking_keys(list(names or [name])))
        have = set(session.execute(_HAVE, {"ids": chunk}).tuples())
        gone = have - want
        stale = {pid for pid, _, _ in gone}
        if stale:  # a project whose keys changed is re-keyed whole (simpler than deleting row by row)
            session.execute(delete(ProjectKey).where(ProjectKey.project_id.in_(sorted(stale))))
        rows = [{"project_id": pid, "key": k, "city": c} for pid, k, c in sorted(want)
                if pid in stale or (pid, k, c) not in have]
        if rows:
            _insert_keys(session, rows)


def rebuild(conn: Connection | Session) -> int:
    """Key every live project from scratch (migration 0009 backfills existing databases with it)."""
    conn.execute(delete(ProjectKey))
    total = 0
    rows: list[dict[str, Any]] = []
    for pid, name, names, city in conn.execute(
            select(Project.id, Project.name, Project.names, Project.city)
            .where(Project.merged_into_id.is_(None)).order_by(Project.id)):
        rows.extend(key_rows(pid, list(names or [name]), city))
        if len(rows) >= 5000:
            conn.execute(insert(_TABLE), rows)
            total, rows = total + len(rows), []
    if rows:
        conn.execute(insert(_TABLE), rows)
        total += len(rows)
    return total


@dataclass(frozen=True)
class Candidates:
    """The projects a record is compared with (id order, as the full scan had them) and whether a cut was made."""

    views: list[tuple[int, MentionView]]
    capped: bool  # more projects shared a key than max_candidates


@cache
def _ranked(by_city: bool, max_candidates: int) -> Any:
    """The projects sharing most keys, built once per shape (see storage/projects.py: statements built per
    call and their cache keys were a third of resolution's time)."""
    shared = func.count().label("shared")
    stmt = select(ProjectKey.project_id, shared).where(ProjectKey.key.in_(_KEYS))
    if by_city:
        stmt = stmt.where(ProjectKey.city.in_(bindparam("cities", expanding=True)))
    return stmt.group_by(ProjectKey.project_id).order_by(shared.desc(), ProjectKey.project_id).limit(max_candidates + 1)


def candidates(session: Session, names: Sequence[str], city: str | None,
               max_candidates: int = MAX_CANDIDATES) -> Candidates:
    """The live projects sharing a blocking key with ``names`` in ``city`` (or with no city); every city
    when ``city`` is None, as identity then never tells cities apart."""
    keys = sorted(blocking_keys(names))
    if not keys:
        return Candidates([], False)
    ids = [pid for pid, _ in session.execute(_ranked(bool(city), max_candidates),
                                               {"keys": keys, **({"cities": [city, ""]} if city else {})}).tuples()]
    capped = len(ids) > max_candidates
    ids = sorted(ids[:max_candidates])
    views = [(pid, MentionView(names=tuple(names or [name]), city=c, investor=inv, amount_yuan=amount,
                               is_expansion=exp))
             for pid, names, name, c, inv, amount, exp in session.execute(_LIVE_VIEWS, {"ids": ids}).tuples()
             ] if ids else []
    return Candidates(views, capped)
