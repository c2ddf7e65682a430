"""The dataset is written as a stream and only when the data changed: chunked output equals the whole,
an unchanged database rewrites no file, a change rewrites, `force` always rewrites, Excel's row limit is noted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq

from parsers.model import ArticleFacts, Expected, Milestone, Project
from storage import projects, repo
from storage.db import transaction
from storage.export import STATE_FILE, export_dataset
from storage.schema import csv_read_kwargs
from storage.workbook import WorkbookWriter

TABLES = ("projects", "milestones", "mentions", "batches", "articles")


def _seed(factory, n: int, start: int = 0) -> None:
    """``n`` articles, each with its own project (signed, expected to produce), in one city."""
    with transaction(factory) as s:
        sid = repo.ensure_source(s, "gov", "http://gov/", "list", "江门市", "江海区")
        for i in range(start, start + n):
            aid = repo.store_article(s, url=f"http://gov/{i}.html", source_id=sid, page_id=None, title=f"=标题{i}",
                                     published_on=date(2024, 1 + i % 12, 1 + i % 27), origin=None,
                                     text=f"正文{i}").article_id
            name = "".join(chr(0x4E00 + (i * 37 + k * 101) % 20000) for k in range(4)) + f"{i}号新材料项目"
            facts = ArticleFacts(projects=(Project(
                name=name, amount_yuan=(i + 1) * 100_000_000, amount_qualifier="exact", stage="signed",
                stage_date=f"2024-{1 + i % 12:02d}-05", stage_history=(Milestone("signed", f"2024-{1 + i % 12:02d}-05", "签约"),),
                expected=(Expected("in_production", "计划2025年6月投产", "2025-06"),), evidence=f"{name}签约"),))
            projects.save_facts(s, aid, facts, parser_version="t1", city="江门市")


def _mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file() and p.name != STATE_FILE}


def test_chunked_files_equal_the_unchunked_ones(factory, tmp_path: Path) -> None:
    _seed(factory, 23)
    with factory() as s:
        export_dataset(s, tmp_path / "whole", force=True)
        export_dataset(s, tmp_path / "chunks", force=True, chunk_rows=4)  # 6 chunks, the last one short
    for table in TABLES:
        whole = pd.read_csv(tmp_path / "whole" / f"{table}.csv", **csv_read_kwargs(table))
        chunked = pd.read_csv(tmp_path / "chunks" / f"{table}.csv", **csv_read_kwargs(table))
        pd.testing.assert_frame_equal(whole, chunked)
        assert (tmp_path / "chunks" / f"{table}.csv").read_bytes().count(b"\xef\xbb\xbf") == 1  # one BOM
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "whole" / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / "chunks" / f"{table}.parquet"))
    meta = pq.ParquetFile(tmp_path / "chunks" / "projects.parquet").metadata
    assert meta.num_row_groups == 6 and meta.num_rows == 23
    projects_csv = pd.read_csv(tmp_path / "chunks" / "projects.csv", **csv_read_kwargs("projects"))
    assert sorted(projects_csv["amount_yuan"]) == [(i + 1) * 100_000_000 for i in range(23)]
    articles = pd.read_csv(tmp_path / "chunks" / "articles.csv", **csv_read_kwargs("articles"))
    assert articles["title"].str.startswith("'=").all()  # still spreadsheet-safe, chunk by chunk
    for book in ("whole", "chunks"):
        rows = list(openpyxl.load_workbook(tmp_path / book / "investwatch.xlsx")["项目"].iter_rows(values_only=True))
        assert len(rows) == 24 and rows[0][0] == "项目编号"


def test_unchanged_data_rewrites_nothing_and_a_change_rewrites(factory, tmp_path: Path) -> None:
    _seed(factory, 5)
    out = tmp_path / "dataset"
    with factory() as s:
        first = export_dataset(s, out)
    assert {p.name for p in first} >= {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {"investwatch.xlsx"}
    before = _mtimes(out)
    with factory() as s:
        assert export_dataset(s, out) == []  # nothing changed: no file written
    assert _mtimes(out) == before
    _seed(factory, 1, start=5)  # one new article with its project
    with factory() as s:
        second = {p.name for p in export_dataset(s, out)}
    assert {"projects.csv", "articles.parquet", "mentions.csv", "milestones.csv", "investwatch.xlsx"} <= second
    assert "batches.csv" not in second  # no batch came: that table is left as it was
    assert len(pd.read_csv(out / "projects.csv", **csv_read_kwargs("projects"))) == 6
    with factory() as s:
        forced = {p.name for p in export_dataset(s, out, force=True)}
    assert "batches.csv" in forced and "investwatch.xlsx" in forced


def test_a_deleted_file_or_a_broken_state_is_rewritten(factory, tmp_path: Path) -> None:
    _seed(factory, 3)
    out = tmp_path / "dataset"
    with factory() as s:
        export_dataset(s, out)
    (out / "mentions.parquet").unlink()
    (out / "investwatch.xlsx").unlink()
    with factory() as s:
        again = {p.name for p in export_dataset(s, out)}
    assert {"mentions.parquet", "investwatch.xlsx"} <= again and "articles.csv" not in again
    (out / STATE_FILE).write_text("{not json", encoding="utf-8")
    with factory() as s:
        assert "articles.csv" in {p.name for p in export_dataset(s, out)}


def test_a_run_with_nothing_new_still_records_empty_changes_and_its_snapshot(factory, tmp_path: Path) -> None:
    _seed(factory, 2)
    out = tmp_path / "dataset"
    with factory() as s:
        export_dataset(s, out, run_id=1)
        written = {p.name for p in export_dataset(s, out, run_id=2)}
    assert "projects.csv" not in written and "changes.csv" in written
    assert pd.read_csv(out / "changes.csv", **csv_read_kwargs("changes")).empty
    snaps = sorted((out / "snapshots").glob("*.parquet"))
    assert [p.name.split("-run")[1] for p in snaps] == ["1.parquet", "2.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(snaps[1]), pd.read_parquet(out / "projects.parquet"))


def test_a_sheet_over_the_row_limit_is_cut_and_the_cut_noted(tmp_path: Path) -> None:
    frame = pd.DataFrame({"project_id": range(1, 8), "kind": "reported", "stage": "signed", "date": "2024-01",
                          "text": "签约", "article_id": 1, "article_url": "http://gov/1.html"})
    book = WorkbookWriter(tmp_path / "b.xlsx", max_rows=5)  # header + 4 rows, as 1,048,576 would for a huge table
    sheet = book.sheet("milestones", frame)
    sheet.append(frame.iloc[:3])
    sheet.append(frame.iloc[3:])
    book.done("milestones", sheet)
    book.save()
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert [r[0] for r in wb["进展"].iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4]
    notes = [r[3] for r in wb["数据说明"].iter_rows(min_row=2, values_only=True)]
    assert any("另有 3 行未列出" in (n or "") and "milestones.csv" in (n or "") for n in notes)


def test_the_report_from_the_written_files_is_the_report_from_the_database(factory, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from storage.dataset import dataset_frames
    from storage.report import dataset_from_files, read_changes, render_report

    _seed(factory, 9)
    out = tmp_path / "dataset"
    at, day = datetime(2026, 1, 2, tzinfo=UTC), date(2026, 1, 2)
    with factory() as s:
        export_dataset(s, out, run_id=1, now=at)
        from_db = render_report(dataset_frames(s), read_changes(out), [], day, at)
    files = dataset_from_files(out)
    assert files is not None
    assert render_report(files, read_changes(out), [], day, at) == from_db
    assert "滞后项目" in from_db and "计划2025-06投产" in from_db  # the page shows the plans that lag


def test_a_chunk_whose_dates_are_all_missing_is_written(factory, tmp_path: Path) -> None:
    with transaction(factory) as s:
        aid = repo.store_article(s, url="http://gov/undated.html", source_id=None, page_id=None, title="无日期",
                                 published_on=None, origin=None, text="正文").article_id
        projects.save_facts(s, aid, ArticleFacts(projects=(Project(name="无日期新材料项目", stage="signed",
                                                                   evidence="签约"),)), parser_version="t1", city=None)
    _seed(factory, 2)
    with factory() as s:
        export_dataset(s, tmp_path, chunk_rows=1)  # the undated project alone in its chunk
    frame = pd.read_parquet(tmp_path / "projects.parquet")
    assert len(frame) == 3 and frame["first_reported_on"].isna().sum() == 1
    assert pq.read_schema(tmp_path / "projects.parquet").field("first_reported_on").type == "date32[day]"


def test_export_keeps_every_row_in_csv_when_the_workbook_is_cut(factory, tmp_path: Path) -> None:
    _seed(factory, 6)
    with factory() as s:
        export_dataset(s, tmp_path, workbook_max_rows=4, chunk_rows=2)
    assert len(pd.read_csv(tmp_path / "projects.csv", **csv_read_kwargs("projects"))) == 6
    wb = openpyxl.load_workbook(tmp_path / "investwatch.xlsx")
    assert len(list(wb["项目"].iter_rows(min_row=2))) == 3
    assert any("projects.csv" in (r[3] or "") for r in wb["数据说明"].iter_rows(min_row=2, values_only=True))


def _part_mtimes(out: Path) -> dict[str, int]:
    return {f"{p.parent.name}/{p.name}": p.stat().st_mtime_ns for p in (out / ".parts").rglob("*") if p.is_file()}


def _same_files(a: Path, b: Path) -> None:
    for table in TABLES:
        assert (a / f"{table}.csv").read_bytes() == (b / f"{table}.csv").read_bytes(), table
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{table}.parquet"), pd.read_parquet(b / f"{table}.parquet"))


def test_a_change_in_one_bucket_rewrites_only_its_part_and_the_files_equal_a_full_export(factory, tmp_path: Path) -> None:
    from sqlalchemy import update

    from storage.models import Project as ProjectRow

    _seed(factory, 23)
    out = tmp_path / "dataset"
    with factory() as s:
        export_dataset(s, out, chunk_rows=4)
    before = _part_mtimes(out)
    assert "projects/000001.csv" in before and len([k for k in before if k.startswith("projects/")]) == 12
    with transaction(factory) as s:  # an analyst renames project 6 (bucket 6 // 4 = 1)
        s.execute(update(ProjectRow).where(ProjectRow.id == 6).values(name="=改名后的项目"))
    with factory() as s:
        written = {p.name for p in export_dataset(s, out, chunk_rows=4)}
    after = _part_mtimes(out)
    moved = sorted(k for k in after if after[k] != before.get(k))
    assert moved == ["projects/000001.csv", "projects/000001.parquet"]  # one bucket of one table re-read
    assert {"projects.csv", "projects.parquet"} <= written and "mentions.csv" not in written
    with factory() as s:
        export_dataset(s, tmp_path / "full", force=True, chunk_rows=4)
    _same_files(out, tmp_path / "full")
    renamed = pd.read_csv(out / "projects.csv", **csv_read_kwargs("projects")).set_index("project_id").loc[6, "name"]
    assert renamed == "'=改名后的项目"  # the rewritten part is spreadsheet-safe too
    _seed(factory, 6, start=23)  # new projects 24-29: the last bucket grows, two new ones appear
    with factory() as s:
        export_dataset(s, out, chunk_rows=4)
        export_dataset(s, tmp_path / "full2", force=True)  # another bucket size: same content
    _same_files(out, tmp_path / "full2")
    assert pq.ParquetFile(out / "projects.parquet").metadata.num_row_groups == 8  # buckets 0..7
    with transaction(factory) as s:  # projects 28 and 29 merged away: bucket 7 holds no live project
        s.execute(update(ProjectRow).where(ProjectRow.id.in_([28, 29])).values(merged_into_id=1))
    with factory() as s:
        export_dataset(s, out, chunk_rows=4)
        export_dataset(s, tmp_path / "full3", force=True)
    _same_files(out, tmp_path / "full3")
    assert len(pd.read_csv(out / "projects.csv", **csv_read_kwargs("projects"))) == 27


def test_a_deleted_part_or_a_new_bucket_size_is_rebuilt(factory, tmp_path: Path) -> None:
    _seed(factory, 9)
    out = tmp_path / "dataset"
    with factory() as s:
        export_dataset(s, out, chunk_rows=4)
    (out / ".parts" / "articles" / "000001.parquet").unlink()
    with factory() as s:
        written = {p.name for p in export_dataset(s, out, chunk_rows=4)}
        assert "articles.parquet" in written and "projects.csv" not in written
        export_dataset(s, out, chunk_rows=3)  # every part rebuilt at the new size, the old ones pruned
        export_dataset(s, tmp_path / "full", force=True)
    _same_files(out, tmp_path / "full")
    assert sorted(p.name for p in (out / ".parts" / "projects").iterdir()) == [
        f"{b:06d}.{ext}" for b in range(4) for ext in ("csv", "parquet")]  # ids 1-9 at 3 a bucket: 0..3


def test_the_workbook_is_rewritten_at_most_every_interval_and_always_when_forced(factory, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    t0, every = datetime(2026, 3, 1, 8, tzinfo=UTC), timedelta(hours=6)
    _seed(factory, 3)
    out = tmp_path / "dataset"

    def run(at: datetime, force: bool = False) -> set[str]:
        with factory() as s:
            return {p.name for p in export_dataset(s, out, now=at, workbook_every=every, force=force)}

    assert "investwatch.xlsx" in run(t0)  # first export: written
    _seed(factory, 1, start=3)
    second = run(t0 + timedelta(hours=1))
    assert "projects.csv" in second and "investwatch.xlsx" not in second  # within 6 h: CSV/Parquet only
    assert len(list(openpyxl.load_workbook(out / "investwatch.xlsx")["项目"].iter_rows())) == 4  # still 3 projects
    assert run(t0 + timedelta(hours=5)) == set()
    due = run(t0 + timedelta(hours=6, minutes=1))  # nothing new since, but the book is behind and due
    assert due == {"investwatch.xlsx"}
    assert len(list(openpyxl.load_workbook(out / "investwatch.xlsx")["项目"].iter_rows())) == 5
    notes = list(openpyxl.load_workbook(out / "investwatch.xlsx")["数据说明"].iter_rows(values_only=True))
    assert any(r[1] == "生成时间" and str(r[3]).startswith("2026-03-01 14:01 UTC") for r in notes)
    assert run(t0 + timedelta(hours=20)) == set()  # up to date: not rewritten however old
    _seed(factory, 1, start=4)
    assert "investwatch.xlsx" in run(t0 + timedelta(hours=20, minutes=5), force=True)  # `investwatch export`


def test_a_small_dataset_gets_its_workbook_every_run_and_a_kept_one_is_said(factory, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from flows.cli import workbook_note

    t0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    _seed(factory, 3)
    data = tmp_path / "data"
    out = data / "dataset"

    def run(at: datetime, from_rows: int) -> set[str]:
        with factory() as s:
            return {p.name for p in export_dataset(s, out, now=at, workbook_every=timedelta(hours=24),
                                                   workbook_every_from_rows=from_rows)}

    run(t0, 1000)
    _seed(factory, 1, start=3)
    assert "investwatch.xlsx" in run(t0 + timedelta(minutes=5), 1000)  # 3 + 1 projects' rows: under 1,000
    assert workbook_note(data) == ""
    _seed(factory, 1, start=4)
    assert "investwatch.xlsx" not in run(t0 + timedelta(minutes=10), 10)  # over 10 rows: the 24 h cadence
    assert "2026-03-01T08:05" in workbook_note(data) and "investwatch export" in workbook_note(data)


def _cli_data(tmp_path: Path):
    """A data directory with a migrated SQLite database, its engine and session factory, and the environment of
    a "big" dataset (over 1 row): runs keep a workbook under 24 h old."""
    from storage.db import make_engine, session_factory, upgrade

    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    env = {"INVESTWATCH_DATA_DIR": str(data), "COLUMNS": "200", "INVESTWATCH_WORKBOOK_REFRESH_HOURS": "24",
           "INVESTWATCH_WORKBOOK_EVERY_RUN_BELOW_ROWS": "1"}
    return data, engine, session_factory(engine), env


def test_the_export_command_brings_the_dataset_up_to_date_and_full_rewrites_the_same_bytes(tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from flows.cli import app

    data, engine, factory, env = _cli_data(tmp_path)
    runner = CliRunner()

    def export(*args: str) -> set[str]:
        result = runner.invoke(app, ["export", *args], env=env)
        assert result.exit_code == 0, result.output
        return {Path(line).name for line in result.stdout.splitlines() if line.strip()}

    out = data / "dataset"
    _seed(factory, 5)
    assert {"projects.csv", "articles.parquet", "investwatch.xlsx"} <= export()
    before = _mtimes(out)
    result = runner.invoke(app, ["export"], env=env)
    assert result.exit_code == 0 and result.stdout.strip() == "" and "the dataset is current" in result.stderr
    assert _mtimes(out) == before
    _seed(factory, 1, start=5)
    second = export()
    assert {"projects.csv", "milestones.parquet", "investwatch.xlsx"} <= second  # the workbook now, cadence or not
    assert "batches.csv" not in second
    notes = list(openpyxl.load_workbook(out / "investwatch.xlsx")["数据说明"].iter_rows(values_only=True))
    assert any(r[1] == "生成时间" and "每 24 小时" in str(r[3]) for r in notes)  # the runs' cadence still said
    shutil.copytree(out, tmp_path / "incremental")
    full = export("--full")
    assert {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {"investwatch.xlsx"} <= full
    for table in TABLES:
        for ext in ("csv", "parquet"):
            assert (out / f"{table}.{ext}").read_bytes() == (tmp_path / "incremental" / f"{table}.{ext}").read_bytes()
    books = [openpyxl.load_workbook(d / "investwatch.xlsx") for d in (out, tmp_path / "incremental")]
    for sheet in ("项目", "进展", "报道", "批次", "文章"):
        assert [list(b[sheet].iter_rows(values_only=True)) for b in books][0] == \
            [list(b[sheet].iter_rows(values_only=True)) for b in books][1]
    engine.dispose()


def test_a_reparse_of_a_big_dataset_keeps_the_workbook_cadence_and_says_so(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    data, engine, factory, env = _cli_data(tmp_path)
    _seed(factory, 4)
    runner = CliRunner()
    assert runner.invoke(app, ["export"], env=env).exit_code == 0
    book = (data / "dataset" / "investwatch.xlsx").stat().st_mtime_ns
    result = runner.invoke(app, ["reparse"], env=env)  # the texts name no project: the data changes
    assert result.exit_code == 0, result.output
    assert (data / "dataset" / "investwatch.xlsx").stat().st_mtime_ns == book  # within 24 h: kept
    assert "before the latest changes" in result.stderr and "investwatch export" in result.stderr
    projects_csv = pd.read_csv(data / "dataset" / "projects.csv", **csv_read_kwargs("projects"))
    assert len(projects_csv) == 0  # the CSV holds the re-parse already
    env["INVESTWATCH_WORKBOOK_EVERY_RUN_BELOW_ROWS"] = "100000"  # a small dataset: the workbook every time
    assert runner.invoke(app, ["export"], env=env).exit_code == 0  # (brings the workbook up to date first)
    _seed(factory, 1, start=9)
    result = runner.invoke(app, ["reparse"], env=env)
    assert result.exit_code == 0 and "before the latest changes" not in result.stderr
    engine.dispose()
