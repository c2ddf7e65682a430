"""Which projects the report lists as lagging: signed long ago with no start, or past an expected milestone."""

from __future__ import annotations

from datetime import date

import pandas as pd

from storage.report_data import lagging


def test_lagging_projects_and_their_reasons() -> None:
    projects = pd.DataFrame({
        "project_id": [1, 2, 3, 4],
        "name": ["甲项目", "乙项目", "丙项目", "丁项目"],
        "district": ["江海区", None, "蓬江区", "新会区"],
        "stage": ["signed", "started", "in_production", "signed"],
        "signed_on": ["2025-01-10", None, None, "2026-11"],
        "stage_date": ["2025-01-10", "2025-05-01", "2026-01-01", "2026-11"],
    })
    milestones = pd.DataFrame({
        "project_id": [1, 2, 3, 9, 2],
        "kind": ["reported", "expected", "expected", "expected", "expected"],
        "stage": ["signed", "in_production", "in_production", "started", "completed"],
        "date": ["2025-01-08", "2026-06", "2026-06", "2025-01", "2027"],
    })
    out = lagging(projects, milestones, date(2026, 12, 3))
    got = {(r.project_id, r.reason, r.due, r.days_late) for r in out.itertuples()}
    assert got == {
        (1, "签约超过180天未开工", date(2025, 7, 7), 514),  # from the reported signing day, not signed_on
        (2, "计划2026-06投产，未见报道", date(2026, 6, 30), 156),
    }  # 3 reached its stage, 4 signed a month ago, 9 is no stored project, 2's 2027 is not due yet
    assert list(out["project_id"]) == [1, 2]  # latest first
    assert out.loc[out.project_id == 2, "district"].isna().all()
