"""Tier comparisons against brute force, scipy and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis.compare import PAIR_COLUMNS, holm, tier_tests
from analysis.sweet_spot import sweet_spot_test
from analysis.tiers import assign_tiers, get_scheme


def _er(frame: pd.DataFrame) -> pd.Series:
    return (frame["likes"] + frame["comments"] + frame["shares"]) / frame["followers"]


# --- tier tests ------------------------------------------------------------------------------

def _tied_creators(rng: np.random.Generator, n: int = 1_500) -> pd.DataFrame:
    """ER drawn from a few exact values, so tiers share tied rates."""
    followers = rng.choice([300.0, 800.0, 20_000.0, 40_000.0, 300_000.0], n)
    likes = followers * rng.choice([0.01, 0.02, 0.03, 0.05], n) * np.where(followers > 10_000, 0.8, 1.0)
    return pd.DataFrame({"followers": followers, "likes": likes, "comments": 0.0, "shares": 0.0})


@pytest.mark.parametrize("tied", [False, True])
def test_pairwise_rows_match_scipy_and_brute_force(rng, creators, tied):
    frame = _tied_creators(rng) if tied else creators
    result = tier_tests(frame, scheme="seed", level=0.95)
    assert list(result.pairwise.columns) == PAIR_COLUMNS
    er = _er(frame.assign(comments=frame.get("comments", 0.0), shares=frame.get("shares", 0.0)))
    tiers = pd.Series(assign_tiers(frame["followers"], get_scheme("seed")).astype(str), index=frame.index)
    groups = {name: g.to_numpy() for name, g in er.groupby(tiers)}
    assert len(result.pairwise) == len(result.tiers) * (len(result.tiers) - 1) // 2
    for row in result.pairwise.itertuples():
        a, b = groups[row.group_a], groups[row.group_b]
        diffs = np.subtract.outer(b, a)
        assert (row.n_a, row.n_b, row.median_a, row.median_b) == (a.size, b.size, np.median(a), np.median(b))
        assert row.u == (diffs > 0).sum() + 0.5 * (diffs == 0).sum()
        assert row.p_value == pytest.approx(stats.mannwhitneyu(b, a).pvalue, rel=1e-12)
        assert row.cliffs_delta == pytest.approx(np.sign(diffs).mean(), abs=1e-12)
        assert row.hl_shift == np.median(diffs)


def test_kruskal_and_holm_match_scipy_and_statsmodels(creators):
    result = tier_tests(creators, scheme="mediakix", level=0.90)
    tiers = pd.Series(assign_tiers(creators["followers"], get_scheme("mediakix")).astype(str), index=creators.index)
    groups = [g.to_numpy() for _, g in _er(creators).groupby(tiers)]
    oracle = stats.kruskal(*groups)
    assert (result.h, result.df) == (pytest.approx(oracle.statistic, rel=1e-12), len(groups) - 1)
    assert result.p_value == pytest.approx(oracle.pvalue, rel=1e-9, abs=1e-300)
    reject, p_holm, _, _ = multipletests(result.pairwise["p_value"], alpha=0.10, method="holm")
    np.testing.assert_allclose(result.pairwise["p_holm"], p_holm, rtol=1e-12)
    assert list(result.pairwise["significant"]) == list(reject)


def test_holm_matches_statsmodels_with_ties_and_large_values(rng):
    p = np.r_[rng.uniform(0, 0.2, 12), 0.01, 0.01, 0.9, 1.0]
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-14)


def test_tiers_with_fewer_than_two_rates_are_left_out_and_named():
    followers = [50.0, 60.0, 500.0, 700.0, 900.0, 20_000.0, 30_000.0, 2_000_000.0]
    frame = pd.DataFrame({"followers": followers, "likes": [5.0, 4.0, 20, 30, 25, 400, 500, 9_000]})
    result = tier_tests(frame, scheme="seed")
    assert result.tiers == ("under 100", "nano", "micro")
    assert result.skipped == ("macro (0)", "mega (1)")
    assert "macro (0), mega (1)" in result.note
    assert set(result.pairwise["group_b"]) == {"nano", "micro"}


def test_a_single_testable_tier_gives_nan_not_an_error():
    frame = pd.DataFrame({"followers": [500.0, 700.0], "likes": [5.0, 7.0]})
    result = tier_tests(frame)
    assert math.isnan(result.h) and result.pairwise.empty and "fewer than 2 tiers" in result.note


# --- segments and input checks ---------------------------------------------------------------

def test_by_segment_equals_running_on_each_segment(creators):
    tiers_by = tier_tests(creators, by="platform")
    spots_by = sweet_spot_test(creators, by="sponsored", min_n=3)
    assert list(tiers_by) == ["instagram", "tiktok", "youtube"] and list(spots_by) == ["False", "True"]
    alone = tier_tests(creators[creators["platform"] == "tiktok"])
    pd.testing.assert_frame_equal(tiers_by["tiktok"].pairwise, alone.pairwise)
    assert tiers_by["tiktok"].h == alone.h
    assert spots_by["True"] == sweet_spot_test(creators[creators["sponsored"]], min_n=3)
    with pytest.raises(ValueError, match="no such column"):
        tier_tests(creators, by="planet")


def test_rows_without_followers_are_an_error(creators):
    with pytest.raises(ValueError, match="1 rows have no positive follower count"):
        tier_tests(creators.assign(followers=creators["followers"].where(creators.index != 5, 0.0)))
