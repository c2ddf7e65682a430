"""The crawler looks links up in the store a list page at a time (spiders.known), on SQLite and PostgreSQL:
what it answers is what the whole-store load answered, and a page's links cost one query."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from spiders.items import KnownPage
from spiders.known import StoreLookup
from storage import repo
from storage.db import transaction
from storage.models import Page


def _fetch(session: Session, url: str, *, extracted: bool, etag: str | None = None, lastmod: str | None = None) -> int:
    pid = repo.store_page(session, repo.PageIn(url=url, final_url=url, status=200, body=f"<p>{url}</p>".encode(),
                                               encoding="utf-8", headers={"etag": etag} if etag else {}, error=None,
                                               list_date=None, list_title=None, fetched_at=datetime.now(UTC),
                                               extra={"lastmod": lastmod} if lastmod else {}),
                          source_id=None, run_id=None)
    if extracted:
        page = session.get(Page, pid)
        assert page is not None
        page.extracted = True
        repo.store_article(session, url=url, source_id=None, page_id=pid, title="t", published_on=None, origin=None,
                           text=f"正文 {url}")
    return pid


def test_the_lookup_answers_what_the_whole_store_load_answers(factory: sessionmaker[Session], db_url: str) -> None:
    stored = [f"http://127.0.0.1/a/{i}.html" for i in range(30)]
    with transaction(factory) as s:
        for i, url in enumerate(stored):
            _fetch(s, url, extracted=True, etag=f'"e{i}"' if i % 2 else None, lastmod=f"2024-05-0{i % 9 + 1}")
        waiting = "http://127.0.0.1/b/waiting.html"  # fetched by a dead run, not yet extracted: known too
        _fetch(s, waiting, extracted=False)
    with factory() as s:
        whole = repo.known_article_validators(s)
    assert set(whole) == {*stored, waiting}

    lookup = StoreLookup(db_url)
    try:
        links = [*stored[:20], waiting, "http://127.0.0.1/c/new.html"]
        lookup.prefetch(links)
        assert lookup.queries == 1  # one list page, one query
        for url in links[:-1]:
            assert lookup[url] == KnownPage.of(whole[url])
        assert lookup.get("http://127.0.0.1/c/new.html") is None
        assert lookup.queries == 1  # answered from the page's query, the unknown link too
        assert lookup.get(stored[25]) == KnownPage.of(whole[stored[25]])  # a link not prefetched: asked alone
        assert lookup.queries == 2
    finally:
        lookup.close()
