"""AppTest for the home page: smoke, widgets by key, URL parameters in and out."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.loading import load_creators
from tests.apptest import ROOT, TIMEOUT, page, warnings_text


def tier_table(at):
    """The home page's last table is the tier summary (the bin table sits in an expander above it)."""
    assert len(at.dataframe) == 2
    return at.dataframe[1].value


def test_home_runs_on_demo_and_says_it_is_synthetic():
    at = page("app.py").run()
    assert not at.exception
    assert any("Synthetic demo data" in str(i.value) for i in at.info)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert chart["layout"]["xaxis"]["type"] == "log"
    table = tier_table(at)
    assert list(table["Tier"]) == ["under 100", "nano", "micro", "macro", "mega"]
    bins = next(e for e in at.expander if e.label.startswith("Numbers behind")).dataframe[0].value
    assert bins["Creators"].str.replace(",", "").astype(int).sum() == 205_000
    assert bins["Followers"].iloc[0] == "10–18"  # edges 10^(k/4), shown rounded


def test_url_parameters_set_the_view():
    at = page("app.py", scheme="heartbeat", level="90", y="linear", band_lo="20000", band_hi="60000",
              platform=["tiktok"], sponsored="organic").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="scheme").value == "heartbeat"
    assert at.radio(key="level").value == "90"
    assert at.radio(key="y").value == "linear"
    assert (at.number_input(key="band_lo").value, at.number_input(key="band_hi").value) == (20_000, 60_000)
    assert at.multiselect(key="platform").value == ["tiktok"]
    table = tier_table(at)
    assert "Median 90% CI" in table.columns and table["Tier"].iloc[0] == "ambassador"
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert chart["layout"]["yaxis"]["type"] == "linear"
    band = next(s for s in chart["layout"]["shapes"] if s.get("name") == "sweet-spot")
    assert (band["x0"], band["x1"]) == (20_000, 60_000)
    # The same parameters are still in the URL after the run: the link stays shareable.
    assert at.query_params["scheme"] == "heartbeat" and at.query_params["band_lo"] == "20000"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "97"}, "level=97"),
        ({"scheme": "../../etc/passwd"}, "scheme=../../etc/passwd"),
        ({"band_lo": "many"}, "band_lo=many"),
        ({"platform": "myspace"}, "myspace"),
        ({"dataset": "nope"}, "dataset=nope"),
        ({"whatever": "1"}, "Unknown URL parameter 'whatever'"),
    ],
)
def test_garbled_parameters_fall_back_with_a_notice(params, expected):
    at = page("app.py", **params).run()
    assert not at.exception
    assert expected in warnings_text(at)
    assert at.selectbox(key="scheme").value in {"seed", "heartbeat", "mediakix"}
    assert len(tier_table(at)) >= 4


def test_widgets_drive_the_view():
    at = page("app.py").run()
    at.selectbox(key="scheme").set_value("mediakix").run()
    assert list(tier_table(at)["Tier"])[1:] == ["nano", "micro", "mid", "macro", "mega"]
    at.radio(key="level").set_value("80").run()
    assert "Median 80% CI" in tier_table(at).columns
    at.number_input(key="band_lo").set_value(60_000).run()  # reversed band: fixed, with a notice
    assert "reversed" in warnings_text(at)
    assert not at.exception


def _creators(at) -> int:
    return int(tier_table(at)["Creators"].str.replace(",", "").astype(int).sum())


def test_filters_narrow_the_tier_table():
    everyone = _creators(page("app.py").run())
    at = page("app.py", platform="youtube", sponsored="organic").run()
    assert not at.exception
    narrowed = _creators(at)
    assert 0 < narrowed < 0.2 * everyone
    at.multiselect(key="platform").set_value([]).run()
    assert narrowed < _creators(at) < everyone


#: Layers every engagement chart has; the tests below look at what is drawn over them.
BASE_LAYERS = {"creators", "medians", "tiers"}


def _layers(at):
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    layers = [trace.get("meta", {}).get("layer") for trace in chart["data"] if isinstance(trace.get("meta"), dict)]
    assert set(layers) >= BASE_LAYERS
    return [layer for layer in layers if layer not in BASE_LAYERS]


