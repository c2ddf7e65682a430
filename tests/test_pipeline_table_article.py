"""A news article linked from a list page that carries its projects as a table (项目名称 | 总投资(亿元) | 状态):
the rows become the article's projects, exact to the yuan, and the intro's tally stays a batch."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage.db import make_engine, session_factory
from storage.models import Batch, Mention
from storage.models import Project as ProjectRow

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING"}
ROWS = [("恒瑞新型显示材料生产基地项目", "恒瑞光电有限公司", "17.67", "开工"),
        ("海岳智能装备制造项目", "海岳重工股份有限公司", "8.5", "签约"),
        ("云溪冷链物流园项目", "云溪供应链管理有限公司", "3.2", "签约")]


def test_table_rows_of_a_news_article_are_its_projects(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "zwdt" / "content").mkdir(parents=True)
    (site / "zwdt" / "index.html").write_text(
        '<html><body><div class="main"><ul class="news">'
        '<li><a href="/zwdt/content/post_31.html">临江县一季度重点项目集中开工签约 总投资29.37亿元</a>'
        '<span>2024-03-28</span></li></ul></div></body></html>', encoding="utf-8")
    rows = "".join(f"<tr><td>{n}</td><td>{i}</td><td>{a}</td><td>{s}</td></tr>" for n, i, a, s in ROWS)
    (site / "zwdt" / "content" / "post_31.html").write_text(
        "<html><head><title>临江县一季度重点项目集中开工签约</title></head><body>"
        "<h1>临江县一季度重点项目集中开工签约 总投资29.37亿元</h1><div class='info'>发布时间：2024-03-28</div>"
        "<div class='article'><p>3月28日，临江县举行一季度重点项目集中开工签约活动，3个项目总投资29.37亿元，"
        "涉及新型显示、智能装备和现代物流等产业。县委主要负责同志出席活动并宣布项目开工。</p>"
        "<p>本次集中开工签约项目如下：</p>"
        "<table><tr><th>项目名称</th><th>投资方</th><th>总投资（亿元）</th><th>状态</th></tr>"
        f"{rows}<tr><td>合计</td><td></td><td>29.37</td><td></td></tr></table>"
        "<p>下一步，临江县将强化要素保障，推动项目早投产、早见效。</p></div></body></html>", encoding="utf-8")
    data = tmp_path / "data"
    with serve_site(site) as srv:
        (tmp_path / "sources.yaml").write_text(
            f"sources:\n  - {{name: county, url: '{srv.base_url}/zwdt/index.html', city: 临江县}}\n", encoding="utf-8")
        pipeline_body(str(tmp_path / "sources.yaml"), None, str(data), "run", "2024-03-29", FAST)
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    with session_factory(engine)() as s:
        got = {p.name: (p.amount_yuan, p.stage, p.investor) for p in s.scalars(select(ProjectRow))}
        mentions = len(s.scalars(select(Mention)).all())
        batches = [(b.project_count, b.amount_yuan) for b in s.scalars(select(Batch))]
    engine.dispose()
    assert got == {
        "恒瑞新型显示材料生产基地项目": (1_767_000_000, "started", "恒瑞光电有限公司"),
        "海岳智能装备制造项目": (850_000_000, "signed", "海岳重工股份有限公司"),
        "云溪冷链物流园项目": (320_000_000, "signed", "云溪供应链管理有限公司"),
    }
    assert mentions == 3  # one record per row: the flattened table lines made no extra projects
    assert (3, 2_937_000_000) in batches
