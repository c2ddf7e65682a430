"""The `investwatch` command line (typer + rich): a thin layer over the flows and the library."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_common import (
    STAGE_ZH,
    DataDirOpt,
    format_yi,
    mask_std_streams,
    open_session,
    plain_console,
    settings_for,
    term,
)

app = typer.Typer(help="investwatch: investment-promotion news -> projects, alerts and a dataset.",
                  no_args_is_help=True, add_completion=False,
                  pretty_exceptions_show_locals=False)  # locals may hold secrets (URLs with tokens)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _register_subapps() -> None:
    from flows.cli_alerts import alerts_app
    from flows.cli_projects import projects_app
    from flows.cli_sources import sources_app
    from flows.cli_status import status

    app.command("status")(status)
    app.add_typer(projects_app, name="projects")
    app.add_typer(sources_app, name="sources")
    app.add_typer(alerts_app, name="alerts")


_register_subapps()


@app.callback()
def _options(
    log_json: Annotated[bool, typer.Option("--log-json", envvar="INVESTWATCH_LOG_JSON",
                                           help="Log to stderr as JSON lines (run_id, stage, source, url; secrets "
                                                "masked); env INVESTWATCH_LOG_JSON=1.")] = False,
) -> None:
    """investwatch: investment-promotion news -> projects, alerts and a dataset."""
    if log_json:
        from flows import logjson

        logjson.enable()

console = plain_console()
err_console = plain_console(stderr=True)

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_config(name: str) -> Path:
    """A config file from the working directory, else the one shipped beside the code."""
    local = Path(name)
    return local if local.exists() else PROJECT_ROOT / name


def _summary(result: dict[str, Any], data_dir: Path, db_url_shown: str) -> None:
    from flows.alert_scope import count_live_projects, project_snapshots

    table = Table(title="investwatch run summary", show_header=False)
    for label, key in [("pages fetched", "pages_fetched"), ("fetch errors", "fetch_errors"),
                       ("new articles", "new_articles"), ("duplicate articles", "duplicate_articles"),
                       ("extraction failures", "extract_failures"), ("pages that are not articles", "not_articles"),
                       ("articles parsed", "parsed_articles"),
                       ("parse failures", "parse_failures"), ("alerts sent", "alerts_sent"),
                       ("alerts failed (kept for retry)", "alerts_failed"),
                       ("alerts given up (channel down too long)", "alerts_given_up"),
                       ("failed list pages retried first", "list_pages_retried"),
                       ("list pages failing (kept pending for the next run)", "list_pages_pending"),
                       ("list pages given up (failed too many runs)", "list_pages_given_up")]:
        if key.startswith("list_pages") and not result.get(key):
            continue  # only when there is something to say: most runs have no failing list page
        value = str(result.get(key, 0))
        if key == "fetch_errors" and result.get("fetch_error_causes"):
            from flows.progress import causes_text

            value += f" ({causes_text(result['fetch_error_causes'])})"
        table.add_row(label, value)
    table.add_row("projects found this run", str(len(result.get("projects", []))))
    console.print(table)
    touched = frozenset(result.get("projects") or ())
    with open_session(data_dir) as session:
        # this run's projects only: printing every stored project made a no-change run's summary the slowest
        # part of it (9-19 s and 1.9 MB at 10k articles)
        rows = project_snapshots(session, touched) if touched else []
        total = count_live_projects(session)
    if rows:
        ptable = Table(title="projects found this run")
        ptable.add_column("name", overflow="fold")
        for col in ("amount", "stage", "place"):
            ptable.add_column(col, overflow="fold")
        for p in sorted(rows, key=lambda r: (-(r.amount_yuan or 0), r.project_id)):
            stage = STAGE_ZH.get(p.stage or "", "—")
            ptable.add_row(term(p.name), format_yi(p.amount_yuan, p.amount_qualifier), stage,
                           term(p.location or p.district or p.city or "—"))
        console.print(ptable)
    console.print(f"{max(total - len(rows), 0)} other projects in the database "
                  "(`investwatch projects` lists them)", highlight=False)
    for err in result.get("errors", []):
        err_console.print(f"warning: {term(err)}")
    console.print(f"data directory: {data_dir.resolve()}  (database {db_url_shown}, dataset in dataset/, "
                  f"alert messages in alerts.log)")
    for line in next_steps(data_dir):
        console.print(line, highlight=False, markup=False)


def next_steps(data_dir: Path) -> list[str]:
    """The commands that show what a run made, with --data-dir whenever the default would not find it."""
    from flows.settings import Settings

    default = Settings().data_dir
    flag = "" if data_dir.resolve() == default.resolve() else f" --data-dir {_shell_path(data_dir)}"
    return ["look at the results:",
            f"  investwatch projects{flag}", f"  investwatch project 1{flag}", f"  investwatch sources{flag}",
            f"  investwatch alerts history{flag}",
            f"  report:   {(data_dir / 'report' / 'index.html').resolve()}",
            f"  workbook: {(data_dir / 'dataset' / 'investwatch.xlsx').resolve()}{workbook_note(data_dir)}"]


def workbook_note(data_dir: Path) -> str:
    """Said after the workbook's path when a run kept an older workbook (a big dataset's is rewritten on a
    cadence, see workbook_refresh_hours); empty when it holds the current data."""
    import json

    try:
        state = json.loads((data_dir / "dataset" / ".export-state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(state, dict) or state.get("workbook_current", True):
        return ""
    return (f" (written {str(state.get('workbook_at', '?'))[:16]} UTC, before the latest changes, which are in the"
            " CSV/Parquet files and the report; `investwatch export` rewrites it now)")


def _shell_path(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _db_shown(settings: Any) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.db_url()).render_as_string(hide_password=True)


def _check_configs(sources: Path | None, alerts: Path | None) -> None:
    """Fail at start, naming the key, before any crawl or Prefect start-up."""
    from alerts.config import AlertsConfigError, load_alerts_config
    from spiders.config import ConfigError, load_sources

    try:
        if sources is not None:
            load_sources(sources)
        if alerts is not None:
            load_alerts_config(alerts, os.environ)
    except (ConfigError, AlertsConfigError) as exc:
        err_console.print(f"[red]configuration error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(2) from None


@app.command()
def run(
    sources: Annotated[Path | None, typer.Option(help="sources.yaml (sites to crawl).")] = None,
    alerts: Annotated[Path | None, typer.Option(help="alerts.yaml (rules and channels).")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Run the whole pipeline once against the sources in sources.yaml."""
    from flows.prefect_env import configure_prefect, needs_temporary_server

    settings = settings_for(data_dir)
    src = sources or _default_config("sources.yaml")
    alr = alerts or _default_config("alerts.yaml")
    _check_configs(src, alr)
    from flows.progress import shown

    with _exclusive(settings):
        configure_prefect(settings.data_dir)  # Prefect's home is initialised by one process at a time
        from flows.prefect_server import early_server, ready

        # no server to use: start the temporary one now, so it boots while the pipeline's modules import
        with early_server(needs_temporary_server(os.environ)) as server:
            from flows.pipeline import run_pipeline

            ready(server)
            with shown():
                result = run_pipeline(str(src), str(alr), str(settings.data_dir), kind="run",
                                      today=date.today().isoformat())
    _summary(result, settings.data_dir, _db_shown(settings))


