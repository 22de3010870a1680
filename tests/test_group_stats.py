"""The vectorised group engine against per-group computations with the single-group functions."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.group_stats import group_statistics, grouped_medians
from analysis.intervals import median_ci


@pytest.mark.parametrize("level", [0.80, 0.95, 0.99])
def test_grouped_medians_equal_per_group_medians_and_intervals(rng, level):
    sizes = [0, 1, 2, 5, 6, 7, 30, 301, 1000]
    values = np.concatenate([rng.lognormal(-3.5, 0.9, n).round(4) for n in sizes])  # rounding makes ties
    codes = np.repeat(np.arange(len(sizes)), sizes)
    order = rng.permutation(values.size)  # the engine must not rely on grouped input
    median, low, high = grouped_medians(values[order], codes[order].astype(np.intp), len(sizes), level)
    for group, n in enumerate(sizes):
        members = values[codes == group]
        if n == 0:
            assert np.isnan(median[group]) and np.isnan(low[group])
            continue
        assert median[group] == np.median(members)
        expected = median_ci(members, level)
        if expected is None:
            assert np.isnan(low[group]) and np.isnan(high[group])
        else:
            assert (low[group], high[group]) == (expected.low, expected.high)


def test_group_statistics_counts_sums_and_ignores_ungrouped_rows(rng):
    n = 5_000
    codes = rng.integers(-1, 4, n).astype(np.intp)  # -1: in no group
    followers = rng.integers(100, 10**6, n).astype(float)
    er = rng.lognormal(-3.5, 0.8, n)
    er[rng.random(n) < 0.05] = np.nan
    engagements = er * followers
    table = group_statistics(er, engagements, followers, codes, 5, 0.95, seeds=0)
    for group in range(5):
        inside = codes == group
        ok = inside & np.isfinite(er)
        assert table.loc[group, "n_creators"] == inside.sum() and table.loc[group, "n"] == ok.sum()
        if ok.any():
            assert table.loc[group, "mean_er"] == pytest.approx(er[ok].mean())
            assert table.loc[group, "pooled_er"] == pytest.approx(engagements[ok].sum() / followers[ok].sum())
            assert table.loc[group, "mean_ci_low"] < table.loc[group, "mean_er"] < table.loc[group, "mean_ci_high"]
    assert table.loc[4, "note"] == "no creators"
