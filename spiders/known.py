"""What the store knows of a link, looked up when the crawl meets it, not loaded whole before the crawl.

The crawl used to receive every stored article URL with its validators (a dict in the job file), which grew
with the history: 0.7 s and a 30k-entry job file at 30k articles, for links of which a run meets a few hundred.
The crawler process now opens the store read-only and asks for the links of each list page in one indexed
query; answers are cached for the crawl.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .items import KnownPage

DATABASE_ENV = "INVESTWATCH_CRAWL_DATABASE_URL"  # in the child's environment, never in the job file (a password)


class StoreLookup(Mapping[str, KnownPage]):
    """A read-only mapping canonical URL -> KnownPage backed by the store (storage.repo.article_validators).

    ``prefetch`` asks for many URLs at once (the links of a list page); ``get`` of a URL not prefetched asks
    for that one. Iterating it would read the whole store, so it iterates only what was looked up.
    """

    def __init__(self, database_url: str) -> None:
        # imported here: a crawl without a store (tests, `investwatch crawl --out`) needs no SQLAlchemy
        from storage import repo
        from storage.db import make_engine, session_factory

        self._validators = repo.article_validators
        self._engine = make_engine(database_url)
        self._factory = session_factory(self._engine)
        self._cache: dict[str, KnownPage | None] = {}
        self.queries = 0

    def seed(self, known: Mapping[str, Any]) -> None:
        """What the caller knows besides the store (KnownPage, its JSON or a lastmod per URL)."""
        self._cache.update({u: KnownPage.of(k) for u, k in known.items()})

    def prefetch(self, urls: Iterable[str]) -> None:
        missing = [u for u in dict.fromkeys(urls) if u not in self._cache]
        if not missing:
            return
        with self._factory() as session:
            found = self._validators(session, missing)
        self.queries += 1
        for url in missing:
            v = found.get(url)
            self._cache[url] = KnownPage.of(v) if v is not None else None

    def __getitem__(self, url: str) -> KnownPage:
        if url not in self._cache:
            self.prefetch([url])
        page = self._cache[url]
        if page is None:
            raise KeyError(url)
        return page

    def __iter__(self) -> Iterator[str]:
        return (u for u, p in self._cache.items() if p is not None)

    def __len__(self) -> int:
        return sum(p is not None for p in self._cache.values())

    def close(self) -> None:
        self._engine.dispose()


def known_of(known: Mapping[str, Any] | None) -> Mapping[str, KnownPage]:
    """The spider's `known`: a StoreLookup as it is, a plain mapping converted (KnownPage.of each value)."""
    if isinstance(known, StoreLookup):
        return known
    return {u: KnownPage.of(k) for u, k in (known or {}).items()}
