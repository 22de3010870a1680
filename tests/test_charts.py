"""The main chart, checked through its JSON (what the browser receives)."""

from __future__ import annotations

import base64
import itertools
import json
import math
from typing import Any

import numpy as np
import pytest

from analysis.charts import engagement_chart, label_rows, sample_points
from analysis.engagement import with_engagement
from analysis.summary import bin_index, bin_summary, log_bin_edges
from analysis.tiers import get_scheme


def decode(values: Any) -> np.ndarray:
    """Plotly >= 6 encodes arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values)


@pytest.fixture
def chart_json(creators):
    def build(scheme: str = "seed", band: tuple[int, int] = (25_000, 50_000), y_scale: str = "log") -> dict[str, Any]:
        prepared = with_engagement(creators)
        edges = log_bin_edges(creators["followers"])
        fig = engagement_chart(sample_points(prepared, edges, per_bin=50), bin_summary(creators),
                               get_scheme(scheme), band, y_scale, 0.95)
        parsed: dict[str, Any] = json.loads(fig.to_json())
        return parsed
    return build


def test_x_axis_is_log_and_spans_the_data(chart_json, creators):
    layout = chart_json()["layout"]
    assert layout["xaxis"]["type"] == "log"
    low, high = layout["xaxis"]["range"]
    data_low, data_high = np.log10(creators["followers"].min()), np.log10(creators["followers"].max())
    assert data_low - 0.5 < low <= data_low and data_high <= high < data_high + 0.5


def test_annotations_sit_inside_the_axis_in_log_units(chart_json):
    layout = chart_json(scheme="mediakix")["layout"]
    low, high = layout["xaxis"]["range"]
    xs = [a["x"] for a in layout["annotations"]]
    assert xs and all(low <= x <= high for x in xs), "a label in data units would blow the axis up"


def test_tier_regions_and_sweet_spot_band_are_drawn(chart_json):
    layout = chart_json(band=(20_000, 60_000))["layout"]
    names = [s.get("name", "") for s in layout["shapes"]]
    assert {"tier:nano", "tier:micro", "tier:macro", "tier:mega"} <= set(names)
    band = next(s for s in layout["shapes"] if s.get("name") == "sweet-spot")
    assert (band["x0"], band["x1"]) == (20_000, 60_000)
    labels = [a["text"] for a in layout["annotations"]]
    assert "sweet spot 20K–60K" in labels and "nano" in labels


def test_binned_medians_carry_their_intervals(chart_json, creators):
    fig = chart_json()
    medians = next(t for t in fig["data"] if t["name"] == "median ER per bin")
    expected = bin_summary(creators)
    np.testing.assert_allclose(decode(medians["y"]), expected["median_er"])
    upper = decode(medians["error_y"]["array"])
    np.testing.assert_allclose(upper, (expected["median_ci_high"] - expected["median_er"]).fillna(0))
    assert all(len(row) == 3 for row in medians["customdata"])


def test_point_cloud_is_bounded(creators):
    prepared = with_engagement(creators)
    edges = log_bin_edges(creators["followers"])
    points = sample_points(prepared, edges, per_bin=20)
    codes = bin_index(prepared["followers"], edges)
    counts = np.bincount(codes)
    assert len(points) == np.minimum(counts, 20).sum()
    sparse = prepared[counts[codes] <= 20]  # sparse bins (the large accounts) are shown whole
    assert set(sparse.index) <= set(points.index)


@pytest.mark.parametrize("y_scale", ["log", "linear"])
def test_y_scale(chart_json, y_scale):
    yaxis = chart_json(y_scale=y_scale)["layout"]["yaxis"]
    assert yaxis["type"] == y_scale
    low, high = yaxis["range"]
    assert low < high and (y_scale == "log" or low == 0)
    assert y_scale == "linear" or high < math.log10(2)  # ER under 200%: log range is sane


def test_label_rows_never_overlap_within_a_row():
    labels = [(0.0, 1.0), (0.5, 1.0), (1.0, 1.0), (3.0, 0.5), (3.2, 0.5)]
    rows = label_rows(labels)
    assert rows == [0, 1, 0, 0, 1]  # touching labels may share a row
    for row in set(rows):
        spans = sorted((x - w / 2, x + w / 2) for (x, w), r in zip(labels, rows, strict=True) if r == row)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_narrow_follower_range_gets_more_ticks():
    import pandas as pd

    frame = pd.DataFrame({"followers": [1_200.0, 1_800.0, 3_000.0], "likes": [30.0, 20.0, 10.0]})
    prepared = with_engagement(frame)
    fig = json.loads(engagement_chart(prepared, bin_summary(frame), get_scheme("seed"), (25_000, 50_000)).to_json())
    assert fig["layout"]["xaxis"]["ticktext"] == ["1K", "2K"]
