"""The Compare chart, checked through its JSON (what the browser receives)."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from analysis.benchmarks import get_benchmark
from analysis.compare_chart import SEGMENT_COLOURS, compare_chart, segment_style
from analysis.overlays import add_benchmark
from analysis.segment_compare import compare_bins
from analysis.tiers import get_scheme
from tests.test_charts import decode

SEGMENTS = ["instagram", "tiktok", "youtube"]


@pytest.fixture
def bins(creators):
    return compare_bins(creators, "platform", SEGMENTS)


def _json(fig) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(fig.to_json())
    return parsed


def _layer(fig: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [t for t in fig["data"] if (t.get("meta") or {}).get("layer") == layer]


def test_one_median_line_and_one_band_per_segment_in_order(bins):
    fig = _json(compare_chart(bins, get_scheme("seed")))
    medians, bands = _layer(fig, "segment-median"), _layer(fig, "segment-band")
    assert [t["name"] for t in medians] == SEGMENTS and [t["meta"]["segment"] for t in bands] == SEGMENTS
    for trace, name in zip(medians, SEGMENTS, strict=True):
        expected = bins[(bins["segment"] == name) & (bins["n"] > 0)]
        np.testing.assert_allclose(decode(trace["x"]), expected["bin_mid"])
        np.testing.assert_allclose(decode(trace["y"]), expected["median_er"])
        assert len(trace["hovertemplate"]) == len(expected) and name in trace["hovertemplate"][0]


def test_bands_are_filled_translucent_polygons_spanning_the_intervals(bins):
    fig = _json(compare_chart(bins, get_scheme("seed")))
    for band, name in zip(_layer(fig, "segment-band"), SEGMENTS, strict=True):
        with_ci = bins[(bins["segment"] == name) & bins["median_ci_low"].notna()]
        y = decode(band["y"])
        np.testing.assert_allclose(y[: len(with_ci)], with_ci["median_ci_high"])
        np.testing.assert_allclose(y[len(with_ci):], with_ci["median_ci_low"][::-1])
        assert band["fill"] == "toself" and re.fullmatch(r"rgba\(\d+,\d+,\d+,0\.15\)", band["fillcolor"])


def test_segments_differ_in_colour_symbol_and_dash(bins):
    medians = _layer(_json(compare_chart(bins, get_scheme("seed"))), "segment-median")
    looks = [(t["line"]["color"], t["marker"]["symbol"][0].removesuffix("-open"), t["line"]["dash"]) for t in medians]
    for part in range(3):  # each of colour, symbol and dash alone tells the lines apart (grey-scale: symbol, dash)
        assert len({look[part] for look in looks}) == len(looks)
    assert all(colour in SEGMENT_COLOURS for colour, _, _ in looks)
    assert len({segment_style(i) for i in range(8)}) == 8


def test_bins_without_an_interval_get_hollow_markers(bins):
    medians = _layer(_json(compare_chart(bins, get_scheme("seed"))), "segment-median")
    youtube = bins[(bins["segment"] == "youtube") & (bins["n"] > 0)]
    symbols = medians[2]["marker"]["symbol"]
    assert [s.endswith("-open") for s in symbols] == list(youtube["median_ci_low"].isna())


def test_log_axis_tiers_and_labels_inside_the_range(bins, creators):
    layout = _json(compare_chart(bins, get_scheme("seed")))["layout"]
    assert layout["xaxis"]["type"] == "log"
    low, high = layout["xaxis"]["range"]
    assert low < np.log10(creators["followers"].min()) and np.log10(creators["followers"].max()) < high < 8
    assert all(low <= a["x"] <= high for a in layout["annotations"]), "a label in data units would blow the axis up"
    names = {s.get("name", "") for s in layout["shapes"]}
    assert {"tier:nano", "tier:micro", "tier:macro", "tier:mega"} <= names


@pytest.mark.parametrize("y_scale", ["log", "linear"])
def test_y_axis_covers_every_band(bins, y_scale):
    yaxis = _json(compare_chart(bins, get_scheme("seed"), y_scale=y_scale))["layout"]["yaxis"]
    assert yaxis["type"] == y_scale and yaxis["tickformat"] == ".1%"
    low, high = yaxis["range"]
    top = bins["median_ci_high"].max()
    lowest = bins[["median_er", "median_ci_low"]].min().min()
    if y_scale == "log":
        assert 10**low <= lowest and top <= 10**high
    else:
        assert low == 0 and top <= high


def test_benchmark_overlay_names_its_source_on_hover(bins):
    figure = add_benchmark(compare_chart(bins, get_scheme("seed")), get_benchmark("markerly-2016"))
    marks = _layer(_json(figure), "benchmark")
    assert len(marks) == 1 and "Markerly" in marks[0]["hovertemplate"][0]


def test_a_segment_without_creators_draws_nothing_but_keeps_the_others_styles(creators):
    bins = compare_bins(creators, "platform", ["instagram", "myspace", "youtube"])
    medians = _layer(_json(compare_chart(bins, get_scheme("seed"))), "segment-median")
    assert [t["name"] for t in medians] == ["instagram", "youtube"]
    assert medians[1]["line"]["color"] == segment_style(2).colour


def test_no_bins_gives_an_empty_but_valid_chart(creators):
    empty = compare_bins(creators.iloc[:0], "platform", ["a", "b"])
    fig = _json(compare_chart(empty, get_scheme("seed")))
    assert not _layer(fig, "segment-median") and fig["layout"]["xaxis"]["type"] == "log"
