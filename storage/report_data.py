"""The report's figures as plain frames: biggest projects, totals by district and month, funnel, lagging."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from alerts.periods import period_end as _period_end

STAGE_ORDER = ("signed", "started", "capped", "completed", "trial_production", "in_production", "full_production")
FUNNEL = ("signed", "started", "in_production")  # 签约 -> 开工 -> 投产
UNKNOWN_DISTRICT = "未知区县"


def stage_rank(stage: object) -> int:
    """Position in the stage order; -1 when unknown.

    >>> stage_rank("signed"), stage_rank("in_production"), stage_rank(None)
    (0, 5, -1)
    """
    return STAGE_ORDER.index(stage) if isinstance(stage, str) and stage in STAGE_ORDER else -1


def period_end(value: object) -> date | None:
    """`alerts.periods.period_end` of a frame cell (NaN, None and impossible dates such as 2018-09-35 are None:
    one bad stored value must not fail the report, and with it every run's export).

    >>> period_end("2023-02"), period_end(float("nan")), period_end("2018-09-35"), full_date("2023-02-29")
    (datetime.date(2023, 2, 28), None, None, None)
    """
    return _period_end(value) if isinstance(value, str) else None


def full_date(value: object) -> date | None:
    """A full ISO date, else None (partial dates cannot give day counts)."""
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 and period_end(value) else None


def _districts(projects: pd.DataFrame) -> pd.Series:
    return projects["district"].where(projects["district"].notna() & (projects["district"] != ""), UNKNOWN_DISTRICT)


def amount_by_district(projects: pd.DataFrame) -> pd.DataFrame:
    """district, projects, amount_yi (sum of known amounts), biggest first."""
    frame = projects.assign(district=_districts(projects), yi=projects["amount_yuan"].astype("Float64") / 1e8)
    out = frame.groupby("district").agg(projects=("project_id", "count"), amount_yi=("yi", "sum")).reset_index()
    out["amount_yi"] = out["amount_yi"].astype(float).round(2)
    return out.sort_values(["amount_yi", "district"], ascending=[False, True]).reset_index(drop=True)


def amount_by_month(projects: pd.DataFrame) -> pd.DataFrame:
    """month (YYYY-MM of the first report), projects, amount_yi; in time order."""
    first = pd.to_datetime(projects["first_reported_on"], errors="coerce")
    frame = projects.assign(month=first.dt.strftime("%Y-%m"), yi=projects["amount_yuan"].astype("Float64") / 1e8)
    frame = frame.dropna(subset=["month"])
    out = frame.groupby("month").agg(projects=("project_id", "count"), amount_yi=("yi", "sum")).reset_index()
    out["amount_yi"] = out["amount_yi"].astype(float).round(2)
    return out.sort_values("month").reset_index(drop=True)


def _first_dates(milestones: pd.DataFrame, stage: str) -> pd.Series:
    rows = milestones[(milestones["kind"] == "reported") & (milestones["stage"] == stage)]
    # full_date once per distinct date string: a history has a few thousand dates over its many milestones
    days = {d: full_date(d) for d in rows["date"].dropna().unique()}
    dated = rows.assign(day=rows["date"].map(days)).dropna(subset=["day"])
    return dated.groupby("project_id")["day"].min()


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def _day_gaps(a: pd.Series, b: pd.Series) -> dict[Any, int]:
    """Days from a to b per project that has both, b not before a (plain dicts: Series look-ups per id cost
    ~1 s at 30k stored articles, every run)."""
    da, db = a.to_dict(), b.to_dict()
    return {i: (db[i] - da[i]).days for i in da.keys() & db.keys() if db[i] >= da[i]}


def _median_days(gaps: dict[Any, int], ids: pd.Series) -> float | None:
    days = [gaps[i] for i in ids if i in gaps]
    return float(pd.Series(days).median()) if days else None


def funnel_by_district(projects: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """Per district: projects that reached 签约/开工/投产, the rates between them and median days between stages.

    A project has reached a stage when its current stage is that one or later. 开工率 = 开工/签约,
    投产率 = 投产/开工, 履约率 = 投产/签约 (signed projects delivered). Days use full reported dates only.
    """
    ranks = projects["stage"].map(stage_rank)
    frame = projects.assign(district=_districts(projects), rank=ranks)
    firsts = {s: _first_dates(milestones, s) for s in FUNNEL}
    to_start = _day_gaps(firsts["signed"], firsts["started"])
    to_production = _day_gaps(firsts["started"], firsts["in_production"])
    rows = []
    for district, group in [("全部", frame), *sorted(frame.groupby("district"), key=lambda kv: str(kv[0]))]:
        n = {s: int((group["rank"] >= stage_rank(s)).sum()) for s in FUNNEL}
        ids = group["project_id"]
        rows.append({
            "district": district, "signed": n["signed"], "started": n["started"], "in_production": n["in_production"],
            "start_rate": _rate(n["started"], n["signed"]), "production_rate": _rate(n["in_production"], n["started"]),
            "delivery_rate": _rate(n["in_production"], n["signed"]),
            "days_signed_to_started": _median_days(to_start, ids),
            "days_started_to_production": _median_days(to_production, ids),
        })
    return pd.DataFrame(rows)


def lagging(projects: pd.DataFrame, milestones: pd.DataFrame, today: date, signed_days: int = 180) -> pd.DataFrame:
    """Projects signed more than ``signed_days`` ago with no start, and expected milestones already passed.

    Columns: project_id, name, district, reason, due (the date it was due), days_late.
    """
    # plain columns and a dict, not iterrows/.loc: this runs on every run over every project (1.9 s at 10k)
    rows = []
    info = dict(zip(projects["project_id"], zip(projects["name"], projects["district"], projects["stage"],
                                                strict=True), strict=True))
    signed_first = _first_dates(milestones, "signed").to_dict()
    wait = timedelta(days=signed_days)
    signed = projects[projects["stage"] == "signed"]
    for pid, name, district, signed_on, stage_date in zip(signed["project_id"], signed["name"], signed["district"],
                                                          signed["signed_on"], signed["stage_date"], strict=True):
        day = signed_first.get(pid) or period_end(signed_on) or period_end(stage_date)
        if day is not None and day + wait < today:
            rows.append({"project_id": pid, "name": name, "district": district,
                         "reason": f"签约超过{signed_days}天未开工", "due": day + wait})
    expected = milestones[milestones["kind"] == "expected"]
    for pid, when, stage in zip(expected["project_id"], expected["date"], expected["stage"], strict=True):
        due = period_end(when)
        if due is None or due >= today or pid not in info:
            continue
        name, district, current = info[pid]
        if stage_rank(current) < stage_rank(stage):
            rows.append({"project_id": pid, "name": name, "district": district,
                         "reason": f"计划{when}{_ZH.get(stage, stage)}，未见报道", "due": due})
    out = pd.DataFrame(rows, columns=["project_id", "name", "district", "reason", "due"])
    out = out.drop_duplicates(["project_id", "reason"])
    out["days_late"] = [(today - d).days for d in out["due"]]
    return out.sort_values("days_late", ascending=False).reset_index(drop=True)


_ZH = {"signed": "签约", "started": "开工", "capped": "封顶", "completed": "竣工", "trial_production": "试产",
       "in_production": "投产", "full_production": "达产"}


def biggest(projects: pd.DataFrame, articles: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The ``n`` biggest projects by amount, with their first article's title and URL."""
    titles = dict(zip(articles["url"], articles["title"], strict=True))
    top = projects.dropna(subset=["amount_yuan"]).sort_values("amount_yuan", ascending=False).head(n)
    return top.assign(first_article_title=top["first_article_url"].map(titles))


def new_projects(projects: pd.DataFrame, changes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The projects changes.csv lists as new since the last run, biggest first."""
    ids = set(changes.loc[changes["change"] == "new_project", "project_id"].dropna().astype(int))
    titles = dict(zip(articles["url"], articles["title"], strict=True))
    new = projects[projects["project_id"].isin(ids)].sort_values("amount_yuan", ascending=False, na_position="last")
    return new.assign(first_article_title=new["first_article_url"].map(titles))
