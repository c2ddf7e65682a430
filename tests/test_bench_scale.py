"""bench/scale's generated site: distinct articles (not folded by our own near-duplicate check), stable
pages, list pages that grow with the site, and the script's option parsing."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import statistics
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from parsers.neardup import cluster, figure_containment, jaccard

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import scale_site  # noqa: E402


def _load_script() -> object:
    loader = importlib.machinery.SourceFileLoader("bench_scale", str(BENCH / "scale"))
    spec = importlib.util.spec_from_loader("bench_scale", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


def _text(i: int) -> str:
    title, paras = scale_site.article(i)
    return title + "\n" + "\n".join(paras)


def test_generated_articles_are_not_near_duplicates_of_each_other() -> None:
    # 400 articles over 124 real texts: every real text is used several times, perturbed each time
    n = 400
    reps = cluster((i, _text(i)) for i in range(1, n + 1))
    folded = [i for i, r in reps.items() if r != i]
    assert len(folded) <= n // 100, f"{len(folded)} of {n} generated articles folded as near-duplicates"


def test_copies_of_one_real_text_keep_its_wording_but_not_its_figures() -> None:
    # the perturbation must leave realistic text (the real wording) while changing the facts
    by_source: dict[int, list[int]] = {}
    for i in range(1, 400):
        by_source.setdefault(scale_site.source_index(i), []).append(i)
    pairs = [(v[0], v[1]) for v in by_source.values() if len(v) >= 2][:20]
    assert len(pairs) == 20, "real texts are not reused across 400 articles"
    for a, b in pairs:
        ta, tb = _text(a), _text(b)
        assert scale_site.article(a)[0] != scale_site.article(b)[0] or ta != tb
        assert figure_containment(ta, tb) < 0.5, (a, b)  # other figures: not a copy by our definition
    # most pairs still share much of their wording (a paragraph may be dropped or added)
    assert statistics.median(jaccard(_text(a), _text(b)) for a, b in pairs) > 0.3


def test_pages_are_a_function_of_the_article_number_and_escape_the_text() -> None:
    assert scale_site.article_html(123) == scale_site.article_html(123)
    assert scale_site.article_html(123) != scale_site.article_html(124)
    page = scale_site.article_html(7)
    title = scale_site.article(7)[0]
    assert "<script" not in page and (title in page or "&" in page)


def test_site_lists_exactly_its_articles_and_grows() -> None:
    names = [s[0] for s in scale_site.SECTIONS]
    for n in (1, 9, 25, 437):
        listed = set()
        for section in range(len(names)):
            page = 1
            while (html := scale_site.list_html(section, page, n)) is not None and page < 100:
                listed |= {int(x) for x in re.findall(r"post_(\d+)\.html", html)}
                if "下一页" not in html:
                    break
                page += 1
        assert listed == set(range(1, n + 1))
    assert scale_site.page_for(f"/{names[0]}/content/post_11.html", 10) is None  # not yet published
    assert scale_site.page_for(f"/{names[1]}/content/post_11.html", 11) is None  # other section
    assert scale_site.page_for(f"/{names[0]}/content/post_11.html", 11) is not None


def test_served_site_answers_over_loopback() -> None:
    with scale_site.serve(_free_port(), 30) as site:
        with urllib.request.urlopen(site.base_url(0) + "/s0/index.html", timeout=5) as r:
            assert "post_21.html" in r.read().decode("utf-8")
        site.articles = 31
        with urllib.request.urlopen(site.base_url(0) + "/s0/index.html", timeout=5) as r:
            assert "post_31.html" in r.read().decode("utf-8")
        with urllib.request.urlopen(site.base_url(1) + "/s1/content/post_2.html", timeout=5) as r:
            assert scale_site.article(2)[0] in r.read().decode("utf-8")
        for url in (site.base_url(0) + "/s0/content/post_41.html",  # not yet published
                    site.base_url(0) + "/s1/content/post_2.html"):  # another site's page
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(url, timeout=5)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_script_option_parsing() -> None:
    mod = _load_script()
    assert mod.parse_sizes("200, 1k,10K,1k") == [200, 1000, 10000]  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="bad size"):
        mod.parse_sizes("1m")  # type: ignore[attr-defined]
    assert mod.parse_backends("sqlite,pg") == ["sqlite", "pg"]  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="bad backend"):
        mod.parse_backends("mysql")  # type: ignore[attr-defined]


def test_timed_commands_report_memory_and_are_killed_at_their_bound(tmp_path: Path) -> None:
    mod = _load_script()
    grow = mod.timed(  # type: ignore[attr-defined]
        [sys.executable, "-c", "b = bytearray(80 * 2**20); b[::4096] = b'x' * len(b[::4096])"],
        dict(os.environ), tmp_path / "grow.log", 60, tmp_path)
    assert grow.rc == 0 and not grow.timed_out
    assert grow.peak_rss_mb >= 80
    stuck = mod.timed([sys.executable, "-c", "import time; time.sleep(60)"],  # type: ignore[attr-defined]
                      dict(os.environ), tmp_path / "stuck.log", 1.0, tmp_path)
    assert stuck.timed_out and stuck.rc != 0
    assert stuck.wall_s < 30


def test_table_has_a_row_per_size_and_a_ratio_row_from_saved_results(tmp_path: Path) -> None:
    mod: Any = _load_script()

    def sample(scale: float) -> Any:
        def t(wall: float, cpu: float, rss: float) -> Any:
            return mod.Timed("investwatch x", wall * scale, cpu * scale, rss * scale, 0, "log")
        return mod.Sample(t(40, 20, 400), t(10, 5, 200), t(30, 15, 300), t(60, 30, 450), 60, 1000, 1000, 1010)

    rows = [mod.summarise("sqlite", 1000, [sample(1.0), sample(1.2), sample(0.9)],
                          {"articles": 1000, "representatives": 996, "projects": 2215, "db_bytes": 15 * 2**20,
                           "build_s": 800}),
            mod.summarise("sqlite", 10000, [sample(2.0)],
                          {"articles": 10000, "representatives": 9960, "projects": 22000, "db_bytes": 150 * 2**20,
                           "build_s": 8000})]
    saved = tmp_path / "results.json"
    saved.write_text(__import__("json").dumps(rows, default=str), encoding="utf-8")
    again = mod.rows_from_json([saved])
    assert [r["no_change_run_s"] for r in again] == [40.0, 80.0]  # medians of the repeats
    text = mod.table(again)
    lines = text.splitlines()
    assert lines[2].startswith("| 1,000 | sqlite | 40.0 s (20 s CPU) | 60.0 s (30 s CPU) |")
    assert lines[3].startswith("| 10,000 | sqlite | 80.0 s (40 s CPU)")
    assert lines[4].startswith("| ratio 10k / 1k | sqlite | 2.00× (2.00× CPU) |")
    assert "| 0.50× (0.50× CPU) |" in lines[4]  # reparse articles/s halves when every command takes twice as long
