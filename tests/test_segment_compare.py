"""Segments side by side, checked against independent oracles: tier_summary, scipy, a simulation with known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats

from analysis.engagement import with_engagement
from analysis.group_stats import STAT_COLUMNS
from analysis.segment_compare import COMPARE_COLUMNS, compare_bins, compare_tiers, stack_datasets
from analysis.summary import binned_summary, log_bin_edges, tier_summary
from analysis.sweet_spot import median_difference_ci
from analysis.tiers import assign_tiers, get_scheme
from tests.conftest import make_creators

DETERMINISTIC = ["n_creators", "n", "median_er", "median_ci_low", "median_ci_high", "mean_er", "pooled_er"]


def _er(frame: pd.DataFrame) -> pd.Series:
    """ER by hand: (likes + comments + shares) / followers."""
    return (frame["likes"] + frame["comments"] + frame["shares"]) / frame["followers"]


def test_each_segments_rows_are_its_own_tier_summary(creators):
    table = compare_tiers(creators, "platform", ["tiktok", "instagram", "youtube"])
    assert list(table.columns) == COMPARE_COLUMNS
    assert list(table["segment"].cat.categories) == ["tiktok", "instagram", "youtube"]
    for name in ["tiktok", "instagram", "youtube"]:
        own = creators[creators["platform"] == name]
        rows = table[table["segment"] == name].reset_index(drop=True)
        # keyed by (segment, tier) like the comparison, so even the seeded mean intervals agree
        keyed = tier_summary(own, by="platform")
        assert_frame_equal(rows[["tier", *STAT_COLUMNS]], keyed[["tier", *STAT_COLUMNS]])
        plain = tier_summary(own)
        assert_frame_equal(rows[["tier", *DETERMINISTIC]], plain[["tier", *DETERMINISTIC]])


def test_sponsored_flag_compares_as_organic_and_sponsored(creators):
    table = compare_tiers(creators, "sponsored", ["organic", "sponsored"])
    organic = table[table["segment"] == "organic"].reset_index(drop=True)
    expected = tier_summary(creators[~creators["sponsored"]])
    assert_frame_equal(organic[["tier", *DETERMINISTIC]], expected[["tier", *DETERMINISTIC]])
    assert (table["reference"] == "organic").all()
    assert (organic["diff_note"] == "reference").all() and organic["diff_median"].isna().all()


def test_differences_and_p_values_match_scipy_on_hand_computed_rates(creators):
    table = compare_tiers(creators, "platform", ["instagram", "tiktok"], reference="tiktok", n_resamples=2_000)
    tiers = pd.Series(np.asarray(assign_tiers(creators["followers"], get_scheme("seed"))).astype(str),
                      index=creators.index)
    er = _er(creators)
    for row in table[table["segment"] == "instagram"].itertuples():
        x = er[(tiers == row.tier) & (creators["platform"] == "instagram")].to_numpy()
        ref = er[(tiers == row.tier) & (creators["platform"] == "tiktok")].to_numpy()
        assert row.p_value == pytest.approx(stats.mannwhitneyu(x, ref, alternative="two-sided").pvalue, rel=1e-12)
        assert row.diff_median == pytest.approx(np.median(x) - np.median(ref), abs=1e-15)
        assert row.diff_ci_low <= row.diff_median <= row.diff_ci_high


def test_difference_interval_agrees_with_an_independent_resampling_bootstrap(rng):
    frame = _two_groups(rng, 400, 300, 0.05, 0.04)
    row = compare_tiers(frame, "platform", ["a", "b"], reference="b").query("segment == 'a'").iloc[0]
    # The plain bootstrap: resample creators in each group, take the medians' difference.
    er = _er(frame)
    a, b = er[frame["platform"] == "a"].to_numpy(), er[frame["platform"] == "b"].to_numpy()
    boot = np.random.default_rng(7)
    diffs = [np.median(boot.choice(a, a.size)) - np.median(boot.choice(b, b.size)) for _ in range(4_000)]
    low, high = np.quantile(diffs, [0.025, 0.975])
    width = high - low
    assert abs(row.diff_ci_low - low) < 0.08 * width and abs(row.diff_ci_high - high) < 0.08 * width


def test_difference_interval_covers_the_true_difference_at_about_the_nominal_rate():
    # Log-normal ER in one tier (nano): median exp(mu) is known, so the true difference is 0.05 − 0.04.
    sim = np.random.default_rng(99)
    covered = []
    for rep in range(200):
        frame = _two_groups(sim, 150, 300, 0.05, 0.04)
        row = compare_tiers(frame, "platform", ["a", "b"], reference="b", n_resamples=2_000, seed=rep)
        row = row[(row["segment"] == "a") & (row["tier"] == "nano")].iloc[0]
        covered.append(row.diff_ci_low <= 0.01 <= row.diff_ci_high)
    assert 0.90 <= np.mean(covered) <= 0.99


def test_results_are_seeded_and_do_not_depend_on_the_other_segments(creators):
    two = compare_tiers(creators, "platform", ["instagram", "tiktok"])
    three = compare_tiers(creators, "platform", ["instagram", "tiktok", "youtube"])
    assert_frame_equal(two, compare_tiers(creators, "platform", ["instagram", "tiktok"]))
    pick = lambda t: t[t["segment"] == "tiktok"].reset_index(drop=True).astype({"segment": str})  # noqa: E731
    assert_frame_equal(pick(two), pick(three))


def test_too_few_creators_give_nan_and_a_note_not_an_error(creators):
    few = pd.concat([creators[creators["platform"] == "instagram"], creators[creators["platform"] == "youtube"][:12]])
    table = compare_tiers(few, "platform", ["instagram", "youtube"])
    sparse = table[(table["segment"] == "youtube") & (table["n"] > 0)]
    assert len(sparse) >= 2 and sparse["diff_ci_low"].isna().all() and sparse["p_value"].notna().all()
    assert sparse["diff_note"].str.startswith("too few for an interval").all()
    missing = compare_tiers(creators, "platform", ["instagram", "myspace"])
    myspace = missing[missing["segment"] == "myspace"]
    assert (myspace["n_creators"] == 0).all() and myspace["diff_median"].isna().all()
    assert (myspace["diff_note"] == "no creators with an ER in this segment").all()


def test_every_tier_is_listed_for_every_segment(creators):
    few = creators[(creators["platform"] == "youtube") | (creators["followers"] >= 100)]
    table = compare_tiers(few, "platform", ["instagram", "youtube"])
    assert table.groupby("tier", sort=False).size().to_dict() == {t: 2 for t in table["tier"].unique()}
    assert table["tier"].iloc[0] == "under 100"
    assert table.loc[(table["tier"] == "under 100") & (table["segment"] == "instagram"), "n_creators"].item() == 0


@pytest.mark.parametrize(
    ("segments", "reference", "fragment"),
    [(["instagram"], None, "at least two"), (["a", "a"], None, "once"), (["a", "b"], "c", "reference must be")],
)
def test_bad_arguments_name_the_problem(creators, segments, reference, fragment):
    with pytest.raises(ValueError, match=fragment):
        compare_tiers(creators, "platform", segments, reference=reference)


def test_bins_share_edges_and_equal_each_segments_own_binned_summary(creators):
    bins = compare_bins(creators, "platform", ["youtube", "instagram"])
    grid = log_bin_edges(creators["followers"])
    for name in ["youtube", "instagram"]:
        rows = bins[bins["segment"] == name].drop(columns="segment").reset_index(drop=True)
        own = binned_summary(with_engagement(creators[creators["platform"] == name]))
        assert_frame_equal(rows, own)
        assert np.isin(rows["bin_low"], grid).all() and np.isin(rows["bin_high"], grid).all()


def test_stack_datasets_aligns_columns_and_keeps_the_order(rng):
    one = make_creators(rng, 300)
    two = make_creators(rng, 200).drop(columns=["shares", "sponsored"]).assign(country="BR")
    stacked = stack_datasets({"zeta": one, "alpha": two})
    assert list(stacked["dataset"].cat.categories) == ["zeta", "alpha"]
    assert stacked["dataset"].value_counts().to_dict() == {"zeta": 300, "alpha": 200}
    assert stacked.loc[stacked["dataset"] == "alpha", "shares"].isna().all()
    assert stacked.loc[stacked["dataset"] == "zeta", "country"].isna().all()
    by_dataset = tier_summary(stacked, by="dataset")
    alone = tier_summary(two, by="platform").groupby("tier", sort=False)["n"].sum()
    assert by_dataset[by_dataset["segment"] == "alpha"].set_index("tier")["n"].to_dict() == alone.to_dict()
    table = compare_tiers(stacked, "dataset", ["zeta", "alpha"])
    assert table.loc[table["segment"] == "alpha", "n_creators"].sum() == 200
    with pytest.raises(ValueError, match="already has a 'dataset' column"):
        stack_datasets({"x": stacked})


def _two_groups(rng: np.random.Generator, n_a: int, n_b: int, median_a: float, median_b: float) -> pd.DataFrame:
    """Two platforms of nano creators whose ER is log-normal with the given medians (likes carry it all)."""
    followers = np.round(10 ** rng.uniform(3, 4, n_a + n_b))
    er = np.concatenate([rng.lognormal(np.log(median_a), 0.8, n_a), rng.lognormal(np.log(median_b), 0.8, n_b)])
    return pd.DataFrame({"followers": followers, "likes": followers * er, "comments": 0.0, "shares": 0.0,
                         "platform": ["a"] * n_a + ["b"] * n_b})


def test_median_difference_ci_is_the_engine():
    """The interval is the library's bootstrap with the pair's seed: same inputs, same numbers."""
    frame = _two_groups(np.random.default_rng(3), 80, 90, 0.05, 0.05)
    row = compare_tiers(frame, "platform", ["a", "b"], reference="b").query("segment == 'a'").iloc[0]
    er = _er(frame)
    a, b = er[frame["platform"] == "a"], er[frame["platform"] == "b"]
    widths = [np.subtract(*median_difference_ci(a, b, seed=s)[::-1]) for s in range(5)]
    assert min(widths) * 0.8 < row.diff_ci_high - row.diff_ci_low < max(widths) * 1.2
