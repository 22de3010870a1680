"""Sweet-spot band test against hand computations, exact bootstrap theory and simulations."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.sweet_spot import (
    DEFAULT_NEIGHBOURS,
    band_medians,
    bootstrap_medians,
    default_neighbours,
    median_difference_ci,
    sweet_spot_test,
)


def _er(frame: pd.DataFrame) -> pd.Series:
    return (frame["likes"] + frame["comments"] + frame["shares"]) / frame["followers"]


def _banded(rng: np.random.Generator, lift: float, n: int = 6_000) -> pd.DataFrame:
    """Followers log-uniform over 5K–200K; median ER 3%, times ``lift`` inside 25K–50K."""
    followers = np.round(10 ** rng.uniform(np.log10(5_000), np.log10(200_000), n))
    in_band = (followers >= 25_000) & (followers < 50_000)
    er = 0.03 * np.where(in_band, lift, 1.0) * rng.lognormal(0, 0.6, n)
    return pd.DataFrame({"followers": followers, "likes": er * followers, "comments": 0.0, "shares": 0.0})


def test_bootstrap_medians_follow_the_exact_bootstrap_distribution(rng):
    # Odd n: P(median* <= x_(j)) = P(Binomial(n, j/n) >= (n+1)/2), the exact bootstrap distribution.
    x = np.sort(rng.lognormal(0, 1, 31))
    draws = bootstrap_medians(x, 40_000, np.random.default_rng(1))
    ranks = np.arange(1, 32)
    empirical = np.searchsorted(np.sort(draws), x, side="right") / draws.size
    exact = stats.binom.sf(15, 31, ranks / 31)
    assert np.max(np.abs(empirical - exact)) < 0.01  # DKW: P(> 0.01) < 1e-3


def test_bootstrap_medians_match_resampling_for_even_n(rng):
    x = rng.lognormal(0, 1, 40)
    draws = bootstrap_medians(x, 20_000, np.random.default_rng(2))
    resampled = np.median(x[rng.integers(0, x.size, (20_000, x.size))], axis=1)
    assert stats.ks_2samp(draws, resampled).statistic < 0.02  # two-sample DKW: P(> 0.02) < 1e-3


def test_median_difference_interval_covers_truth_at_about_nominal_rate():
    rng = np.random.default_rng(12)
    reps, truth = 400, 0.035 - 0.025
    hits = 0
    for i in range(reps):
        x, y = rng.lognormal(np.log(0.035), 0.8, 150), rng.lognormal(np.log(0.025), 0.8, 300)
        low, high = median_difference_ci(x, y, 0.95, n_resamples=2_000, seed=i)
        hits += low <= truth <= high
    mc_error = math.sqrt(0.95 * 0.05 / reps)
    assert 0.95 - 3 * mc_error <= hits / reps <= 0.95 + 3 * mc_error


def test_sweet_spot_numbers_match_a_hand_computation(rng):
    frame = _banded(rng, lift=1.3)
    result = sweet_spot_test(frame)
    er, f = _er(frame).to_numpy(), frame["followers"].to_numpy()
    inside = er[(f >= 25_000) & (f < 50_000)]
    beside = er[((f >= 10_000) & (f < 25_000)) | ((f >= 50_000) & (f < 100_000))]
    assert (result.n_band, result.n_neighbours) == (inside.size, beside.size)
    assert result.diff_median == np.median(inside) - np.median(beside)
    assert result.p_value == pytest.approx(stats.mannwhitneyu(inside, beside).pvalue, rel=1e-12)
    assert result.diff_ci[0] < result.diff_median < result.diff_ci[1]


def test_band_medians_are_the_tested_groups_with_scipys_intervals(rng):
    frame = _banded(rng, lift=1.3)
    table = band_medians(frame, (25_000, 50_000), DEFAULT_NEIGHBOURS, level=0.9).set_index("followers")
    er, f = _er(frame).to_numpy(), frame["followers"].to_numpy()
    groups = {"25K–50K": (f >= 25_000) & (f < 50_000), "10K–25K": (f >= 10_000) & (f < 25_000),
              "50K–100K": (f >= 50_000) & (f < 100_000)}
    groups["10K–25K, 50K–100K"] = groups["10K–25K"] | groups["50K–100K"]
    assert list(table.index) == list(groups) and list(table["role"]) == [
        "band", "neighbour", "neighbour", "neighbours pooled"]
    for name, inside in groups.items():
        row, values = table.loc[name], er[inside]
        oracle = stats.quantile_test(values, q=np.median(values), p=0.5).confidence_interval(0.9)
        assert (row["n"], row["median_er"]) == (values.size, np.median(values))
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((oracle.low, oracle.high), rel=1e-12)
    assert table.loc["25K–50K", "n"] == sweet_spot_test(frame).n_band


@pytest.mark.parametrize(("lift", "verdict", "direction"), [
    (1.4, "supported", "higher"), (0.6, "contradicted", "lower"), (1.0, "inconclusive", None),
])
def test_verdict_follows_the_planted_effect(rng, lift, verdict, direction):
    result = sweet_spot_test(_banded(rng, lift))
    assert result.verdict == verdict
    assert result.verdict_text.startswith(f"{verdict} at 95%: the 25K–50K band's median ER is ")
    words = f"{abs(result.diff_median) * 100:.2f} points {'higher' if result.diff_median >= 0 else 'lower'}"
    assert words in result.verdict_text and (direction is None or direction in words)
    assert "(10K–25K, 50K–100K; p " in result.verdict_text


def test_too_few_creators_is_inconclusive_with_a_reason(rng):
    frame = _banded(rng, 1.5, n=60)
    result = sweet_spot_test(frame, min_n=50)
    assert result.verdict == "inconclusive" and result.reason.startswith("too few creators")
    assert result.verdict_text == f"inconclusive at 95%: {result.reason}"
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["diff_ci"] == [None, None]
    empty = sweet_spot_test(frame[frame["followers"] < 10_000])
    assert (empty.n_band, empty.verdict) == (0, "inconclusive") and math.isnan(empty.p_value)


def test_to_dict_is_json_with_the_documented_keys(rng):
    out = json.loads(json.dumps(sweet_spot_test(_banded(rng, 1.3)).to_dict(), allow_nan=False))
    assert {"band", "neighbours", "diff_median", "diff_ci", "p_value", "verdict"} <= set(out)
    assert out["band"] == [25_000, 50_000] and out["neighbours"] == [[10_000, 25_000], [50_000, 100_000]]


def test_default_neighbours():
    assert default_neighbours((25_000, 50_000)) == DEFAULT_NEIGHBOURS == ((10_000, 25_000), (50_000, 100_000))
    # Same log width as 100K–400K (a factor of 4) on either side: 25K–100K and 400K–1.6M.
    assert default_neighbours((100_000, 400_000)) == ((25_000, 100_000), (400_000, 1_600_000))


@pytest.mark.parametrize("band", [(50_000, 25_000), (0, 10), (-5, 10), (10, 10), (1, math.inf), ("a", 3), (1,)])
def test_bad_band_is_a_clear_error(creators, band):
    with pytest.raises(ValueError, match="band must be"):
        sweet_spot_test(creators, band=band)


def test_overlapping_neighbour_and_bad_level_are_errors(creators):
    with pytest.raises(ValueError, match="overlaps the band"):
        sweet_spot_test(creators, neighbours=((10_000, 30_000),))
    with pytest.raises(ValueError, match="confidence level"):
        sweet_spot_test(creators, level=95)
