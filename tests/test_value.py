"""Value by band, budget plans and the ratio estimator against hand computations, pandas and simulations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import ratio as ratio_module
from analysis.cost import CostModel
from analysis.format import EMPTY, budget_plan_display
from analysis.ratio import ratio_estimate
from analysis.value import band_value, best_band, best_value_sentence, budget_plan

# 300 simulated studies: a 95% rate is estimated within ±3 standard errors (±0.038).
REPS = 300
COVERAGE_TOLERANCE = 3 * math.sqrt(0.95 * 0.05 / REPS)


def band_creators(rng: np.random.Generator, n: int, low: float, high: float, median_er: float = 0.03,
                  sigma: float = 0.8) -> pd.DataFrame:
    """Followers log-uniform in [low, high), ER log-normal: likes per post = followers × ER."""
    followers = np.exp(rng.uniform(np.log(low), np.log(high), n))
    er = median_er * np.exp(sigma * rng.standard_normal(n))
    return pd.DataFrame({"followers": followers, "likes": followers * er})


def true_epk(median_er: float, sigma: float, rate: float = 100.0) -> float:
    """Engagements per $1,000 with cost = rate × followers / 10K and ER independent of followers."""
    return 1000 * 10_000 * median_er * math.exp(sigma**2 / 2) / rate


# --- band value ---------------------------------------------------------------------------------

def test_point_estimates_match_groupby(creators):
    frame = creators.copy()
    frame.loc[frame.index[:40], "likes"] = np.nan  # no engagement value: counted, left out of the ratios
    model = CostModel(rate_per_10k=120, floor=40, prices=((10_000, 25_000, 260),))
    table = band_value(frame, model, scheme="heartbeat").set_index("band")

    f = frame["followers"]
    price = np.where((f >= 10_000) & (f < 25_000), 260.0, np.maximum(40.0, 120 * f / 10_000))
    work = pd.DataFrame({"cost": price, "eng": frame["likes"] + frame["comments"] + frame["shares"]})
    band = pd.cut(f, [0, 5e3, 1e4, 2.5e4, 5e4, 1e5, np.inf], right=False,
                  labels=["ambassador", "5K–10K", "micro 10K–25K", "micro 25K–50K", "micro 50K–100K", "100K+"])
    with_eng = work[work["eng"].notna()].groupby(band[work["eng"].notna()], observed=True)
    expected = pd.DataFrame({
        "n": with_eng.size(),
        "n_without_engagements": work["eng"].isna().groupby(band, observed=True).sum(),
        "cost_per_post": with_eng["cost"].mean(),
        "engagements_per_post": with_eng["eng"].mean(),
        "cost_per_engagement": with_eng["cost"].sum() / with_eng["eng"].sum(),
        "engagements_per_1000": 1000 * with_eng["eng"].sum() / with_eng["cost"].sum(),
    })
    expected.index = expected.index.astype(str)
    pd.testing.assert_frame_equal(table.loc[expected.index, expected.columns], expected,
                                  check_names=False, check_dtype=False)


def test_intervals_are_reciprocal_and_bracket_the_estimate(creators):
    table = band_value(creators, CostModel(), scheme="seed")
    ok = table[table["note"] == ""]
    np.testing.assert_allclose(ok["cpe_ci_low"], 1000 / ok["epk_ci_high"])
    np.testing.assert_allclose(ok["cpe_ci_high"], 1000 / ok["epk_ci_low"])
    assert (ok["epk_ci_low"] < ok["engagements_per_1000"]).all()
    assert (ok["engagements_per_1000"] < ok["epk_ci_high"]).all()


def test_bootstrap_interval_covers_known_truth(rng):
    truth = true_epk(0.03, 0.8)
    hits = {"bootstrap": 0, "delta": 0}
    for _ in range(REPS):
        frame = band_creators(rng, 300, 10_000, 25_000)
        row = band_value(frame, CostModel(), bands=[(10_000, 25_000)], seed=int(rng.integers(1 << 31))).iloc[0]
        assert row["interval_method"] == "bootstrap"
        hits["bootstrap"] += row["epk_ci_low"] <= truth <= row["epk_ci_high"]
        delta = ratio_estimate(frame["likes"], frame["followers"] / 100, method="delta").interval
        hits["delta"] += delta.low * 1000 <= truth <= delta.high * 1000
    for method, count in hits.items():
        assert abs(count / REPS - 0.95) < COVERAGE_TOLERANCE, (method, count / REPS)


def test_delta_interval_agrees_with_resampling(rng):
    frame = band_creators(rng, 3_000, 10_000, 25_000, sigma=0.9)
    e, c = frame["likes"].to_numpy(), CostModel(floor=120).cost(frame["followers"])
    boot = ratio_estimate(e, c, method="bootstrap", n_resamples=20_000, seed=7)
    delta = ratio_estimate(e, c, method="delta")
    half_width = (delta.interval.high - delta.interval.low) / 2
    se = half_width / 1.959964
    # Monte-Carlo error: 0.01 half-widths per endpoint, 0.5% for the standard deviation of the draws.
    # The ratio's skewness at n = 3,000 shifts percentile endpoints by about 0.03 half-widths more.
    assert abs(boot.interval.low - delta.interval.low) < 0.08 * half_width
    assert abs(boot.interval.high - delta.interval.high) < 0.08 * half_width
    assert boot.draws.std() == pytest.approx(se, rel=0.03)


def test_large_bands_use_the_delta_method(rng, monkeypatch):
    frame = band_creators(rng, 400, 1_000, 2_000)
    resampled = band_value(frame, CostModel(), bands=[(1_000, 2_000)]).iloc[0]
    monkeypatch.setattr(ratio_module, "RESAMPLE_LIMIT", 100)
    normal = band_value(frame, CostModel(), bands=[(1_000, 2_000)]).iloc[0]
    assert (resampled["interval_method"], normal["interval_method"]) == ("bootstrap", "delta")
    half_width = (normal["epk_ci_high"] - normal["epk_ci_low"]) / 2
    assert abs(resampled["epk_ci_low"] - normal["epk_ci_low"]) < 0.2 * half_width


def test_p_best_near_one_for_a_clearly_better_band(rng):
    frame = pd.concat([band_creators(rng, 200, 1_000, 2_000, median_er=0.06),
                       band_creators(rng, 200, 2_000, 4_000, median_er=0.02),
                       band_creators(rng, 4, 4_000, 8_000)])
    table = band_value(frame, CostModel(), bands=[(1_000, 2_000), (2_000, 4_000), (4_000, 8_000)])
    assert table["p_best"].iloc[0] > 0.99
    assert table["p_best"].iloc[:2].sum() == pytest.approx(1.0)
    assert np.isnan(table["p_best"].iloc[2])
    assert best_band(table) == "1K–2K"


def test_p_best_is_even_for_identical_bands(rng):
    low = band_creators(rng, 300, 1_000, 2_000)
    high = low * 2  # same creators at twice the size: every creator's engagements per dollar is unchanged
    table = band_value(pd.concat([low, high]), CostModel(), bands=[(1_000, 2_000), (2_000, 4_000)])
    assert table["engagements_per_1000"].iloc[0] == pytest.approx(table["engagements_per_1000"].iloc[1])
    # 2,000 independent draws per band: standard error of p_best is 0.011.
    assert table["p_best"].iloc[0] == pytest.approx(0.5, abs=0.04)
    assert table["p_best"].sum() == pytest.approx(1.0)


def test_same_seed_same_numbers(creators):
    first = band_value(creators, CostModel(), scheme="mediakix", seed=3)
    pd.testing.assert_frame_equal(first, band_value(creators, CostModel(), scheme="mediakix", seed=3))
    other = band_value(creators, CostModel(), scheme="mediakix", seed=4)
    assert not np.allclose(first["epk_ci_low"], other["epk_ci_low"], equal_nan=True)


def test_a_band_does_not_depend_on_other_bands(rng):
    frame = pd.concat([band_creators(rng, 100, 1_000, 2_000), band_creators(rng, 100, 2_000, 4_000)])
    both = band_value(frame, CostModel(), bands=[(1_000, 2_000), (2_000, 4_000)])
    alone = band_value(frame, CostModel(), bands=[(2_000, 4_000)])
    assert both["epk_ci_low"].iloc[1] == alone["epk_ci_low"].iloc[0]


def test_too_few_and_empty_bands():
    frame = pd.DataFrame({"followers": [20_000.0] * 5 + [60_000.0] * 12, "likes": [400.0] * 5 + [900.0] * 12})
    table = band_value(frame, CostModel(), scheme="heartbeat").set_index("band")
    few = table.loc["micro 10K–25K"]
    assert few["n"] == 5 and few["note"].startswith("too few")
    assert few["engagements_per_1000"] == pytest.approx(1000 * 400 / 200)  # the point estimate is still shown
    assert np.isnan([few["epk_ci_low"], few["cpe_ci_high"], few["p_best"]]).all()
    assert table.loc["ambassador", "n"] == 0 and table.loc["ambassador", "note"] == "no creators"
    assert table.loc["micro 50K–100K", "p_best"] == 1.0
    assert best_band(table.reset_index()) == "micro 50K–100K"


def test_free_posts_have_no_value_ratio():
    frame = pd.DataFrame({"followers": np.linspace(1_000, 2_000, 20, endpoint=False), "likes": 50.0})
    row = band_value(frame, CostModel(rate_per_10k=0), bands=[(1_000, 2_000)]).iloc[0]
    assert row["note"].startswith("posts are free") and np.isnan(row["p_best"])
    with pytest.raises(ValueError, match="no band has at least 10 creators"):
        best_band(band_value(frame, CostModel(rate_per_10k=0), bands=[(1_000, 2_000)]))


def test_best_value_sentence():
    table = pd.DataFrame({
        "band": ["ambassador", "micro 10K–25K", "tiny"], "min_followers": [np.nan, 10_000, 0],
        "max_followers": [5_000, 25_000, 10], "engagements_per_1000": [30.2, 41.3, 99.0],
        "epk_ci_low": [28.0, 38.2, np.nan], "epk_ci_high": [32.0, 44.4, np.nan], "p_best": [0.13, 0.87, np.nan],
    })
    assert best_value_sentence(table) == (
        "Best value: micro 10K–25K, 41 engagements per $1,000 [38–44]; probability it is the best 87%")
    assert best_value_sentence(table.iloc[[0, 2]]).startswith("Best value: ambassador (< 5K), 30 engagements")
    sure = table.assign(p_best=[0.0005, 0.9995, np.nan])
    assert best_value_sentence(sure).endswith("probability it is the best > 99%")  # as the table says it


# --- budget plan --------------------------------------------------------------------------------

def test_budget_arithmetic_by_hand():
    # Twelve creators at 20K followers ($200 a post) with 500 engagements each: no sampling variation at all.
    frame = pd.DataFrame({"followers": [20_000.0] * 12, "likes": [500.0] * 12})
    row = budget_plan(frame, CostModel(), 1_050, bands=[(10_000, 25_000)]).iloc[0]
    assert (row["cost_per_post"], row["creators"], row["spend"]) == (200, 5, 1_000)
    # $1,000 at 500 / 200 = 2.5 engagements per dollar
    for column in ("expected_engagements", "ee_ci_low", "ee_ci_high", "range_low", "range_high"):
        assert row[column] == pytest.approx(2_500)
    assert row["note"] == ""


def test_budget_expectation_matches_mean_engagements(rng):
    frame = band_creators(rng, 500, 10_000, 25_000)
    plan = budget_plan(frame, CostModel(floor=150), 20_000, bands=[(10_000, 25_000)]).iloc[0]
    value = band_value(frame, CostModel(floor=150), bands=[(10_000, 25_000)]).iloc[0]
    mean_cost = CostModel(floor=150).cost(frame["followers"]).mean()
    assert plan["creators"] == 20_000 // mean_cost
    assert plan["expected_engagements"] == pytest.approx(plan["creators"] * frame["likes"].mean())
    assert plan["ee_ci_low"] == pytest.approx(plan["spend"] * value["epk_ci_low"] / 1000)
    assert plan["range_low"] < plan["ee_ci_low"] < plan["ee_ci_high"] < plan["range_high"]


def test_budget_below_one_post_and_more_posts_than_creators():
    frame = pd.DataFrame({"followers": np.linspace(100_000, 200_000, 12), "likes": 3_000.0})
    row = budget_plan(frame, CostModel(), 500, bands=[(100_000, 300_000)]).iloc[0]
    assert (row["creators"], row["spend"], row["range_high"]) == (0, 0, 0)
    assert row["note"] == "budget buys no post at this price"
    big = budget_plan(frame, CostModel(), 1e6, bands=[(100_000, 300_000)]).iloc[0]
    assert big["creators"] > 12 and big["note"] == "more posts than the band has creators"


def test_budget_display_blanks_a_band_the_budget_cannot_enter():
    frame = pd.DataFrame({"followers": np.r_[np.linspace(1_000, 2_000, 12), np.linspace(100_000, 200_000, 12)],
                          "likes": 300.0})
    plan = budget_plan(frame, CostModel(), 500, bands=[(1_000, 3_000), (100_000, 300_000)])
    shown = budget_plan_display(plan, 0.95).set_index("Band")
    cannot, can = shown.loc["100K–300K"], shown.loc["1K–3K"]
    assert cannot["Creators it buys"] == "0" and cannot["Note"] == "budget buys no post at this price"
    assert list(cannot.iloc[4:]) == [EMPTY] * 4  # spend, expected engagements, its interval, campaign range
    assert EMPTY not in list(can.iloc[4:]) and can["Spend"].startswith("$")
    assert list(shown.columns[1:4]) == ["Cost per post", "Creators it buys", "Note"]  # the note beside its count


def test_prediction_range_covers_simulated_campaigns(rng):
    hits = 0
    for _ in range(REPS):
        sample = band_creators(rng, 400, 10_000, 25_000)
        row = budget_plan(sample, CostModel(), 8_000, bands=[(10_000, 25_000)],
                          seed=int(rng.integers(1 << 31))).iloc[0]
        campaign = band_creators(rng, int(row["creators"]), 10_000, 25_000)["likes"].sum()  # a fresh draw
        hits += row["range_low"] <= campaign <= row["range_high"]
    assert abs(hits / REPS - 0.95) < COVERAGE_TOLERANCE, hits / REPS


def test_large_campaigns_use_cornish_fisher(rng, monkeypatch):
    frame = band_creators(rng, 2_000, 10_000, 25_000)
    resampled = budget_plan(frame, CostModel(), 40_000, bands=[(10_000, 25_000)]).iloc[0]
    monkeypatch.setattr(ratio_module, "RESAMPLE_LIMIT", 100)
    formula = budget_plan(frame, CostModel(), 40_000, bands=[(10_000, 25_000)]).iloc[0]
    assert resampled["creators"] > 100
    half_width = (resampled["range_high"] - resampled["range_low"]) / 2
    assert abs(formula["range_low"] - resampled["range_low"]) < 0.1 * half_width
    assert abs(formula["range_high"] - resampled["range_high"]) < 0.1 * half_width


# --- invalid inputs -----------------------------------------------------------------------------

@pytest.mark.parametrize("budget", [0, -100, math.nan, math.inf, "1000"])
def test_budget_must_be_positive(creators, budget):
    with pytest.raises(ValueError, match="budget must be a positive number of dollars"):
        budget_plan(creators, CostModel(), budget)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scheme": "seed", "bands": [(0, 10)]}, "either a tier scheme or a list of bands, not both"),
        ({"scheme": "tiny"}, "unknown tier scheme 'tiny'; choose one of: seed, heartbeat, mediakix"),
        ({"bands": []}, "bands is empty"),
        ({"bands": [(0, 10_000), (5_000, 20_000)]}, "bands 0–10K and 5K–20K overlap"),
        ({"bands": [(10, 10)]}, "need 0 <= min_followers < max_followers"),
        ({"definition": "views"}, "unknown engagement definition 'views'; choose one of"),
        ({"level": 1.5}, "confidence level must be between 0.5 and 1"),
    ],
)
def test_band_value_rejects_invalid_arguments(creators, kwargs, message):
    with pytest.raises(ValueError, match=message):
        band_value(creators, CostModel(), **kwargs)


def test_rejects_missing_or_negative_followers(creators):
    with pytest.raises(ValueError, match="2 rows have no follower count"):
        band_value(creators.assign(followers=[-1.0, np.nan, *creators["followers"].iloc[2:]]), CostModel())
    with pytest.raises(ValueError, match="prices need a 'followers' column"):
        band_value(creators.drop(columns="followers"), CostModel())


def test_ratio_estimate_rejects_invalid_input():
    with pytest.raises(ValueError, match="choose one of: auto, bootstrap, delta"):
        ratio_estimate([1, 2], [1, 2], method="jackknife")
    with pytest.raises(ValueError, match="equal-length"):
        ratio_estimate([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="total cost is zero"):
        ratio_estimate([1, 2], [0, 0])