def test_trend_is_drawn_and_stated_by_default_and_can_be_switched_off():
    at = page("app.py").run()
    assert not at.exception and _layers(at) == ["trend-band", "trend"]
    stated = " ".join(str(m.value) for m in at.markdown)
    assert "ER falls" in stated and "per doubling of followers (OLS, 95%" in stated
    robust = page("app.py", trend="theil-sen").run()
    assert "Theil–Sen" in " ".join(str(m.value) for m in robust.markdown)
    off = page("app.py", trend="off").run()
    assert not off.exception and _layers(off) == []
    assert "per doubling" not in " ".join(str(m.value) for m in off.markdown)


def _trend_x(at):
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    line = next(t for t in chart["data"] if isinstance(t.get("meta"), dict) and t["meta"]["layer"] == "trend")
    return _decode(line["x"])


def _decode(values):
    """Plotly encodes numeric arrays as base64 {"dtype", "bdata"}."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return values


def test_trend_range_from_the_link_fits_and_draws_only_inside_it():
    at = page("app.py", trend_from="1000", trend_to="30000").run()
    assert not at.exception and not at.warning
    assert at.number_input(key="trend_from").value == 1000 and at.number_input(key="trend_to").value == 30000
    stated = " ".join(str(m.value) for m in at.markdown)
    assert "fitted on 1K–30K followers" in stated
    x = _trend_x(at)
    assert min(x) >= 1000 and max(x) < 30000
    at.number_input(key="trend_to").set_value(None).run()
    assert "fitted on ≥ 1K followers" in " ".join(str(m.value) for m in at.markdown)
    reversed_ends = page("app.py", trend_from="30000", trend_to="1000").run()
    assert "reversed" in warnings_text(reversed_ends)
    assert "fitted on 1K–30K followers" in " ".join(str(m.value) for m in reversed_ends.markdown)


def test_benchmark_markers_come_from_the_link():
    at = page("app.py", benchmark="markerly-2016", trend="off").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="benchmark").value == "markerly-2016" and _layers(at) == ["benchmark"]
    bad = page("app.py", benchmark="made-up").run()
    assert "benchmark=made-up" in warnings_text(bad) and _layers(bad) == ["trend-band", "trend"]


def _selected_table(at):
    return next(d.value for d in at.dataframe if "Handle" in d.value.columns)


def test_a_selection_in_the_link_opens_its_creators():
    at = page("app.py", sel="bin:17").run()
    assert not at.exception and not at.warning
    assert "Selected: follower bin 17.8K–31.6K" in [str(h.value) for h in at.subheader]
    table = _selected_table(at)
    frame = load_creators(ROOT / "data" / "demo_creators.parquet").frame
    expected = frame[(frame["followers"] >= 10**4.25) & (frame["followers"] < 10**4.5)]
    assert f"**{len(expected):,} creators**" in " ".join(str(m.value) for m in at.markdown)
    assert len(table) == len(expected) and table["Followers"].is_monotonic_decreasing
    at.button(key="clear_selection").click().run()
    assert not at.exception and not [h for h in at.subheader if str(h.value).startswith("Selected")]


def test_a_tier_or_box_selection_and_a_garbled_one():
    tier = page("app.py", sel="tier:mega").run()
    assert "Selected: tier mega" in [str(h.value) for h in tier.subheader]
    assert len(_selected_table(tier)) == 88
    bad = page("app.py", sel="bin:seventeen").run()
    assert not bad.exception and "sel=bin:seventeen" in warnings_text(bad)
    unknown_tier = page("app.py", sel="tier:giga").run()
    assert not unknown_tier.exception and "no tier 'giga'" in warnings_text(unknown_tier)


def test_a_page_run_on_its_own_draws_the_sidebar_itself():
    # `streamlit run pages/2_Tiers.py`: no entry script drew the sidebar, so the page does.
    at = AppTest.from_file(str(ROOT / "pages" / "2_Tiers.py"), default_timeout=TIMEOUT)
    at.query_params["scheme"] = "heartbeat"
    at.run()
    assert not at.exception
    assert at.selectbox(key="scheme").value == "heartbeat"
    assert any(h.value.startswith("Engagement by tier (heartbeat") for h in at.subheader)
