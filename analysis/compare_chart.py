"""The Compare chart: several segments' binned medians with interval bands on one log follower axis.

Each segment has its own Okabe–Ito colour, marker symbol and line dash, so
the lines stay apart for readers with a colour-vision deficiency and in
grey-scale print. Tier regions come from :func:`analysis.charts.add_tier_regions`;
published benchmarks are added afterwards with
:func:`analysis.overlays.add_benchmark`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import add_tier_regions, follower_ticks, rate_ticks
from analysis.format import compact, follower_range, interval
from analysis.tiers import TierScheme

#: Okabe–Ito colours, vermillion last (it marks the first benchmark); dark grey instead of Okabe–Ito yellow,
#: which is all but invisible on white (contrast 1.3:1). tests/test_palette.py checks them under colour-blindness.
SEGMENT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#D55E00", "#595959")
SEGMENT_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down")
SEGMENT_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
BAND_OPACITY = 0.15


@dataclass(frozen=True)
class SegmentStyle:
    """How one segment is drawn: colour, marker symbol, line dash."""

    colour: str
    symbol: str
    dash: str

    def fill(self, opacity: float = BAND_OPACITY) -> str:
        """The colour as translucent ``rgba(...)`` for an interval band."""
        red, green, blue = (int(self.colour[i:i + 2], 16) for i in (1, 3, 5))
        return f"rgba({red},{green},{blue},{opacity})"


def segment_style(index: int) -> SegmentStyle:
    """The style of the ``index``-th segment (cycling after eight)."""
    return SegmentStyle(SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)], SEGMENT_SYMBOLS[index % len(SEGMENT_SYMBOLS)],
                        SEGMENT_DASHES[index % len(SEGMENT_DASHES)])


def compare_chart(bins: pd.DataFrame, scheme: TierScheme, y_scale: str = "log", level: float = 0.95) -> go.Figure:
    """Median ER per follower bin for each segment, with its interval band, over the tiers of ``scheme``.

    ``bins`` is :func:`analysis.segment_compare.compare_bins` output; segments
    keep the order (and so the style) of its categorical ``segment`` column.
    Hollow markers: bins with too few creators for an interval. Each trace's
    ``meta`` holds ``{"layer": "segment-median" | "segment-band", "segment": name}``.
    """
    shown = bins[bins["n"] > 0]
    x_low, x_high = _x_extent(shown)
    fig = go.Figure()
    add_tier_regions(fig, scheme, x_low, x_high)
    for index, name in enumerate(_segment_order(bins)):
        part = shown[shown["segment"].astype(str) == name]
        if len(part):
            _add_segment(fig, part, name, segment_style(index), f"{level:.0%}")
    ticks = follower_ticks(x_low, x_high)
    fig.update_xaxes(type="log", title="Followers", range=[math.log10(x_low), math.log10(x_high)],
                     tickvals=ticks, ticktext=[compact(t) for t in ticks])
    y_range = _y_range(shown, y_scale)
    fig.update_yaxes(type=y_scale, title="Median engagement rate", tickformat=".1%", range=y_range)
    if y_scale == "log":
        fig.update_yaxes(tickvals=rate_ticks(10 ** y_range[0], 10 ** y_range[1]))
    fig.update_layout(template="plotly_white", height=580, margin={"l": 60, "r": 20, "t": 80, "b": 50},
                      legend={"orientation": "h", "yanchor": "bottom", "y": -0.22, "x": 0}, hovermode="closest")
    return fig


def _segment_order(bins: pd.DataFrame) -> list[str]:
    segment = bins["segment"]
    if isinstance(segment.dtype, pd.CategoricalDtype):
        return [str(c) for c in segment.cat.categories]
    return [str(s) for s in dict.fromkeys(segment)]


def _add_segment(fig: go.Figure, part: pd.DataFrame, name: str, style: SegmentStyle, pct: str) -> None:
    with_ci = part.dropna(subset=["median_ci_low", "median_ci_high"])
    fig.add_trace(go.Scatter(
        x=np.concatenate([with_ci["bin_mid"], with_ci["bin_mid"][::-1]]),
        y=np.concatenate([with_ci["median_ci_high"], with_ci["median_ci_low"][::-1]]),
        fill="toself", fillcolor=style.fill(), line={"width": 0}, hoverinfo="skip", legendgroup=name,
        showlegend=False, name=f"{name}: {pct} CI", meta={"layer": "segment-band", "segment": name},
    ))
    symbols = [style.symbol if ok else f"{style.symbol}-open" for ok in part["median_ci_low"].notna()]
    hover = [f"<b>{name}</b> · {follower_range(low, high)} followers<br>n = {int(n):,}<br>median ER %{{y:.2%}}<br>"
             f"{pct} CI {interval(ci_low, ci_high)}<extra></extra>"
             for low, high, n, ci_low, ci_high in zip(part["bin_low"], part["bin_high"], part["n"],
                                                      part["median_ci_low"], part["median_ci_high"], strict=True)]
    fig.add_trace(go.Scatter(
        x=part["bin_mid"], y=part["median_er"], mode="lines+markers", name=name, legendgroup=name,
        line={"color": style.colour, "width": 2.5, "dash": style.dash},
        marker={"size": 8, "symbol": symbols, "color": style.colour, "line": {"width": 1.5, "color": style.colour}},
        hovertemplate=hover, meta={"layer": "segment-median", "segment": name},
    ))


def _x_extent(shown: pd.DataFrame) -> tuple[float, float]:
    if not len(shown):
        return 1.0, 1e6
    return float(shown["bin_low"].min()) / 1.15, float(shown["bin_high"].max()) * 1.15


def _y_range(shown: pd.DataFrame, y_scale: str) -> list[float]:
    values = pd.concat([shown["median_er"], shown["median_ci_low"], shown["median_ci_high"]]).to_numpy("float64")
    values = values[np.isfinite(values) & (values > 0)] if y_scale == "log" else values[np.isfinite(values)]
    if values.size == 0:
        return [-3.0, 0.0] if y_scale == "log" else [0.0, 0.1]
    top = float(values.max()) * 1.15
    if y_scale == "log":
        return [math.log10(float(values.min()) / 1.3), math.log10(top)]
    return [0.0, top]
