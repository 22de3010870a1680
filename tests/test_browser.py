"""Real-browser tests: Debian's Chromium, driven by Playwright, against a live dashboard.

Only what a browser shows is tested here (see STYLE.md, lesson 9): Plotly really
draws the chart with a sane log axis, the labels sit over their bands, and a
link pasted into a fresh browser restores the view. Every wait is on a real
condition (the app's script state, a locator, the URL), never a fixed sleep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from analysis.tiers import get_scheme
from tests.browser_support import MAIN_CHART, OpenPage, assert_no_exception, open_fresh

SHARED_VIEW = "/?scheme=heartbeat&level=90&y=linear&band_lo=20000&band_hi=60000"
# Reads the figure as Plotly resolved it in the page, not as Python built it.
CHART_STATE = """(graph) => {
    const full = graph._fullLayout;
    const cloud = graph._fullData.find((trace) => trace.type === 'scattergl');
    let low = Infinity, high = -Infinity;
    for (const x of cloud.x) { low = Math.min(low, x); high = Math.max(high, x); }
    return {
        xType: full.xaxis.type, xRange: full.xaxis.range, yType: full.yaxis.type, yRange: full.yaxis.range,
        shapes: (graph.layout.shapes || []).map((s) => ({name: s.name, x0: s.x0, x1: s.x1})),
        annotations: full.annotations.map((a) => ({text: a.text, x: a.x})),
        followers: [low, high],
    };
}"""
# Screen x of a label's centre and of a follower interval's edges, in CSS pixels.
LABEL_OVER_BAND = """(graph, [text, low, high]) => {
    const axis = graph._fullLayout.xaxis;
    const left = graph.querySelector('.main-svg').getBoundingClientRect().left + axis._offset;
    const label = [...graph.querySelectorAll('text.annotation-text')].find((t) => t.textContent === text);
    const box = label.getBoundingClientRect();
    return {label: box.left + box.width / 2, low: left + axis.l2p(Math.log10(low)),
            high: left + axis.l2p(Math.log10(high))};
}"""

ChartState = dict[str, Any]


# --- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_view(browser: Browser, app_url: str) -> Iterator[Page]:
    """The first browser to open the shared link; the shared-link test compares a second one to it."""
    page = open_fresh(browser, app_url + SHARED_VIEW)
    yield page
    page.context.close()


# --- helpers --------------------------------------------------------------------------------------------------------


def chart_state(page: Page) -> ChartState:
    return dict(page.locator(MAIN_CHART).evaluate(CHART_STATE))


def assert_sane_log_x_axis(chart: ChartState) -> None:
    """The x range is in log10 units, covers every plotted creator, and was not blown up by a label."""
    low, high = chart["xRange"]
    assert chart["xType"] == "log"
    assert 0 < low < high < 10, f"x range {chart['xRange']} is not a follower range in log10 units"
    assert 10**low <= chart["followers"][0] and chart["followers"][1] <= 10**high
    for annotation in chart["annotations"]:
        assert low <= annotation["x"] <= high, f"label {annotation['text']!r} sits off the axis"


def radio(page: Page, group: str, option: str) -> Locator:
    return page.get_by_role("radiogroup", name=group).get_by_role("radio", name=option, exact=True)


def assert_shows_shared_view_widgets(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Tier scheme")).to_have_value("heartbeat")
    expect(radio(page, "Confidence level (%)", "90")).to_be_checked()
    expect(radio(page, "Y axis", "linear")).to_be_checked()
    expect(sidebar.get_by_role("spinbutton", name="From")).to_have_value("20000")
    expect(sidebar.get_by_role("spinbutton", name="To")).to_have_value("60000")


def column_header(scope: Page | Locator, name: str) -> Locator:
    # st.dataframe paints a canvas; its accessible table (the canvas's fallback content) holds the text.
    return scope.get_by_role("columnheader", name=name, exact=True, include_hidden=True)


def tier_table(page: Page) -> Locator:
    # The page has other tables (per-bin numbers); only the tier table has a "Tier" column.
    return page.get_by_test_id("stDataFrame").filter(has=column_header(page, "Tier"))


# --- tests ----------------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_shared_view_draws_log_chart_with_tiers_and_band(shared_view: Page, tmp_path: Path) -> None:
    page = shared_view
    chart = chart_state(page)
    assert_sane_log_x_axis(chart)
    assert chart["yType"] == "linear"
    tier_shapes = {s["name"] for s in chart["shapes"] if s["name"].startswith("tier:")}
    assert tier_shapes == {f"tier:{tier.name}" for tier in get_scheme("heartbeat").all_tiers()}
    band = [(s["x0"], s["x1"]) for s in chart["shapes"] if s["name"] == "sweet-spot"]
    assert band == [(20_000, 60_000)]
    label = page.locator(MAIN_CHART).locator("text.annotation-text", has_text="sweet spot 20K–60K")
    expect(label).to_be_visible()
    # On screen, the label is centred over the band it names (it would not be if placed in data units).
    where = page.locator(MAIN_CHART).evaluate(LABEL_OVER_BAND, ["sweet spot 20K–60K", 20_000, 60_000])
    assert where["low"] < where["label"] < where["high"]
    assert_no_exception(page)
    shot = tmp_path / "shared-view.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.browser
def test_shared_link_restores_the_view_in_a_fresh_browser(shared_view: Page, open_page: OpenPage) -> None:
    page = open_page(SHARED_VIEW)
    assert_shows_shared_view_widgets(page)
    expect(tier_table(page)).to_have_count(1)
    expect(column_header(tier_table(page), "Median 90% CI")).to_have_count(1)
    assert chart_state(page) == chart_state(shared_view)
    assert_no_exception(page)


@pytest.mark.browser
def test_choosing_a_scheme_puts_it_in_the_url(open_page: OpenPage) -> None:
    page = open_page("/")
    page.get_by_role("combobox", name="Tier scheme").click()
    page.get_by_role("option", name="mediakix", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]scheme=mediakix(&|$)"))
    expect(page.get_by_role("heading", name="Tiers (mediakix)")).to_be_visible()
    shared = open_page(page.url)
    expect(shared.get_by_role("combobox", name="Tier scheme")).to_have_value("mediakix")
    expect(shared.get_by_role("heading", name="Tiers (mediakix)")).to_be_visible()
    assert_no_exception(shared)


@pytest.mark.browser
def test_repeated_filter_keys_restore_a_multiselect(open_page: OpenPage) -> None:
    # Streamlit writes a multiselect as one key per value (?platform=a&platform=b), not a comma list.
    page = open_page("/?platform=tiktok&platform=youtube")
    selected = page.locator(".st-key-platform").get_by_role("group", name="Selected values")
    for platform in ("tiktok", "youtube"):
        expect(selected.get_by_role("button", name=f"Remove {platform}", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"platform=tiktok&platform=youtube"))
    assert_no_exception(page)


@pytest.mark.browser
def test_garbled_url_falls_back_with_a_notice(open_page: OpenPage) -> None:
    page = open_page("/?level=97&scheme=nope&junk=1")
    assert_sane_log_x_axis(chart_state(page))
    expect(page.get_by_test_id("stAlert").filter(has_text="level=97")).to_be_visible()
    expect(radio(page, "Confidence level (%)", "95")).to_be_checked()
    expect(page).not_to_have_url(re.compile("junk"))
    assert_no_exception(page)