@contextmanager
def _exclusive(settings: Any) -> Iterator[None]:
    """Hold the data dir's run lock (exit 3 when another run keeps it) and a watchdog for the block.

    Taken before Prefect starts: two first starts on a new data dir otherwise race Prefect's own
    migrations of its database and the temporary server's port.
    """
    from flows.runlock import EXIT_BUSY, RunBusy, run_lock
    from flows.watchdog import watchdog

    try:
        with run_lock(settings.data_dir, settings.db_url(), settings.run_lock_wait_s), watchdog():
            yield
    except RunBusy as exc:
        err_console.print(f"[yellow]busy:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(EXIT_BUSY) from None


def _server_setup(command: str, sources: Path | None, alerts: Path | None,
                  data_dir: Path | None) -> tuple[Any, Path, Path]:
    """`serve` and `deploy`: a real Prefect server is required (exit 2 otherwise), configs checked up front."""
    if not os.environ.get("PREFECT_API_URL"):
        err_console.print(f"[red]error:[/] `{command}` needs a Prefect server: run `prefect server start` and set "
                          "PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)", markup=True)
        raise typer.Exit(2)
    from flows.prefect_env import configure_prefect

    settings = settings_for(data_dir)
    src = (sources or _default_config("sources.yaml")).resolve()
    alr = (alerts or _default_config("alerts.yaml")).resolve()
    _check_configs(src, alr)
    configure_prefect(settings.data_dir)
    return settings, src, alr


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help="Cron schedule of the pipeline (server time zone).")] = "0 */2 * * *",
    sources: Annotated[Path | None, typer.Option(help="sources.yaml (sites to crawl).")] = None,
    alerts: Annotated[Path | None, typer.Option(help="alerts.yaml (rules and channels).")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Run the pipeline unattended on a cron schedule (Prefect `serve`; needs a Prefect server).

    Start one with `prefect server start` and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api): the
    temporary server `run` uses cannot keep schedules. Stopping `serve` does not pause the schedule.
    """
    settings, src, alr = _server_setup("serve", sources, alerts, data_dir)
    from flows.pipeline import pipeline

    console.print(f"serving the pipeline on cron {cron!r} (data in {settings.data_dir.resolve()}); each run prints "
                  "one summary line here. Ctrl-C stops serving (the schedule stays active).",
                  markup=False, highlight=False)
    # parameters carry no secret: the database URL and alert tokens come from the serving environment
    pipeline.serve(name="investwatch", cron=cron, pause_on_shutdown=False,
                   parameters={"sources_path": str(src), "alerts_path": str(alr),
                               "data_dir": str(settings.data_dir.resolve()), "kind": "run", "announce": True})


@app.command()
def deploy(
    pool: Annotated[str, typer.Option(help="Prefect work pool (create it: prefect work-pool create NAME "
                                           "--type process).")] = "investwatch",
    cron: Annotated[str, typer.Option(help="Cron schedule of the pipeline (server time zone).")] = "0 */2 * * *",
    name: Annotated[str, typer.Option(help="Deployment name.")] = "investwatch",
    sources: Annotated[Path | None, typer.Option(help="sources.yaml (sites to crawl).")] = None,
    alerts: Annotated[Path | None, typer.Option(help="alerts.yaml (rules and channels).")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Register the pipeline as a deployment on a work pool, one run at a time; `prefect worker`s run it.

    Needs a Prefect server (PREFECT_API_URL). The workers run this checkout's code and read
    INVESTWATCH_DATABASE_URL and the alert secrets from their own environment.
    """
    settings, src, alr = _server_setup("deploy", sources, alerts, data_dir)
    from flows.deploy import deploy_pipeline, deployment_parameters

    deployment_id = deploy_pipeline(name=name, pool=pool, cron=cron,
                                    parameters=deployment_parameters(src, alr, settings.data_dir))
    console.print(f"deployment pipeline/{name} ({deployment_id}) on pool {pool!r}, cron {cron!r}, one run at a "
                  f"time; start workers with: prefect worker start --pool {pool}", markup=False, highlight=False)


