"""Real saved pages (../shared/data/pages): which pages are articles at all -- every article page is one,
the list pages are not (their titles, dates and bodies are tests/test_pages_real.py's)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from parsers.body import main_block_size
from parsers.pagekind import normalise_app_markup, not_article_reason

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pages"
pytestmark = pytest.mark.skipif(not PAGES.exists(), reason="../shared/data/pages not present")


def _reason(name: str) -> str | None:
    html = normalise_app_markup((PAGES / name).read_bytes().decode("utf-8", "replace"))
    return not_article_reason(lxml.html.document_fromstring(html), "http://example.cn/" + name, main_block_size(html))


ARTICLES = sorted(str(p.relative_to(PAGES)) for p in (PAGES / "articles").rglob("*.html")) if PAGES.exists() else []
LISTS = sorted(str(p.relative_to(PAGES)) for p in (PAGES / "lists").rglob("*.html")) if PAGES.exists() else []
LIST_MISSES = {"lists/tieba/1.html": "a forum's thread list: 3,300 characters of post previews outside links"}


def test_every_real_article_page_is_an_article() -> None:
    assert len(ARTICLES) >= 60
    assert {name: _reason(name) for name in ARTICLES if _reason(name)} == {}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=LIST_MISSES[n])) if n in LIST_MISSES else n for n in LISTS
])
def test_real_list_pages_are_not_articles(name: str) -> None:
    assert (_reason(name) or "").startswith("not an article: a list of")
