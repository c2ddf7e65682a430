"""Project tables: the investment centre's 项目一览表 read into exact project records."""

from __future__ import annotations

from pathlib import Path

from parsers.table import parse_project_table


def test_fixture_table_rows_are_projects_and_the_total_row_is_not(shared: Path) -> None:
    html = (shared / "web" / "invest-city" / "projects" / "index.html").read_text(encoding="utf-8")
    facts = parse_project_table(html)
    assert len(facts.projects) == 9  # the tfoot 合计 row is not a project
    assert sum(p.amount_yuan or 0 for p in facts.projects) == 413 * 100_000_000  # = the table's own 合计
    zc = facts.projects[0]
    assert (zc.name, zc.investor, zc.amount_yuan, zc.location, zc.stage) == (
        "中创新航动力电池及储能系统江门基地项目", "中创新航科技股份有限公司", 20_000_000_000, "新会区", "started")
    assert [(e.stage, e.when) for e in zc.expected] == [("in_production", "2023-03")]
    assert next(p for p in facts.projects if "二期" in p.name).is_expansion


def test_units_from_header_or_cell_and_layout_tables_ignored() -> None:
    html = """<html><body>
    <table><tr><td>导航</td><td>首页</td></tr><tr><td>a</td><td>b</td></tr></table>
    <table><tr><th>序号</th><th>项目名称</th><th>计划总投资（万元）</th><th>建设地点</th><th>进度</th><th>计划开工</th></tr>
      <tr><td>1</td><td>甲智能装备产业园</td><td>12,500</td><td>台山市</td><td>前期工作</td><td>2024年二季度</td></tr>
      <tr><td>2</td><td>乙物流枢纽项目</td><td>3.2亿元</td><td>开平市</td><td>已投产</td><td>—</td></tr>
      <tr><td colspan="2">小计</td><td>44,500</td><td></td><td></td><td></td></tr>
    </table></body></html>"""
    projects = parse_project_table(html).projects
    assert [(p.name, p.amount_yuan, p.stage) for p in projects] == [
        ("甲智能装备产业园", 125_000_000, None), ("乙物流枢纽项目", 320_000_000, "in_production")]
    assert [(e.stage, e.when) for e in projects[0].expected] == [("started", "2024-Q2")]
