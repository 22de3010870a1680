"""Power-law trend against statsmodels, scipy and simulations with a known slope."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analysis.trend import Trend, fit_trend, trend_line


def _power_law(rng: np.random.Generator, n: int, slope: float = -0.3, sigma: float = 0.5) -> pd.DataFrame:
    """ER = 0.1 · followers^slope · log-normal noise, followers log-uniform over 100–10M."""
    followers = np.round(10 ** rng.uniform(2, 7, n))
    er = 0.1 * followers**slope * rng.lognormal(0, sigma, n)
    return pd.DataFrame({"followers": followers, "likes": er * followers})


def _logs(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    er = frame["likes"] / frame["followers"]
    keep = er > 0
    return np.log10(frame["followers"][keep].to_numpy()), np.log10(er[keep].to_numpy())


def test_ols_matches_statsmodels(rng):
    frame = _power_law(rng, 500)
    trend = fit_trend(frame, method="ols", level=0.90)
    x, y = _logs(frame)
    model = sm.OLS(y, sm.add_constant(x)).fit()
    assert trend.slope == pytest.approx(model.params[1], rel=1e-10)
    assert trend.intercept == pytest.approx(model.params[0], rel=1e-10)
    np.testing.assert_allclose(trend.slope_ci, model.conf_int(alpha=0.10)[1], rtol=1e-10)
    grid = np.array([50.0, 1e3, 1e5, 3e7])
    line = trend_line(trend, grid)
    frame_pred = model.get_prediction(sm.add_constant(np.log10(grid))).summary_frame(alpha=0.10)
    np.testing.assert_allclose(line["er"], 10 ** frame_pred["mean"], rtol=1e-10)
    np.testing.assert_allclose(line["er_low"], 10 ** frame_pred["mean_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(line["er_high"], 10 ** frame_pred["mean_ci_upper"], rtol=1e-10)
    assert list(line.columns) == ["followers", "er", "er_low", "er_high"]


def test_ols_interval_covers_the_true_slope_at_the_nominal_rate():
    rng = np.random.default_rng(31)
    reps, truth = 400, -0.3
    fits = [fit_trend(_power_law(rng, 150, truth), method="ols") for _ in range(reps)]
    hits = sum(t.slope_ci[0] <= truth <= t.slope_ci[1] for t in fits)
    mc_error = math.sqrt(0.95 * 0.05 / reps)
    assert abs(hits / reps - 0.95) <= 3 * mc_error
    slopes = np.array([t.slope for t in fits])
    assert abs(slopes.mean() - truth) < 3 * slopes.std() / math.sqrt(reps)


def test_exact_theil_sen_is_scipy(rng):
    frame = _power_law(rng, 800)
    trend = fit_trend(frame, method="theil-sen", level=0.95)
    x, y = _logs(frame)
    oracle = stats.theilslopes(y, x, alpha=0.95)
    assert (trend.slope, trend.slope_ci, trend.sampled_pairs) == (oracle.slope, (oracle.low_slope,
                                                                                 oracle.high_slope), 0)
    assert trend.intercept == pytest.approx(oracle.intercept, rel=1e-12)


def test_sampled_theil_sen_is_close_to_exact_with_tied_followers(rng):
    frame = _power_law(rng, 2_000)
    frame["followers"] = 10.0 ** rng.integers(2, 12, len(frame)) / 2  # ten follower counts: 10% of pairs tied
    x, y = _logs(frame)
    oracle = stats.theilslopes(y, x, alpha=0.95)
    trend = fit_trend(frame, method="theil-sen", max_exact=1_000, n_pairs=8_000_000, seed=4)
    assert trend.sampled_pairs == 8_000_000
    half_width = (oracle.high_slope - oracle.low_slope) / 2
    # Rank error sqrt(q(1 − q) / 8M) ≈ 1.8e-4 of the pairs against a half-width of ~1.5% of them:
    # each estimate lands within ~0.012 half-widths of scipy's (SD), so 0.05 is a 4-SD bound.
    for ours, exact in zip((trend.slope, *trend.slope_ci), (oracle.slope, oracle.low_slope, oracle.high_slope),
                           strict=True):
        assert abs(ours - exact) < 0.05 * half_width


def test_theil_sen_recovers_a_known_slope_on_a_large_community(rng):
    frame = _power_law(rng, 60_000, slope=-0.3)
    trend = fit_trend(frame, method="theil-sen")
    assert trend.sampled_pairs > 0 and trend.n == 60_000
    assert trend.slope_ci[0] < -0.3 < trend.slope_ci[1]
    assert abs(trend.slope + 0.3) < 0.005


def test_theil_sen_resists_outlying_creators_better_than_ols(rng):
    frame = _power_law(rng, 20_000, slope=-0.3)
    # 3% of creators, all large accounts, with ER inflated 30-fold.
    outliers = (frame["followers"] > 1e6) & (rng.random(len(frame)) < 0.15)
    frame.loc[outliers, "likes"] *= 30
    robust, ols = fit_trend(frame, method="theil-sen"), fit_trend(frame, method="ols")
    assert abs(ols.slope + 0.3) > 3 * abs(robust.slope + 0.3)


def _trend(slope: float, low: float, high: float, method: str = "ols", level: float = 0.95, n: int = 100) -> Trend:
    return Trend(method, slope, (low, high), -1.0, n, 0, level, (3.0, -1.5))


def test_describe_in_words():
    # 2**log2(0.82) − 1 = −18%: a fall of 18% per doubling, interval 15–21%.
    falling = _trend(math.log2(0.82), math.log2(0.79), math.log2(0.85), "theil-sen", 0.95, 12_345)
    assert falling.describe() == "ER falls 18% [15–21%] per doubling of followers (Theil–Sen, 95%, n = 12,345)"
    assert falling.change_per_doubling == pytest.approx(-0.18)
    rising = _trend(math.log2(1.05), math.log2(1.03), math.log2(1.07), "ols", 0.90, 800)
    assert rising.describe() == "ER rises 5.0% [3.0–7.0%] per doubling of followers (OLS, 90%, n = 800)"
    flat = _trend(math.log2(0.99), math.log2(0.96), math.log2(1.02), n=50)
    assert flat.describe() == ("no clear trend: ER changes −1.0% [−4.0% to +2.0%] per doubling of followers "
                               "(OLS, 95%, n = 50)")
    narrow = _trend(math.log2(0.787), math.log2(0.786), math.log2(0.789))
    assert narrow.describe().startswith("ER falls 21.3% [21.1–21.4%]")


@pytest.mark.parametrize(("slope", "verb"), [(-0.3, "falls"), (0.2, "rises")])
def test_fitted_trends_are_described_in_the_right_direction(rng, slope, verb):
    trend = fit_trend(_power_law(rng, 3_000, slope), method="theil-sen")
    assert trend.describe().startswith(f"ER {verb} ")
    assert trend.slope_ci[0] < slope < trend.slope_ci[1]


def test_zero_er_creators_are_counted_and_left_out(rng):
    frame = _power_law(rng, 400)
    frame.loc[frame.index[5:42], "likes"] = 0.0
    frame.loc[frame.index[:5], "likes"] = np.nan  # no ER at all: neither fitted nor "excluded"
    trend = fit_trend(frame)
    assert (trend.n, trend.n_excluded) == (400 - 37 - 5, 37)
    kept = frame[frame["likes"] > 0]
    assert trend.slope == pytest.approx(fit_trend(kept).slope, rel=1e-12)


def test_theil_sen_band_pivots_about_the_centre(rng):
    trend = fit_trend(_power_law(rng, 500), method="theil-sen")
    centre = 10 ** trend.center[0]
    line = trend_line(trend, [centre / 100, centre, centre * 100])
    assert line.loc[1, "er_low"] == pytest.approx(line.loc[1, "er_high"], rel=1e-12)
    low, high = trend.slope_ci
    assert line.loc[2, "er_high"] == pytest.approx(10 ** (trend.center[1] + 2 * high), rel=1e-12)
    assert line.loc[0, "er_high"] == pytest.approx(10 ** (trend.center[1] - 2 * low), rel=1e-12)
    assert (line["er_low"] <= line["er"] * (1 + 1e-12)).all() and (line["er"] <= line["er_high"] * (1 + 1e-12)).all()


def test_too_few_creators_give_nan_not_an_error():
    frame = pd.DataFrame({"followers": [100.0, 1_000.0, 5_000.0], "likes": [5.0, 0.0, 20.0]})
    trend = fit_trend(frame)
    assert math.isnan(trend.slope) and (trend.n, trend.n_excluded) == (2, 1)
    assert trend.describe().startswith("too few creators")
    assert trend_line(trend, [10.0, 100.0]).drop(columns="followers").isna().all().all()


def test_bad_arguments_are_clear_errors(rng):
    frame = _power_law(rng, 50)
    with pytest.raises(ValueError, match="choose one of: ols, theil-sen"):
        fit_trend(frame, method="lowess")
    with pytest.raises(ValueError, match="above 0"):
        trend_line(fit_trend(frame), [0.0, 10.0])
    with pytest.raises(ValueError, match="no such column"):
        fit_trend(frame, by="platform")


def test_by_segment_equals_fitting_each_segment(creators):
    fits = fit_trend(creators, method="theil-sen", by="platform")
    assert list(fits) == ["instagram", "tiktok", "youtube"]
    assert fits["youtube"] == fit_trend(creators[creators["platform"] == "youtube"], method="theil-sen")


def test_a_follower_range_fits_only_the_creators_inside_it(rng):
    # Known truth: the slope is -0.3 below 30K and 0 above, so one line over everyone is neither.
    followers = np.round(10 ** rng.uniform(2, 7, 4_000))
    er = np.where(followers < 30_000, 0.1 * followers**-0.3, 0.1 * 30_000**-0.3) * rng.lognormal(0, 0.3, 4_000)
    frame = pd.DataFrame({"followers": followers, "likes": er * followers})
    inside = frame[(frame["followers"] >= 1_000) & (frame["followers"] < 30_000)]
    trend = fit_trend(frame, followers_range=(1_000, 30_000))
    oracle = stats.linregress(*_logs(inside))
    assert trend.slope == pytest.approx(oracle.slope, rel=1e-10)
    assert trend.slope_ci[0] < -0.3 < trend.slope_ci[1]
    assert trend.n == len(inside) and trend.n_outside == len(frame) - len(inside)
    assert trend.followers_range == (1_000, 30_000)
    assert "fitted on 1K–30K followers" in trend.describe()
    above = fit_trend(frame, followers_range=(30_000, math.inf))
    assert above.slope_ci[0] < 0 < above.slope_ci[1] and "fitted on ≥ 30K followers" in above.describe()
    assert fit_trend(frame).slope_ci[0] > -0.3  # one line over everyone is flatter than the truth below 30K


@pytest.mark.parametrize("bad", [(30_000, 1_000), (5_000, 5_000), (-1, 100)])
def test_an_unusable_follower_range_is_a_clear_error(rng, bad):
    with pytest.raises(ValueError, match="follower range"):
        fit_trend(_power_law(rng, 100), followers_range=bad)
