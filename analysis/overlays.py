"""Layers drawn over the engagement chart: published benchmarks and a fitted trend.

Both take a figure from :func:`analysis.charts.engagement_chart` and add
traces, so a page decides what to overlay without the chart builder knowing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.benchmarks import Benchmark

#: Okabe-Ito vermillion and bluish green, with distinct marker symbols so grey-scale keeps them apart.
BENCHMARK_STYLES = (("#D55E00", "diamond-open"), ("#009E73", "square-open"), ("#CC79A7", "triangle-up-open"))
TREND_COLOUR = "#000000"


def add_benchmark(fig: go.Figure, benchmark: Benchmark, index: int = 0) -> go.Figure:
    """Each published band as a marker at its geometric middle, whiskers spanning the band.

    An open lower edge (0) is drawn from a tenth of the upper edge and an open
    upper edge to ten times the lower one: the whisker shows the band, the
    hover text states it exactly.
    """
    colour, symbol = BENCHMARK_STYLES[index % len(BENCHMARK_STYLES)]
    low = np.array([b.min_followers if b.min_followers > 0 else b.max_followers / 10 for b in benchmark.bands])
    high = np.array([b.max_followers if math.isfinite(b.max_followers) else b.min_followers * 10
                     for b in benchmark.bands])
    middle = np.sqrt(low * high)
    stat = "average" if benchmark.statistic == "mean" else f"statistic {benchmark.statistic}"
    hover = [f"<b>{benchmark.source} {benchmark.year}</b> · {benchmark.platform}<br>{band.label} followers: "
             f"{band.er:.2%}<br>{benchmark.formula} ({stat})<extra></extra>" for band in benchmark.bands]
    fig.add_trace(go.Scatter(
        x=middle, y=[b.er for b in benchmark.bands], mode="markers", name=f"{benchmark.source} {benchmark.year}",
        marker={"symbol": symbol, "size": 11, "color": colour, "line": {"width": 2}},
        error_x={"type": "data", "symmetric": False, "array": high - middle, "arrayminus": middle - low,
                 "color": colour, "thickness": 1.5, "width": 0},
        hovertemplate=hover, meta={"layer": "benchmark", "benchmark": benchmark.id},
    ))
    return fig


def add_trend(fig: go.Figure, line: pd.DataFrame, label: str) -> go.Figure:
    """A fitted line (``followers``, ``er``) with its band (``er_low``, ``er_high``) and ``label`` on hover."""
    fig.add_trace(go.Scatter(
        x=np.concatenate([line["followers"], line["followers"][::-1]]),
        y=np.concatenate([line["er_high"], line["er_low"][::-1]]),
        fill="toself", fillcolor="rgba(0,0,0,0.10)", line={"width": 0}, hoverinfo="skip", showlegend=False,
        meta={"layer": "trend-band"},
    ))
    fig.add_trace(go.Scatter(
        x=line["followers"], y=line["er"], mode="lines", name="power-law trend",
        line={"color": TREND_COLOUR, "width": 2, "dash": "dash"},
        hovertemplate=f"{label}<br>%{{x:,.0f}} followers: %{{y:.2%}}<extra></extra>", meta={"layer": "trend"},
    ))
    return fig
