"""Projects: resolve each article's records onto projects, hand over what a re-parse no longer yields, overrides.

A project's fields are derived from its mentions (storage/project_refresh.py); read-only queries live in
storage/project_queries.py. Both are re-exported here, so `storage.projects` stays the one import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from parsers.identity import (
    MentionView,
    best_match,
    core_name,
    expansion_base,
    name_similarity,
)
from parsers.model import ArticleFacts
from parsers.model import Project as ProjectRecord
from storage import project_keys
from storage.models import Alert, Article, Batch, Mention, Milestone, Project, ProjectKey, ProjectOverride, utcnow
from storage.project_queries import (
    ProjectRow,
    TimelineEntry,
    former_ids,
    known_alert_keys,
    projects_with_articles,
    timeline,
)
from storage.project_refresh import refresh_project, refresh_projects
from storage.repo import _insert, _rowcount

OVERRIDABLE = ("name", "investor", "amount_yuan", "amount_qualifier", "location", "city", "district", "industry", "category",
               "stage", "stage_date", "is_expansion")
# Statements of the per-record path built once, values bound at execution: building a statement and its
# cache key on every call was a third of resolution's time (py-spy of a 1k parse from scratch).
_BY_KEY = select(Project.id).where(Project.key == bindparam("key"))
_MERGED_INTO = select(Project.merged_into_id).where(Project.id == bindparam("pid"))
_SPLITS = select(ProjectOverride.name_core, ProjectOverride.other_project_id).where(ProjectOverride.kind == "split")
_ARTICLE_PROJECTS = select(Mention.project_id).where(Mention.article_id == bindparam("aid"))
_MENTIONED = select(Mention.project_id).where(Mention.project_id.in_(bindparam("pids", expanding=True)))
_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】·•●、,，.。:：;；!！?？\-—_]+")


def project_key(name: str, city: str | None) -> str:
    """Exact identity of a project row (normalised name + city), the fallback of fuzzy resolution.

    >>> project_key("中创新航动力电池及储能系统江门基地项目", "江门市")
    '江门市|中创新航动力电池及储能系统江门基地'
    >>> project_key("华秋电子“5G+工业互联网”柔性智造基地 ", None) == project_key("华秋电子5G+工业互联网柔性智造基地", None)
    True
    """
    norm = _KEY_DROP.sub("", unicodedata.normalize("NFKC", name))
    norm = re.sub(r"项目$", "", norm)
    return f"{city or ''}|{norm}"[:400]


def lock_resolution(session: Session) -> None:
    """Serialise resolution across concurrent runs (PostgreSQL); SQLite already has a single writer."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(4242002)))


_view = project_keys.view_of


def _live(session: Session, project_id: int) -> int:
    """Follow analyst merges to the surviving project."""
    seen = set()
    while project_id not in seen:
        seen.add(project_id)
        nxt = session.execute(_MERGED_INTO, {"pid": project_id}).scalar_one_or_none()
        if nxt is None:
            return project_id
        project_id = nxt
    return project_id


def _split_routes(session: Session) -> dict[str, int]:
    """Names an analyst split off: core name -> the project they now belong to."""
    rows = session.execute(_SPLITS).all()
    return {core: pid for core, pid in rows if core and pid}


def city_candidates(session: Session, city: str | None) -> list[tuple[int, MentionView]]:
    """Every live project a record of this city could be (same city or no city), in id order: the full
    scan that `project_keys.candidates` replaces (kept as the reference its tests compare against)."""
    rows = session.execute(
        select(Project).where(Project.merged_into_id.is_(None),
                              or_(Project.city == city, Project.city.is_(None)) if city else Project.id.is_not(None))
        .order_by(Project.id)
    ).scalars()
    return [(p.id, _view(p)) for p in rows]


