"""`investwatch sources …`: add a site to sources.yaml from its name and one URL (kind detected)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text
from w3lib.encoding import html_to_unicode

from flows.cli_common import plain_console, term

if TYPE_CHECKING:
    from spiders.config import Source
    from spiders.detect import ListPlan

# the spiders/config modules (pydantic, courlan, lxml, scrapy's settings) are imported inside the commands
# that use them, so `investwatch --help` and the other commands do not pay for them at start-up

sources_app = typer.Typer(help="The crawled sites (sources.yaml).", no_args_is_help=False, add_completion=False)


@sources_app.callback(invoke_without_command=True)
def _group(
    ctx: typer.Context,
    silent_runs: Annotated[int, typer.Option(help="Flag a source silent for this many runs in a row.")] = 3,
    failing_runs: Annotated[int, typer.Option(help="Flag a source whose extraction failed this many runs in a row.")]
    = 1,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (env INVESTWATCH_DATA_DIR).")]
    = None,
) -> None:
    """The crawled sites: with no subcommand, each source's health over its recent runs.

    A source is flagged, with the cause, when every request of its latest runs failed, when one of its list
    pages keeps failing (kept pending and retried first, given up after INVESTWATCH_LIST_MAX_ATTEMPTS runs),
    when it has been silent for --silent-runs runs, or when its extraction fails.
    """
    if ctx.invoked_subcommand is not None:
        return
    from flows.cli_common import open_session
    from storage.repo import source_health

    with open_session(data_dir) as session:
        rows = source_health(session)
    table = Table(title="sources (latest run; flagged when requests, list pages or extraction fail, or silent)")
    for col in ("source", "runs", "links", "pages", "new", "errors", "empty", "last ok", "flag", "last error"):
        table.add_column(col, overflow="fold")
    for h in rows:
        flag = h.flag(silent_runs, failing_runs) or ""
        table.add_row(term(h.source), str(h.runs), *(str(h.last.get(k, 0)) for k in
                      ("links_found", "pages", "new_articles", "errors", "empty_extractions")),
                      h.last_ok or "—", Text(term(flag), style="red") if flag else "ok", term((h.last_error or "")[:120]))
    plain_console().print(table)


FETCH_TIMEOUT_S = 15.0
MAX_BYTES = 1024 * 1024  # enough to recognise any listing


def fetch_for_detection(url: str, timeout_s: float = FETCH_TIMEOUT_S) -> tuple[bytes, str, str]:
    """(first bytes of the body, Content-Type, final URL) of one GET; raises OSError on failure."""
    import urllib.request

    from spiders.run import USER_AGENT

    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - http(s) checked by Source
        return resp.read(MAX_BYTES), resp.headers.get("Content-Type", ""), resp.geturl()


def entry_yaml(entry: dict[str, str], indent: int) -> str:
    """One sources.yaml list entry as YAML text, indented to sit in the file's list.

    >>> print(entry_yaml({"name": "a", "url": "http://x.cn/rss.xml", "kind": "feed"}, 2), end="")
      - name: a
        url: http://x.cn/rss.xml
        kind: feed
    """
    import yaml

    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    pad = " " * indent
    return "".join(pad + line + "\n" for line in text.splitlines())


def append_source(path: Path, entry: dict[str, str]) -> Source:
    """Append ``entry`` to the sources file as text (comments and layout kept), then validate.

    Refuses a name already present; on any validation error the file is restored and
    ConfigError raised.
    """
    import yaml

    from parsers.utf8 import NotUtf8, decode_utf8
    from spiders.config import ConfigError, Source, load_sources
    from storage.atomic import write_text_atomically

    try:
        original = decode_utf8(path.read_bytes(), str(path)) if path.exists() else ""
    except NotUtf8 as exc:
        raise ConfigError(str(exc)) from None
    existing = load_sources(path) if original.strip() else []
    if any(s.name == entry["name"] for s in existing):
        raise ConfigError(f"{path}: a source named {entry['name']!r} already exists")
    Source.model_validate(entry)  # fail before touching the file
    raw = yaml.safe_load(original) if original.strip() else None
    if raw is None or raw == {"sources": None} or raw == {"sources": []}:
        # nothing listed yet (`sources: []`, a bare `sources:`): the list cannot be appended to as text, so
        # the key is rewritten as a block list; comments above it are kept
        kept = "".join(line + "\n" for line in original.splitlines()
                       if line.lstrip().startswith("#") or not line.strip())
        text = kept + "sources:\n" + entry_yaml(entry, 2)
    else:
        # entries under a `sources:` key are indented like the first one; a bare list is not
        indent = 2 if isinstance(raw, dict) else 0
        if isinstance(raw, dict):
            for line in original.splitlines():
                stripped = line.lstrip()
                if stripped.startswith("- ") and not stripped.startswith("#"):
                    indent = len(line) - len(stripped)
                    break
        sep = "" if original.endswith("\n") else "\n"
        text = original + sep + "\n" + entry_yaml(entry, indent)
    write_text_atomically(path, text)
    try:
        added = [s for s in load_sources(path) if s.name == entry["name"]]
        if len(added) != 1:
            raise ConfigError(f"{path}: the appended entry did not land in the sources list")
    except ConfigError:
        write_text_atomically(path, original)
        raise
    return added[0]


@sources_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Unique source name, e.g. jiangmen-gov-zwyw.")],
    url: Annotated[str, typer.Argument(help="List page, RSS/Atom feed, sitemap (or robots.txt) or JSON list API.")],
    sources: Annotated[Path, typer.Option("--sources", help="The sources file to extend.")] = Path("sources.yaml"),
    city: Annotated[str | None, typer.Option("--city", help="City the source covers, e.g. 江门市.")] = None,
    district: Annotated[str | None, typer.Option("--district", help="District, e.g. 江海区.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="list|feed|sitemap|api; detected when omitted (a list page "
                                             "rendered from a JSON API is configured as that API).")] = None,
) -> None:
    """Add a site: fetch URL to detect its kind (and, for a list page, whether it is rendered from a JSON API),
    then append the entry to the sources file and print what was configured."""
    from spiders.config import ConfigError
    from spiders.detect import KINDS, detect_kind

    if kind is not None and kind not in KINDS:
        typer.echo(f"--kind must be one of {', '.join(KINDS)}", err=True)
        raise typer.Exit(2)
    entry: dict[str, str] = {"name": name, "url": url}
    notes: list[str] = []
    if kind is None:
        try:
            body, content_type, final_url = fetch_for_detection(url)
        except (OSError, ValueError, urllib.error.URLError) as e:
            typer.echo(f"cannot fetch {url} to detect its kind ({e}); give --kind", err=True)
            raise typer.Exit(1) from e
        kind = detect_kind(url, body, content_type)
        if kind == "list":
            plan = _plan_list(url, final_url, body, content_type)
            kind, entry["url"], notes = plan.kind, plan.url, plan.notes
            if plan.list_api:
                entry["list_api"] = plan.list_api
    entry["kind"] = kind
    if city:
        entry["city"] = city
    if district:
        entry["district"] = district
    if entry["url"] != url:
        entry["note"] = f"added from the list page {url}"
    try:
        append_source(sources, entry)
    except (ConfigError, ValueError) as e:
        typer.echo(f"not added: {e}", err=True)
        raise typer.Exit(1) from e
    for line in notes:
        typer.echo(f"  {term(line)}")
    extra = f", list_api {entry['list_api']}" if "list_api" in entry else ""
    typer.echo(f"added {name} ({kind}: {term(entry['url'])}{term(extra)}) to {sources}")


def _plan_list(url: str, final_url: str, body: bytes, content_type: str) -> ListPlan:
    """Fetch what the list page points at (API candidates, next page; a few bounded GETs) and decide."""
    from spiders.detect import Probe, plan_list, probe_urls

    _, html = html_to_unicode(content_type, body)  # w3lib: header, BOM and <meta charset>, as Scrapy decodes
    base = final_url or url
    probes: dict[str, Probe] = {}
    failed: list[str] = []
    for target in probe_urls(base, html):
        try:
            pbody, ptype, _ = fetch_for_detection(target)
        except (OSError, ValueError, urllib.error.URLError) as e:
            failed.append(f"could not fetch {target}: {e}")
            continue
        probes[target] = Probe(target, pbody, ptype)
    plan = plan_list(base, html, probes)
    if plan.kind == "list" and plan.url == base:
        plan = replace(plan, url=url)  # keep the URL as the user gave it
    return replace(plan, notes=failed + plan.notes)
