"""Tier schemes: exact half-open boundaries, out-of-range labels, validation."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.tiers import Tier, TierScheme, assign_tiers, get_scheme, tier_schemes


@pytest.mark.parametrize(
    ("scheme", "followers", "expected"),
    [
        ("seed", 99, "under 100"),
        ("seed", 100, "nano"),
        ("seed", 9_999, "nano"),
        ("seed", 10_000, "micro"),
        ("seed", 99_999.5, "micro"),
        ("seed", 100_000, "macro"),
        ("seed", 999_999, "macro"),
        ("seed", 1_000_000, "mega"),
        ("seed", 3e9, "mega"),
        ("heartbeat", 1, "ambassador"),
        ("heartbeat", 4_999, "ambassador"),
        ("heartbeat", 5_000, "5K–10K"),
        ("heartbeat", 24_999, "micro 10K–25K"),
        ("heartbeat", 25_000, "micro 25K–50K"),
        ("heartbeat", 50_000, "micro 50K–100K"),
        ("heartbeat", 100_000, "100K+"),
        ("mediakix", 999, "under 1K"),
        ("mediakix", 1_000, "nano"),
        ("mediakix", 49_999, "micro"),
        ("mediakix", 50_000, "mid"),
        ("mediakix", 500_000, "macro"),
        ("mediakix", 1_000_000, "mega"),
    ],
)
def test_boundaries_are_half_open(scheme, followers, expected):
    labels = assign_tiers(np.array([followers]), get_scheme(scheme))
    assert labels[0] == expected


def test_every_value_gets_a_label_and_order_follows_followers(rng):
    followers = 10 ** rng.uniform(0, 9, 5_000)
    for scheme in tier_schemes().values():
        labels = assign_tiers(followers, scheme)
        assert not labels.isna().any()
        codes = labels.codes[np.argsort(followers)]
        assert np.all(np.diff(codes) >= 0)


def test_missing_followers_get_no_tier():
    labels = assign_tiers(np.array([np.nan, 500.0]), get_scheme("seed"))
    assert labels.isna()[0] and labels[1] == "nano"


def test_schemes_are_cited_and_required_ones_exist():
    schemes = tier_schemes()
    assert {"seed", "heartbeat", "mediakix"} <= set(schemes)
    for scheme in schemes.values():
        assert len(scheme.source) > 20, scheme.name


def test_gap_between_tiers_is_rejected():
    with pytest.raises(ValueError, match="must end where"):
        TierScheme("bad", "Bad", "", (Tier("a", 0, 10), Tier("b", 20, None)))


def test_unknown_scheme_lists_known_ones():
    with pytest.raises(ValueError, match="seed"):
        get_scheme("nope")
