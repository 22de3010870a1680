"""Measured coverage: the properties the statistics spec requires, live (modest reps) and on the stored table.

The stored table (analysis/coverage_results.json) comes from ``python -m analysis.coverage``;
a few of its cells are recomputed here with another seed and must agree within Monte-Carlo error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.coverage import COVERAGE_LEVELS, SIZES, load_results, methods, simulate_cell
from analysis.coverage_scenarios import SCENARIOS, Scenario
from analysis.mean_intervals import AUTO_SWITCH, DEFAULT_MEAN_METHOD
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD

DEFAULTS = {("mean", DEFAULT_MEAN_METHOD), ("pooled", DEFAULT_POOLED_METHOD)}
MEDIAN = ("median", "order-statistic")
NONPARAMETRIC_MEAN = ["bootstrap-t", "bca", "t"]
NONPARAMETRIC_POOLED = ["bootstrap-t", "skew", "delta", "log-delta"]


def _lognormal(sigma: float) -> Scenario:
    return next(s for s in SCENARIOS if s.kind == "lognormal" and s.sigma == sigma)


@pytest.fixture(scope="module")
def stored() -> pd.DataFrame:
    settings, table = load_results()
    assert settings["reps"] >= 2_000 and settings["reps_resampled"] >= 2_000 and isinstance(settings["seed"], int)
    return table


def _live(sigma: float, n: int, which: set[tuple[str, str]], reps: int, seed: int = 99) -> pd.DataFrame:
    records = simulate_cell(_lognormal(sigma), n, reps=reps, reps_resampled=reps, seed=seed, which=which)
    return pd.DataFrame(records)


def _defaults_hold(rows: pd.DataFrame, slack: float = 0.0) -> None:
    """Within ±2 points of nominal for n >= 100; at most 3 points short at n = 30.

    ``slack`` (in MC standard errors) widens the bounds for live runs with few replications.
    """
    gap = (rows["coverage"] - rows["level"]).to_numpy()
    n, allowance = rows["n"].to_numpy(), slack * rows["mc_se"].to_numpy()
    large, n30 = n >= 100, n == 30
    assert (np.abs(gap[large]) <= 0.02 + allowance[large]).all(), rows[large]
    assert (gap[n30] >= -0.03 - allowance[n30]).all(), rows[n30]


def _median_holds(rows: pd.DataFrame, slack: float = 0.0) -> None:
    """Never below nominal by more than 3 MC SE; at most 3 points above nominal for n >= 100."""
    coverage, level, se = (rows[c].to_numpy() for c in ("coverage", "level", "mc_se"))
    assert (coverage >= level - 3 * se).all()
    large = rows["n"].to_numpy() >= 100
    assert (coverage[large] <= level[large] + 0.03 + slack * se[large]).all()
    # The simulated coverage is the exact binomial coverage of the chosen order statistics.
    assert (np.abs(coverage - rows["exact_coverage"].to_numpy()) <= 4 * se).all()


# --- live, modest replications -------------------------------------------------------------------------


@pytest.mark.parametrize(("sigma", "n"), [(1.2, 30), (1.2, 100), (0.8, AUTO_SWITCH)])
def test_defaults_live(sigma, n):
    rows = _live(sigma, n, DEFAULTS, reps=3_000 if n < AUTO_SWITCH else 1_500)
    _defaults_hold(rows, slack=3)


@pytest.mark.parametrize(("sigma", "n"), [(1.2, 10), (0.5, 100)])
def test_median_live(sigma, n):
    rows = _live(sigma, n, {MEDIAN}, reps=4_000)
    _median_holds(rows, slack=3)


def test_resampled_methods_live_are_reproducible():
    which = {("mean", "bootstrap-t"), ("pooled", "bootstrap-t")}
    first = _live(0.8, 30, which, reps=150, seed=5)
    pd.testing.assert_frame_equal(first, _live(0.8, 30, which, reps=150, seed=5))


@pytest.mark.parametrize(("sigma", "n", "which"), [
    (0.8, 100, DEFAULTS), (1.2, 30, DEFAULTS), (0.5, 30, {MEDIAN}), (1.2, 1_000, {("mean", "t")}),
])
def test_stored_cells_agree_with_a_live_recomputation(stored, sigma, n, which):
    live = _live(sigma, n, which, reps=3_000, seed=12_345)
    keys = ["statistic", "method", "level"]
    cells = stored[(stored["scenario"] == "lognormal") & (stored["sigma"] == sigma) & (stored["n"] == n)]
    both = live.merge(cells, on=keys, suffixes=("_live", "_stored"))
    assert len(both) == len(which) * len(COVERAGE_LEVELS)
    tolerance = 4 * np.hypot(both["mc_se_live"], both["mc_se_stored"])
    assert ((both["coverage_live"] - both["coverage_stored"]).abs() <= tolerance).all(), both


# --- the stored table ------------------------------------------------------------------------------------


def test_stored_table_is_complete(stored):
    expected = len(SCENARIOS) * len(SIZES) * len(COVERAGE_LEVELS) * len(methods())
    assert len(stored) == expected
    assert not stored.duplicated(["statistic", "method", "scenario", "sigma", "n", "level"]).any()
    assert (stored["reps"] >= 2_000).all()
    assert ((stored["coverage"] >= 0) & (stored["coverage"] <= 1)).all()


def test_stored_median_coverage(stored):
    _median_holds(stored[stored["statistic"] == "median"])


def test_stored_defaults_meet_the_spec_on_lognormal_data(stored):
    lognormal = stored[stored["scenario"] == "lognormal"]
    for statistic, method in DEFAULTS:
        _defaults_hold(lognormal[(lognormal["statistic"] == statistic) & (lognormal["method"] == method)])


def _spec_violation(rows: pd.DataFrame) -> pd.Series:
    """How far (in MC standard errors) each cell is outside the spec for the defaults (<= 0: inside)."""
    gap = rows["coverage"] - rows["level"]
    excess = np.where(rows["n"] == 30, -0.03 - gap, np.where(rows["n"] >= 100, gap.abs() - 0.02, -np.inf))
    return pd.Series(excess / rows["mc_se"], index=rows.index)


def test_stored_no_model_free_method_meets_the_spec_at_sigma_1_2(stored):
    """Why the defaults lean on the log-normal model below AUTO_SWITCH: on log-normal rates with log-sd 1.2
    every model-free method's measured coverage is outside the spec somewhere (n = 30 or n >= 100), and
    clearly (by more than 3 combined MC standard errors) below the default's at n = 30 or 100."""
    cells = stored[(stored["scenario"] == "lognormal") & (stored["sigma"] == 1.2)]
    key = ["n", "level"]
    for statistic, free in (("mean", NONPARAMETRIC_MEAN), ("pooled", NONPARAMETRIC_POOLED)):
        default = cells[(cells["statistic"] == statistic) & (cells["method"] == "auto")].set_index(key)
        for method in free:
            rows = cells[(cells["statistic"] == statistic) & (cells["method"] == method)]
            assert _spec_violation(rows).max() > 0, (statistic, method)
            small = rows[rows["n"].isin([30, 100])].set_index(key)
            lead = default["coverage"] - small["coverage"]
            assert (lead / np.hypot(default["mc_se"], small["mc_se"])).dropna().max() > 3, (statistic, method)


def test_stored_misspecified_data_show_where_the_lognormal_model_fails(stored):
    """On gamma rates and on the heavy-tailed mixture the log-normal interval misses badly at n >= 1000; the
    default, which checks the log rates for normality, recovers most of the coverage there."""
    rates = stored[stored["statistic"].isin(["mean", "pooled"]) & (stored["n"] >= 1_000)]
    key = ["statistic", "scenario", "n", "level"]
    for scenario in ("gamma", "mixture"):
        cells = rates[rates["scenario"] == scenario]
        model = cells[cells["method"] == "lognormal"].set_index(key)["coverage"]
        default = cells[cells["method"] == "auto"].set_index(key)["coverage"]
        assert (model.xs(1_000, level="n") < 0.8).all()
        assert (default - model > 0.1)[model < 0.8].all()
    gamma = rates[(rates["scenario"] == "gamma") & (rates["method"] == "auto")]
    assert ((gamma["coverage"] - gamma["level"]).abs() <= 0.02).all()
