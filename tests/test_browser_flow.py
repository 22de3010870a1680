"""Real-browser tests of what an analyst does with the dashboard: drill down, share, export, report, navigate.

Debian's Chromium, driven by Playwright, against one live dashboard for the module. Every
number the page states is checked against the demo data computed here from the parquet file,
not against what the page says elsewhere; every wait is on a real condition (the app's script
state, a locator, the address bar, a download), never a fixed sleep. The address bar is read
from ``window.location.href``: Streamlit rewrites it with ``history.replaceState``, which
Playwright's ``page.url`` does not always see.
"""

from __future__ import annotations

import math
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from analysis.engagement import with_engagement
from analysis.format import compact, percent, tier_table_display
from analysis.summary import tier_summary
from analysis.tiers import assign_tiers, get_scheme
from tests.browser_support import (
    GRID_ROWS,
    MAIN_CHART,
    RENDER_TIMEOUT_MS,
    ROOT,
    VIEWPORT,
    OpenPage,
    assert_no_exception,
    open_fresh,
    running_dashboard,
    shown,
    wait_ready,
)
from tests.test_browser import column_header, radio
from ui.sidebar import PAGES

DEMO = ROOT / "data" / "demo_creators.parquet"  # written by the server on its first page load
BINS_PER_DECADE = 4  # the chart's bins: bin k holds 10**(k/4) <= followers < 10**((k+1)/4)
# The trend line would cover the median markers the drill-down clicks.
HOME = "/?trend=off"
# A full view with a selection in it. The heartbeat scheme has no tier named plain "micro"
# (its micro tiers are "micro 10K–25K", "micro 25K–50K", "micro 50K–100K"), so the link picks one.
SHARED_TIER = "micro 25K–50K"
SHARED_LINK = ("/?scheme=heartbeat&level=90&trend=theil-sen&band_lo=20000&band_hi=60000&platform=instagram"
               "&sel=tier%3Amicro%2025K%E2%80%9350K")
SHARED_PARAMS = {"scheme": ["heartbeat"], "level": ["90"], "trend": ["theil-sen"], "band_lo": ["20000"],
                 "band_hi": ["60000"], "platform": ["instagram"], "sel": [f"tier:{SHARED_TIER}"]}
# Kaleido starts its own Chromium on the first image export, then draws the figure.
IMAGE_TIMEOUT_MS = 60_000
DOWNLOAD_TIMEOUT_MS = 30_000
# A click or drag on the chart puts the selection in the address bar at once (a callback, no computation).
SELECT_TIMEOUT_MS = 30_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The medians trace's markers as Plotly placed them: data values and viewport pixels.
MEDIAN_MARKERS = """(graph) => {
    const index = graph._fullData.findIndex((trace) => trace.meta?.layer === 'medians');
    const {xaxis, yaxis} = graph._fullLayout;
    const box = graph.getBoundingClientRect();
    const y = (v) => yaxis.l2p(yaxis.type === 'log' ? Math.log10(v) : v);
    return graph.calcdata[index].map((p) => ({x: p.x, y: p.y,
        px: box.left + xaxis._offset + xaxis.l2p(Math.log10(p.x)), py: box.top + yaxis._offset + y(p.y)}));
}"""
# Viewport pixels of a (followers, ER) point on the main chart (log x, log y).
TO_PIXELS = """(graph, [followers, er]) => {
    const {xaxis, yaxis} = graph._fullLayout;
    const box = graph.getBoundingClientRect();
    return {px: box.left + xaxis._offset + xaxis.l2p(Math.log10(followers)),
            py: box.top + yaxis._offset + yaxis.l2p(yaxis.type === 'log' ? Math.log10(er) : er)};
}"""
TABLE_CELLS = "(table) => [...table.rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim()))"
# Matches the drill-down's "**1,324 creators** (…)" count.
CREATOR_COUNT = re.compile(r"^[\d,]+ creators$")


# --- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(browser: Browser, app_url: str) -> Iterator[Page]:
    """The home page in its default view, shared by the download tests (downloads do not rerun it)."""
    page = open_fresh(browser, app_url + "/")
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def demo(home: Page) -> pd.DataFrame:
    """The demo creators, read from the file the server serves (it exists once a page has loaded)."""
    return pd.read_parquet(DEMO)


