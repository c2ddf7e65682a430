"""`investwatch projects …`, `project ID` and `reparse`: browse projects, correct identity, re-run the parser."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_common import (
    STAGE_ZH,
    DataDirOpt,
    fail,
    format_yi,
    open_session,
    parse_min_amount,
    parse_stage,
    plain_console,
    settings_for,
    term,
)

projects_app = typer.Typer(help="List projects and correct their identity (merge, split, set).",
                           invoke_without_command=True, pretty_exceptions_show_locals=False)
console = plain_console()
err = plain_console(stderr=True)



@projects_app.callback()
def list_projects(
    ctx: typer.Context,
    city: Annotated[str | None, typer.Option(help="Only projects in this city (part of the name is enough).")] = None,
    district: Annotated[str | None, typer.Option(help="Only projects whose district or place contains this.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only projects at this stage: 签约/signed, 开工/started, 投产/in_production, …")] = None,
    min_amount: Annotated[str | None, typer.Option(help="Minimum amount, e.g. 10亿 or 1000000000.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this kind: 产业, 基础设施 or 社会民生.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
    data_dir: DataDirOpt = None,
) -> None:
    """List projects (biggest first), with filters."""
    if ctx.invoked_subcommand is not None:
        return
    from parsers.category import CATEGORIES

    if category is not None and category not in CATEGORIES:
        raise fail(f"--category must be one of {', '.join(CATEGORIES)}")
    from sqlalchemy import or_, select

    from storage.models import Project

    floor = parse_min_amount(min_amount) if min_amount else None
    stage_code = parse_stage(stage) if stage else None
    with open_session(data_dir) as session:
        if session.scalar(select(Project.id).limit(1)) is None:
            raise fail(f"the database in {settings_for(data_dir).data_dir} holds no project yet; run `investwatch run`")
        stmt = select(Project).where(Project.merged_into_id.is_(None))
        if city:
            stmt = stmt.where(Project.city.contains(city))
        if district:
            stmt = stmt.where(or_(Project.district.contains(district), Project.location.contains(district)))
        if stage_code:
            stmt = stmt.where(Project.stage == stage_code)
        if floor is not None:
            stmt = stmt.where(Project.amount_yuan >= floor)
        if category:
            stmt = stmt.where(Project.category == category)
        stmt = stmt.order_by(Project.amount_yuan.is_(None), Project.amount_yuan.desc(), Project.id).limit(limit)
        rows = list(session.execute(stmt).scalars())
        table = Table(title=f"{len(rows)} projects")
        for col in ("id", "name", "amount", "stage", "date", "place", "investor", "kind"):
            table.add_column(col, overflow="fold")
        for p in rows:
            table.add_row(str(p.id), term(p.name) + (" (扩建)" if p.is_expansion else ""),
                          format_yi(p.amount_yuan, p.amount_qualifier), STAGE_ZH.get(p.stage or "", "—"),
                          term(p.stage_date or "—"), term(p.location or p.district or p.city or "—"),
                          term(p.investor or "—"), p.category or "—")
        console.print(table)


@projects_app.command("merge")
def merge(
    keep: Annotated[int, typer.Argument(help="Project id that survives.")],
    other: Annotated[int, typer.Argument(help="Project id folded into it.")],
    data_dir: DataDirOpt = None,
) -> None:
    """Merge project OTHER into KEEP (kept across re-parsing)."""
    from storage.projects import OverrideError, merge_projects

    try:
        with open_session(data_dir, write=True) as session:
            merge_projects(session, keep, other)
    except OverrideError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(1) from None
    console.print(f"merged project {other} into {keep}")


@projects_app.command("split")
def split(
    project_id: Annotated[int, typer.Argument(help="Project id to split.")],
    name: Annotated[str, typer.Argument(help="The name (as articles write it) that is another project.")],
    data_dir: DataDirOpt = None,
) -> None:
    """Split the mentions written as NAME out of a project into a new one (kept across re-parsing)."""
    from storage.projects import OverrideError, split_project

    try:
        with open_session(data_dir, write=True) as session:
            new_id = split_project(session, project_id, name)
    except OverrideError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(1) from None
    console.print(f"split {name!r} out of project {project_id} into project {new_id}")


@projects_app.command("set")
def set_cmd(
    project_id: Annotated[int, typer.Argument(help="Project id.")],
    field: Annotated[str, typer.Argument(help="name, investor, amount_yuan, stage, location, … ")],
    value: Annotated[str, typer.Argument(help="New value ('' clears it).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Set a project's field by hand (kept across re-parsing)."""
    from storage.projects import OverrideError, set_field

    try:
        with open_session(data_dir, write=True) as session:
            set_field(session, project_id, field, value)
    except OverrideError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(1) from None
    console.print(f"project {project_id}: {field} = {value!r}")


