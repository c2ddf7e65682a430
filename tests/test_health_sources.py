"""Source health over runs: a source whose pages keep failing extraction, and one that stays silent, are flagged
by repo.source_health and `investwatch sources` (loopback site, three pipeline runs)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from flows.cli_sources import sources_app
from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage import repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Page

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING"}
GOOD = "<html><body><h1>{t}</h1>" + "<p>某区重大项目集中签约仪式举行，总投资超百亿元，涉及新能源、新材料等产业。</p>" * 4 + "</body></html>"


def _page(url: str, body: bytes) -> repo.PageIn:
    return repo.PageIn(url=url, final_url=url, status=200, body=body, encoding="utf-8", headers={}, error=None,
                       list_date=None, list_title=None, fetched_at=datetime.now(UTC), extra={"role": "article"})


def test_identical_refetch_is_extracted_again_only_while_it_gave_no_article(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    with transaction(factory) as s:
        bad = repo.store_page(s, _page("http://x.cn/a/1.html", b"<html><body>x</body></html>"), source_id=None, run_id=None)
        good = repo.store_page(s, _page("http://x.cn/a/2.html", GOOD.format(t="t").encode()), source_id=None, run_id=None)
        for pid in (bad, good):
            s.get(Page, pid).extracted = True  # type: ignore[union-attr]
        repo.store_article(s, url="http://x.cn/a/2.html", source_id=None, page_id=good, title="t", published_on=None,
                           origin=None, text="正文")
    with transaction(factory) as s:
        assert repo.store_page(s, _page("http://x.cn/a/1.html", b"<html><body>x</body></html>"), source_id=None,
                               run_id=None) == bad
        repo.store_page(s, _page("http://x.cn/a/2.html", GOOD.format(t="t").encode()), source_id=None, run_id=None)
    with factory() as s:
        flags = dict(s.execute(select(Page.url, Page.extracted)).tuples().all())
    assert flags == {"http://x.cn/a/1.html": False, "http://x.cn/a/2.html": True}
    engine.dispose()


def test_failing_and_silent_sources_are_flagged_after_n_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news" / "content").mkdir(parents=True)
    links = "".join(
        f'<li><a href="/news/content/post_{n}.html">第{n}号：某市重大项目集中签约活动举行</a><span>2024-01-0{n}</span></li>'
        for n in (1, 2)
    )
    (site / "news" / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    (site / "news" / "content" / "post_1.html").write_text("<html><body><div>x</div></body></html>", encoding="utf-8")
    (site / "news" / "content" / "post_2.html").write_text("<html><body><div>y</div></body></html>", encoding="utf-8")
    (site / "ok").mkdir()
    (site / "ok" / "index.html").write_text(
        '<html><body><ul><li><a href="/ok/content/post_9.html">某区新能源项目开工建设总投资十亿元</a></li></ul></body></html>',
        encoding="utf-8",
    )
    (site / "ok" / "content").mkdir()
    (site / "ok" / "content" / "post_9.html").write_text(GOOD.format(t="开工"), encoding="utf-8")
    data = tmp_path / "data"
    with serve_site(site) as srv:
        (tmp_path / "sources.yaml").write_text(
            "sources:\n"
            "  - {name: dead, url: 'http://127.0.0.1:9/index.html'}\n"
            f"  - {{name: empty, url: '{srv.base_url}/news/index.html'}}\n"
            f"  - {{name: fine, url: '{srv.base_url}/ok/index.html'}}\n",
            encoding="utf-8",
        )
        for day in (1, 2, 3):
            result = pipeline_body(str(tmp_path / "sources.yaml"), None, str(data), "run", f"2024-05-0{day}", FAST)
            assert result["per_source"]["empty"].get("empty_extractions") == 2, result["per_source"]
        # the failing pages were fetched every run (they never became articles)
        assert srv.requests["/news/content/post_1.html"] == 3 and srv.requests["/ok/content/post_9.html"] == 1

    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    with session_factory(engine)() as s:
        health = {h.source: h for h in repo.source_health(s)}
    engine.dispose()
    assert (health["empty"].runs, health["empty"].failing_extractions, health["empty"].silent_runs) == (3, 3, 0)
    assert health["empty"].last["empty_extractions"] == 2 and health["empty"].last_ok is not None
    assert (health["dead"].silent_runs, health["dead"].failing_extractions, health["dead"].last_ok) == (3, 0, None)
    assert health["dead"].last_error and "Connection" in health["dead"].last_error
    assert (health["fine"].silent_runs, health["fine"].failing_extractions) == (0, 0)

    def flags(*args: str) -> dict[str, str]:
        res = CliRunner().invoke(sources_app, ["--data-dir", str(data), *args], env={"COLUMNS": "400"})
        assert res.exit_code == 0, res.output
        rows = [line for line in res.output.splitlines() if line.startswith("│")]
        return {cells[0]: cells[8] for cells in ([c.strip() for c in r.strip("│").split("│")] for r in rows) if cells[0]}

    # a source whose every request fails says so with the cause, from its first run (not "ok", not just "silent")
    assert (health["dead"].unreachable_runs, health["empty"].unreachable_runs, health["fine"].unreachable_runs) == (3, 0, 0)
    shown = flags("--silent-runs", "3")
    assert shown["dead"] == "every request failed for 3 runs: 1 × connection refused" and shown["fine"] == "ok"
    assert shown["empty"].startswith("extraction failing 3 runs")
    assert flags("--silent-runs", "4")["dead"].startswith("every request failed")
    assert flags("--failing-runs", "4")["empty"] == "ok"
