"""The analyst's workbook and dataset files: Chinese sheets, typed cells, schema, changes and snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
from sqlalchemy import update

from parsers.model import ArticleFacts, Milestone, Project
from storage import projects, repo
from storage.db import transaction
from storage.export import export_dataset
from storage.models import Project as ProjectRow
from storage.models import Source
from storage.schema import TABLES, csv_read_kwargs

FACTS = ArticleFacts(projects=(
    Project(name="中创新航动力电池及储能系统江门基地项目", amount_yuan=1_766_600_000, amount_qualifier="over",
            amount_text="超17.666亿元", location="江门市江海区高新区", stage="started", stage_date="2023-03-23",
            stage_history=(Milestone("signed", "2022-01-26", "签约"),), evidence="中创新航…"),
    Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, amount_qualifier="exact",
            stage="signed", evidence="投资100亿元的隆基硅能源生产基地项目"),
))


def _seed(factory) -> None:
    with transaction(factory) as s:
        s.add(Source(name="gov", url="http://gov/", city="江门市", district="蓬江区"))
        s.flush()
        sid = s.query(Source.id).scalar()
        aid = repo.store_article(s, url="http://gov/a.html", source_id=sid, page_id=None, title="t",
                                 published_on=date(2023, 3, 24), origin=None, text="正文").article_id
        projects.save_facts(s, aid, FACTS, parser_version="t1", city="江门市")


def _sheet_rows(ws) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_workbook_has_chinese_typed_sheets(factory, tmp_path: Path) -> None:
    _seed(factory)
    with factory() as s:
        export_dataset(s, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "investwatch.xlsx")
    assert wb.sheetnames == ["项目", "进展", "报道", "批次", "文章", "数据说明"]
    ws = wb["项目"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    assert header[:6] == ["项目编号", "项目名称", "投资方", "总投资(元)", "总投资(亿元)", "金额说明"]
    assert {"阶段", "阶段日期", "所在地", "区县", "城市", "行业", "类别", "新建/扩建", "首次报道", "最近报道", "报道篇数", "来源链接"} <= set(header)
    rows = {r["项目名称"]: r for r in _sheet_rows(ws)}
    zc, lj = rows["中创新航动力电池及储能系统江门基地项目"], rows["隆基硅能源生产基地项目"]
    assert zc["总投资(亿元)"] == 17.67 and zc["总投资(元)"] == 1_766_600_000 and zc["金额说明"] == "超"
    assert zc["阶段"] == "开工" and lj["阶段"] == "签约" and lj["金额说明"] == "确数" and zc["新建/扩建"] == "新建" and zc["类别"] == "产业"
    assert zc["阶段日期"] == datetime(2023, 3, 23) and zc["首次报道"] == datetime(2023, 3, 24)
    assert zc["区县"] == "江海区"  # from the place; 隆基 has none, so the source's district
    assert lj["区县"] == "蓬江区"
    assert zc["报道篇数"] == 1
    col = header.index("总投资(亿元)") + 1
    assert ws.cell(row=2, column=col).number_format == "0.00"
    link = ws.cell(row=2, column=header.index("来源链接") + 1)
    assert link.hyperlink is not None and link.hyperlink.target == "http://gov/a.html"
    width = ws.column_dimensions["B"].width
    assert width is not None and width >= 30  # a long Chinese name
    progress = _sheet_rows(wb["进展"])
    assert sorted(r["阶段"] for r in progress) == ["开工", "签约", "签约"] and {r["类型"] for r in progress} == {"已报道"}
    notes = _sheet_rows(wb["数据说明"])
    assert {(n["工作表"], n["列名"]) for n in notes} >= {("项目", "总投资(亿元)"), ("进展", "日期"), ("文章", "标题")}
    columns_noted = [n for n in notes if n["工作表"] != "（工作簿）"]
    assert len(columns_noted) == sum(len(cols) for _, cols in TABLES.values())
    generated = [n["说明"] for n in notes if n["工作表"] == "（工作簿）"]
    assert len(generated) == 1 and generated[0].startswith(datetime.now(UTC).strftime("%Y-%m-%d"))


def test_csv_read_back_with_documented_dtypes_gives_integers(factory, tmp_path: Path) -> None:
    _seed(factory)
    with factory() as s:
        export_dataset(s, tmp_path)
    frame = pd.read_csv(tmp_path / "projects.csv", **csv_read_kwargs("projects"))
    assert str(frame["amount_yuan"].dtype) == "Int64" and str(frame["article_count"].dtype) == "Int64"
    assert sorted(frame["amount_yuan"].tolist()) == [1_766_600_000, 10_000_000_000]
    assert frame["amount_yi"].tolist() == [17.67, 100.0]
    schema = (tmp_path / "SCHEMA.md").read_text(encoding="utf-8")
    assert "| `amount_yuan` | Int64 | 总投资(元) |" in schema and "csv_read_kwargs" in schema


def test_changes_since_last_run_and_snapshots_kept(factory, tmp_path: Path) -> None:
    _seed(factory)
    at = [datetime(2026, 1, d, tzinfo=UTC) for d in (1, 2, 3, 4)]
    with factory() as s:
        export_dataset(s, tmp_path, run_id=1, now=at[0], snapshots_kept=2)
    first = pd.read_csv(tmp_path / "changes.csv", **csv_read_kwargs("changes"))
    assert first["change"].tolist() == ["new_project", "new_project"]
    with factory() as s:
        export_dataset(s, tmp_path, run_id=2, now=at[1], snapshots_kept=2)
    assert pd.read_csv(tmp_path / "changes.csv", **csv_read_kwargs("changes")).empty
    with transaction(factory) as s:
        s.execute(update(ProjectRow).where(ProjectRow.name.startswith("隆基"))
                  .values(stage="started", amount_yuan=12_000_000_000))
    with factory() as s:
        export_dataset(s, tmp_path, run_id=3, now=at[2], snapshots_kept=2)
        export_dataset(s, tmp_path)  # a manual export keeps the last run's changes
    changes = pd.read_csv(tmp_path / "changes.csv", **csv_read_kwargs("changes"))
    got = {(r.change, r.old_value, r.new_value) for r in changes.itertuples()}
    assert got == {("stage_change", "signed", "started"), ("amount_change", "10000000000", "12000000000")}
    snaps = sorted(p.name for p in (tmp_path / "snapshots").iterdir())
    assert snaps == ["projects-20260102T000000Z-run2.parquet", "projects-20260103T000000Z-run3.parquet"]
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_a_sheet_over_the_row_cap_is_cut_in_the_workbook_only_with_a_note(factory, tmp_path: Path, caplog) -> None:
    """Excel holds 1,048,576 rows a sheet; a longer table must not fail the export (and so every run)."""
    _seed(factory)
    with factory() as s, caplog.at_level("WARNING", logger="investwatch"):
        export_dataset(s, tmp_path, workbook_max_rows=2)  # the header row and one data row
    full = {t: pd.read_csv(tmp_path / f"{t}.csv", **csv_read_kwargs(t)) for t in ("projects", "milestones", "mentions")}
    assert len(full["projects"]) == 2 and len(full["mentions"]) == 2 and len(full["milestones"]) >= 2
    assert len(pd.read_parquet(tmp_path / "mentions.parquet")) == 2
    wb = openpyxl.load_workbook(tmp_path / "investwatch.xlsx")
    assert [len(_sheet_rows(wb[sheet])) for sheet in ("项目", "进展", "报道")] == [1, 1, 1]
    first = _sheet_rows(wb["项目"])[0]["项目名称"]
    assert first == full["projects"]["name"].iloc[0]  # the first rows, in the CSV's order
    notes = [r for r in _sheet_rows(wb["数据说明"]) if r["列名"] == "（全部）"]
    by_sheet = {r["工作表"]: r["说明"] for r in notes}
    assert set(by_sheet) == {"项目", "进展", "报道"}  # 批次 and 文章 (one row each) are whole
    assert "另有 1 行未列出" in by_sheet["报道"] and "mentions.csv" in by_sheet["报道"]
    assert f"另有 {len(full['milestones']) - 1} 行未列出" in by_sheet["进展"]
    assert any("sheet mentions cut at 1 rows" in r.getMessage() for r in caplog.records)


def test_no_note_when_every_sheet_fits(factory, tmp_path: Path) -> None:
    _seed(factory)
    with factory() as s:
        export_dataset(s, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "investwatch.xlsx")
    assert not [r for r in _sheet_rows(wb["数据说明"]) if r["列名"] == "（全部）"]
    assert len(_sheet_rows(wb["项目"])) == 2


def test_written_workbook_keeps_hostile_text_as_text_and_caps_links(tmp_path: Path, monkeypatch) -> None:
    """XlsxWriter must not turn '=…' into a formula, a URL-looking text into a link or '1e5' into a number;
    past the per-sheet hyperlink cap a URL stays as plain text."""
    from storage import workbook
    monkeypatch.setattr(workbook, "MAX_LINKS", 1)
    cols = [c.name for c in TABLES["mentions"][1]]
    frame = pd.DataFrame([dict.fromkeys(cols), dict.fromkeys(cols)])
    frame["project_id"], frame["article_id"] = [1, 2], [1, 2]
    frame["article_url"] = ["https://gov/a.html", "https://gov/b.html"]
    frame["name_as_written"] = ["=HYPERLINK(\"http://x\",\"点\")", "http://looks.like/a/link"]
    frame["evidence"] = ["@SUM(A1)\x01", "1e5"]
    frame["published_on"] = [date(2024, 1, 2), None]
    path = tmp_path / "b.xlsx"
    book = workbook.WorkbookWriter(path)
    sheet = book.sheet("mentions", frame)
    sheet.append(frame)
    book.done("mentions", sheet)
    book.save()
    ws = openpyxl.load_workbook(path)["报道"]
    header = [c.value for c in ws[1]]
    name, evidence, url = (header.index(TABLES["mentions"][1][cols.index(n)].zh) + 1
                           for n in ("name_as_written", "evidence", "article_url"))
    assert ws.cell(2, name).value == "'=HYPERLINK(\"http://x\",\"点\")" and ws.cell(2, name).data_type == "s"
    assert ws.cell(3, name).value == "http://looks.like/a/link" and ws.cell(3, name).hyperlink is None
    assert ws.cell(2, evidence).value == "'@SUM(A1)" and ws.cell(3, evidence).value == "1e5"
    assert ws.cell(2, url).hyperlink is not None and ws.cell(2, url).hyperlink.target == "https://gov/a.html"
    assert ws.cell(3, url).value == "https://gov/b.html" and ws.cell(3, url).hyperlink is None  # over the cap
    assert ws.cell(2, header.index("发布日期") + 1).value == datetime(2024, 1, 2)
    assert ws.cell(3, header.index("发布日期") + 1).value is None


def test_workbook_sheets_hold_the_csv_values(factory, tmp_path: Path) -> None:
    _seed(factory)
    with factory() as s:
        export_dataset(s, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "investwatch.xlsx")
    for table in ("mentions", "articles"):
        sheet, cols = TABLES[table]
        csv = pd.read_csv(tmp_path / f"{table}.csv", **csv_read_kwargs(table))
        rows = _sheet_rows(wb[sheet])
        assert len(rows) == len(csv)
        for zh, name in ((c.zh, c.name) for c in cols if c.kind in ("int", "text", "url")):
            got = [r[zh] for r in rows]
            want = [None if pd.isna(v) else (int(v) if isinstance(v, (int, float)) else v) for v in csv[name]]
            assert got == want, (table, name)
