"""Shared fixtures and the browser-test accounting CI relies on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.browser_support import HOME_READY, OpenPage, Ready, open_fresh, running_dashboard


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20161)


def make_creators(rng: np.random.Generator, n: int = 2_000) -> pd.DataFrame:
    """A small community with known structure: ER median falls with followers."""
    followers = np.round(10 ** rng.uniform(1, 7, n)).astype("int64")
    er = rng.lognormal(np.log(0.08) - 0.25 * np.log10(followers), 0.8)
    likes = followers * er * 0.9
    return pd.DataFrame({
        "handle": [f"c{i}" for i in range(n)],
        "followers": followers.astype("float64"),
        "likes": likes,
        "comments": likes / 9 * 0.6,
        "shares": likes / 9 * 0.4,
        "platform": rng.choice(["instagram", "tiktok", "youtube"], n),
        "sponsored": rng.random(n) < 0.2,
    })


@pytest.fixture
def creators(rng: np.random.Generator) -> pd.DataFrame:
    return make_creators(rng)


_browser_outcomes: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and "browser" in report.keywords:
        # An expected failure (xfail) ran: it is a known gap on record, not a browser test left out.
        _browser_outcomes.append("xfailed" if hasattr(report, "wasxfail") else report.outcome)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped and "test_browser" in report.nodeid:
        _browser_outcomes.append("skipped")


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    # A skip raised in a fixture never reaches the "call" phase; count it here.
    skipped = call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception)
    if "browser" in item.keywords and call.when == "setup" and skipped:
        _browser_outcomes.append("skipped")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ATLAS_REQUIRE_BROWSER=1 (CI), the run fails unless browser tests ran and none was skipped."""
    if os.environ.get("ATLAS_REQUIRE_BROWSER") != "1":
        return
    if "passed" not in _browser_outcomes or "skipped" in _browser_outcomes:
        print(f"\nATLAS_REQUIRE_BROWSER=1 but browser tests did not all run (outcomes: {_browser_outcomes}).")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, shared by every browser test module (`playwright install` cannot download here)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, chromium_executable

    executable = chromium_executable()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard served on a free local port for one test module; its log goes to a temp file."""
    with running_dashboard(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def open_page(browser: Any, app_url: str) -> Iterator[OpenPage]:
    """Opens app paths (or full URLs) in fresh contexts, like new browsers, and closes them afterwards."""
    pages: list[Any] = []

    def open_path(path: str, ready: Ready = HOME_READY) -> Any:
        pages.append(open_fresh(browser, path if path.startswith("http") else app_url + path, ready))
        return pages[-1]

    yield open_path
    for page in pages:
        page.context.close()


@pytest.fixture
def creators_csv(tmp_path: Path, creators: pd.DataFrame) -> Path:
    """:func:`creators` written to a CSV file."""
    path = tmp_path / "creators.csv"
    creators.to_csv(path, index=False)
    return path
