"""The main engagement chart of a view, built the same way for the dashboard and the HTML report.

:func:`view_data` computes what the chart and the tier table show (binned
medians, the point sample, the tier summary, the trend and its line);
:func:`main_figure` draws it with the chosen overlays. The dashboard caches
the pieces separately but calls the same functions, so a report made from a
view holds the numbers the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import columns as col
from analysis.benchmarks import get_benchmark
from analysis.charts import engagement_chart, sample_points
from analysis.engagement import DEFAULT_DEFINITION, with_engagement
from analysis.overlays import add_benchmark, add_trend
from analysis.summary import binned_summary, log_bin_edges, tier_summary
from analysis.tiers import get_scheme
from analysis.trend import Trend, fit_trend, trend_line

BINS_PER_DECADE = 4
POINTS_PER_BIN = 250
TREND_POINTS = 60


@dataclass(frozen=True)
class ChartView:
    """Everything that decides the numbers and the drawing of the main view."""

    scheme: str = "seed"
    level: float = 0.95
    definition: str = DEFAULT_DEFINITION
    y_scale: str = "log"
    band: tuple[int, int] = (25_000, 50_000)
    trend: str = "ols"  # "ols", "theil-sen" or "off"
    trend_range: tuple[float, float] | None = None
    benchmark: str | None = None
    mean_method: str = "auto"
    pooled_method: str = "auto"


@dataclass(frozen=True)
class ViewData:
    """The computed pieces of a view: per-bin statistics, the point sample, tiers and the trend."""

    bins: pd.DataFrame
    points: pd.DataFrame
    tiers: pd.DataFrame
    trend: Trend | None
    trend_line: pd.DataFrame | None
    n_creators: int
    n_with_er: int


def chart_bins(prepared: pd.DataFrame, view: ChartView) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Binned medians with intervals and the stratified point sample (``prepared`` has ``er``)."""
    edges = log_bin_edges(prepared[col.FOLLOWERS], BINS_PER_DECADE)
    bins = binned_summary(prepared, BINS_PER_DECADE, view.level, view.mean_method, view.pooled_method)
    wanted = [c for c in (col.FOLLOWERS, "er", col.HANDLE) if c in prepared.columns]
    return bins, sample_points(prepared[wanted], edges, per_bin=POINTS_PER_BIN)


def view_trend(frame: pd.DataFrame, view: ChartView) -> tuple[Trend, pd.DataFrame] | None:
    """The fitted power law and its line, drawn only over the range it was fitted on (None: trend off)."""
    if view.trend == "off":
        return None
    trend = fit_trend(frame, definition=view.definition, method=view.trend, level=view.level,
                      followers_range=view.trend_range)
    followers = frame[col.FOLLOWERS].to_numpy("float64")
    if view.trend_range is not None:
        followers = followers[(followers >= view.trend_range[0]) & (followers < view.trend_range[1])]
    grid = np.geomspace(followers.min(), followers.max(), TREND_POINTS) if len(followers) else np.array([1.0, 10.0])
    return trend, trend_line(trend, grid)


def view_data(frame: pd.DataFrame, view: ChartView) -> ViewData:
    """All of :class:`ViewData` for creators ``frame`` (already filtered)."""
    prepared = with_engagement(frame, view.definition)
    bins, points = chart_bins(prepared, view)
    tiers = tier_summary(frame, scheme=view.scheme, level=view.level, definition=view.definition,
                         mean_method=view.mean_method, pooled_method=view.pooled_method)
    fitted = view_trend(frame, view)
    return ViewData(bins, points, tiers, fitted[0] if fitted else None, fitted[1] if fitted else None,
                    len(prepared), int(prepared["er"].notna().sum()))


def main_figure(bins: pd.DataFrame, points: pd.DataFrame, view: ChartView,
                fitted: tuple[Trend, pd.DataFrame] | None) -> go.Figure:
    """The engagement chart with the view's tiers, band, trend and benchmark overlay."""
    figure = engagement_chart(points, bins, get_scheme(view.scheme), view.band, view.y_scale, view.level)
    if fitted is not None:
        add_trend(figure, fitted[1], fitted[0].describe())
    if view.benchmark:
        add_benchmark(figure, get_benchmark(view.benchmark))
    return figure
