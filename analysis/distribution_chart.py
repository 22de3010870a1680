"""The engagement-rate distribution of one group of creators, with its median and mean intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import BAND_COLOUR, MEDIAN_COLOUR, rate_ticks
from analysis.format import percent

#: Okabe–Ito vermillion for the mean: apart from the median's blue in colour and in grey-scale (dashed).
MEAN_COLOUR = "#D55E00"
BINS = 40


def er_distribution(er: pd.Series, stats: pd.Series, level: float = 0.95) -> go.Figure:
    """Histogram of ER on log-spaced bins with the group's median and mean and their intervals.

    ``stats`` is one row of a summary (:data:`analysis.summary.STAT_COLUMNS`).
    ER 0 has no place on a log axis: such creators are counted in the title,
    not drawn. The bars count creators, so the histogram reads as "how many".
    """
    values = er.to_numpy("float64")
    values = values[np.isfinite(values)]
    positive = values[values > 0]
    fig = go.Figure()
    if positive.size:
        low, high = positive.min(), positive.max()
        edges = np.geomspace(low, high * 1.0001 if high > low else low * 10, BINS + 1)
        counts, _ = np.histogram(positive, edges)
        fig.add_trace(go.Bar(
            x=np.sqrt(edges[:-1] * edges[1:]), y=counts, width=np.diff(edges), name="creators",
            marker={"color": "#9FB8CC", "line": {"width": 0}},
            customdata=np.stack([edges[:-1], edges[1:]], axis=1),
            hovertemplate="ER %{customdata[0]:.2%}–%{customdata[1]:.2%}<br>%{y:,} creators<extra></extra>",
        ))
    pct = f"{level:.0%}"
    _add_estimate(fig, "median", stats["median_er"], stats["median_ci_low"], stats["median_ci_high"], pct,
                  MEDIAN_COLOUR, "solid")
    _add_estimate(fig, "mean", stats["mean_er"], stats["mean_ci_low"], stats["mean_ci_high"], pct, MEAN_COLOUR, "dash")
    zeros = int(values.size - positive.size)
    note = f" · {zeros:,} with ER 0 not drawn" if zeros else ""
    ticks = rate_ticks(positive.min() / 2, positive.max() * 2) if positive.size else []
    fig.update_xaxes(type="log", title="Engagement rate (log scale)", tickformat=".1%", tickvals=ticks or None)
    fig.update_yaxes(title="Creators")
    fig.update_layout(
        template="plotly_white", height=420, bargap=0, margin={"l": 60, "r": 20, "t": 50, "b": 120},
        title={"text": f"Engagement rate of {int(values.size):,} creators{note}", "font": {"size": 14}},
        # Below the axis, at the figure's foot: above the plot it ran into the title on a narrow screen.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
    )
    return fig


def _add_estimate(fig: go.Figure, name: str, value: float, low: float, high: float, pct: str, colour: str,
                  dash: str) -> None:
    """A vertical line at the estimate and a shaded interval (none when too few for one)."""
    if not (isinstance(value, float) and math.isfinite(value) and value > 0):
        return
    if math.isfinite(low) and math.isfinite(high) and low > 0:
        fig.add_vrect(x0=low, x1=high, fillcolor=colour if name == "median" else BAND_COLOUR, opacity=0.18,
                      line_width=0, layer="below", name=f"{name}-ci")
    text = f"{name} {percent(value)}" + (f" [{percent(low)}–{percent(high)}], {pct}" if math.isfinite(low) else "")
    # A line drawn as a trace, so it has a legend entry and a hover text.
    fig.add_trace(go.Scatter(
        x=[value, value], y=[0, 1], yaxis="y2", mode="lines", name=text,
        line={"color": colour, "width": 2.5, "dash": dash}, hovertemplate=f"{text}<extra></extra>",
        meta={"layer": name},
    ))
    fig.update_layout(yaxis2={"overlaying": "y", "range": [0, 1], "visible": False})
