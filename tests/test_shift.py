"""Hodges–Lehmann shift against brute force, scipy and simulations with known truth."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from analysis.shift import _row_cuts, _select, hodges_lehmann


def _moses_k(a: np.ndarray, b: np.ndarray, level: float) -> int:
    """Moses' rank from the normal approximation, written out from the textbook formula."""
    m, n = a.size, b.size
    ties = sum(t**3 - t for x in (a, b) for t in np.unique(x, return_counts=True)[1].astype(float))
    var = m * n / 12 * (m + n + 1 - ties / ((m + n) * (m + n - 1)))
    z = float(stats.norm.ppf((1 + level) / 2))
    return math.ceil(m * n / 2 - z * math.sqrt(var) - 0.5)


@pytest.mark.parametrize(("n_a", "n_b", "decimals", "zeros"), [
    (7, 5, None, 0), (5, 8, 1, 0), (600, 500, None, 0), (1_500, 1_000, 2, 0), (900, 1_400, 1, 0),
    (2_000, 800, 0, 0), (40, 9_000, None, 0), (1_000, 1_300, None, 600),
])
def test_hodges_lehmann_equals_brute_force_bit_for_bit(rng, n_a, n_b, decimals, zeros):
    a, b = rng.lognormal(0, 0.8, n_a), rng.lognormal(-0.2, 0.8, n_b)
    if decimals is not None:  # heavy ties, within and across groups
        a, b = np.round(a, decimals), np.round(b, decimals)
    a[:zeros], b[: zeros // 2] = 0.0, 0.0  # zero-ER creators: big tied blocks that widen the interval's ranks
    diffs = np.sort(np.subtract.outer(b, a).ravel())
    shift = hodges_lehmann(a, b, 0.95)
    k = _moses_k(a, b, 0.95)
    assert shift.estimate == np.median(diffs)
    assert (shift.low, shift.high) == (diffs[k - 1], diffs[diffs.size - k])


def test_pair_counts_are_exact_on_rounded_differences(rng):
    # Tenths are not exact in binary, so value − row and row + col can round differently.
    a, b = np.sort(np.round(rng.uniform(0, 3, 400), 1)), np.sort(np.round(rng.uniform(0, 3, 300), 1))
    diffs = np.subtract.outer(b, a)
    rows, cols = -a, b
    for value in rng.choice(diffs.ravel(), 200):
        assert _row_cuts(rows, cols, value, strict=True).sum() == (diffs < value).sum()
        assert _row_cuts(rows, cols, value, strict=False).sum() == (diffs <= value).sum()


def test_pair_selection_finds_any_rank_exactly(rng):
    a, b = np.sort(np.round(rng.lognormal(0, 1, 1_200), 2)), np.sort(rng.lognormal(0, 1, 700))
    diffs = np.sort(np.subtract.outer(b, a).ravel())
    sel_rng = np.random.default_rng(3)
    for k in (1, 2, 1_000, diffs.size // 3, diffs.size // 2 + 1, diffs.size - 1, diffs.size):
        assert _select(b, -a[::-1], k, sel_rng) == diffs[k - 1]
        assert _select(-a, b, k, sel_rng) == diffs[k - 1]


def test_all_tied_groups_give_zero_shift():
    shift = hodges_lehmann(np.zeros(700), np.zeros(600))
    assert (shift.estimate, shift.low, shift.high) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("level", [0.90, 0.95])
def test_moses_interval_is_the_set_of_shifts_mann_whitney_accepts(rng, level):
    # Whole numbers: ties within and across groups, and differences free of rounding.
    a, b = np.round(10 * rng.lognormal(0, 0.7, 9)), np.round(10 * rng.lognormal(0.3, 0.7, 12))
    values = np.unique(np.subtract.outer(b, a))
    gaps = np.r_[values[0] - 1, (values[1:] + values[:-1]) / 2, values[-1] + 1]
    accepted = [stats.mannwhitneyu(b - d, a, method="asymptotic").pvalue >= 1 - level for d in gaps]
    first, last = accepted.index(True), len(accepted) - 1 - accepted[::-1].index(True)
    assert all(accepted[first:last + 1])  # one interval
    shift = hodges_lehmann(a, b, level)
    assert (shift.low, shift.high) == (values[first - 1], values[last])


def test_hodges_lehmann_large_sample_matches_asymptotic_theory(rng):
    # b is a shifted copy of a's distribution, so the true shift is delta; Var(HL) ≈ (1/m + 1/n) / (12 (∫f²)²).
    sigma, delta, m, n = 0.8, 0.25, 200_000, 20_000
    a, b = rng.lognormal(0, sigma, m), rng.lognormal(0, sigma, n) + delta
    shift = hodges_lehmann(a, b, 0.95)
    density_sq, _ = integrate.quad(lambda x: stats.lognorm.pdf(x, sigma) ** 2, 0, np.inf)
    half_width = 1.96 * math.sqrt((1 / m + 1 / n) / 12) / density_sq
    assert shift.low < delta < shift.high
    assert (shift.high - shift.low) / 2 == pytest.approx(half_width, rel=0.05)


def test_hodges_lehmann_interval_covers_true_shift_at_nominal_rate():
    rng = np.random.default_rng(11)
    reps, delta = 400, 0.3
    hits = 0
    for _ in range(reps):
        shift = hodges_lehmann(rng.lognormal(0, 0.8, 25), rng.lognormal(0, 0.8, 35) + delta, 0.95)
        hits += shift.low <= delta <= shift.high
    mc_error = math.sqrt(0.95 * 0.05 / reps)
    assert 0.95 - 3 * mc_error <= hits / reps <= 0.95 + 3 * mc_error


def test_too_few_for_a_moses_interval_gives_nan_bounds():
    shift = hodges_lehmann([1.0, 2.0], [3.0], 0.95)
    assert shift.estimate == 1.5 and math.isnan(shift.low) and math.isnan(shift.high)