def resolve_project(session: Session, rec: ProjectRecord, *, city: str | None, article_id: int,
                    routes: dict[str, int] | None = None,
                    max_candidates: int = project_keys.MAX_CANDIDATES) -> int:
    """The project a parsed record belongs to: an analyst's split, the exact key, a fuzzy match, or a new one."""
    return _resolve(session, rec, city=city, article_id=article_id, routes=routes, max_candidates=max_candidates)[0]


def _resolve(session: Session, rec: ProjectRecord, *, city: str | None, article_id: int,
             routes: dict[str, int] | None, max_candidates: int) -> tuple[int, bool]:
    """`resolve_project`, and whether the candidates were cut at ``max_candidates``."""
    routes = _split_routes(session) if routes is None else routes
    view = MentionView(names=(rec.name, *rec.aliases), city=city, investor=rec.investor,
                       amount_yuan=rec.amount_yuan, is_expansion=rec.is_expansion)
    if core_name(rec.name) in routes:  # an analyst split this name off (the name as written, not aliases)
        return _live(session, routes[core_name(rec.name)]), False
    key = project_key(rec.name, city)
    existing = session.execute(_BY_KEY, {"key": key}).scalar_one_or_none()
    if existing is not None:
        return _live(session, existing), False
    split_away = {(pid, core) for core, pid in routes.items()}
    # only the projects sharing a blocking key can match (parsers.blocking), and so be an expansion's base
    found = project_keys.candidates(session, view.names, city, max_candidates)
    candidates = [(pid, v) for pid, v in found.views if (pid, core_name(rec.name)) not in split_away]
    match = best_match(view, candidates)
    if match is not None:
        return match, found.capped
    ins = _insert(session, Project).values(
        key=key, name=rec.name, city=city, names=list(dict.fromkeys(view.names)), first_article_id=article_id,
        first_seen_at=utcnow(), updated_at=utcnow(), expansion_of_id=expansion_base(view, candidates),
        is_expansion=rec.is_expansion,
    ).on_conflict_do_nothing(index_elements=["key"])
    inserted = _rowcount(session.execute(ins))
    pid = int(session.execute(_BY_KEY, {"key": key}).scalar_one())
    if not inserted:
        return _live(session, pid), found.capped  # a concurrent run created it first
    # a new project's keys are its names' keys: inserted here, not re-derived by a sync (two queries)
    project_keys.add(session, pid, list(dict.fromkeys(view.names)), city)
    if not rec.is_expansion and (view.phase or 1) == 1:
        _adopt_expansions(session, pid, view, candidates)
    return pid, found.capped


def _adopt_expansions(session: Session, base_id: int, base: MentionView,
                      candidates: Sequence[tuple[int, MentionView]]) -> None:
    """A base project reported after its 二期 / 增资扩产: link the expansions already stored to it. Only the
    record's indexed candidates are tried: an expansion it could be the base of shares a blocking key with it."""
    linked = [pid for pid, view in candidates
              if pid != base_id and expansion_base(view, [(base_id, base)]) == base_id]
    if linked:
        session.execute(update(Project).where(Project.id.in_(linked), Project.expansion_of_id.is_(None))
                        .values(expansion_of_id=base_id))


def clear_facts(session: Session, article_id: int) -> set[int]:
    """Remove an article's parsed records (before re-parsing, or when it became a duplicate/old version)."""
    pids = set(session.execute(_ARTICLE_PROJECTS, {"aid": article_id}).scalars())
    # no session synchronisation: the article's rows are not loaded as objects here, and evaluating the
    # criteria over the whole identity map per article was a tenth of save_facts
    for model in (Mention, Milestone, Batch):
        session.execute(delete(model).where(model.article_id == article_id)  # type: ignore[attr-defined]
                        .execution_options(synchronize_session=False))
    return pids


