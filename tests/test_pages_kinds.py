"""Real saved pages (../shared/data/pages): WeChat articles dated by their `var ct`, and which pages are
articles at all -- every article page is one, the list pages are not."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from parsers.body import main_block_size
from parsers.html import extract_page
from parsers.pagekind import normalise_app_markup, not_article_reason

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pages"
pytestmark = pytest.mark.skipif(not PAGES.exists(), reason="../shared/data/pages not present")

# checked by hand against each page: the page shows only 昨天/前天 (relative to when it was saved); its
# var ct holds the time, here as a Beijing date; the title, and the body's first sentence
WECHAT = {
    "articles/wechat/1.html": ("三星 Galaxy S20 系列手机正式发布", "2020-02-12", "今天凌晨，三星在美国旧金山举行发布会"),
    "articles/wechat/2.html": ("一日一技：在 Python 中实现延迟调用", "2020-02-11", "摄影：产品经理"),
}


@pytest.mark.parametrize("name", sorted(WECHAT))
def test_real_wechat_article(name: str) -> None:
    title, published, first = WECHAT[name]
    page = extract_page((PAGES / name).read_text(encoding="utf-8"), "https://mp.weixin.qq.com/s/" + Path(name).stem)
    assert (page.title, page.published, page.date_origin) == (title, published, "script")
    assert page.text.startswith(first) and len(page.text) > 1000 and page.failure is None


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
