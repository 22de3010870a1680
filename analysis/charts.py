"""Pure chart builders: data in, ``plotly.graph_objects.Figure`` out.

Plotly puts shapes on a log axis in data units but annotations in log10
units; every annotation here is placed with ``math.log10`` explicitly so a
label can never stretch the axis (``add_vrect(annotation_text=...)`` would).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import columns as col
from analysis.format import compact, follower_range, interval
from analysis.summary import bin_index
from analysis.tiers import TierScheme

#: Okabe-Ito colours: distinguishable with common colour-vision deficiencies.
MEDIAN_COLOUR = "#0072B2"
BAND_COLOUR = "#E69F00"
POINT_COLOUR = "#56B4E9"
TIER_SHADES = ("rgba(0,0,0,0.045)", "rgba(0,0,0,0)")


def sample_points(prepared: pd.DataFrame, edges: np.ndarray, per_bin: int = 250, seed: int = 0) -> pd.DataFrame:
    """At most ``per_bin`` creators from each follower bin (with ``er`` > 0).

    Sampling per bin keeps the sparse large accounts visible; the caption must
    say the cloud is a stratified sample, not the density of the data.
    """
    usable = prepared[np.isfinite(prepared["er"]) & (prepared["er"] > 0)]
    codes = bin_index(usable[col.FOLLOWERS], edges)
    rng = np.random.default_rng(seed)
    keys = rng.random(len(usable))
    order = pd.DataFrame({"bin": codes, "key": keys}, index=usable.index).sort_values(["bin", "key"])
    picked = order.groupby("bin").head(per_bin).index
    sample: pd.DataFrame = usable.loc[picked]
    return sample


def engagement_chart(
    points: pd.DataFrame,
    bins: pd.DataFrame,
    scheme: TierScheme,
    band: tuple[int, int],
    y_scale: str = "log",
    level: float = 0.95,
) -> go.Figure:
    """Engagement rate against followers: point cloud, binned medians with CI, tiers, band."""
    x_low, x_high = _x_extent(points, bins)
    fig = go.Figure()
    add_tier_regions(fig, scheme, x_low, x_high)
    _add_band(fig, band, x_low, x_high)
    handles = points[col.HANDLE].astype(str).tolist() if col.HANDLE in points.columns else None
    fig.add_trace(go.Scattergl(
        x=points[col.FOLLOWERS], y=points["er"], mode="markers", name="creators (sample)",
        marker={"size": 4, "color": POINT_COLOUR, "opacity": 0.35}, customdata=handles,
        hovertemplate=("%{customdata}<br>" if handles else "") + "%{x:,.0f} followers<br>ER %{y:.2%}<extra></extra>",
        meta={"layer": "creators"},
    ))
    _add_medians(fig, bins, level)
    x_ticks = follower_ticks(x_low, x_high)
    fig.update_xaxes(type="log", title="Followers", range=[math.log10(x_low), math.log10(x_high)],
                     tickvals=x_ticks, ticktext=[compact(t) for t in x_ticks])
    y_range = _y_range(points, bins, y_scale)
    fig.update_yaxes(type=y_scale, title="Engagement rate", tickformat=".1%", range=y_range)
    _add_tier_handles(fig, scheme, x_low, x_high, 10 ** y_range[0] if y_scale == "log" else y_range[0])
    if y_scale == "log":
        fig.update_yaxes(tickvals=rate_ticks(10 ** y_range[0], 10 ** y_range[1]))
    fig.update_layout(
        template="plotly_white", height=580, margin={"l": 60, "r": 20, "t": 80, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.22, "x": 0},
        hovermode="closest",
    )
    return fig


def follower_ticks(x_low: float, x_high: float) -> list[float]:
    """Follower ticks: powers of ten over a wide range, a 1-2-5 ladder when the data span under two decades."""
    steps = (1,) if x_high / x_low > 100 else (1, 2, 5)
    return [m * 10.0**k for k in range(0, 12) for m in steps if x_low <= m * 10.0**k <= x_high]


def rate_ticks(low: float, high: float) -> list[float]:
    """A 1-2-5 ladder of rates between ``low`` and ``high`` (Plotly labels every minor tick on short log ranges)."""
    return [m * 10.0**e for e in range(-6, 2) for m in (1, 2, 5) if low <= m * 10.0**e <= high]


def _x_extent(points: pd.DataFrame, bins: pd.DataFrame) -> tuple[float, float]:
    lows = [points[col.FOLLOWERS].min(), bins["bin_low"].min()] if len(bins) else [points[col.FOLLOWERS].min()]
    highs = [points[col.FOLLOWERS].max(), bins["bin_high"].max()] if len(bins) else [points[col.FOLLOWERS].max()]
    low, high = np.nanmin(lows), np.nanmax(highs)
    if not np.isfinite(low) or not np.isfinite(high) or low <= 0:
        return 1.0, 1e6
    return float(low) / 1.15, float(high) * 1.15


def _y_range(points: pd.DataFrame, bins: pd.DataFrame, y_scale: str) -> list[float]:
    er = points["er"].to_numpy("float64")
    highs = np.concatenate([er, bins["median_ci_high"].dropna().to_numpy("float64")])
    if highs.size == 0:
        return [-3, 0] if y_scale == "log" else [0, 0.1]
    top = max(float(np.quantile(highs, 0.995)), float(np.nanmax(bins["median_er"], initial=0))) * 1.15
    if y_scale == "log":
        bottom = max(float(np.quantile(er, 0.005)) if er.size else top / 100, 1e-6) / 1.3
        return [math.log10(bottom), math.log10(top)]
    return [0.0, top]


def add_tier_regions(fig: go.Figure, scheme: TierScheme, x_low: float, x_high: float) -> None:
    """Shade each tier of ``scheme`` between ``x_low`` and ``x_high``, label it above the plot, mark its edges."""
    visible = []
    for index, tier in enumerate(scheme.all_tiers()):
        start = max(tier.min_followers or x_low, x_low)
        end = min(tier.max_followers or x_high, x_high)
        if start < end:
            fig.add_vrect(x0=start, x1=end, fillcolor=TIER_SHADES[index % 2], line_width=0, layer="below",
                          name=f"tier:{tier.name}")
            visible.append((tier.name, math.log10(math.sqrt(start * end))))
    decades = math.log10(x_high / x_low)
    rows = label_rows([(x, len(name) * LABEL_DECADES_PER_CHAR * decades / 8) for name, x in visible])
    for (name, x), row in zip(visible, rows, strict=True):
        fig.add_annotation(x=x, y=1.0 + 0.045 * row, yref="paper", yanchor="bottom", text=name, showarrow=False,
                           font={"size": 11, "color": "#444"}, name=f"tier:{name}")
    for edge in scheme.boundaries():
        if x_low < edge < x_high:
            fig.add_vline(x=edge, line={"color": "#888", "width": 1, "dash": "dot"}, name=f"boundary:{edge}")


def _add_tier_handles(fig: go.Figure, scheme: TierScheme, x_low: float, x_high: float, y: float) -> None:
    """A clickable marker at the foot of each visible tier: clicking it selects the tier's creators."""
    shown = [(t.name, max(t.min_followers or x_low, x_low), min(t.max_followers or x_high, x_high))
             for t in scheme.all_tiers()]
    shown = [(name, start, end) for name, start, end in shown if start < end]
    fig.add_trace(go.Scatter(
        x=[math.sqrt(start * end) for _, start, end in shown], y=[y] * len(shown), mode="markers",
        marker={"symbol": "square", "size": 11, "color": "#666", "line": {"width": 1, "color": "white"}},
        customdata=[name for name, _, _ in shown], cliponaxis=False, showlegend=False, name="tiers",
        hovertemplate="<b>%{customdata} tier</b><br>click to list its creators<extra></extra>",
        meta={"layer": "tiers"},
    ))