def save_facts(session: Session, article_id: int, facts: ArticleFacts, *, parser_version: str,
               city: str | None, max_candidates: int = project_keys.MAX_CANDIDATES) -> list[int]:
    """Replace an article's parsed records with ``facts`` (re-parsing never duplicates). Returns project ids.

    A record whose candidates were cut at ``max_candidates`` flags the article `candidates_capped:<N>`.
    """
    lock_resolution(session)
    affected = clear_facts(session, article_id)
    routes = _split_routes(session)
    project_ids: list[int] = []
    with session.no_autoflush:  # the pending mentions and milestones go in one flush, not one per query
        capped = _save_records(session, article_id, facts, parser_version, city, routes, max_candidates,
                               project_ids)
    article = session.get(Article, article_id)
    assert article is not None
    article.parse_status, article.parser_version, article.parse_error = "parsed", parser_version, None
    article.parsed_at, article.parse_attempts = utcnow(), (article.parse_attempts or 0) + 1
    if capped:
        _flag(session, article_id, f"candidates_capped:{capped}")
    session.flush()
    _hand_over(session, affected - set(project_ids), project_ids)
    refresh_projects(session, affected | set(project_ids))
    return project_ids


def _save_records(session: Session, article_id: int, facts: ArticleFacts, parser_version: str, city: str | None,
                  routes: dict[str, int], max_candidates: int, project_ids: list[int]) -> int:
    """Resolve and add the article's records and batches (`save_facts`); fills ``project_ids``, returns how
    many records had their candidates cut."""
    capped = 0
    for rec in facts.projects:
        pid, cut = _resolve(session, rec, city=city, article_id=article_id, routes=routes,
                            max_candidates=max_candidates)
        capped += cut
        if pid in project_ids:
            continue  # two records of one article resolved to one project: keep the first
        project_ids.append(pid)
        proj = session.get(Project, pid)
        assert proj is not None
        names = list(dict.fromkeys([*(proj.names or []), rec.name, *rec.aliases]))
        if names != proj.names:
            proj.names = names
            project_keys.sync(session, [pid])  # the article's next records can match the names it learnt
        session.add(Mention(article_id=article_id, project_id=pid, name=rec.name, amount_yuan=rec.amount_yuan,
                            stage=rec.stage, evidence=rec.evidence,
                            record=ArticleFacts(projects=(rec,)).to_json()["projects"][0],
                            parser_version=parser_version))
        _add_milestones(session, pid, article_id, rec)
    seen_events: set[str] = set()
    for b in facts.batches:
        if b.event_text in seen_events:
            continue
        seen_events.add(b.event_text)
        session.add(Batch(article_id=article_id, event_text=b.event_text, date=b.date, location=b.location,
                          project_count=b.project_count, count_qualifier=b.count_qualifier,
                          amount_yuan=b.amount_yuan, amount_qualifier=b.amount_qualifier, stages=list(b.stages),
                          part_of=b.part_of, evidence=b.evidence, parser_version=parser_version))
    return capped


def _flag(session: Session, article_id: int, flag: str) -> None:
    article = session.get(Article, article_id)
    if article is not None:
        flags = [f for f in (article.parse_flags or "").split(",") if f and not f.startswith(flag.split(":")[0])]
        article.parse_flags = ",".join([*flags, flag])[:200]


def successor(old_names: Sequence[str], old_amount: int | None,
              new: Sequence[tuple[int, Sequence[str], int | None]]) -> int | None:
    """Which of an article's re-parsed projects takes the place of one it no longer yields. Pure.

    A re-parse that reads a project differently (a better name, a fixed amount) re-resolves it, possibly
    onto a new row; the old row keeps its history (alerts sent). Its successor is the new project with the
    most similar name, else the only one with its amount, else the only project the article still yields.

    >>> successor(["新材料产业园项目"], 2 * 10**10, [(8, ["华津大型金属产业园项目"], 2 * 10**10)])
    8
    >>> successor(["隆基硅能源项目"], None, [(4, ["中创新航江门基地"], None), (5, ["隆基绿能硅能源生产基地项目"], None)])
    5
    >>> successor(["甲项目"], None, [(4, ["乙项目"], None), (5, ["丙项目"], None)]) is None
    True
    """
    if not new:
        return None
    scored = [(max((name_similarity(a, b) for a in old_names for b in names), default=0.0), pid)
              for pid, names, _ in new]
    best = max(scored)
    if best[0] >= 0.5 and [s for s, _ in scored].count(best[0]) == 1:
        return best[1]
    same_amount = [pid for pid, _, amount in new if old_amount is not None and amount == old_amount]
    if len(same_amount) == 1:
        return same_amount[0]
    return new[0][0] if len(new) == 1 else None


