"""With CI set, a test that needs a tool (marked browser or server, or calling conftest.missing)
fails instead of skipping; without CI it skips with its reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

PROBE = """
import pytest
from conftest import missing

@pytest.mark.browser
def test_browser_skipped():
    pytest.skip("no browser here")

@pytest.mark.server
def test_server_skipped():
    pytest.skip("no server here")

def test_missing_tool():
    missing("no rapper here")

def test_plain_skip_is_still_a_skip():
    pytest.skip("not a tool")
"""


def _run(tmp_path: Path, ci: str | None) -> str:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\nmarkers =\n  browser: b\n  server: s\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_missing_tool_fails(tmp_path: Path, ci: str) -> None:
    out = _run(tmp_path, ci)
    assert "3 failed, 1 skipped" in out, out
    assert "CI=true but no rapper here" in out


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_outside_ci_it_skips(tmp_path: Path, ci: str | None) -> None:
    out = _run(tmp_path, ci)
    assert "4 skipped" in out, out
