"""Resolution by index: the blocking keys never hide a project that identity could match, and a history
resolved through `project_keys` gives the same projects as the full scan of every project of the city."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers.blocking import blocking_keys
from parsers.identity import (
    BIGRAM_CONTAINMENT,
    MentionView,
    best_match,
    expansion_base,
    name_similarity,
    similarity,
    without_expansion,
)
from parsers.model import ArticleFacts, Project
from storage import project_keys, projects, repo
from storage.db import alembic_config, make_engine, session_factory, transaction, upgrade
from storage.models import Article, Mention, ProjectKey
from storage.models import Project as ProjectRow
from tests.history import HistoryArticle, history

# shapes the generated history may miss: short cores, expansion words leading or inside, places, phases
EDGE_NAMES = ["中创", "中创新", "中创新航", "中创新航基地", "扩建中创新航基地项目", "中创新航增资扩产基地项目",
              "江门市中创新航基地", "中创新航基地（二期）", "中创新航50GWh基地项目", "中创航新基地", "新航基地",
              "A", "AB", "ABC", "ABCD", "xABCDy", "江门市", "高新区项目"]


def _matches(a: str, b: str) -> bool:
    """What identity could ever join: best_match's name rule, or expansion_base's (expansion words dropped)."""
    return (name_similarity(a, b) >= BIGRAM_CONTAINMENT
            or name_similarity(without_expansion(a), without_expansion(b)) >= BIGRAM_CONTAINMENT)


def test_every_pair_identity_could_match_shares_a_key() -> None:
    names = sorted({n for art in history(variants=3) for p in art.facts.projects for n in (p.name, *p.aliases)}
                   | set(EDGE_NAMES))
    keys = {n: blocking_keys([n]) for n in names}
    missed, matched = [], 0
    for a, b in itertools.combinations(names, 2):
        shared = bool(keys[a] & keys[b])
        if _matches(a, b):
            matched += 1
            if not shared:
                missed.append((a, b))
    assert not missed, missed[:10]
    assert matched > 300  # the history does hold many name pairs to join (the check is not vacuous)


def _full_scan(session: Session, names: Any, city: str | None, max_candidates: int = 0) -> project_keys.Candidates:
    views = projects.city_candidates(session, city)
    return project_keys.Candidates(views, False)


def _build(factory: sessionmaker[Session], articles: list[HistoryArticle]) -> None:
    for art in articles:
        with transaction(factory) as s:
            aid = repo.store_article(s, url=art.url, source_id=None, page_id=None, title=art.url,
                                     published_on=art.published, origin=None, text=art.url).article_id
            projects.save_facts(s, aid, art.facts, parser_version="t", city=art.city)


def _outcome(factory: sessionmaker[Session]) -> dict[str, Any]:
    """Every decision resolution made: which project each article's record went to, and each project's
    names, expansion base and merge target (by project key, so two databases compare)."""
    with factory() as s:
        key = dict(s.execute(select(ProjectRow.id, ProjectRow.key)).tuples().all())
        mentions = sorted((url, name, key[pid]) for url, name, pid in s.execute(
            select(Article.url, Mention.name, Mention.project_id).join(Article, Article.id == Mention.article_id)))
        rows = {p.key: (sorted(p.names or []), key.get(p.expansion_of_id or 0), key.get(p.merged_into_id or 0),
                        p.amount_yuan, p.is_expansion)
                for p in s.scalars(select(ProjectRow))}
    return {"mentions": mentions, "projects": rows}


def _keys(session: Session) -> set[tuple[int, str, str]]:
    return set(session.execute(select(ProjectKey.project_id, ProjectKey.key, ProjectKey.city)).tuples().all())


@pytest.fixture
def scan_factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'scan.db'}")
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def test_indexed_resolution_decides_as_the_full_scan(factory, scan_factory, monkeypatch) -> None:
    """One city holding every project (the hardest case for blocking), 10 % of re-reports elsewhere."""
    articles = list(history(variants=1, city="江门市"))[::4]  # every gold set, ~50 articles
    _build(factory, articles)
    with monkeypatch.context() as m:
        m.setattr(project_keys, "candidates", _full_scan)
        _build(scan_factory, articles)
    indexed, scanned = _outcome(factory), _outcome(scan_factory)
    assert len(indexed["projects"]) > 100 and len(indexed["mentions"]) > 150
    assert indexed == scanned
    with factory() as s:  # and per record: every project the full scan could match is an indexed candidate
        assert s.scalar(select(Article.id).where(Article.parse_flags.like("%candidates_capped%"))) is None
        checked = compared = scanned_total = 0
        pools: dict[str | None, list[tuple[int, MentionView]]] = {}
        for art in articles:
            for rec in art.facts.projects:
                view = MentionView((rec.name, *rec.aliases), art.city, rec.investor, rec.amount_yuan, rec.is_expansion)
                if art.city not in pools:  # the database no longer changes: one full scan per city
                    pools[art.city] = projects.city_candidates(s, art.city)
                full = pools[art.city]
                got = project_keys.candidates(s, view.names, art.city, max_candidates=10**6)
                ids = {pid for pid, _ in got.views}
                assert {pid for pid, v in full if similarity(view, v) >= BIGRAM_CONTAINMENT} <= ids, rec.name
                assert best_match(view, got.views) == best_match(view, full)
                assert expansion_base(view, got.views) == expansion_base(view, full)
                checked += 1
                compared, scanned_total = compared + len(got.views), scanned_total + len(full)
    assert checked > 150
    assert compared * 5 < scanned_total  # and the index is a real cut, not the whole city


def test_keys_stay_in_step_through_merge_split_override_reparse_and_orphans(factory) -> None:
    """The incrementally kept table equals one rebuilt from scratch after every kind of change."""
    articles = list(history(variants=1))
    _build(factory, articles[:50])
    with transaction(factory) as s:
        live = s.scalars(select(ProjectRow).where(ProjectRow.merged_into_id.is_(None)).order_by(ProjectRow.id)).all()
        written: dict[int, list[str]] = {}
        for pid, name in s.execute(select(Mention.project_id, Mention.name).order_by(Mention.id)).tuples():
            written.setdefault(pid, []).append(name)
        pid, names = next((pid, n) for pid, n in written.items() if len(set(n)) >= 2 and pid > live[2].id)
        projects.merge_projects(s, live[0].id, live[1].id)
        projects.split_project(s, pid, names[-1])
        projects.set_field(s, live[2].id, "city", "佛山市")
        aid = s.scalar(select(Article.id).where(Article.url == articles[3].url))
        projects.save_facts(s, aid, ArticleFacts(projects=(Project(name="全新改名的测试项目"),)), parser_version="t2",
                            city=articles[3].city)
        projects.reapply_merges(s)
        projects.drop_orphans(s)
    with transaction(factory) as s:
        incremental = _keys(s)
        merged = {pid for (pid,) in s.execute(select(ProjectRow.id).where(ProjectRow.merged_into_id.is_not(None)))}
        assert live[1].id in merged and not {pid for pid, _, _ in incremental} & merged
        assert any(city == "佛山市" and pid == live[2].id for pid, _, city in incremental)
        project_keys.rebuild(s)
        assert _keys(s) == incremental
    _build(factory, articles[50:70])  # and resolution goes on from the changed state
    with factory() as s:
        incremental = _keys(s)
    with transaction(factory) as s:
        project_keys.rebuild(s)
        assert _keys(s) == incremental


def test_migration_0009_backfills_keys_of_an_existing_database(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        conn.exec_driver_sql("INSERT INTO projects (id, key, name, city, names, is_expansion, first_seen_at, updated_at) "
                             "VALUES (1, '江门市|中创新航江门基地', '中创新航江门基地项目', '江门市', "
                             "'[\"中创新航江门基地项目\", \"中创新航动力电池江门基地\"]', 0, '2024-01-01', '2024-01-01')")
    upgrade(engine)
    factory = session_factory(engine)
    with factory() as s:
        keys = {k for pid, k, city in _keys(s) if pid == 1 and city == "江门市"}
        assert keys == blocking_keys(["中创新航江门基地项目", "中创新航动力电池江门基地"])
        found = project_keys.candidates(s, ["中创新航动力电池及储能系统江门基地项目"], "江门市")
        assert [pid for pid, _ in found.views] == [1]
    engine.dispose()


def test_a_frequent_key_is_cut_and_the_cut_recorded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cap.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        for i in range(12):  # twelve projects led by one generic word, none of them the same project
            aid = repo.store_article(s, url=f"http://c/{i}", source_id=None, page_id=None, title="t",
                                     published_on=None, origin=None, text=f"t{i}").article_id
            projects.save_facts(s, aid, ArticleFacts(projects=(Project(name=f"新能源{'甲乙丙丁戊己庚辛壬癸子丑'[i]}号基地项目"),)),
                                parser_version="t", city="江门市", max_candidates=5)
        flags = [a.parse_flags for a in s.scalars(select(Article).order_by(Article.id))]
        got = project_keys.candidates(s, ["新能源甲号基地项目"], "江门市", max_candidates=5)
    assert flags[:6] == [None] * 6 and all(f == "candidates_capped:1" for f in flags[6:]), flags
    assert got.capped and len(got.views) == 5
    assert 1 in {pid for pid, _ in got.views}  # the one sharing most keys (the same name) is kept
    engine.dispose()
