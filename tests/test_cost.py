"""Cost model against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.cost import CostModel

# --- cost model -------------------------------------------------------------------------------

def test_cost_by_hand():
    model = CostModel(rate_per_10k=100, floor=50, prices=((10_000, 25_000, 300),))
    followers = [1_000, 5_000, 9_999, 10_000, 24_999, 25_000, 100_000, np.nan]
    # rate rule 100 × f / 10K = f / 100, never below $50; [10K, 25K) costs $300 (the floor does not apply)
    expected = [50, 50, 99.99, 300, 300, 250, 1_000, np.nan]
    np.testing.assert_allclose(model.cost(followers), expected)


def test_cost_default_rule_of_thumb_and_open_top_band():
    np.testing.assert_allclose(CostModel().cost([0, 2_500, 1_000_000]), [0, 25, 10_000])
    model = CostModel(rate_per_10k=80, prices=((100_000, math.inf, 5_000), (0, 1_000, 0)))
    np.testing.assert_allclose(model.cost([999, 1_000, 99_999, 100_000, 1e9]), [0, 8, 799.992, 5_000, 5_000])


def test_prices_are_stored_sorted_and_hashable():
    model = CostModel(prices=([50_000, 100_000, 900], [10_000, 25_000, 300]))
    assert model.prices == ((10_000.0, 25_000.0, 300.0), (50_000.0, 100_000.0, 900.0))
    assert hash(model) == hash(CostModel(prices=((10_000, 25_000, 300), (50_000, 100_000, 900))))


def test_describe():
    assert CostModel().describe() == "$100 per 10K followers"
    model = CostModel(floor=50, prices=((10_000, 25_000, 300), (1e6, math.inf, 12_500.5)))
    assert model.describe() == (
        "$100 per 10K followers, at least $50 a post; priced tiers: 10K–25K $300, ≥ 1M $12,500.50")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rate_per_10k": -1}, "rate_per_10k must be a dollar amount of 0 or more"),
        ({"floor": math.nan}, "floor must be a dollar amount"),
        ({"floor": math.inf}, "floor must be a dollar amount"),
        ({"prices": ((10_000, 25_000, -5),)}, "price of tier 10K–25K must be"),
        ({"prices": ((25_000, 10_000, 100),)}, "need 0 <= min_followers < max_followers"),
        ({"prices": ((-1, 10, 100),)}, "need 0 <= min_followers < max_followers"),
        ({"prices": ((10_000, 30_000, 1), (25_000, 50_000, 2))}, "10K–30K and 25K–50K overlap"),
        ({"prices": ((10_000, 25_000),)}, r"is \(min_followers, max_followers, price\)"),
    ],
)
def test_cost_model_rejects_invalid_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CostModel(**kwargs)


def test_touching_priced_tiers_are_fine():
    model = CostModel(prices=((10_000, 25_000, 300), (25_000, 50_000, 500)))
    np.testing.assert_allclose(model.cost([24_999, 25_000]), [300, 500])