@app.command()
def demo(
    data_dir: Annotated[Path, typer.Option("--data-dir", help="Where the demo writes its database and files.")]
    = Path("investwatch-demo"),
    alerts: Annotated[Path | None, typer.Option(help="alerts.yaml for the demo (default: local file channel).")]
    = None,
) -> None:
    """The whole pipeline offline on the bundled sample sites served on 127.0.0.1."""
    from flows.demo import run_demo

    settings = settings_for(data_dir)
    _check_configs(None, alerts)
    from flows.progress import shown

    with _exclusive(settings), shown():
        result = run_demo(settings.data_dir, alerts)
    _summary(result, settings.data_dir, _db_shown(settings))


@app.command("parse-text")
def parse_text(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="UTF-8 article text.")],
    published: Annotated[str | None, typer.Option(help="Article date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
) -> None:
    """Print the parser's records for one article as JSON: {"projects": [...], "batches": [...]}."""
    if published is not None and not _valid_partial_date(published):
        raise typer.BadParameter("use YYYY-MM-DD, YYYY-MM or YYYY", param_hint="--published")
    from parsers import parse_article
    from parsers.utf8 import NotUtf8, decode_utf8

    try:
        text = decode_utf8(file.read_bytes(), str(file))
    except NotUtf8 as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(2) from None
    facts = parse_article(text, published)
    sys.stdout.write(json.dumps(facts.to_json(), ensure_ascii=False, indent=2) + "\n")


def _valid_partial_date(value: str) -> bool:
    """
    >>> [_valid_partial_date(v) for v in ("2023-02-03", "2023-02", "2023", "2023-13", "23")]
    [True, True, True, False, False]
    """
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            from datetime import datetime

            datetime.strptime(value, fmt)
            return len(value) in (4, 7, 10)
        except ValueError:
            continue
    return False


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Gold JSONL (seed schema).")],
    texts: Annotated[Path, typer.Option("--texts", exists=True, file_okay=False, help="Folder of article texts.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the parser against a gold file: project P/R/F1, field accuracy, batch F1."""
    from parsers.evaluate import evaluate
    from parsers.utf8 import NotUtf8

    try:
        report = evaluate(gold, texts)
    except NotUtf8 as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(report.to_table())


@app.command()
def export(
    data_dir: DataDirOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Re-read every row and rewrite every file, even current ones "
                                       "(after editing or damaging the files by hand).")] = False,
) -> None:
    """Bring the analyst dataset (CSV, Parquet, Excel) in DATA_DIR/dataset up to date with the database now.

    Every file whose rows changed since it was written is rewritten, the workbook too whatever its run cadence;
    a file's unchanged row buckets come from their cached parts, so the files are the bytes a full rewrite
    gives. Prints the files written.
    """
    from datetime import timedelta

    from storage.export import export_dataset

    settings = settings_for(data_dir)
    with open_session(data_dir) as session:
        paths = export_dataset(session, settings.data_dir / "dataset", force=full,
                               workbook_max_rows=settings.workbook_max_rows,
                               workbook_every=timedelta(hours=settings.workbook_refresh_hours),
                               workbook_every_from_rows=settings.workbook_every_run_below_rows, workbook_now=True)
    for p in paths:
        console.print(str(p))
    if not paths:
        err_console.print("the dataset is current: nothing changed since it was written (`--full` rewrites it all)")


@app.command()
def report(
    data_dir: DataDirOpt = None,
    today: Annotated[str | None, typer.Option(help="Reference day for lagging projects, YYYY-MM-DD.")] = None,
) -> None:
    """Write the HTML report (DATA_DIR/report/index.html; every run writes it too) and print its path."""
    from datetime import UTC, datetime

    from storage.report import write_report

    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--today") from None
    settings = settings_for(data_dir)
    with open_session(data_dir) as session:
        path = write_report(session, settings.data_dir / "report", settings.data_dir / "dataset", day,
                            datetime.now(UTC))
    console.print(str(path.resolve()))


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDirOpt = None) -> None:
    """Create or migrate the database schema to the newest version."""
    from storage.db import make_engine, upgrade

    settings = settings_for(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url())
    upgrade(engine)
    console.print(f"database at newest schema: {_db_shown(settings)}")


@app.command("project")
def project_cmd(
    project_id: Annotated[int, typer.Argument(help="Project id (see `investwatch projects`).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Show one project: its fields, its timeline and the articles behind each fact."""
    from flows.cli_projects import show_project

    show_project(project_id, data_dir)


@app.command("reparse")
def reparse_cmd(
    since: Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Re-run parsing and project resolution over stored articles (no re-crawl); overrides are kept."""
    from flows.cli_projects import reparse

    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    from flows.progress import shown
    from flows.runlock import EXIT_BUSY, RunBusy

    try:
        with shown():  # a line per parse batch: a re-parse of a large history takes a while
            result = reparse(since_date, data_dir)
    except RunBusy as exc:
        err_console.print(f"[yellow]busy:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(EXIT_BUSY) from None
    console.print(result)
    note = workbook_note(settings_for(data_dir).data_dir)
    if note:
        err_console.print(f"workbook:{escape(note)}", markup=True)


def main() -> None:
    # Scrapy/Prefect/JioNLP warnings are not for analysts; keep stdout for results
    os.environ.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    mask_std_streams()  # before any handler captures the raw streams
    app()


if __name__ == "__main__":
    main()
