"""Benchmark and trend layers over the engagement chart (checked in the figure's JSON)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.benchmarks import get_benchmark
from analysis.overlays import add_benchmark, add_trend


def _values(data):
    return np.asarray(data, dtype="float64")


def test_benchmark_markers_sit_in_their_bands_at_the_published_value():
    bench = get_benchmark("hypeauditor-2018")
    trace = add_benchmark(go.Figure(), bench).data[0]
    x, y = _values(trace.x), _values(trace.y)
    assert y.tolist() == [b.er for b in bench.bands]
    low, high = x - _values(trace.error_x.arrayminus), x + _values(trace.error_x.array)
    for band, lo, hi, mid in zip(bench.bands, low, high, x, strict=True):
        assert lo < mid < hi and math.isclose(mid, math.sqrt(lo * hi))
        if band.min_followers > 0:
            assert math.isclose(lo, band.min_followers)
        if math.isfinite(band.max_followers):
            assert math.isclose(hi, band.max_followers)
    assert "HypeAuditor 2018" in trace.hovertemplate[0] and "(likes + comments)" in trace.hovertemplate[0]
    assert trace.meta["benchmark"] == "hypeauditor-2018"


def test_two_benchmarks_differ_in_colour_and_symbol():
    fig = add_benchmark(go.Figure(), get_benchmark("markerly-2016"), 0)
    add_benchmark(fig, get_benchmark("hypeauditor-2018"), 1)
    first, second = fig.data
    assert first.marker.color != second.marker.color and first.marker.symbol != second.marker.symbol


def test_trend_band_encloses_the_line():
    followers = np.geomspace(100, 1e6, 20)
    line = pd.DataFrame({"followers": followers, "er": 0.1 * followers**-0.2})
    line = line.assign(er_low=line["er"] * 0.9, er_high=line["er"] * 1.1)
    fig = add_trend(go.Figure(), line, "ER falls 13% per doubling")
    band, trend = fig.data
    assert band.fill == "toself" and len(band.x) == 2 * len(followers)
    assert np.allclose(_values(trend.y), line["er"]) and "13% per doubling" in trend.hovertemplate
    upper, lower = _values(band.y)[:20], _values(band.y)[20:][::-1]
    assert (upper >= _values(trend.y)).all() and (lower <= _values(trend.y)).all()
