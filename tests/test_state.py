"""URL-state rules: unknown or garbled parameters become notices, never errors."""

from __future__ import annotations

import pytest

from ui.state import DEFAULT_BAND, PAGE_KEYS, StateKeys, band_notices, resolve_band, unknown_params, url_notices

FILTERS = {"platform": ["instagram", "tiktok"], "category": ["food"], "country": ["US"]}


def test_valid_parameters_give_no_notice():
    params = {"scheme": "heartbeat", "level": "90", "y": "linear", "band_lo": "20000", "band_hi": "60000",
              "platform": ["instagram", "tiktok"], "sponsored": "organic", "embed": "true"}
    assert url_notices(params, FILTERS) == []


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"level": "97"}, "level=97"),
        ({"scheme": "<script>"}, "scheme=<script>"),
        ({"platform": ["myspace"]}, "'myspace'"),
        ({"platform": "instagram,tiktok"}, "repeat the key, platform=a&platform=b"),
        ({"utm_source": "mail"}, "Unknown URL parameter 'utm_source' removed"),
        ({"y": "x" * 500}, "…"),
    ],
)
def test_bad_parameters_are_named_in_a_notice(params, fragment):
    notices = url_notices(params, FILTERS)
    assert len(notices) == 1 and fragment in notices[0]
    assert len(notices[0]) < 200


def test_band_resolution():
    assert resolve_band(10_000, 20_000) == ((10_000, 20_000), [])
    band, notes = resolve_band(60_000, 20_000)
    assert band == (20_000, 60_000) and "reversed" in notes[0]
    assert resolve_band(5, 5)[0] == DEFAULT_BAND
    assert resolve_band(None, 5)[0] == DEFAULT_BAND


def test_band_notices_compare_the_url_with_the_resolved_value():
    resolved = {"band_lo": 1, "band_hi": 60_000}
    assert band_notices({"band_lo": "1", "band_hi": "60000"}, resolved) == []
    notes = band_notices({"band_lo": "1.5", "band_hi": "60000"}, resolved)
    assert len(notes) == 1 and "band_lo=1.5" in notes[0] and "using 1." in notes[0]
    assert "using the default" in band_notices({"band_hi": "x"}, {"band_lo": 25_000, "band_hi": None})[0]


def test_parameters_without_a_control_for_this_dataset():
    notes = url_notices({"sponsored": "organic"}, FILTERS, unavailable=["sponsored"])
    assert notes == ["URL parameter 'sponsored' does not apply: this dataset has no sponsored column; ignored."]


def test_unknown_params_are_listed_for_removal():
    params = {"scheme": "seed", "platform": "tiktok", "utm_source": "x", "embed": "true"}
    assert unknown_params(params, list(FILTERS)) == ["utm_source"]


def test_unknown_upload_id_gets_its_own_notice():
    notes = url_notices({"dataset": "u-" + "0" * 32}, FILTERS)
    assert notes == ["URL parameter 'dataset=u-00000000000000000000000000000000': no upload with this id on this "
                     "server (it may have been removed); showing the demo."]


#: The Sweet spot page's cost model and budget, as a shared link holds them.
COST_LINK = {"cost_rate": "150", "cost_floor": "20", "prices": "nano:50,micro:400", "budget": "25000"}


def test_page_keys_are_the_sweet_spot_pages_url_keys():
    assert set(COST_LINK) == {StateKeys.COST_RATE, StateKeys.COST_FLOOR, StateKeys.PRICES, StateKeys.BUDGET}
    assert set(COST_LINK) <= PAGE_KEYS


def test_page_keys_are_neither_reported_nor_removed_by_the_shared_sidebar():
    params = {"scheme": "seed", **COST_LINK, "utm_source": "x"}
    assert unknown_params(params, list(FILTERS)) == ["utm_source"]
    assert url_notices(params, FILTERS) == ["Unknown URL parameter 'utm_source' removed."]
    # Even unusable values: the page that reads them names them, not every page.
    assert url_notices({"prices": "nano=5", "cost_rate": "abc"}, FILTERS) == []


def test_compare_keys_are_left_to_the_compare_page():
    params = {"compare_by": "platform", "compare": ["youtube", "no such value"], "compare_ref": "x"}
    assert unknown_params(params, list(FILTERS)) == []
    assert url_notices(params, FILTERS) == []
