"""Intervals against independent oracles: scipy, statsmodels, hand computations, plain resampling loops."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from analysis.auto_method import AUTO_SWITCH, NORMALITY_ALPHA, model_groups
from analysis.intervals import (
    MEAN_METHODS,
    MIN_N_MEAN,
    N_RESAMPLES,
    POOLED_METHODS,
    RESAMPLE_LIMIT,
    bootstrap_mean_ci,
    grouped_mean_ci,
    grouped_pooled_ci,
    mean_ci,
    median_ci,
    median_ci_ranks,
    pooled_ci,
    pooled_rate,
)
from analysis.mean_intervals import N_RESAMPLES as N_RESAMPLES_NEW
from analysis.mean_intervals import RESAMPLE_UP_TO


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


# --- mean and pooled intervals: analysis.mean_intervals / analysis.pooled_intervals ---------------------------


def _lognormal_sample(seed: int, n: int, sigma: float = 0.8) -> np.ndarray:
    return np.random.default_rng(seed).lognormal(np.log(0.03), sigma, n)


def _creators(seed: int, n: int, sigma: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    followers = np.exp(rng.uniform(np.log(1e4), np.log(1e5), n))
    return rng.lognormal(np.log(0.03), sigma, n) * followers, followers


def _quantile_mc_error(sd: float, p: float, n_resamples: int) -> float:
    """Monte-Carlo standard error of the p quantile of n_resamples draws with standard deviation sd."""
    return float(sd * np.sqrt(p * (1 - p) / n_resamples) / stats.norm.pdf(stats.norm.ppf(p)))


@pytest.mark.parametrize("n", [10, 57, 3_000])
@pytest.mark.parametrize("level", [0.90, 0.95])
def test_t_interval_matches_scipy_and_statsmodels(n, level):
    x = _lognormal_sample(n, n)
    ours = mean_ci(x, level, "t")
    scipy_low, scipy_high = stats.t.interval(level, n - 1, loc=x.mean(), scale=stats.sem(x))
    sm_low, sm_high = DescrStatsW(x).tconfint_mean(1 - level)
    assert ours is not None
    np.testing.assert_allclose([ours.low, ours.high], [scipy_low, scipy_high], rtol=1e-12)
    np.testing.assert_allclose([ours.low, ours.high], [sm_low, sm_high], rtol=1e-12)


@pytest.mark.parametrize(("sigma", "n"), [(0.8, 5_000), (1.2, 5_000), (0.8, 60)])
def test_bca_matches_scipy_bootstrap_bca(sigma, n):
    """Analytic BCa (n > RESAMPLE_UP_TO) and resampled BCa (n <= RESAMPLE_UP_TO) against scipy."""
    x = _lognormal_sample(int(10 * sigma) + n, n, sigma)
    b_oracle = 50_000
    oracle = stats.bootstrap((x,), np.mean, method="BCa", n_resamples=b_oracle, batch=1_000, random_state=3)
    ours = mean_ci(x, 0.95, "bca", n_resamples=20_000 if n <= RESAMPLE_UP_TO else N_RESAMPLES_NEW)
    assert ours is not None
    sd = oracle.standard_error
    # Each endpoint carries quantile noise and the noise of z0 (share of resampled means below the mean,
    # moving the endpoint by about 2 sd per unit of z0); ours adds its own when it resamples.
    b_ours = 20_000 if n <= RESAMPLE_UP_TO else np.inf
    one = _quantile_mc_error(sd, 0.025, 1) * np.sqrt(1 / b_oracle + 1 / b_ours)
    z0 = 2 * sd * np.sqrt(0.25 / b_oracle + 0.25 / b_ours) / stats.norm.pdf(0)
    tolerance = 4 * np.hypot(one, z0)
    assert abs(ours.low - oracle.confidence_interval.low) < tolerance
    assert abs(ours.high - oracle.confidence_interval.high) < tolerance


def _plain_bootstrap_t(x: np.ndarray, level: float, n_resamples: int, seed: int) -> tuple[float, float]:
    """Textbook studentized bootstrap, one resample at a time."""
    rng = np.random.default_rng(seed)
    n, mean, se = x.size, x.mean(), x.std(ddof=1) / np.sqrt(x.size)
    t = []
    for _ in range(n_resamples):
        sample = rng.choice(x, n, replace=True)
        t.append((sample.mean() - mean) / (sample.std(ddof=1) / np.sqrt(n)))
    t_low, t_high = np.quantile(t, [(1 - level) / 2, (1 + level) / 2])
    return mean - se * t_high, mean - se * t_low


def test_resampled_bootstrap_t_matches_a_plain_implementation():
    x = _lognormal_sample(11, 80, 0.5)
    ours = mean_ci(x, 0.95, "bootstrap-t", n_resamples=20_000, seed=1)
    low, high = _plain_bootstrap_t(x, 0.95, 20_000, seed=2)
    se = x.std(ddof=1) / np.sqrt(x.size)
    # t quantiles of ~N(0, 1) resamples: each endpoint's noise is se * quantile error of a unit variable.
    tolerance = 4 * se * _quantile_mc_error(1.3, 0.025, 20_000) * np.sqrt(2)
    assert ours is not None
    assert abs(ours.low - low) < tolerance and abs(ours.high - high) < tolerance


@pytest.mark.parametrize("method", ["bootstrap-t", "bca"])
def test_resampling_and_expansion_agree_where_they_meet(method):
    """Moderately skewed data of RESAMPLE_UP_TO values: resampled vs analytic form (one more value)."""
    x = _lognormal_sample(5, RESAMPLE_UP_TO + 1, 0.5)
    resampled = mean_ci(x[:-1], 0.95, method, n_resamples=40_000)
    analytic = mean_ci(x, 0.95, method)
    assert resampled is not None and analytic is not None
    width = resampled.high - resampled.low
    assert abs(resampled.low - analytic.low) < 0.03 * width
    assert abs(resampled.high - analytic.high) < 0.03 * width


@pytest.mark.parametrize("method", ["bootstrap-t", "bca"])
def test_resampled_methods_are_reproducible_and_ignore_row_order(method):
    x = _lognormal_sample(3, 200)
    first = mean_ci(x, 0.95, method, seed=[4, 2])
    assert first == mean_ci(x, 0.95, method, seed=[4, 2])
    assert first == mean_ci(np.random.default_rng(0).permutation(x), 0.95, method, seed=[4, 2])
    assert first != mean_ci(x, 0.95, method, seed=[4, 3])
    e, f = _creators(3, 200)
    order = np.random.default_rng(0).permutation(200)
    pooled = pooled_ci(e, f, 0.95, "bootstrap-t", seed=9)
    assert pooled == pooled_ci(e, f, 0.95, "bootstrap-t", seed=9) == pooled_ci(e[order], f[order], 0.95,
                                                                               "bootstrap-t", seed=9)


def test_lognormal_is_cox_interval_by_hand():
    x = _lognormal_sample(8, 40)
    y = np.log(x)
    n, ybar, s2 = len(y), float(np.mean(y)), float(np.var(y, ddof=1))
    half = stats.t.ppf(0.975, n - 1) * np.sqrt(s2 / n + s2**2 / (2 * (n - 1)))
    ours = mean_ci(x, 0.95, "lognormal")
    assert ours is not None
    np.testing.assert_allclose([ours.low, ours.high], np.exp([ybar + s2 / 2 - half, ybar + s2 / 2 + half]),
                               rtol=1e-12)


def test_lognormal_with_zeros_is_the_delta_lognormal_by_hand():
    x = np.concatenate([_lognormal_sample(9, 30), np.zeros(10)])
    y = np.log(x[x > 0])
    n, n1 = x.size, y.size
    p, ybar, s2 = 10 / n, float(np.mean(y)), float(np.var(y, ddof=1))
    centre = np.log(1 - p) + ybar + s2 / 2
    sd = np.sqrt(s2 / n1 + s2**2 / (2 * (n1 - 1)) + p / (n * (1 - p)))
    half = stats.t.ppf(0.95, n1 - 1) * sd
    ours = mean_ci(x, 0.90, "lognormal")
    assert ours is not None
    np.testing.assert_allclose([ours.low, ours.high], np.exp([centre - half, centre + half]), rtol=1e-12)


def test_pooled_lognormal_with_equal_followers_is_the_mean_interval():
    x = np.concatenate([_lognormal_sample(10, 50), [0.0, 0.0]])
    followers = np.full(x.size, 5_000.0)
    pooled = pooled_ci(x * followers, followers, 0.95, "lognormal")
    mean = mean_ci(x, 0.95, "lognormal")
    assert pooled is not None and mean is not None
    np.testing.assert_allclose([pooled.low, pooled.high], [mean.low, mean.high], rtol=1e-10)


def test_pooled_delta_matches_a_bootstrap_over_creators():
    e, f = _creators(21, 2_000, sigma=0.5)
    rng = np.random.default_rng(5)
    ratios = []
    for _ in range(4_000):
        pick = rng.integers(0, e.size, e.size)
        ratios.append(e[pick].sum() / f[pick].sum())
    boot_sd = float(np.std(ratios, ddof=1))
    ours = pooled_ci(e, f, 0.95, "delta")
    assert ours is not None
    se = (ours.high - ours.low) / (2 * stats.norm.ppf(0.975))
    # The sd of 4,000 resampled ratios has a relative standard error of about 1/sqrt(2 * 4000) ≈ 1.1%.
    assert se == pytest.approx(boot_sd, rel=0.05)
    assert (ours.low + ours.high) / 2 == pytest.approx(e.sum() / f.sum(), rel=1e-12)
    percentile = np.quantile(ratios, [0.025, 0.975])
    assert abs(ours.low - percentile[0]) < 0.1 * se and abs(ours.high - percentile[1]) < 0.1 * se


def test_pooled_skew_form_matches_resampled_bootstrap_t():
    e, f = _creators(22, RESAMPLE_UP_TO, sigma=0.5)
    resampled = pooled_ci(e, f, 0.95, "bootstrap-t", n_resamples=40_000)
    analytic = pooled_ci(e, f, 0.95, "skew")
    assert resampled is not None and analytic is not None
    width = resampled.high - resampled.low
    assert abs(resampled.low - analytic.low) < 0.03 * width and abs(resampled.high - analytic.high) < 0.03 * width


@pytest.mark.parametrize("method", MEAN_METHODS)
def test_too_few_values_give_none(method):
    x = _lognormal_sample(1, MIN_N_MEAN)
    assert mean_ci(x[:-1], 0.95, method) is None
    assert mean_ci([*x[:-1], np.nan, np.inf], 0.95, method) is None
    assert mean_ci(x, 0.95, method) is not None


@pytest.mark.parametrize("method", POOLED_METHODS)
def test_too_few_creators_give_none(method):
    e, f = _creators(2, MIN_N_MEAN)
    assert pooled_ci(e[:-1], f[:-1], 0.95, method) is None
    assert pooled_ci([*e[:-1], 5.0], [*f[:-1], 0.0], 0.95, method) is None  # no followers: left out
    assert pooled_ci(e, f, 0.95, method) is not None


def test_lognormal_needs_two_positive_values_and_no_negative_ones():
    assert mean_ci([0.0] * 11 + [0.02], 0.95, "lognormal") is None
    with pytest.raises(ValueError, match="non-negative"):
        mean_ci([-0.01, *_lognormal_sample(1, 20)], 0.95, "lognormal")
    assert mean_ci([-0.01, *_lognormal_sample(1, 20)], 0.95, "t") is not None


def test_constant_values_give_a_point_interval():
    for method in MEAN_METHODS:
        ci = mean_ci([0.02] * 30, 0.95, method)
        assert ci is not None and ci.low == pytest.approx(0.02) and ci.high == pytest.approx(0.02), method


def test_unknown_methods_are_clear_errors():
    with pytest.raises(ValueError, match="choose one of: auto, lognormal, bootstrap-t, bca, t"):
        mean_ci([0.1] * 20, 0.95, "percentile")
    with pytest.raises(ValueError, match="choose one of: auto, lognormal, bootstrap-t, skew, delta, log-delta"):
        grouped_pooled_ci([1.0], [10.0], [0], 1, 0.95, "fieller")
    with pytest.raises(ValueError, match="confidence level"):
        grouped_mean_ci([1.0], [0], 1, 1.5)
    with pytest.raises(ValueError, match="below n_groups=2"):
        grouped_mean_ci([1.0, 2.0], [0, 2], 2)


def _groups(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Groups of every regime: too few, resampled, expansion, either side of AUTO_SWITCH, plus unassigned rows."""
    sizes = [3, MIN_N_MEAN, 45, RESAMPLE_UP_TO, RESAMPLE_UP_TO + 1, AUTO_SWITCH - 1, AUTO_SWITCH, 0]
    codes = rng.permutation(np.concatenate([np.repeat(np.arange(len(sizes)), sizes), np.full(7, -1)]))
    followers = np.exp(rng.uniform(np.log(1e3), np.log(1e6), codes.size))
    er = rng.lognormal(np.log(0.03), 0.9, codes.size) * (rng.random(codes.size) > 0.05)
    return er, followers, codes, sizes