def _hand_over(session: Session, gone: set[int], new_ids: Sequence[int]) -> None:
    """Projects this article no longer yields and no article mentions any more pass to their successor
    (`merged_into_id`): later mentions of the old name follow it, and its alerts count as the successor's."""
    if not gone or not new_ids:
        return
    still = set(session.execute(_MENTIONED, {"pids": sorted(gone)}).scalars())
    news = [(p.id, list(p.names or [p.name]), p.amount_yuan)
            for pid in new_ids if (p := session.get(Project, pid)) is not None and pid not in gone]
    for old_id in sorted(gone - still):
        old = session.get(Project, old_id)
        if old is None or old.merged_into_id is not None:
            continue
        heir = successor(list(old.names or [old.name]), old.amount_yuan, news)
        if heir is None or heir == old_id:
            continue
        old.merged_into_id = heir
        session.execute(update(Project).where(Project.expansion_of_id == old_id).values(expansion_of_id=heir))
        heir_row = session.get(Project, heir)
        if heir_row is not None and old.first_seen_at and heir_row.first_seen_at and \
                _aware(old.first_seen_at) < _aware(heir_row.first_seen_at):
            heir_row.first_seen_at = old.first_seen_at  # the project is as old as its first report


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _add_milestones(session: Session, pid: int, article_id: int, rec: ProjectRecord) -> None:
    # the record's stage_date is the parser's best date for its current stage; fill a dateless history entry
    reported = [(m.stage, m.date or (rec.stage_date if m.stage == rec.stage else None), m.text)
                for m in rec.stage_history]
    if rec.stage and all(stage != rec.stage for stage, _, _ in reported):
        reported.append((rec.stage, rec.stage_date, rec.evidence))
    seen: set[tuple[str, str]] = set()
    for stage, date, text in reported:
        if ("reported", stage) not in seen:
            seen.add(("reported", stage))
            session.add(Milestone(project_id=pid, article_id=article_id, kind="reported", stage=stage,
                                  date=date, text=text))
    for ex in rec.expected:
        if ("expected", ex.stage) not in seen:
            seen.add(("expected", ex.stage))
            session.add(Milestone(project_id=pid, article_id=article_id, kind="expected", stage=ex.stage,
                                  date=ex.when, text=ex.when_text))


# --- analyst overrides ---------------------------------------------------------------------------


class OverrideError(ValueError):
    """An override that cannot apply (unknown project, field or name); the message says which."""


def _get(session: Session, pid: int) -> Project:
    proj = session.get(Project, pid)
    if proj is None:
        raise OverrideError(f"no project {pid}")
    return proj


def merge_projects(session: Session, keep_id: int, other_id: int) -> None:
    """Fold `other` into `keep`: its mentions, milestones and names move; future mentions follow."""
    keep, other = _get(session, keep_id), _get(session, other_id)
    if keep_id == other_id:
        raise OverrideError("cannot merge a project into itself")
    session.add(ProjectOverride(kind="merge", project_id=keep_id, other_project_id=other_id))
    _apply_merge(session, keep, other)