def show_project(project_id: int, data_dir: Path | None) -> None:
    """Print one project with its timeline and the articles behind each fact."""
    from storage.models import Mention, Project
    from storage.projects import timeline

    with open_session(data_dir) as session:
        p = session.get(Project, project_id)
        if p is None:
            err.print(f"[red]error:[/] no project {project_id}", markup=True)
            raise typer.Exit(1)
        if p.merged_into_id:
            console.print(f"project {project_id} was merged into {p.merged_into_id}")
        console.print(f"[bold]{escape(term(p.name))}[/]  #{p.id}", markup=True)
        console.print(f"amount {format_yi(p.amount_yuan, p.amount_qualifier)} ({term(p.amount_text or '—')}); stage "
                      f"{STAGE_ZH.get(p.stage or '', '—')} {term(p.stage_date or '')}; place "
                      f"{term(p.location or p.city or '—')}; investor {term(p.investor or '—')}; kind {p.category or '—'}"
                      + (f"; expansion of #{p.expansion_of_id}" if p.expansion_of_id else ""))
        if p.names and len(p.names) > 1:
            console.print("also written as: " + "、".join(term(n) for n in p.names if n != p.name))
        table = Table(title="timeline")
        for col in ("kind", "stage", "date", "what the article says", "article"):
            table.add_column(col, overflow="fold")
        for e in timeline(session, project_id):
            table.add_row("reported" if e.kind == "reported" else "expected", STAGE_ZH.get(e.stage, term(e.stage)),
                          term(e.date or "—"), term(e.text[:80]), term(f"{e.published_on or ''} {e.article_url}"))
        console.print(table)
        amounts = Table(title="amounts stated per article")
        for col in ("article", "name as written", "amount"):
            amounts.add_column(col, overflow="fold")
        from sqlalchemy import select

        from storage.models import Article

        for m, url in session.execute(select(Mention, Article.url).join(Article, Article.id == Mention.article_id)
                                      .where(Mention.project_id == project_id)).all():
            amounts.add_row(term(url), term(m.name), format_yi(m.amount_yuan, (m.record or {}).get("amount_qualifier")))
        console.print(amounts)


def reparse(since: date | None, data_dir: Path | None) -> dict[str, Any]:
    """Re-run parsing and resolution over stored articles (no crawl); overrides are re-applied.

    Holds the run lock: a pipeline run would otherwise take this run's row for a dead one.
    """
    from flows.runlock import run_lock

    settings = settings_for(data_dir)
    with run_lock(settings.data_dir, settings.db_url(), settings.run_lock_wait_s):
        return _reparse(since, settings)


def _reparse(since: date | None, settings: Any) -> dict[str, Any]:
    import time

    from sqlalchemy import update

    from flows import stages
    from flows.heartbeat import heartbeat
    from spiders.procs import host_name
    from storage import projects, repo
    from storage.db import make_engine, session_factory, transaction, upgrade
    from storage.models import Article

    engine = make_engine(settings.db_url())
    try:
        upgrade(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            stmt = update(Article).where(Article.duplicate_of_id.is_(None),
                                         Article.parse_status.in_(["parsed", "failed"]))
            if since is not None:
                stmt = stmt.where(Article.published_on >= since)
            marked = session.execute(stmt.values(parse_status="pending", parse_attempts=0)).rowcount  # type: ignore[attr-defined]
            run_id = repo.start_run(session, "reparse", pid=os.getpid(), host=host_name())
        stats = stages.RunStats()
        began = time.perf_counter()
        with heartbeat(factory, run_id, settings.heartbeat_interval_s):  # a long re-parse is not a dead run
            stages.parse_stage(factory, run_id, stats, max_chars=settings.parse_max_chars,
                               budget_s=settings.parse_budget_s, batch_size=settings.parse_batch_size,
                               max_candidates=settings.resolve_max_candidates)
        parse_s = time.perf_counter() - began  # the per-article part; the export below is paid once
        with transaction(factory) as session:
            projects.reapply_merges(session)
            dropped = projects.drop_orphans(session)
            repo.finish_run(session, run_id, "ok", stats.as_dict())
        # the runs' workbook cadence: a big dataset's workbook waits for its interval (CSV, Parquet, report now)
        stages.export_stage(factory, settings.data_dir / "dataset", workbook_max_rows=settings.workbook_max_rows,
                            workbook_refresh_hours=settings.workbook_refresh_hours,
                            workbook_every_run_below_rows=settings.workbook_every_run_below_rows)
        return {"marked": int(marked), "parsed": stats.parsed_articles, "failed": stats.parse_failures,
                "batches": stats.parse_batches, "parse_seconds": round(parse_s, 1),
                "orphans_dropped": dropped, "parser_version": stages.FACTS_VERSION}
    finally:
        engine.dispose()
