"""Tier and bin summaries against a plain pandas groupby and the interval functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.summary import bin_summary, log_bin_edges, tier_summary
from analysis.tiers import assign_tiers, get_scheme


def _oracle(frame: pd.DataFrame, keys: pd.Series | list[pd.Series]) -> pd.DataFrame:
    er = (frame["likes"] + frame["comments"] + frame["shares"]) / frame["followers"]
    eng = frame["likes"] + frame["comments"] + frame["shares"]
    work = pd.DataFrame({"er": er, "eng": eng, "followers": frame["followers"]})
    grouped = work.groupby(keys, observed=True)
    return pd.DataFrame({
        "n": grouped["er"].size(),
        "median_er": grouped["er"].median(),
        "mean_er": grouped["er"].mean(),
        "pooled_er": grouped["eng"].sum() / grouped["followers"].sum(),
    })


def test_tier_summary_matches_groupby(creators):
    table = tier_summary(creators, scheme="seed", level=0.95)
    tiers = pd.Series(assign_tiers(creators["followers"], get_scheme("seed")).astype(str), index=creators.index)
    expected = _oracle(creators, tiers)
    got = table.set_index("tier").loc[expected.index, ["n", "median_er", "mean_er", "pooled_er"]]
    pd.testing.assert_frame_equal(got, expected, check_names=False, check_dtype=False)


def test_tier_intervals_match_scipy(creators):
    table = tier_summary(creators, scheme="mediakix", level=0.90)
    tiers = assign_tiers(creators["followers"], get_scheme("mediakix"))
    er = (creators["likes"] + creators["comments"] + creators["shares"]) / creators["followers"]
    for row in table.itertuples():
        group = er[tiers == row.tier].to_numpy()
        oracle = stats.quantile_test(group, q=np.median(group)).confidence_interval(0.90)
        assert (row.median_ci_low, row.median_ci_high) == (oracle.low, oracle.high)
        boot = stats.bootstrap((group,), np.mean, confidence_level=0.90, method="percentile",
                               n_resamples=4_000, random_state=0).confidence_interval
        half_width = (boot.high - boot.low) / 2
        # Monte-Carlo agreement: well within a fifth of the half-width for 2,000 vs 4,000 resamples.
        assert abs(float(row.mean_ci_low) - boot.low) < 0.2 * half_width
        assert abs(float(row.mean_ci_high) - boot.high) < 0.2 * half_width


def test_empty_scheme_tiers_stay_and_out_of_range_label_appears():
    frame = pd.DataFrame({"followers": [50.0, 60.0, 500.0], "likes": [5.0, 6.0, 20.0], "comments": [1.0, 1.0, 2.0]})
    table = tier_summary(frame, scheme="seed")
    assert list(table["tier"]) == ["under 100", "nano", "micro", "macro", "mega"]
    assert list(table["n"]) == [2, 1, 0, 0, 0]
    assert table.loc[1, "note"].startswith("too few")
    assert np.isnan(table.loc[1, "median_ci_low"])


def test_split_by_segment_matches_groupby(creators):
    table = tier_summary(creators, scheme="seed", by="platform")
    tiers = pd.Series(assign_tiers(creators["followers"], get_scheme("seed")).astype(str), index=creators.index)
    expected = _oracle(creators, [creators["platform"], tiers])
    got = table.set_index(["segment", "tier"]).loc[expected.index, ["n", "median_er", "pooled_er"]]
    pd.testing.assert_frame_equal(got, expected[["n", "median_er", "pooled_er"]], check_names=False,
                                  check_dtype=False)


def test_bins_partition_creators_and_match_cut(creators):
    table = bin_summary(creators, per_decade=4)
    assert table["n"].sum() == len(creators)
    edges = log_bin_edges(creators["followers"], 4)
    np.testing.assert_allclose(np.diff(np.log10(edges)), 0.25)
    bins = pd.cut(creators["followers"], edges, right=False)
    expected = _oracle(creators, bins)
    np.testing.assert_allclose(table["median_er"], expected["median_er"][expected["n"] > 0])
    assert (table["bin_low"] <= table["bin_mid"]).all() and (table["bin_mid"] < table["bin_high"]).all()


def test_bad_arguments_are_clear_errors(creators):
    with pytest.raises(ValueError, match="confidence level"):
        tier_summary(creators, level=1.5)
    with pytest.raises(ValueError, match="no such column"):
        tier_summary(creators, by="planet")


def test_creators_without_er_are_counted_not_dropped():
    frame = pd.DataFrame({"followers": [50.0, 500.0, 600.0], "likes": [np.nan, 10.0, np.nan], "comments": [1.0] * 3})
    table = tier_summary(frame, scheme="seed").set_index("tier")
    assert table.loc["under 100", "n_creators"] == 1 and table.loc["under 100", "n"] == 0
    assert table.loc["under 100", "note"] == "no engagement rate"
    assert (table.loc["nano", "n_creators"], table.loc["nano", "n"]) == (2, 1)


def test_bin_intervals_do_not_depend_on_other_creators(creators):
    everyone = bin_summary(creators).set_index("bin_low")
    large = bin_summary(creators[creators["followers"] >= 10_000]).set_index("bin_low")
    shared = large.index
    pd.testing.assert_frame_equal(large, everyone.loc[shared])


def test_rows_without_followers_are_an_error_not_a_silent_drop():
    frame = pd.DataFrame({"followers": [100.0, np.nan], "likes": [1.0, 1.0], "comments": [1.0, 1.0]})
    with pytest.raises(ValueError, match="1 rows have no positive follower count"):
        tier_summary(frame)
    with pytest.raises(ValueError, match="load_creators"):
        bin_summary(frame)
