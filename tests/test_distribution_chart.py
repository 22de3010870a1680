"""The ER distribution of a selected group: counts, estimates and intervals in the figure."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from analysis.distribution_chart import er_distribution
from analysis.summary import summarize


def _values(data):
    if isinstance(data, dict):  # Plotly >= 6 encodes numeric arrays as base64
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    return np.asarray(data)


def test_bars_count_every_positive_rate_and_lines_sit_at_the_estimates(rng):
    er = pd.Series(np.r_[rng.lognormal(-4, 0.8, 500), [0.0, 0.0, np.nan]])
    frame = pd.DataFrame({"followers": 1_000.0, "engagements": er * 1_000, "er": er, "g": "x"})
    stats = summarize(frame, ["g"], 0.9).iloc[0]
    fig = er_distribution(er, stats, 0.9)
    bars = next(t for t in fig.data if t.type == "bar")
    assert _values(bars.y).sum() == 500
    lines = {t.meta["layer"]: t for t in fig.data if isinstance(t.meta, dict)}
    assert _values(lines["median"].x)[0] == stats["median_er"] and _values(lines["mean"].x)[0] == stats["mean_er"]
    assert "90%" in lines["median"].name
    shapes = {s.name: (s.x0, s.x1) for s in fig.layout.shapes}
    assert shapes["median-ci"] == (stats["median_ci_low"], stats["median_ci_high"])
    # 502 creators have a rate (a NaN ER has none); the two zeros cannot sit on a log axis
    assert "2 with ER 0 not drawn" in fig.layout.title.text and "of 502 creators" in fig.layout.title.text


def test_a_group_too_small_for_intervals_draws_no_band(rng):
    er = pd.Series(rng.lognormal(-4, 0.5, 4))
    frame = pd.DataFrame({"followers": 1_000.0, "engagements": er * 1_000, "er": er, "g": "x"})
    fig = er_distribution(er, summarize(frame, ["g"]).iloc[0])
    assert not fig.layout.shapes and {t.meta["layer"] for t in fig.data if isinstance(t.meta, dict)} == {"median",
                                                                                                       "mean"}
