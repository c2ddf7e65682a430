"""DATA_DIR/report/index.html: one self-contained static page (Plotly's JS embedded) for the analyst."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from sqlalchemy.orm import Session

from storage import report_data as rd
from storage.atomic import atomic_write_text
from storage.dataset import dataset_frames
from storage.sanitize import html_text, safe_href, strip_controls
from storage.schema import columns, csv_read_kwargs
from storage.workbook import QUALIFIER_WORDS, STAGE_WORDS

CHART_IDS = ("chart-district", "chart-month", "chart-funnel")


@dataclass(frozen=True)
class HealthRow:
    source: str
    runs: int
    last: dict[str, int]
    last_ok: str | None
    flag: str
    last_error: str | None


def chart_label(value: object) -> str:
    """A label for a chart: Plotly renders a subset of HTML in labels, so markup characters become full-width.

    >>> chart_label('<img src=x onerror=alert(1)>&')
    '＜img src=x onerror=alert(1)＞＆'
    """
    text = strip_controls("" if value is None else str(value))
    return text.replace("&", "＆").replace("<", "＜").replace(">", "＞")


def _text(value: object) -> str:
    """Escaped text, "—" for a missing value (pandas gives NaN for missing text)."""
    return html_text(value) if isinstance(value, str) and value else "—"


def _yi(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value) / 1e8:,.2f}"  # type: ignore[call-overload, arg-type]


def _pct(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0%}"  # type: ignore[call-overload, arg-type]


def _days(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0f}"  # type: ignore[call-overload, arg-type]


def link(url: object, text: object) -> str:
    """An escaped link, or the escaped text alone when the URL is not http(s)."""
    href = safe_href(url)
    label = html_text(text if isinstance(text, str) and text else url)
    return f'<a href="{href}" rel="noopener noreferrer">{label}</a>' if href else label


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], empty: str = "无") -> str:
    """An HTML table; every cell is already escaped HTML (built with html_text or link)."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    if not body:
        return f'<p class="empty">{html_text(empty)}</p>'
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _project_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [[html_text(r.name), html_text(QUALIFIER_WORDS.get(r.amount_qualifier, "") if r.amount_qualifier != "exact"
                                          else "") + _yi(r.amount_yuan),
             html_text(STAGE_WORDS.get(r.stage, "—")), _text(r.district),
             link(r.first_article_url, r.first_article_title)] for r in frame.itertuples()]


def _figure(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(margin={"l": 60, "r": 20, "t": 40, "b": 80}, height=360, template="plotly_white")
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})
    return html


def district_chart(by_district: pd.DataFrame) -> str:
    fig = go.Figure(go.Bar(x=[chart_label(d) for d in by_district["district"]], y=by_district["amount_yi"]))
    fig.update_layout(title="各区县总投资（亿元）")
    return _figure(fig, "chart-district")


def month_chart(by_month: pd.DataFrame) -> str:
    fig = go.Figure(go.Bar(x=list(by_month["month"]), y=by_month["amount_yi"]))
    fig.update_layout(title="各月首次报道项目总投资（亿元）", xaxis={"type": "category"})
    return _figure(fig, "chart-month")


def funnel_chart(funnel: pd.DataFrame) -> str:
    labels = [chart_label(d) for d in funnel["district"]]
    fig = go.Figure([go.Bar(name=STAGE_WORDS[s], x=labels, y=funnel[s]) for s in rd.FUNNEL])
    fig.update_layout(title="签约 → 开工 → 投产（项目数）", barmode="group")
    return _figure(fig, "chart-funnel")


def _funnel_rows(funnel: pd.DataFrame) -> list[list[str]]:
    return [[html_text(r.district), str(r.signed), str(r.started), str(r.in_production), _pct(r.start_rate),
             _pct(r.production_rate), _pct(r.delivery_rate), _days(r.days_signed_to_started),
             _days(r.days_started_to_production)] for r in funnel.itertuples()]


def _health_rows(health: Sequence[HealthRow]) -> list[list[str]]:
    return [[html_text(h.source), str(h.runs), *(str(h.last.get(k, 0)) for k in ("links_found", "pages",
             "new_articles", "errors")), html_text(h.last_ok or "—"), html_text(h.flag or "正常"),
             html_text((h.last_error or "")[:160])] for h in health]


STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:24px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left}
th{background:#f3f5f8}.cards{display:flex;gap:16px}.card{background:#f3f5f8;padding:12px 16px;border-radius:6px}
.card b{display:block;font-size:22px}.empty{color:#888}.note{color:#666;font-size:12px}"""


def render_report(frames: dict[str, pd.DataFrame], changes: pd.DataFrame, health: Sequence[HealthRow],
                  today: date, generated_at: datetime, lag_days: int = 180) -> str:
    """The whole page as a string (pure: everything it shows is passed in)."""
    projects, milestones, articles = frames["projects"], frames["milestones"], frames["articles"]
    by_district, by_month = rd.amount_by_district(projects), rd.amount_by_month(projects)
    funnel = rd.funnel_by_district(projects, milestones)
    late = rd.lagging(projects, milestones, today, lag_days)
    new = rd.new_projects(projects, changes, articles)
    total = projects["amount_yuan"].dropna().astype("int64").sum()
    heads = ["项目名称", "总投资(亿元)", "阶段", "区县", "首篇报道"]
    cards = "".join(f'<div class="card">{html_text(k)}<b>{html_text(v)}</b></div>' for k, v in [
        ("项目", str(len(projects))), ("总投资(亿元)", _yi(total)), ("本次新增", str(len(new))),
        ("文章", str(len(articles))), ("滞后项目", str(late["project_id"].nunique()))])
    sections = [
        f"<h1>investwatch 招商项目报告</h1><p class=note>生成于 {html_text(generated_at.strftime('%Y-%m-%d %H:%M'))}"
        f"（UTC），统计日 {html_text(today.isoformat())}</p><div class=cards>{cards}</div>",
        "<h2>上次运行以来的新项目</h2>" + table(heads, _project_rows(new), "上次运行以来没有新项目"),
        "<h2>投资额最大的项目</h2>" + table(heads, _project_rows(rd.biggest(projects, articles))),
        "<h2>按区县</h2>" + district_chart(by_district) + table(
            ["区县", "项目数", "总投资(亿元)"],
            [[html_text(r.district), str(r.projects), f"{r.amount_yi:,.2f}"] for r in by_district.itertuples()]),
        "<h2>按月份</h2>" + month_chart(by_month),
        "<h2>签约 → 开工 → 投产</h2>" + funnel_chart(funnel) + table(
            ["区县", "签约", "开工", "投产", "开工率", "投产率", "履约率", "签约→开工中位天数", "开工→投产中位天数"],
            _funnel_rows(funnel))
        + "<p class=note>项目到达某阶段指其当前阶段为该阶段或更靠后。开工率=开工/签约，投产率=投产/开工，"
          "履约率=投产/签约；天数只用报道中的完整日期。</p>",
        f"<h2>滞后项目</h2><p class=note>签约超过{lag_days}天未见开工，或计划节点已过而未见报道。</p>" + table(
            ["项目名称", "区县", "原因", "应于", "已逾期(天)"],
            [[html_text(r.name), _text(r.district), html_text(r.reason), html_text(r.due.isoformat()),
              str(r.days_late)] for r in late.itertuples()], "没有滞后项目"),
        "<h2>来源健康</h2>" + table(["来源", "运行次数", "链接", "页面", "新文章", "错误", "最近正常", "状态", "最近错误"],
                                   _health_rows(health), "没有来源"),
    ]
    return ("<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>investwatch 报告</title>"
            f"<meta name=viewport content='width=device-width'><style>{STYLE}</style>"
            f"<script>{get_plotlyjs()}</script></head><body>" + "".join(sections) + "</body></html>")


def health_rows(session: Session, silent_runs: int = 3) -> list[HealthRow]:
    from storage.repo import source_health

    out = []
    for h in source_health(session):
        # every request or a list page failing: the cause in plain words, before silence and extraction
        flag = (h.problem if h.problem else f"连续{h.silent_runs}次无新内容" if h.silent_runs >= silent_runs else
                f"连续{h.failing_extractions}次提取失败" if h.failing_extractions else "")
        out.append(HealthRow(h.source, h.runs, h.last, h.last_ok, flag, h.last_error))
    return out


def read_changes(dataset_dir: Path) -> pd.DataFrame:
    path = dataset_dir / "changes.csv"
    if not path.exists():
        return pd.DataFrame(columns=columns("changes"))
    return pd.read_csv(path, **csv_read_kwargs("changes"))


REPORT_COLUMNS = {"projects": None, "milestones": None, "articles": ["url", "title"]}  # None: every column


def dataset_from_files(dataset_dir: Path) -> dict[str, pd.DataFrame] | None:
    """The tables the report shows, as the export just wrote them (Parquet: a columnar read, no query and no
    rebuilding of the whole dataset in memory); None when a file is missing."""
    paths = {t: dataset_dir / f"{t}.parquet" for t in REPORT_COLUMNS}
    if not all(p.exists() for p in paths.values()):
        return None
    return {t: pd.read_parquet(paths[t], columns=cols) for t, cols in REPORT_COLUMNS.items()}


def write_report(session: Session, report_dir: Path, dataset_dir: Path, today: date, now: datetime, *,
                 from_files: bool = False) -> Path:
    """Render the report into report_dir/index.html from the database (or, ``from_files``, from the dataset
    the export just wrote) and the last run's changes.csv."""
    frames = dataset_from_files(dataset_dir) if from_files else None
    html = render_report(frames if frames is not None else dataset_frames(session), read_changes(dataset_dir),
                         health_rows(session), today, now)
    return atomic_write_text(report_dir / "index.html", html)
