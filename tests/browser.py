"""Headless Debian chromium for the report tests: the rendered DOM, console messages and a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(.*)")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--window-size=1280,2600"]


@dataclass(frozen=True)
class Rendered:
    dom: str
    console: list[str]  # every console message and uncaught error the page produced


def chromium() -> str:
    """The chromium binary; CI (which installs it, see tests/tools/ensure_chromium.sh) must have it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (tests/tools/ensure_chromium.sh installs it)")
        pytest.skip("chromium is not installed: run tests/tools/ensure_chromium.sh")
    return found


def _run(page: Path, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)


def render(page: Path, screenshot: Path | None, profile: Path) -> Rendered:
    """Load ``page`` as a file URL: its DOM after scripts ran, its console lines, optionally a PNG screenshot."""
    proc = _run(page, "--dump-dom", profile=profile)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [m.group(1) for line in proc.stderr.splitlines() if (m := _CONSOLE.search(line))]
    if screenshot is not None:
        shot = _run(page, f"--screenshot={screenshot.resolve()}", profile=profile)
        assert shot.returncode == 0 and screenshot.exists(), shot.stderr[-2000:]
    return Rendered(proc.stdout, console)
