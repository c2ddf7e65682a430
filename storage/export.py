"""Analyst dataset: projects, milestones, mentions, batches and articles as CSV, Parquet and one Excel book."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.atomic import replace_atomically
from storage.models import Article, ArticleUrl, Batch, Mention, Milestone, Project

# Column order is the documented schema (README "Dataset"); new columns go at the end.
PROJECT_COLUMNS = [
    "project_id", "name", "investor", "amount_yuan", "amount_yi", "amount_qualifier", "amount_text",
    "stage", "stage_date", "location", "city", "district", "industry", "is_expansion",
    "first_seen_at", "first_article_url", "article_count", "article_urls",
    "signed_on", "expansion_of_id",
]


def _frames(session: Session) -> dict[str, pd.DataFrame]:
    articles = pd.DataFrame(
        session.execute(
            select(Article.id.label("article_id"), Article.url, Article.title, Article.published_on,
                   Article.origin, Article.parse_status, Article.parser_version, Article.parse_error,
                   Article.created_at)
            .order_by(Article.id)
        ).mappings().all(),
        columns=["article_id", "url", "title", "published_on", "origin", "parse_status", "parser_version",
                 "parse_error", "created_at"],
    )
    urls = pd.DataFrame(
        session.execute(select(ArticleUrl.article_id, ArticleUrl.url)).mappings().all(),
        columns=["article_id", "url"],
    )
    copies = urls.groupby("article_id")["url"].apply(lambda s: " ".join(sorted(s))) if len(urls) else None
    articles["all_urls"] = articles["article_id"].map(copies) if copies is not None else ""

    mentions = pd.DataFrame(
        session.execute(
            select(Mention.project_id, Mention.article_id, Article.url.label("article_url"),
                   Article.published_on, Mention.name.label("name_as_written"), Mention.amount_yuan,
                   Mention.stage, Mention.evidence, Mention.parser_version)
            .join(Article, Article.id == Mention.article_id)
            .order_by(Mention.project_id, Article.published_on, Article.id)
        ).mappings().all(),
        columns=["project_id", "article_id", "article_url", "published_on", "name_as_written", "amount_yuan",
                 "stage", "evidence", "parser_version"],
    )
    milestones = pd.DataFrame(
        session.execute(
            select(Milestone.project_id, Milestone.kind, Milestone.stage, Milestone.date, Milestone.text,
                   Milestone.article_id, Article.url.label("article_url"))
            .join(Article, Article.id == Milestone.article_id)
            .order_by(Milestone.project_id, Milestone.kind.desc(), Milestone.date)
        ).mappings().all(),
        columns=["project_id", "kind", "stage", "date", "text", "article_id", "article_url"],
    )
    batches = pd.DataFrame(
        session.execute(
            select(Batch.id.label("batch_id"), Batch.article_id, Article.url.label("article_url"), Batch.event_text,
                   Batch.date, Batch.location, Batch.project_count, Batch.count_qualifier, Batch.amount_yuan,
                   Batch.amount_qualifier, Batch.stages, Batch.part_of, Batch.evidence)
            .join(Article, Article.id == Batch.article_id)
            .order_by(Batch.id)
        ).mappings().all(),
        columns=["batch_id", "article_id", "article_url", "event_text", "date", "location", "project_count",
                 "count_qualifier", "amount_yuan", "amount_qualifier", "stages", "part_of", "evidence"],
    )
    if len(batches):
        batches["stages"] = batches["stages"].map(lambda v: ",".join(v or []))

    projects = pd.DataFrame(
        session.execute(
            select(Project.id.label("project_id"), Project.name, Project.investor, Project.amount_yuan,
                   Project.amount_qualifier, Project.amount_text, Project.stage, Project.stage_date,
                   Project.location, Project.city, Project.district, Project.industry, Project.is_expansion,
                   Project.first_seen_at, Project.first_article_id, Project.expansion_of_id)
            .where(Project.merged_into_id.is_(None))
            .order_by(Project.id)
        ).mappings().all(),
        columns=["project_id", "name", "investor", "amount_yuan", "amount_qualifier", "amount_text", "stage",
                 "stage_date", "location", "city", "district", "industry", "is_expansion", "first_seen_at",
                 "first_article_id", "expansion_of_id"],
    )
    projects["expansion_of_id"] = projects["expansion_of_id"].astype("Int64")
    # integer yuan stays exact: nullable Int64, never float
    for frame in (projects, mentions, batches):
        if "amount_yuan" in frame:
            frame["amount_yuan"] = frame["amount_yuan"].astype("Int64")
    projects["amount_yi"] = projects["amount_yuan"].map(lambda v: None if pd.isna(v) else f"{v / 1e8:g}")
    url_of = dict(zip(articles["article_id"], articles["url"], strict=True))
    projects["first_article_url"] = projects["first_article_id"].map(url_of)
    per_project = mentions.groupby("project_id")["article_url"] if len(mentions) else None
    projects["article_count"] = (projects["project_id"].map(per_project.nunique()).fillna(0).astype(int)
                                 if per_project is not None else 0)
    projects["article_urls"] = (projects["project_id"].map(per_project.apply(lambda s: " ".join(dict.fromkeys(s))))
                                if per_project is not None else "")
    # officials count a project once, at its first signing: the earliest reported signing date
    signed = milestones[(milestones["kind"] == "reported") & (milestones["stage"] == "signed")].dropna(subset=["date"])
    projects["signed_on"] = projects["project_id"].map(signed.groupby("project_id")["date"].min()) if len(signed) else None
    projects = projects[PROJECT_COLUMNS]
    return {"projects": projects, "milestones": milestones, "mentions": mentions, "batches": batches,
            "articles": articles}


def _replace(path: Path, write: object) -> None:
    """Write to a unique temp file and rename, so a reader never sees a half-written dataset."""
    replace_atomically(path, write)  # type: ignore[arg-type]


def export_dataset(session: Session, out_dir: Path) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, so Excel shows Chinese) and Parquet, plus investwatch.xlsx."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = _frames(session)
    written: list[Path] = []
    for name, frame in frames.items():
        csv_path, pq_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
        _replace(csv_path, lambda p, f=frame: f.to_csv(p, index=False, encoding="utf-8-sig"))
        _replace(pq_path, lambda p, f=frame: f.to_parquet(p, index=False))
        written += [csv_path, pq_path]
    xlsx = out_dir / "investwatch.xlsx"

    def _excel(p: Path) -> None:
        with pd.ExcelWriter(p, engine="openpyxl") as xw:
            for name, frame in frames.items():
                tz_free = frame.copy()
                for col in tz_free.columns:
                    if isinstance(tz_free[col].dtype, pd.DatetimeTZDtype):
                        tz_free[col] = tz_free[col].dt.tz_convert("UTC").dt.tz_localize(None)  # Excel has no tz
                tz_free.to_excel(xw, sheet_name=name, index=False)

    _replace(xlsx, _excel)
    written.append(xlsx)
    return written
