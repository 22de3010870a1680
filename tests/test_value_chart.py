"""The value chart, checked through its JSON: bars, whiskers, colours and order against the value table."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.cost import CostModel
from analysis.format import follower_range
from analysis.value import band_value, best_band
from analysis.value_chart import BEST, BEST_COLOUR, NO_INTERVAL_COLOUR, OTHER, OTHER_COLOUR, TOO_FEW, value_chart

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"}


def decode(values: Any) -> np.ndarray:
    """Plotly >= 6 encodes arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values)


def chart_json(table: pd.DataFrame, level: float = 0.95) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(value_chart(table, level).to_json())
    return parsed


def bars(chart: dict[str, Any]) -> pd.DataFrame:
    """One row per bar across traces: band, trace, colour, value and whisker ends."""
    rows = []
    for trace in chart["data"]:
        y = decode(trace["y"])
        above, below = decode(trace["error_y"]["array"]), decode(trace["error_y"]["arrayminus"])
        rows += [{"band": x, "trace": trace["name"], "colour": trace["marker"]["color"], "y": y[i],
                  "low": y[i] - below[i], "high": y[i] + above[i]} for i, x in enumerate(trace["x"])]
    return pd.DataFrame(rows).set_index("band")


@pytest.fixture
def table(creators) -> pd.DataFrame:
    # The narrow last band holds a handful of creators: too few for an interval, drawn grey without whiskers.
    bands = [(10, 1_000), (1_000, 10_000), (10_000, 100_000), (100_000, 1_000_000), (1_000_000, 1_020_000)]
    return band_value(creators, CostModel(rate_per_10k=100, floor=20), bands=bands)


def test_bars_and_whiskers_are_the_value_table(table):
    chart = chart_json(table)
    drawn = bars(chart)
    shown = table[table["n"] > 0].set_index("band")
    assert chart["layout"]["xaxis"]["categoryarray"] == list(shown.index)  # the scheme's order, not by value
    np.testing.assert_allclose(drawn.loc[shown.index, "y"], shown["engagements_per_1000"])
    ok = shown["note"] == ""
    np.testing.assert_allclose(drawn.loc[shown.index[ok], "low"], shown.loc[ok, "epk_ci_low"])
    np.testing.assert_allclose(drawn.loc[shown.index[ok], "high"], shown.loc[ok, "epk_ci_high"])


def test_best_buy_has_its_own_colour_and_bands_without_interval_are_grey(table):
    drawn = bars(chart_json(table))
    best = best_band(table)
    assert drawn.loc[best, "trace"] == BEST and drawn.loc[best, "colour"] == BEST_COLOUR
    assert (drawn.drop(index=best)["trace"] != BEST).all()
    too_few = table.loc[table["note"].str.startswith("too few") & (table["n"] > 0), "band"]
    assert len(too_few) >= 1
    for band in too_few:
        row = drawn.loc[band]
        assert (row["trace"], row["colour"], row["low"], row["high"]) == (TOO_FEW, NO_INTERVAL_COLOUR, row["y"],
                                                                          row["y"])
    assert {BEST_COLOUR, OTHER_COLOUR, NO_INTERVAL_COLOUR} <= OKABE_ITO
    assert set(drawn["trace"]) == {BEST, OTHER, TOO_FEW}


def test_hover_names_followers_n_interval_and_chance(table):
    chart = chart_json(table, level=0.9)
    best = next(t for t in chart["data"] if t["name"] == BEST)
    followers, n, per_1000, ci, cpe, chance = best["customdata"][0]
    row = table[table["band"] == best["x"][0]].iloc[0]
    assert n == f"{int(row['n']):,}" and per_1000 == f"{row['engagements_per_1000']:,.0f}"
    assert followers == follower_range(row["min_followers"], row["max_followers"])
    assert "–" in ci and cpe.startswith("$") and chance.endswith("%")
    assert "90% CI" in best["hovertemplate"] and "90% intervals" in chart["layout"]["title"]["text"]
    assert chart["layout"]["yaxis"]["rangemode"] == "tozero"


def test_empty_bands_are_left_out_and_free_posts_draw_grey_bars(creators):
    few = creators[creators["followers"] < 100_000]
    table = band_value(few, CostModel(), scheme="seed")
    assert (table.loc[table["band"] == "mega", "n"] == 0).all()
    assert "mega" not in chart_json(table)["layout"]["xaxis"]["categoryarray"]
    free = band_value(few, CostModel(rate_per_10k=0), scheme="seed")
    assert {t["name"] for t in chart_json(free)["data"]} == {TOO_FEW}  # no best buy when nothing costs anything
