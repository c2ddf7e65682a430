"""`investwatch sources add NAME URL`: kind detected from one fetch, entry appended with comments kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.cli_sources import sources_app
from spiders.config import load_sources
from spiders.detect import detect_kind
from spiders.sitesrv import serve_site

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT.parent / "shared" / "web"
ROUTES: dict[str, Any] = json.loads((WEB / "ROUTES.json").read_text(encoding="utf-8"))
HEADER = "# my sources\n# keep this comment\nsources:\n  - name: old\n    url: http://x.cn/list/index.html  # inline note\n"


@pytest.mark.parametrize(
    ("site", "path", "kind"),
    [
        ("gov-district", "/zsxx/index.html", "list"),
        ("portal", "/rss/local.xml", "feed"),
        ("invest-city", "/sitemap.xml", "sitemap"),
        ("invest-city", "/robots.txt", "sitemap"),
        ("news-city", "/api/articles?page=1", "api"),
    ],
)
def test_add_detects_kind_and_appends(site: str, path: str, kind: str, tmp_path: Path) -> None:
    file = tmp_path / "sources.yaml"
    file.write_text(HEADER, encoding="utf-8")
    with serve_site(WEB / site, routes=ROUTES.get(site)) as srv:
        url = srv.base_url + path
        result = CliRunner().invoke(sources_app, ["add", "new-site", url, "--sources", str(file), "--city", "江门市"])
    assert result.exit_code == 0, result.output
    text = file.read_text(encoding="utf-8")
    assert text.startswith(HEADER)  # appended, comments and layout untouched
    old, new = load_sources(file)
    assert old.name == "old" and (new.name, new.url, new.kind, new.city) == ("new-site", url, kind, "江门市")


def test_add_refuses_duplicate_and_bad_input(tmp_path: Path) -> None:
    file = tmp_path / "sources.yaml"
    file.write_text(HEADER, encoding="utf-8")
    runner = CliRunner()
    dup = runner.invoke(sources_app, ["add", "old", "http://y.cn/rss.xml", "--sources", str(file), "--kind", "feed"])
    assert dup.exit_code == 1 and "already exists" in dup.output
    bad = runner.invoke(sources_app, ["add", "b", "y.cn/list", "--sources", str(file), "--kind", "list"])
    assert bad.exit_code == 1 and "url" in bad.output
    kind = runner.invoke(sources_app, ["add", "c", "http://y.cn/", "--sources", str(file), "--kind", "rss"])
    assert kind.exit_code == 2
    # nothing answering on the discard port: no guess, the analyst is told to give --kind
    dead = runner.invoke(sources_app, ["add", "d", "http://127.0.0.1:9/x", "--sources", str(file)])
    assert dead.exit_code == 1 and "--kind" in dead.output
    assert file.read_text(encoding="utf-8") == HEADER


def test_add_rolls_back_when_file_would_break(tmp_path: Path) -> None:
    # a top-level key after the list: appended text would not land in the list -> restored
    file = tmp_path / "sources.yaml"
    original = HEADER + "other: 1\n"
    file.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(sources_app, ["add", "n", "http://y.cn/rss.xml", "--sources", str(file), "--kind", "feed"])
    assert result.exit_code == 1
    assert file.read_text(encoding="utf-8") == original


def test_add_to_new_file_and_plain_list(tmp_path: Path) -> None:
    runner = CliRunner()
    new = tmp_path / "new.yaml"
    assert runner.invoke(sources_app, ["add", "a", "http://y.cn/a.xml", "--sources", str(new), "--kind", "sitemap"]).exit_code == 0
    plain = tmp_path / "plain.yaml"
    plain.write_text("- name: a\n  url: http://x.cn/\n", encoding="utf-8")
    assert runner.invoke(sources_app, ["add", "b", "http://y.cn/b", "--sources", str(plain), "--kind", "api"]).exit_code == 0
    assert [s.name for s in load_sources(new)] == ["a"]
    assert [(s.name, s.kind) for s in load_sources(plain)] == [("a", "auto"), ("b", "api")]


def test_detect_kind_on_fixture_documents() -> None:
    assert detect_kind("http://h/rss/local.xml", (WEB / "portal/rss/local.xml").read_bytes(), "") == "feed"
    assert detect_kind("http://h/sitemap.xml", (WEB / "invest-city/sitemap.xml").read_bytes(), "text/xml") == "sitemap"
    assert detect_kind("http://h/api", (WEB / "news-city/api/articles-page-1.json").read_bytes(), "") == "api"
    assert detect_kind("http://h/zsxx/", (WEB / "gov-district/zsxx/index.html").read_bytes(), "text/html") == "list"
