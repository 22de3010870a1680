"""Chart selections: URL text round trips, the creators each kind selects, and chart events."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.drilldown import (
    MAX_PICKED,
    Selection,
    of_bin,
    of_box,
    of_creators,
    parse_selection,
    select_creators,
    selection_from_event,
)
from analysis.engagement import with_engagement
from analysis.summary import binned_summary
from analysis.tiers import assign_tiers, get_scheme


@pytest.fixture
def prepared(creators):
    return with_engagement(creators, "by_followers")


@pytest.mark.parametrize("selection", [
    Selection("bin", bin=17), Selection("tier", tier="micro"), of_box((1_000, 50_000), (0.01, 0.2)),
    of_creators(["ana", "b,o", "ç/é", "x y"]),
])
def test_url_text_round_trips(selection):
    assert parse_selection(selection.to_param()) == selection


@pytest.mark.parametrize("text", ["bin:x", "tier:", "box:1-2", "box:a-b,1-2", "box:5-5,0-1", "nope:1", "bin", ""])
def test_unreadable_url_text_is_a_clear_error(text):
    with pytest.raises(ValueError, match=r"expected|whole number|box"):
        parse_selection(text)


def test_a_bin_selects_the_creators_the_chart_counts_in_it(prepared):
    bins = binned_summary(prepared, per_decade=4)
    for row in bins.itertuples():
        chosen = select_creators(prepared, of_bin(row.bin_low))
        assert len(chosen) == row.n_creators
        assert chosen["followers"].between(row.bin_low, row.bin_high, inclusive="left").all()


def test_a_tier_selects_its_creators(prepared):
    tiers = assign_tiers(prepared["followers"], get_scheme("seed")).astype(str)
    chosen = select_creators(prepared, Selection("tier", tier="micro"), "seed")
    pd.testing.assert_frame_equal(chosen, prepared[tiers == "micro"])
    with pytest.raises(ValueError, match="no tier 'giga'"):
        select_creators(prepared, Selection("tier", tier="giga"), "seed")


def test_a_box_selects_every_creator_inside_it_by_a_row_by_row_check(prepared):
    box = of_box((50_000, 2_000), (0.05, 0.01))  # corners in any order
    chosen = select_creators(prepared, box)
    inside = [2_000 <= f <= 50_000 and 0.01 <= e <= 0.05 for f, e in zip(prepared["followers"], prepared["er"],
                                                                          strict=True)]
    assert len(chosen) == sum(inside) > 0


def test_picked_creators_are_found_by_handle_and_capped(prepared):
    handles = list(prepared["handle"].iloc[[3, 1, 4]])
    assert list(select_creators(prepared, of_creators(handles))["handle"]) == list(prepared["handle"].iloc[[1, 3, 4]])
    assert len(of_creators([str(i) for i in range(MAX_PICKED + 50)]).handles) == MAX_PICKED


LAYERS = ["trend-band", "creators", "medians", "tiers"]


def test_events_become_selections():
    bin_mid = math.sqrt(10 ** (17 / 4) * 10 ** (18 / 4))
    assert selection_from_event({"points": [{"curve_number": 2, "x": bin_mid}]}, LAYERS) == Selection("bin", bin=17)
    tier = {"points": [{"curve_number": 2, "x": bin_mid}, {"curve_number": 3, "customdata": "macro"}]}
    assert selection_from_event(tier, LAYERS) == Selection("tier", tier="macro")
    picked = {"points": [{"curve_number": 1, "customdata": "ana"}, {"curve_number": 1, "customdata": ["bo"]}]}
    assert selection_from_event(picked, LAYERS) == of_creators(["ana", "bo"])
    box = {"points": [{"curve_number": 1, "customdata": "ana"}], "box": [{"x": [5e4, 1e3], "y": [0.2, 0.01]}]}
    assert selection_from_event(box, LAYERS) == of_box((1e3, 5e4), (0.01, 0.2))
    assert selection_from_event({"points": [{"curve_number": 0, "x": 1.0}]}, LAYERS) is None
    assert selection_from_event({"points": [], "box": []}, LAYERS) is None


def test_describe_names_the_group():
    assert Selection("bin", bin=17).describe() == "follower bin 17.8K–31.6K"
    assert of_box((1_000, 5_000), (0.01, 0.05)).describe() == "box 1K–5K followers, ER 1.00%–5.00%"
    assert of_creators(["a", "b", "c", "d"]).describe() == "4 picked creators: a, b, c and 1 more"
    assert np.isclose(Selection("bin", bin=17).bin_edges()[0], 10**4.25)
