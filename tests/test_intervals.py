"""Intervals against independent oracles: scipy's quantile test and bootstrap, simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.intervals import (
    N_RESAMPLES,
    RESAMPLE_LIMIT,
    bootstrap_mean_ci,
    median_ci,
    median_ci_ranks,
    pooled_rate,
)


@pytest.mark.parametrize("n", [6, 7, 10, 31, 100, 501])
@pytest.mark.parametrize("level", [0.80, 0.90, 0.95, 0.99])
def test_median_ci_matches_scipy_quantile_test(rng, n, level):
    x = rng.lognormal(-3, 0.9, n)
    ours = median_ci(x, level)
    oracle = stats.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(level)
    if np.isnan(oracle.low) or np.isnan(oracle.high):
        assert ours is None
    else:
        assert ours is not None
        assert (ours.low, ours.high) == (oracle.low, oracle.high)


@pytest.mark.parametrize("n", [5, 6, 9, 20, 57, 400])
@pytest.mark.parametrize("level", [0.80, 0.95, 0.99])
def test_median_ranks_reach_level_and_are_tightest(n, level):
    low, high = (int(v) for v in median_ci_ranks(n, level))
    if low == 0:  # too few: even the widest pair (min, max) misses the level
        assert 1 - 2 * 0.5**n < level
        return
    coverage = stats.binom.cdf(high - 1, n, 0.5) - stats.binom.cdf(low - 1, n, 0.5)
    assert coverage >= level
    tighter = stats.binom.cdf(high - 2, n, 0.5) - stats.binom.cdf(low, n, 0.5)
    assert tighter < level


def test_too_few_for_a_median_interval_gives_none():
    assert median_ci([0.01, 0.02, 0.03, 0.04, 0.05], 0.95) is None
    assert median_ci([0.01, 0.02, 0.03, 0.04, 0.05], 0.80) is not None


def test_median_interval_covers_true_median_in_simulation():
    rng = np.random.default_rng(7)
    reps, n, level = 2_000, 30, 0.95
    true_median = np.exp(-3.0)  # log-normal(mu=-3): median = e^mu
    samples = rng.lognormal(-3.0, 1.0, size=(reps, n))
    hits = sum(ci is not None and ci.low <= true_median <= ci.high for ci in (median_ci(s, level) for s in samples))
    mc_error = np.sqrt(level * (1 - level) / reps)
    assert hits / reps >= level - 3 * mc_error


@pytest.mark.parametrize("n", [200, RESAMPLE_LIMIT + 5_000])
def test_bootstrap_mean_matches_scipy_bootstrap(n):
    x = np.random.default_rng(n).lognormal(-3, 0.8, n)
    ours = bootstrap_mean_ci(x, 0.95, seed=1)
    oracle = stats.bootstrap((x,), np.mean, method="percentile", n_resamples=4_000, random_state=2,
                             batch=200).confidence_interval
    assert ours is not None
    # Monte-Carlo standard error of a 2.5% quantile of B resampled means (normal
    # approximation): sd * sqrt(p(1-p)/B) / phi(z); both sides carry it.
    sd = (oracle.high - oracle.low) / (2 * 1.96)
    se_one = sd * np.sqrt(0.025 * 0.975) / stats.norm.pdf(1.96)
    tolerance = 4 * se_one * np.sqrt(1 / N_RESAMPLES + 1 / 4_000)
    assert abs(ours.low - oracle.low) < tolerance
    assert abs(ours.high - oracle.high) < tolerance


def test_bootstrap_is_reproducible_and_seed_dependent(rng):
    x = rng.lognormal(-3, 1, 300)
    assert bootstrap_mean_ci(x, seed=5) == bootstrap_mean_ci(x, seed=5)
    assert bootstrap_mean_ci(x, seed=5) != bootstrap_mean_ci(x, seed=6)


def test_bootstrap_too_few_and_nan_handling():
    assert bootstrap_mean_ci([0.1] * 9) is None
    values = [0.01 * i for i in range(1, 21)] + [np.nan]
    ci = bootstrap_mean_ci(values)
    assert ci is not None and ci.low < np.nanmean(values) < ci.high


def test_invalid_level_is_a_clear_error():
    with pytest.raises(ValueError, match="confidence level"):
        median_ci([1, 2, 3], 95)


def test_pooled_rate_is_sum_over_sum():
    # Hand computation: (10 + 30 + 5) / (100 + 1000 + 50) = 45 / 1150
    assert pooled_rate([10, 30, 5, np.nan], [100, 1000, 50, 10]) == pytest.approx(45 / 1150)
    assert pooled_rate([], []) is None
