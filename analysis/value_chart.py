"""Value-for-money chart: engagements per $1,000 by follower band, with interval whiskers.

A pure builder over :func:`analysis.value.band_value`'s table: one bar per band
in the table's order, the best buy (see :func:`analysis.value.best_band`) in its
own colour, bands without an interval in grey and without whiskers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import MEDIAN_COLOUR
from analysis.format import chance, follower_range, money, quantity, span
from analysis.value import best_band

#: Okabe-Ito colours (as in :mod:`analysis.charts`): the best buy, other bands, bands too small for an interval.
BEST_COLOUR = "#D55E00"
OTHER_COLOUR = MEDIAN_COLOUR
NO_INTERVAL_COLOUR = "#999999"
#: Legend names of the three kinds of bar.
BEST, OTHER, TOO_FEW = "best value", "other bands", "too few for an interval"

_HOVER = ("<b>%{x}</b> (%{customdata[0]} followers)<br>%{customdata[1]} creators<br>"
          "%{customdata[2]} engagements per $1,000<br>{pct} CI %{customdata[3]}<br>"
          "cost per engagement %{customdata[4]}<br>P(best buy) %{customdata[5]}<extra></extra>")


def value_chart(table: pd.DataFrame, level: float) -> go.Figure:
    """Bars of ``engagements_per_1000`` per band with ``epk_ci_low``–``epk_ci_high`` whiskers.

    ``table`` is a :func:`analysis.value.band_value` result; bands with no
    creators are left out. Each bar's hover gives its followers, n, interval,
    cost per engagement and probability of being the best buy.
    """
    shown = table[table["n"] > 0]
    has_ci = np.isfinite(shown["epk_ci_low"].to_numpy(dtype=np.float64))
    best = best_band(shown) if has_ci.any() else None
    kind = np.where(shown["band"] == best, BEST, np.where(has_ci, OTHER, TOO_FEW))
    fig = go.Figure()
    for name, colour in ((BEST, BEST_COLOUR), (OTHER, OTHER_COLOUR), (TOO_FEW, NO_INTERVAL_COLOUR)):
        part = shown[kind == name]
        if not part.empty:
            fig.add_trace(_bars(part, name, colour, level))
    fig.update_layout(
        barmode="overlay", template="plotly_white", margin={"l": 10, "r": 10, "t": 50, "b": 110},
        title=f"Engagements per $1,000 by band ({level:.0%} intervals)",
        xaxis={"title": "Follower band", "type": "category", "categoryorder": "array",
               "categoryarray": [str(b) for b in shown["band"]]},
        yaxis={"title": "Engagements per $1,000", "rangemode": "tozero", "tickformat": ","},
        # At the figure's foot: above the plot it ran into the title on a narrow screen.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
    )
    return fig


def _bars(part: pd.DataFrame, name: str, colour: str, level: float) -> go.Bar:
    value = part["engagements_per_1000"].to_numpy(dtype=np.float64)
    # No interval: a zero-length whisker, so the bar does not pretend to a precision it lacks.
    above = np.nan_to_num(part["epk_ci_high"].to_numpy(dtype=np.float64) - value)
    below = np.nan_to_num(value - part["epk_ci_low"].to_numpy(dtype=np.float64))
    return go.Bar(
        x=[str(b) for b in part["band"]], y=value.tolist(), name=name, marker={"color": colour},
        error_y={"type": "data", "symmetric": False, "array": above.tolist(), "arrayminus": below.tolist(),
                 "color": "#000000", "thickness": 1.5, "width": 6},
        customdata=_hover_data(part), hovertemplate=_HOVER.replace("{pct}", f"{level:.0%}"),
    )


def _hover_data(part: pd.DataFrame) -> list[tuple[str, str, str, str, str, str]]:
    return [
        (follower_range(_end(low), _end(high)), f"{int(n):,}", quantity(epk), span(ci_low, ci_high, quantity),
         money(cpe), chance(p))
        for low, high, n, epk, ci_low, ci_high, cpe, p in zip(
            part["min_followers"], part["max_followers"], part["n"], part["engagements_per_1000"],
            part["epk_ci_low"], part["epk_ci_high"], part["cost_per_engagement"], part["p_best"], strict=True)
    ]


def _end(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
