"""Real-browser tests of uploads: a file dropped on the Data page becomes a link that reproduces it.

What only a browser shows (STYLE.md, lesson 9): the uploader really sends the
file, the app stores it and puts its id in the address bar, and that address
pasted into fresh browsers shows the same dataset read the same way, on the
Data page and on the chart. The server gets its own store and an empty data
folder, so nothing is written into the project. Waits are on real conditions
(the app's script state, a locator, the URL), never fixed sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser_support import (
    GRID_ROWS,
    HOME_READY,
    RENDER_TIMEOUT_MS,
    OpenPage,
    Ready,
    assert_no_exception,
    open_fresh,
    running_dashboard,
    shown,
    wait_ready,
)
from tests.test_browser import assert_sane_log_x_axis, chart_state, column_header

# Semicolons, a typo'd follower header, abbreviated and European counts, one unreadable likes cell.
AGENCY_CSV = "Username;Suscribers;Likes avg;Comments\nana;1,2K;30;2\nbo;3.000;10;1\ncy;12K;x;1\n"
UPLOADED = "agency.csv (uploaded)"
UPLOAD_URL = re.compile(r"/Data\?dataset=u-[0-9a-f]{32}$")
METRIC = '[data-testid="stMetric"]'
METRICS = """(metrics) => Object.fromEntries(metrics.map((m) => [
    m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
    m.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
]))"""
DATA_PAGE: Ready = shown(METRIC)
HOME_PAGE = HOME_READY


@dataclass(frozen=True)
class Server:
    url: str
    store: Path


@dataclass(frozen=True)
class DataPageView:
    """What the Data page shows about a dataset, as read from the browser."""

    url: str
    dataset: str
    metrics: dict[str, str]
    mapping: dict[str, list[str]]  # canonical column -> [read from, confidence, why]
    rejected: list[list[str]]


# --- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A dashboard with its own upload store and an empty data folder, on a free local port."""
    store = tmp_path_factory.mktemp("store")
    env = {"ATLAS_STORE": str(store), "ATLAS_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    with running_dashboard(tmp_path_factory.mktemp("streamlit"), env) as url:
        yield Server(url, store)


@pytest.fixture(scope="module")
def app_url(server: Server) -> str:
    """Pages open on this module's own dashboard (the ``open_page`` fixture reads it)."""
    return server.url


@pytest.fixture(scope="module")
def uploaded(browser: Browser, server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataPageView]:
    """The Data page of the first browser, right after it uploaded the agency file."""
    csv = tmp_path_factory.mktemp("upload") / "agency.csv"
    csv.write_text(AGENCY_CSV, encoding="utf-8")
    page = open_fresh(browser, server.url + "/Data", DATA_PAGE)
    page.locator(".st-key-uploader input[type=file]").set_input_files(csv)
    expect(page).to_have_url(UPLOAD_URL, timeout=RENDER_TIMEOUT_MS)
    expect(dataset_box(page)).to_have_value(UPLOADED, timeout=RENDER_TIMEOUT_MS)
    # The selector changed in the run that opens the upload; wait for that run to end before reading.
    wait_ready(page, DATA_PAGE)
    yield read_data_page(page)
    page.context.close()


# --- helpers --------------------------------------------------------------------------------------------------------


def dataset_box(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Dataset")


def drawn_grid(page: Page, position: int, header: str) -> Locator:
    """The page's `position`-th st.dataframe, once its accessible grid (with column `header`) is in the DOM."""
    frame = page.get_by_test_id("stDataFrame").nth(position)
    # glide-data-grid writes a grid's accessible cells only after painting it, and paints only what is on screen.
    frame.scroll_into_view_if_needed()
    expect(column_header(frame, header)).to_have_count(1)
    return frame


def read_data_page(page: Page) -> DataPageView:
    mapping = drawn_grid(page, 0, "Read from").evaluate(GRID_ROWS)
    rejected = drawn_grid(page, 1, "reason").evaluate(GRID_ROWS)
    return DataPageView(url=page.url, dataset=dataset_box(page).input_value(),
                        metrics=page.locator(METRIC).evaluate_all(METRICS),
                        mapping={row[0]: row[1:] for row in mapping}, rejected=rejected)


def assert_shows_agency_file(view: DataPageView) -> None:
    assert view.dataset == UPLOADED
    assert view.metrics == {"Rows in file": "3", "Loaded": "2", "Rejected": "1", "Creators": "2", "Flagged": "0"}
    read_from = {column: cells[0] for column, cells in view.mapping.items() if cells[0] != "—"}
    assert read_from == {"handle": "Username", "followers": "Suscribers", "likes": "Likes avg", "comments": "Comments"}
    assert view.mapping["followers"][1] == "60%" and "typo" in view.mapping["followers"][2]
    assert view.rejected == [["4", "likes", "x", "likes: 'x' is not a number"]]


def alert(page: Page, text: str) -> Locator:
    return page.get_by_test_id("stAlert").filter(has_text=text)


def assert_demo_with_dataset_notice(page: Page, param: str) -> None:
    expect(dataset_box(page)).to_have_value("demo")
    expect(alert(page, "Synthetic demo data")).to_be_visible()
    expect(alert(page, param)).to_be_visible()
    expect(page).not_to_have_url(re.compile("dataset="))  # the unusable parameter is dropped from the link
    assert_no_exception(page)


# --- tests ----------------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_upload_is_stored_read_and_put_in_the_link(uploaded: DataPageView, server: Server) -> None:
    assert_shows_agency_file(uploaded)
    dataset_id = uploaded.url.rsplit("=", 1)[1]
    assert (server.store / "datasets" / f"{dataset_id}.json").is_file()  # in $ATLAS_STORE, not the project


@pytest.mark.browser
def test_upload_link_shows_the_same_data_page_in_a_fresh_browser(uploaded: DataPageView, open_page: OpenPage) -> None:
    page = open_page(uploaded.url, DATA_PAGE)
    expect(page).to_have_url(uploaded.url)
    shared = read_data_page(page)
    assert_shows_agency_file(shared)
    assert shared == uploaded
    expect(alert(page, "dataset=")).to_have_count(0)  # the link is usable: no notice about it
    assert_no_exception(page)


@pytest.mark.browser
def test_upload_link_draws_the_chart_on_the_home_page(uploaded: DataPageView, open_page: OpenPage,
                                                   tmp_path: Path) -> None:
    page = open_page("/?" + uploaded.url.split("?", 1)[1], HOME_PAGE)
    expect(dataset_box(page)).to_have_value(UPLOADED)
    chart = chart_state(page)
    assert_sane_log_x_axis(chart)
    assert chart["followers"] == [1_200, 3_000]  # ana and bo; cy was rejected
    expect(alert(page, "Synthetic demo data")).to_have_count(0)
    expect(alert(page, "dataset=")).to_have_count(0)
    assert_no_exception(page)
    shot = tmp_path / "uploaded-home.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.browser
def test_moving_to_another_page_keeps_the_uploaded_dataset(uploaded: DataPageView, open_page: OpenPage) -> None:
    page = open_page(uploaded.url, DATA_PAGE)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    page.wait_for_function("() => !window.location.pathname.endsWith('/Data')", timeout=RENDER_TIMEOUT_MS)
    wait_ready(page, HOME_PAGE)
    expect(dataset_box(page)).to_have_value(UPLOADED)
    assert chart_state(page)["followers"] == [1_200, 3_000]  # the upload's two creators, not the demo
    # The link still names the upload, so sharing from the page moved to shows the same data.
    assert page.evaluate("() => window.location.search") == "?" + uploaded.url.split("?", 1)[1]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "ready"), [
    ("/Data?dataset=../../etc/passwd", DATA_PAGE),
    ("/?dataset=u-00000000000000000000000000000000", HOME_PAGE),
], ids=["path-like", "unknown-upload"])
def test_unusable_dataset_in_link_shows_the_demo_with_a_notice(path: str, ready: Ready, open_page: OpenPage) -> None:
    page = open_page(path, ready)
    assert_demo_with_dataset_notice(page, path.split("?", 1)[1])  # e.g. "dataset=../../etc/passwd"
    assert "root:x:0:0" not in page.content()  # nothing of /etc/passwd reached the page
