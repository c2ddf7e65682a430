"""The report's funnel per district: how many projects reached each stage, the rates, and median days between stages."""

from __future__ import annotations

import pandas as pd

from storage.report_data import funnel_by_district


def test_funnel_counts_rates_and_median_days() -> None:
    projects = pd.DataFrame({
        "project_id": [1, 2, 3, 4, 5],
        "district": ["江海区", "江海区", "蓬江区", None, "蓬江区"],
        "stage": ["in_production", "started", "signed", "started", "started"],
    })
    milestones = pd.DataFrame({
        "project_id": [1, 1, 1, 2, 2, 3, 4, 4, 5, 5, 5],
        "kind": ["reported"] * 10 + ["expected"],
        "stage": ["signed", "started", "in_production", "signed", "started", "signed", "signed", "started",
                  "signed", "started", "in_production"],
        # 4 starts before its signing (no gap counted); 5's start has a month only (no day count); 2 signed twice
        "date": ["2025-01-01", "2025-01-11", "2025-03-12", "2025-02-01", "2025-03-03", "2025-04-01",
                 "2025-05-10", "2025-05-01", "2025-06-01", "2025-07", "2026-01-01"],
    })
    milestones = pd.concat([milestones, pd.DataFrame({"project_id": [2], "kind": ["reported"], "stage": ["signed"],
                                                      "date": ["2025-01-31"]})], ignore_index=True)
    out = funnel_by_district(projects, milestones).set_index("district")
    total = out.loc["全部"]
    assert (total["signed"], total["started"], total["in_production"]) == (5, 4, 1)
    assert (total["start_rate"], total["production_rate"], total["delivery_rate"]) == (0.8, 0.25, 0.2)
    # signed -> started: project 1 10 days, project 2 31 days (from its first signing); 4 and 5 give none
    assert total["days_signed_to_started"] == 20.5
    assert total["days_started_to_production"] == 60.0
    assert out.loc["江海区", "days_signed_to_started"] == 20.5
    assert pd.isna(out.loc["蓬江区", "days_signed_to_started"])
    assert out.loc["未知区县", "started"] == 1