@pytest.fixture(scope="module")
def demo_tiers(demo: pd.DataFrame) -> pd.DataFrame:
    """The default view's tier summary (seed scheme, 95 %), computed here from the demo file."""
    return tier_summary(demo, scheme="seed", level=0.95)


# --- helpers --------------------------------------------------------------------------------------------------------


def location(page: Page) -> str:
    return str(page.evaluate("() => window.location.href"))


def wait_for_location(page: Page, pattern: str) -> str:
    """Wait until the address bar matches the regular expression ``pattern``; return it."""
    page.wait_for_function("(pattern) => new RegExp(pattern).test(window.location.href)", arg=pattern,
                           timeout=SELECT_TIMEOUT_MS)
    return location(page)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def creator_count(page: Page) -> Locator:
    """The bold "N creators" of the selection's summary line."""
    return page.get_by_test_id("stMarkdownContainer").locator("strong").filter(has_text=CREATOR_COUNT)


def creator_table(page: Page) -> Locator:
    # The selection's table is the only one with a "Handle" column (a canvas; its accessible table has the text).
    return page.get_by_test_id("stDataFrame").filter(has=column_header(page, "Handle"))


def download(page: Page, key: str, folder: Path, timeout_ms: float = DOWNLOAD_TIMEOUT_MS) -> Path:
    """Click the download button ``key`` (its container is ``.st-key-<key>``) and save what arrives.

    A slow file (a picture, the report) has a button ``<key>_make`` first: it makes the file under a
    spinner, then the download button appears.
    """
    make = page.locator(f".st-key-{key}_make button")
    if make.count():
        make.first.click()  # (its spinner shows only past half a second, so it is not waited for)
    button = page.locator(f".st-key-{key} button").first
    expect(button).to_be_visible(timeout=timeout_ms)
    with page.expect_download(timeout=timeout_ms) as arrival:
        button.click()
    received = arrival.value
    assert received.failure() is None, f"download {key} failed: {received.failure()}"
    path = folder / received.suggested_filename
    received.save_as(path)
    return path


def open_expander(page: Page, label: str) -> Locator:
    """The expander titled ``label``, opened (clicking an open one would close it)."""
    details = page.get_by_test_id("stExpander").filter(has_text=label).locator("details")
    expect(details).to_have_count(1)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, encoding="utf-8-sig")
    # An empty note is an empty string in the app; read back, it is a missing number.
    return frame.assign(note=frame["note"].astype("string").fillna(""))


def display_rows(display: pd.DataFrame) -> list[list[str]]:
    """A display table as its header row and body rows of text, as an HTML table shows it."""
    return [list(map(str, display.columns)), *[[str(v) for v in row] for row in display.itertuples(index=False)]]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, f"not a PNG: starts with {data[:8]!r}"
    assert data[12:16] == b"IHDR", "a PNG's first chunk is IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def in_bin(demo: pd.DataFrame, k: int) -> pd.DataFrame:
    """The demo creators of chart bin ``k``: 10**(k/4) <= followers < 10**((k+1)/4)."""
    low, high = 10 ** (k / BINS_PER_DECADE), 10 ** ((k + 1) / BINS_PER_DECADE)
    return demo[(demo["followers"] >= low) & (demo["followers"] < high)]


