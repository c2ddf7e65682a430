"""Fault-trial helpers shared by bench/fault and bench/prod-recipe: what a database holds twice, what a
receiver got per alert, and the processes a killed run leaves behind."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text


def alert_core(title: str) -> str:
    """The stored alert title without its leading 【label】s: what a single message or a digest item shows.

    >>> alert_core("【新项目】甲项目 | 20亿元 | 签约 | 江门市")
    '甲项目 | 20亿元 | 签约 | 江门市'
    """
    return re.sub(r"^(?:【[^】]*】)+", "", title)


def receipts(cores: dict[str, str], messages: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Per alert key: (plain receipts, 【重发】 receipts) among the received (title, body) messages.

    A single alert is its message's title (`【label】core`); in a digest each item is a line `N. core`.

    >>> receipts({"k": "甲 | 2亿元"}, [("【新】甲 | 2亿元", ""), ("【重发】提醒：2条", "1. 甲 | 2亿元\\n2. 乙 | 3亿元")])
    {'k': (1, 1)}
    """
    out = {}
    for key, core in cores.items():
        pattern = re.compile(r"(?:^|】|^\d+\. )" + re.escape(core) + r"$", re.MULTILINE)
        plain = resent = 0
        for title, body in messages:
            hits = len(pattern.findall(title)) + len(pattern.findall(body))
            if title.startswith("【重发】"):
                resent += hits
            else:
                plain += hits
        out[key] = (plain, resent)
    return out


def score(counts: dict[str, tuple[int, int]]) -> tuple[int, int, int]:
    """(duplicates, losses, re-sends): one 【重发】 copy of an alert also received plainly is the allowed re-send.

    >>> score({"a": (1, 0), "b": (2, 0), "c": (1, 1), "d": (0, 0), "e": (0, 1), "f": (1, 2)})
    (2, 1, 2)
    """
    dups = losses = resends = 0
    for plain, resent in counts.values():
        if plain + resent == 0:
            losses += 1
        elif plain and resent:
            resends += 1
            dups += plain + resent - 2
        else:
            dups += plain + resent - 1
    return dups, losses, resends


def manifest_paths(shared: Path, site: str) -> set[str]:
    manifest = json.loads((shared / "web" / "MANIFEST.json").read_text(encoding="utf-8"))
    return {a["url"] for a in manifest["sites"][site]["articles"] if a["http_status"] == 200}


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (from /proc), zombies excluded."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            pids.append(int(stat.parent.name))
    return pids


def end_group(pgid: int) -> int:
    """SIGKILL what is left of a run's own process group (orphans of a killed run); returns how many."""
    left = group_members(pgid)
    if left:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(left)


@dataclass
class Stored:
    article_paths: set[str]
    duplicate_rows: dict[str, int]
    alert_cores: dict[str, str]  # key -> core title
    statuses: dict[str, int]


def stored(db_url: str) -> Stored:
    engine = create_engine(db_url)
    try:
        with engine.connect() as c:
            def extra(sql: str) -> int:
                return int(c.execute(text(f"SELECT COALESCE(SUM(n - 1), 0) FROM ({sql}) AS g")).scalar_one())

            dups = {"article urls": extra("SELECT COUNT(*) AS n FROM article_urls GROUP BY url"),
                    "articles": extra("SELECT COUNT(*) AS n FROM articles WHERE version_of_id IS NULL GROUP BY url"),
                    "projects": extra("SELECT COUNT(*) AS n FROM projects GROUP BY name"),
                    "alerts": extra("SELECT COUNT(*) AS n FROM alerts GROUP BY key, channel")}
            paths = {urlsplit(u).path for (u,) in c.execute(text("SELECT url FROM article_urls"))}
            rows = c.execute(text("SELECT key, title, status FROM alerts")).all()
    except Exception as exc:  # noqa: BLE001 -- a run that never created its tables: nothing stored
        print(f"  (database not readable: {type(exc).__name__}: {str(exc)[:120]})", file=sys.stderr)
        return Stored(set(), {}, {}, {})
    finally:
        engine.dispose()
    statuses: dict[str, int] = {}
    for _, _, status in rows:
        statuses[status] = statuses.get(status, 0) + 1
    return Stored(paths, dups, {k: alert_core(t) for k, t, _ in rows}, statuses)
