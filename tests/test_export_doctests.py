"""The doctests of the export modules (pytest collects doctests only under tests/ and parsers/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["storage.sanitize", "storage.schema", "storage.dataset", "storage.workbook", "storage.changes",
           "storage.report_data", "storage.report", "flows.cli_common", "flows.progress", "flows.deploy",
           "storage.export", "flows.alert_scope", "flows.prefect_env"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
