"""Tier and bin summaries against a plain pandas groupby and the interval functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.mean_intervals import mean_ci
from analysis.pooled_intervals import pooled_ci
from analysis.summary import (
    _stable_hash,
    bin_summary,
    equal_log_bins,
    log_bin_edges,
    n_bins_summary,
    tier_summary,
    tiers_and_bins,
)
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
    eng = creators["likes"] + creators["comments"] + creators["shares"]
    er = eng / creators["followers"]
    for row in table.itertuples():
        group = er[tiers == row.tier].to_numpy()
        oracle = stats.quantile_test(group, q=np.median(group)).confidence_interval(0.90)
        assert (row.median_ci_low, row.median_ci_high) == (oracle.low, oracle.high)
        # The grouped engine gives each group what the single-group functions give it (those are
        # checked against SciPy and by simulated coverage in test_intervals / test_coverage).
        seed = [0, _stable_hash((row.tier,))]
        mean = mean_ci(group, 0.90, seed=seed)
        pooled = pooled_ci(eng[tiers == row.tier], creators["followers"][tiers == row.tier], 0.90, seed=seed)
        assert mean is not None and pooled is not None
        assert (row.mean_ci_low, row.mean_ci_high) == pytest.approx((mean.low, mean.high), rel=1e-12)
        assert (row.pooled_ci_low, row.pooled_ci_high) == pytest.approx((pooled.low, pooled.high), rel=1e-12)


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


def test_n_bins_cover_the_range_in_equal_log_steps_and_match_groupby(creators):
    table = n_bins_summary(creators, 12, level=0.90)
    assert len(table) == 12 and table["n_creators"].sum() == len(creators)
    widths = np.log10(table["bin_high"]) - np.log10(table["bin_low"])
    assert np.allclose(widths, widths.iloc[0])
    assert table["bin_low"].iloc[0] == creators["followers"].min()
    assert table["bin_high"].iloc[-1] == pytest.approx(creators["followers"].max())
    edges = np.append(table["bin_low"].to_numpy(), np.inf)
    position = pd.Series(np.clip(np.searchsorted(edges, creators["followers"], side="right") - 1, 0, 11),
                         index=creators.index)
    expected = _oracle(creators, position)
    got = table.loc[expected.index, ["n", "median_er", "mean_er", "pooled_er"]]
    pd.testing.assert_frame_equal(got, expected, check_names=False, check_dtype=False)
    with pytest.raises(ValueError, match="at least 1"):
        n_bins_summary(creators, 0)


def test_equal_log_bins_match_a_search_even_on_the_edges(rng):
    followers = np.concatenate([np.round(10 ** rng.uniform(1, 9, 20_000)), [10.0, 1e9]])
    for n_bins in (1, 7, 40):
        edges, index = equal_log_bins(followers, n_bins)
        on_edges = np.concatenate([followers, edges[1:-1], np.nextafter(edges[1:-1], 0)])
        _, index = equal_log_bins(on_edges, n_bins)  # same range, so the same edges
        expected = np.clip(np.searchsorted(edges, on_edges, side="right") - 1, 0, n_bins - 1)
        np.testing.assert_array_equal(index, expected)


@pytest.mark.parametrize("parallel_rows", [0, 10**9], ids=["side-by-side", "one-after-the-other"])
def test_tiers_and_bins_equal_the_separate_tables(creators, monkeypatch, parallel_rows):
    monkeypatch.setattr("analysis.summary._PARALLEL_ROWS", parallel_rows)
    tiers, bins = tiers_and_bins(creators, "heartbeat", 9, 0.9)
    pd.testing.assert_frame_equal(tiers, tier_summary(creators, "heartbeat", 0.9))
    pd.testing.assert_frame_equal(bins, n_bins_summary(creators, 9, 0.9))