#: Rough width of one label character in decades when the axis spans 8 decades (~700 px).
LABEL_DECADES_PER_CHAR = 0.07


def label_rows(labels: list[tuple[float, float]]) -> list[int]:
    """Stack centred labels ``(x, width)`` into rows so no two in a row overlap (greedy, lowest row first)."""
    row_ends: list[float] = []
    rows = []
    for x, width in labels:
        left = x - width / 2
        row = next((i for i, end in enumerate(row_ends) if end <= left), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = x + width / 2
        rows.append(row)
    return rows


def _add_band(fig: go.Figure, band: tuple[int, int], x_low: float, x_high: float) -> None:
    low, high = band
    fig.add_vrect(x0=low, x1=high, fillcolor=BAND_COLOUR, opacity=0.18, line_width=0, layer="below",
                  name="sweet-spot")
    if x_low < math.sqrt(low * high) < x_high:
        fig.add_annotation(x=math.log10(math.sqrt(low * high)), y=0.97, yref="paper", yanchor="top",
                           text=f"sweet spot {compact(low)}–{compact(high)}", showarrow=False,
                           font={"size": 11, "color": "#8a5a00"}, bgcolor="rgba(255,255,255,0.7)",
                           name="sweet-spot")


def _add_medians(fig: go.Figure, bins: pd.DataFrame, level: float) -> None:
    shown = bins[bins["n"] > 0]
    with_ci = shown.dropna(subset=["median_ci_low", "median_ci_high"])
    pct = f"{level:.0%}"
    fig.add_trace(go.Scatter(
        x=list(with_ci["bin_mid"]) + list(with_ci["bin_mid"])[::-1],
        y=list(with_ci["median_ci_high"]) + list(with_ci["median_ci_low"])[::-1],
        fill="toself", fillcolor="rgba(0,114,178,0.18)", line={"width": 0}, hoverinfo="skip",
        name=f"{pct} CI of median",
    ))
    # Hollow markers: bins with too few creators for an interval.
    symbols = ["circle" if ok else "circle-open" for ok in shown["median_ci_low"].notna()]
    fig.add_trace(go.Scatter(
        x=shown["bin_mid"], y=shown["median_er"], mode="lines+markers", name="median ER per bin",
        meta={"layer": "medians"},
        line={"color": MEDIAN_COLOUR, "width": 2.5}, marker={"size": 7, "symbol": symbols},
        error_y={"type": "data", "symmetric": False, "color": MEDIAN_COLOUR, "thickness": 1,
                 "array": (shown["median_ci_high"] - shown["median_er"]).fillna(0),
                 "arrayminus": (shown["median_er"] - shown["median_ci_low"]).fillna(0)},
        customdata=_hover_data(shown), hovertemplate=_HOVER.replace("{pct}", pct),
    ))


_HOVER = (
    "<b>%{customdata[0]} followers</b><br>n = %{customdata[1]}<br>"
    "median ER %{y:.2%}<br>{pct} CI %{customdata[2]}<extra></extra>"
)


def _hover_data(bins: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [
        (follower_range(low, high), f"{int(n):,}", interval(ci_low, ci_high))
        for low, high, n, ci_low, ci_high in zip(
            bins["bin_low"], bins["bin_high"], bins["n"], bins["median_ci_low"], bins["median_ci_high"], strict=True
        )
    ]