def block_network(route: Route) -> None:
    """Let the file itself load; refuse anything else (a CDN script, a font, a tracker)."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


# --- 1. drill-down --------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_clicking_a_median_marker_opens_that_bins_creators(open_page: OpenPage, demo: pd.DataFrame) -> None:
    page = open_page(HOME)
    chart = page.locator(MAIN_CHART)
    chart.scroll_into_view_if_needed()
    markers: list[dict[str, float]] = chart.evaluate(MEDIAN_MARKERS)
    bins = {math.floor(math.log10(m["x"]) * BINS_PER_DECADE): m for m in markers}
    k = 17  # 17.8K–31.6K followers: a well-filled bin in the middle of the chart
    assert k in bins, f"no median marker for bin {k}; markers in bins {sorted(bins)}"
    page.mouse.move(bins[k]["px"], bins[k]["py"])
    page.mouse.click(bins[k]["px"], bins[k]["py"])

    url = wait_for_location(page, rf"[?&]sel=bin%3A{k}(&|$)")
    assert query(url)["trend"] == ["off"], "the selection must be added to the view's link, not replace it"
    edges = f"{compact(10 ** (k / BINS_PER_DECADE))}–{compact(10 ** ((k + 1) / BINS_PER_DECADE))}"
    expect(page.get_by_role("heading", name=f"Selected: follower bin {edges}")).to_be_visible()
    chosen = in_bin(demo, k)
    expected = len(chosen)
    assert expected > 100, "the bin clicked should hold many creators"
    expect(creator_count(page)).to_have_text(f"{expected:,} creators")
    # The table lists the bin's creators, most followers first.
    table = creator_table(page)
    expect(table.locator('tbody tr[role="row"]').first).to_be_attached()
    handle, followers = table.evaluate(GRID_ROWS)[0][:2]
    top = chosen[chosen["followers"] == chosen["followers"].max()]
    assert int(followers) == int(top["followers"].iloc[0]) and handle in set(top["handle"])
    wait_ready(page)


@pytest.mark.browser
def test_dragging_a_box_opens_the_creators_inside_it(open_page: OpenPage, demo: pd.DataFrame) -> None:
    page = open_page(HOME)
    chart = page.locator(MAIN_CHART)
    chart.scroll_into_view_if_needed()
    chart.hover()  # the mode bar shows on hover
    page.locator('.st-key-main_chart .modebar-btn[data-title="Box Select"]').click()
    start = chart.evaluate(TO_PIXELS, [10_000, 0.08])
    end = chart.evaluate(TO_PIXELS, [100_000, 0.02])
    page.mouse.move(start["px"], start["py"])
    page.mouse.down()
    page.mouse.move(end["px"], end["py"], steps=10)
    page.mouse.up()

    url = wait_for_location(page, r"[?&]sel=box%3A")
    match = re.fullmatch(r"box:([^-]+)-([^,]+),([^-]+)-(.+)", query(url)["sel"][0])
    assert match, f"unreadable box selection in {url}"
    f0, f1, e0, e1 = map(float, match.groups())
    # The box is where it was drawn, to within a pixel or two on a log axis.
    assert f0 == pytest.approx(10_000, rel=0.05) and f1 == pytest.approx(100_000, rel=0.05)
    assert e0 == pytest.approx(0.02, rel=0.05) and e1 == pytest.approx(0.08, rel=0.05)
    heading = f"Selected: box {compact(f0)}–{compact(f1)} followers, ER {percent(e0)}–{percent(e1)}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # Every creator of the view inside the box, not only the sampled points drawn there.
    rated = with_engagement(demo)
    inside = rated["followers"].between(f0, f1) & rated["er"].between(e0, e1)
    expect(creator_count(page)).to_have_text(f"{int(inside.sum()):,} creators")
    expect(creator_table(page)).to_have_count(1)
    wait_ready(page)


# --- 2. a shared link -----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_shared_link_restores_the_view_and_its_selection(open_page: OpenPage, demo: pd.DataFrame) -> None:
    sender = open_page(SHARED_LINK)
    share = sender.get_by_test_id("stSidebar").get_by_test_id("stCode")
    expect(share).to_have_count(1)
    link = share.inner_text().strip()
    assert query(link) == SHARED_PARAMS, f"the Share box's link {link!r} is not the view's"

    page = open_page(link)  # a second, fresh browser context: nothing but the link carries the view
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Tier scheme")).to_have_value("heartbeat")
    expect(radio(page, "Confidence level (%)", "90")).to_be_checked()
    expect(radio(page, "Trend line (power law)", "theil-sen")).to_be_checked()
    expect(page.locator(".st-key-band_lo input")).to_have_value("20000")
    expect(page.locator(".st-key-band_hi input")).to_have_value("60000")
    chosen = page.locator(".st-key-platform").get_by_role("group", name="Selected values")
    expect(chosen.get_by_role("button", name="Remove instagram", exact=True)).to_be_visible()
    expect(chosen.get_by_role("button")).to_have_count(1)
    expect(page.get_by_role("heading", name="Tiers (heartbeat)")).to_be_visible()

    expect(page.get_by_role("heading", name=f"Selected: tier {SHARED_TIER}")).to_be_visible()
    tiers = assign_tiers(demo["followers"], get_scheme("heartbeat"))
    expected = int(((demo["platform"] == "instagram") & np.asarray(tiers == SHARED_TIER)).sum())
    assert expected > 100
    expect(creator_count(page)).to_have_text(f"{expected:,} creators")
    expect(creator_table(page)).to_have_count(1)

    relayed = page.get_by_test_id("stSidebar").get_by_test_id("stCode").inner_text().strip()
    assert query(relayed) == SHARED_PARAMS
    assert query(location(page)) == SHARED_PARAMS
    assert_no_exception(page)


@pytest.mark.browser
def test_a_link_naming_a_tier_the_scheme_lacks_says_so(open_page: OpenPage) -> None:
    page = open_page("/?scheme=heartbeat&platform=instagram&sel=tier%3Amicro")
    notice = page.get_by_test_id("stAlert").filter(has_text="does not fit this view")
    expect(notice).to_contain_text("no tier 'micro' in scheme 'heartbeat'")
    expect(page.get_by_role("heading", name=re.compile("^Selected:"))).to_have_count(0)
    expect(creator_count(page)).to_have_count(0)


# --- 3. exports -----------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_tier_table_downloads_hold_the_tier_summary(home: Page, demo_tiers: pd.DataFrame, tmp_path: Path) -> None:
    csv = read_csv(download(home, "tiers_csv", tmp_path))
    assert list(csv.columns) == list(demo_tiers.columns)
    assert csv["tier"].tolist() == demo_tiers["tier"].tolist()
    assert csv["n_creators"].tolist() == demo_tiers["n_creators"].tolist()
    assert csv["n_creators"].sum() == 205_000

    workbook = openpyxl.load_workbook(download(home, "tiers_xlsx", tmp_path), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == list(demo_tiers.columns)
    header = list(rows[0])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["tier"] for r in body] == demo_tiers["tier"].tolist()
    assert [r["n_creators"] for r in body] == demo_tiers["n_creators"].tolist()


@pytest.mark.browser
def test_chart_downloads_are_a_png_an_svg_and_an_offline_html(home: Page, tmp_path: Path) -> None:
    open_expander(home, "Download this chart")

    width, height = png_size(download(home, "main_chart_png", tmp_path, IMAGE_TIMEOUT_MS).read_bytes())
    assert (width, height) == (2400, 1400)

    svg = ET.parse(download(home, "main_chart_svg", tmp_path, IMAGE_TIMEOUT_MS)).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 1200 700"

    page = download(home, "main_chart_html", tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=[\"']?https?:", page), "the chart HTML fetches a script"
    assert "plotly.js v" in page and "Plotly.newPlot" in page, "plotly.js is not inside the chart HTML"


# --- 4. the HTML report ---------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_html_report_opens_offline_with_the_pages_numbers(browser: Browser, app_url: str, home: Page,
                                                          demo: pd.DataFrame, demo_tiers: pd.DataFrame,
                                                          tmp_path: Path) -> None:
    report = download(home, "report_html", tmp_path)
    page_tiers = read_csv(download(home, "tiers_csv", tmp_path))

    offline = browser.new_context(viewport=VIEWPORT)
    try:
        offline.route("**/*", block_network)
        requests: list[str] = []
        offline.on("request", lambda request: requests.append(request.url))
        opened = offline.new_page()
        opened.goto(report.as_uri())
        expect(opened.locator(".js-plotly-plot .scatterlayer")).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
        cells: list[list[str]] = opened.locator("table.tiers").evaluate(TABLE_CELLS)
        verdict = opened.locator("p.verdict").inner_text().strip()
        assert [url for url in requests if not url.startswith("file:")] == [], "the report asked the network"
    finally:
        offline.close()

    # The report's tier table: the demo's numbers computed here, and the numbers the page offers as CSV.
    assert cells == display_rows(tier_table_display(demo_tiers, 0.95))
    assert cells == display_rows(tier_table_display(page_tiers, 0.95))
    assert [row[2] for row in cells[1:]] == [f"{n:,}" for n in demo_tiers["n_creators"]]

    tiers_page = open_fresh(browser, app_url + "/Tiers", shown('[data-testid="stAlertDynamicIcon"]'))
    try:
        # The sweet-spot verdict is the alert with the target icon.
        icon = tiers_page.get_by_test_id("stAlertDynamicIcon").filter(has_text=re.compile("^target$"))
        alert = tiers_page.get_by_test_id("stAlert").filter(has=icon)
        expect(alert).to_have_count(1)
        assert alert.get_by_test_id("stMarkdownContainer").inner_text().strip() == verdict
    finally:
        tiers_page.context.close()


# --- 5. page navigation ---------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_page_navigation_keeps_the_view(open_page: OpenPage) -> None:
    page = open_page("/?scheme=heartbeat&level=90&platform=instagram&band_lo=20000&sel=bin%3A17")
    follow_sidebar_link(page, "Tiers")
    wait_ready(page, shown('[data-testid="stDataFrame"]'))
    expect(page.get_by_role("heading", name="Tiers", exact=True)).to_be_visible()
    assert_shows_navigated_view(page)
    expect(page.get_by_role("heading", name="Engagement by tier (heartbeat, 90% intervals)")).to_be_visible()
    # The selection belongs to the home chart: it stays behind, the sidebar's view comes along.
    assert "sel" not in query(location(page))

    follow_sidebar_link(page, "Overview")
    wait_ready(page)
    assert_shows_navigated_view(page)
    expect(page.get_by_role("heading", name="Tiers (heartbeat)")).to_be_visible()


def follow_sidebar_link(page: Page, label: str) -> None:
    """Click the page link ``label`` in the sidebar's navigation and wait until the address names its page."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=label, exact=True).click()
    path = "" if label == "Overview" else label
    wait_for_location(page, rf"^[^?#]*/{path}([?#]|$)")


