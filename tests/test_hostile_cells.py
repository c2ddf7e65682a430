"""Hostile strings planted in a served page never reach a spreadsheet as formulas or controls, the report as
markup, nor an alert channel as controls or live markup."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage.sanitize import FORMULA_LEADS
from tests.browser import render
from tests.servers import HttpSink

HOSTILE = [
    "\x01控制字符", "\x1b[31m红色终端", '=HYPERLINK("http://evil.example/","点击查看")', "+86投资", "-5%下降",
    "@SUM(A1)", '<script>document.body.dataset.pwned="s"</script>',
    '"><img src=x onerror="document.body.dataset.pwned=1">', "[/red]标记",
]
NAMES = ["华盛光伏组件", "远航锂电隔膜", "中科智能机器人", "海川食品加工", "金鼎精密模具", "瑞丰生物医药",
         "鸿图汽车零部件", "天成半导体封装", "博远数据中心"]  # distinct projects, or resolution merges them
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ARTICLE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="main"><h1>{title}</h1><p class="date">发布时间：2023-03-{day:02d}</p>
<div class="content"><p>{text}</p>
<p>3月{day}日，总投资2{i}亿元的{name}项目在江海区签约。项目由{name}有限公司投资建设，
主要生产高性能复合材料，达产后预计年产值50亿元，将进一步壮大当地新材料产业集群，带动上下游配套企业落户发展。</p>
<p>{filler}。{text}</p></div></div></body></html>"""


def _site(root: Path) -> None:
    links = []
    for i, bad in enumerate(HOSTILE, start=1):
        name = NAMES[i - 1]
        title = html.escape(f"{bad}{name}项目签约")
        text = html.escape(f"据报道：{bad}")
        # distinct filler per article, or the near-duplicate clustering folds them into one
        filler = "".join(chr(0x4E00 + (i * 7919 + k * 131) % 20000) for k in range(120))
        (root / f"post_{i}.html").write_text(ARTICLE.format(title=title, text=text, day=i, i=i, filler=filler, name=name),
                                             encoding="utf-8")
        links.append(f'<li><a href="post_{i}.html">{title}</a><span>2023-03-{i:02d}</span></li>')
    (root / "index.html").write_text('<html><head><meta charset="utf-8"><title>招商信息</title></head><body>'
                                     f'<ul class="list">{"".join(links)}</ul></body></html>', encoding="utf-8")


def _spreadsheet_safe(value: str, where: str) -> None:
    assert not CONTROL.search(value.replace("\t", "").replace("\r", "").replace("\n", "")), (where, value)
    assert "\x1b" not in value and not value.startswith(FORMULA_LEADS), (where, value)


def _alerts_yaml(path: Path, port: int) -> Path:
    """The file channel and three loopback webhooks: plain text, a channel rendering HTML, one rendering Markdown."""
    path.write_text("channels:\n  local: file\n"
                    f"  plain: json://127.0.0.1:{port}/plain\n"
                    f"  html: json://127.0.0.1:{port}/html?format=html\n"
                    f"  markdown: json://127.0.0.1:{port}/markdown?format=markdown\n"
                    "rules:\n  - {name: big, kind: new_project, channels: [local, plain, html, markdown]}\n",
                    encoding="utf-8")
    return path


def _check_alert_bodies(data: Path, hook: HttpSink) -> None:
    """Controls and ANSI never reach a channel; markup is escaped where the channel renders it."""
    log = (data / "alerts.log").read_text(encoding="utf-8")
    by_path = {path.split("?")[0]: body for path, body in hook.requests}
    assert set(by_path) == {"/plain", "/html", "/markdown"}, list(by_path)
    texts = {"alerts.log": log, **{p: f"{b['title']}\n{b['message']}" for p, b in by_path.items()}}
    for where, text in texts.items():
        assert not CONTROL.search(text.replace("\t", "").replace("\n", "")), (where, text)
        assert "红色终端" in text and "控制字符" in text, where  # the text stays, only the controls go
    for where in ("alerts.log", "/plain"):  # plain text: written as scraped, nothing renders it
        assert "<script>document.body" in texts[where] and "[/red]标记" in texts[where], where
    html_body = texts["/html"]
    assert "<script" not in html_body and "<img" not in html_body, html_body
    assert "&lt;script&gt;document.body" in html_body and "&lt;img" in html_body  # shown, as text
    md = texts["/markdown"]
    assert "<script>" not in md and "[/red]" not in md and "\\<script\\>" in md and "\\[/red\\]标记" in md
    assert re.search(r"http://127\.0\.0\.1:\d+/post_1\.html", md)  # links stay clickable


def test_hostile_strings_in_a_served_page(tmp_path: Path, http_sink: HttpSink,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    _site(site_dir)
    data = tmp_path / "data"
    with serve_site(site_dir) as site:
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: hostile\n    url: {site.base_url}/index.html\n    kind: list\n"
                           "    city: 江门市\n    article_links: ul.list a\n", encoding="utf-8")
        alerts = _alerts_yaml(tmp_path / "alerts.yaml", http_sink.port)
        result = pipeline_body(str(sources), str(alerts), str(data), "run", "2023-06-01",
                               {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0})
    assert result["new_articles"] == len(HOSTILE), result
    assert result["alerts_sent"] >= 4 * len(HOSTILE) and result["alerts_failed"] == 0, result
    _check_alert_bodies(data, http_sink)
    dataset = data / "dataset"
    wb = openpyxl.load_workbook(dataset / "investwatch.xlsx")
    titles = [c.value for c in next(wb["文章"].iter_cols(min_col=3, max_col=3, min_row=2))]
    assert sum(isinstance(t, str) and t.startswith("'=HYPERLINK(") for t in titles) == 1, titles
    assert any(isinstance(t, str) and t.startswith("<script>") for t in titles)  # kept, as text
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    _spreadsheet_safe(cell.value, f"{ws.title}!{cell.coordinate}")
    for path in dataset.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for value in row:
                    _spreadsheet_safe(value, path.name)
    assert "'=HYPERLINK(" in (dataset / "articles.csv").read_text(encoding="utf-8-sig")
    report = data / "report" / "index.html"
    page = report.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>document" not in page and "\x1b" not in page
    assert "&lt;script&gt;document.body.dataset" in page  # a new project's first article title, escaped
    got = render(report, None, tmp_path / "profile")
    doc = lxml.html.fromstring(got.dom)
    assert doc.body.get("data-pwned") is None and not doc.xpath("//img") and got.console == []