def _apply_merge(session: Session, keep: Project, other: Project) -> None:
    # an article that mentions both keeps the surviving project's rows (unique per article and project)
    both = select(Mention.article_id).where(Mention.project_id == keep.id).scalar_subquery()
    for model in (Mention, Milestone):
        session.execute(delete(model).where(model.project_id == other.id, model.article_id.in_(both)))
        session.execute(update(model).where(model.project_id == other.id).values(project_id=keep.id))
    keep.names = list(dict.fromkeys([*(keep.names or []), *(other.names or [])]))
    other.merged_into_id = keep.id
    session.execute(update(Project).where(Project.expansion_of_id == other.id).values(expansion_of_id=keep.id))
    session.flush()
    project_keys.sync(session, [other.id])  # a merged project is no candidate any more
    refresh_project(session, keep.id)


def split_project(session: Session, project_id: int, name: str) -> int:
    """Move the mentions written as `name` (and every future one) out of `project_id` into a new project."""
    proj = _get(session, project_id)
    core = core_name(name)
    moving = [m for m in session.execute(select(Mention).where(Mention.project_id == project_id)).scalars()
              if core_name(m.name) == core]
    if not moving:
        raise OverrideError(f"project {project_id} has no mention named {name!r}")
    new = Project(key=f"{project_key(name, proj.city)}#split{project_id}", name=name, city=proj.city, names=[name],
                  first_seen_at=utcnow(), updated_at=utcnow())
    session.add(new)
    session.flush()
    session.add(ProjectOverride(kind="split", project_id=project_id, other_project_id=new.id, name_core=core))
    for m in moving:
        m.project_id = new.id
        session.execute(update(Milestone).where(Milestone.project_id == project_id,
                                                Milestone.article_id == m.article_id).values(project_id=new.id))
    proj.names = [n for n in (proj.names or []) if core_name(n) != core]
    session.flush()
    refresh_projects(session, [project_id, new.id])
    return new.id


def set_field(session: Session, project_id: int, field: str, value: str) -> None:
    if field not in OVERRIDABLE:
        raise OverrideError(f"unknown field {field!r}; one of: {', '.join(OVERRIDABLE)}")
    if field == "amount_yuan" and value and not value.isdigit():
        raise OverrideError("amount_yuan takes an integer number of yuan")
    proj = _get(session, project_id)
    session.add(ProjectOverride(kind="set", project_id=project_id, field=field, value=value))
    session.flush()
    refresh_project(session, proj.id)


def reapply_merges(session: Session) -> None:
    """After re-resolution, fold again any project an analyst merged (new rows may have appeared)."""
    for ov in session.execute(select(ProjectOverride).where(ProjectOverride.kind == "merge")
                              .order_by(ProjectOverride.id)).scalars():
        keep, other = session.get(Project, ov.project_id), session.get(Project, ov.other_project_id)
        if keep is not None and other is not None and other.merged_into_id is None:
            _apply_merge(session, keep, other)


def drop_orphans(session: Session) -> int:
    """Delete projects no article mentions any more, unless an override, alert or expansion refers to them."""
    referenced = select(Mention.project_id).union(
        select(ProjectOverride.project_id), select(ProjectOverride.other_project_id),
        select(Alert.project_id), select(Project.expansion_of_id), select(Project.merged_into_id),
        select(Milestone.project_id),
    )
    ids = [pid for pid in session.execute(select(Project.id)).scalars()]
    keep = {r for r in session.execute(referenced).scalars() if r is not None}
    orphans = [pid for pid in ids if pid not in keep]
    for start in range(0, len(orphans), 500):
        chunk = orphans[start:start + 500]
        session.execute(delete(ProjectKey).where(ProjectKey.project_id.in_(chunk)))
        session.execute(delete(Project).where(Project.id.in_(chunk)))
    return len(orphans)


__all__ = ["OVERRIDABLE", "OverrideError", "ProjectRow", "TimelineEntry", "city_candidates", "clear_facts",
           "drop_orphans", "former_ids", "known_alert_keys", "merge_projects", "project_key", "projects_with_articles",
           "reapply_merges", "refresh_project", "refresh_projects", "resolve_project", "save_facts", "set_field",
           "split_project", "successor", "timeline"]