@pytest.mark.parametrize("method", MEAN_METHODS)
def test_grouped_mean_equals_single_group_calls(rng, method):
    er, _, codes, sizes = _groups(rng)
    seeds = [[7, g] for g in range(len(sizes))]
    low, high = grouped_mean_ci(er, codes, len(sizes), 0.90, method, seeds=seeds)
    for g in range(len(sizes)):
        single = mean_ci(er[codes == g], 0.90, method, seed=seeds[g])
        expected = [np.nan, np.nan] if single is None else [single.low, single.high]
        np.testing.assert_allclose([low[g], high[g]], expected, rtol=1e-12)
    assert np.isnan(low[[0, 7]]).all() and np.isfinite(low[1:7]).all()


@pytest.mark.parametrize("method", POOLED_METHODS)
def test_grouped_pooled_equals_single_group_calls(rng, method):
    er, followers, codes, sizes = _groups(rng)
    low, high = grouped_pooled_ci(er * followers, followers, codes, len(sizes), 0.95, method, seeds=3)
    for g in range(len(sizes)):
        single = pooled_ci(er[codes == g] * followers[codes == g], followers[codes == g], 0.95, method, seed=[3, g])
        expected = [np.nan, np.nan] if single is None else [single.low, single.high]
        np.testing.assert_allclose([low[g], high[g]], expected, rtol=1e-12)