def assert_shows_navigated_view(page: Page) -> None:
    """The sidebar and the address still hold the view the first page was opened with."""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Tier scheme")).to_have_value("heartbeat")
    expect(radio(page, "Confidence level (%)", "90")).to_be_checked()
    expect(sidebar.locator(".st-key-band_lo input")).to_have_value("20000")
    params = query(location(page))
    assert {key: params.get(key) for key in ("scheme", "level", "platform", "band_lo")} == {
        "scheme": ["heartbeat"], "level": ["90"], "platform": ["instagram"], "band_lo": ["20000"]}, location(page)


@pytest.mark.browser
def test_a_page_link_as_a_fresh_servers_first_visit_gets_the_apps_navigation(browser: Browser,
                                                                             tmp_path: Path) -> None:
    # Until app.py first runs, Streamlit takes the pages/ folder for the page list and would run the
    # page bare, listing files ("app", "1 Overview", …) in a narrow layout.
    with running_dashboard(tmp_path) as url:
        page = open_fresh(browser, url + "/Sweet_spot?scheme=heartbeat&cost_rate=150", shown("h1"))
        try:
            nav = page.get_by_test_id("stSidebarNav")
            expect(nav.get_by_role("link", name=re.compile(r"Sweet spot & cost$"))).to_have_count(1)
            expect(nav.get_by_role("link")).to_have_count(len(PAGES))
            wait_ready(page, shown(".st-key-cost_rate input"))
            expect(page.get_by_role("heading", name="Sweet spot & cost", exact=True)).to_be_visible()
            expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Tier scheme")).to_have_value(
                "heartbeat")
            expect(page.locator(".st-key-cost_rate input")).to_have_value("150.00")
            assert urlsplit(location(page)).path == "/Sweet_spot"
        finally:
            page.context.close()