def test_intervals_contain_the_estimate_and_rise_with_level():
    x = _lognormal_sample(30, 300)
    e, f = _creators(30, 300)
    for method in MEAN_METHODS:
        narrow, wide = mean_ci(x, 0.80, method), mean_ci(x, 0.99, method)
        assert narrow is not None and wide is not None
        assert wide.low < narrow.low < narrow.high < wide.high, method
    for method in POOLED_METHODS:
        ci = pooled_ci(e, f, 0.95, method)
        assert ci is not None and ci.low < e.sum() / f.sum() < ci.high, method


def test_auto_normality_check_is_jarque_bera_on_the_log_rates():
    rng = np.random.default_rng(17)
    groups = [rng.lognormal(-3.5, 1.0, 400), rng.gamma(1.0, 0.03, 400), rng.lognormal(-3.5, 0.5, 60)]
    values = np.concatenate(groups)
    codes = np.repeat(np.arange(3), [g.size for g in groups]).astype(np.intp)
    chosen = model_groups(values, None, codes, np.bincount(codes).astype(float))
    expected = [stats.jarque_bera(np.log(g)).pvalue > NORMALITY_ALPHA for g in groups]
    assert list(chosen) == expected == [True, False, True]


def test_auto_picks_lognormal_for_small_lognormal_groups_and_bootstrap_t_otherwise():
    small_lognormal = _lognormal_sample(40, 300)
    assert mean_ci(small_lognormal, 0.95, "auto") == mean_ci(small_lognormal, 0.95, "lognormal")
    gamma = np.random.default_rng(40).gamma(1.0, 0.03, 300)
    assert mean_ci(gamma, 0.95, "auto", seed=2) == mean_ci(gamma, 0.95, "bootstrap-t", seed=2)
    large = _lognormal_sample(41, AUTO_SWITCH)
    assert mean_ci(large, 0.95, "auto") == mean_ci(large, 0.95, "bootstrap-t")
    e, f = _creators(42, 300)
    assert pooled_ci(e, f, 0.95, "auto") == pooled_ci(e, f, 0.95, "lognormal")
