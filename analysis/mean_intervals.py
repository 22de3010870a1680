"""Confidence intervals for the mean engagement rate of many groups at once.

Methods (``MEAN_METHODS``):

``"auto"`` (default)
    ``"lognormal"`` for groups below :data:`AUTO_SWITCH` values whose log
    values look normal, ``"bootstrap-t"`` for all others (see
    :mod:`analysis.auto_method` for the rule and why).
``"lognormal"``
    delta-lognormal (Cox) interval, see :mod:`analysis.lognormal_intervals`.
``"bootstrap-t"``
    studentized bootstrap: up to :data:`RESAMPLE_UP_TO` values it resamples
    (seeded, vectorised); above, Hall's transformation of the t statistic gives
    the same quantiles analytically (:func:`analysis.group_sums.hall_quantile`).
``"bca"``
    bias-corrected and accelerated bootstrap; the jackknife acceleration of the
    mean is ``Σd³ / (6 (Σd²)^1.5)`` with ``d = x - mean``. Above
    :data:`RESAMPLE_UP_TO` values: ``z0`` and ``a`` from the moments and the
    bootstrap quantiles from the Cornish-Fisher expansion.
``"t"``
    Student-t interval ``mean ± t_{n-1} s / sqrt(n)``.

Groups with fewer than :data:`MIN_N` values get NaN bounds ("too few").
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from scipy.special import ndtri

from analysis.auto_method import AUTO_SWITCH, model_groups
from analysis.group_sums import (
    FloatArray,
    Moments,
    centred_moments,
    cornish_fisher,
    group_codes,
    group_sum,
    hall_quantile,
    has_negative,
)
from analysis.group_sums import skewness as plug_in_skewness
from analysis.interval_core import MIN_N, GroupSeed, GroupSeeds, Interval, check_level, check_method, interval_or_none
from analysis.lognormal_intervals import lognormal_bounds
from analysis.resampling import (
    bca_probabilities,
    bias_correction,
    fill_small_groups,
    resampled_sums,
    studentized_quantiles,
    without_spread,
)

__all__ = ["AUTO_SWITCH", "DEFAULT_MEAN_METHOD", "MEAN_METHODS", "RESAMPLE_UP_TO", "grouped_mean_ci", "mean_ci"]

MEAN_METHODS: tuple[str, ...] = ("auto", "lognormal", "bootstrap-t", "bca", "t")
DEFAULT_MEAN_METHOD = "auto"
#: Groups up to this size are resampled by ``"bootstrap-t"`` and ``"bca"``; larger ones use expansions.
RESAMPLE_UP_TO = 500
#: Bootstrap resamples per group.
N_RESAMPLES = 2_000

Bounds = tuple[FloatArray, FloatArray]


def grouped_mean_ci(
    values: ArrayLike,
    codes: ArrayLike,
    n_groups: int,
    level: float = 0.95,
    method: str = DEFAULT_MEAN_METHOD,
    *,
    seeds: GroupSeeds = 0,
    n_resamples: int = N_RESAMPLES,
) -> Bounds:
    """Interval for the mean of ``values`` in each group ``0 .. n_groups - 1``.

    ``codes[i]`` is the group of ``values[i]`` (negative: no group). NaN and
    infinite values are ignored. Returns ``(low, high)``, two float arrays of
    length ``n_groups``; NaN marks a group with too few values. ``seeds``
    seeds the resampling: one integer for all groups (group ``g`` then uses
    ``[seeds, g]``) or one seed per group.
    """
    check_level(level)
    check_method(method, MEAN_METHODS, "mean")
    x = np.asarray(values, dtype=np.float64).ravel()
    grouped = group_codes(np.ravel(codes), n_groups, np.isfinite(x))
    if method in ("lognormal", "auto") and has_negative(x, grouped, n_groups):
        raise ValueError(f"the {method!r} mean interval needs non-negative values; use 'bootstrap-t' or 't'")
    if method == "lognormal":
        low, high = lognormal_bounds(x, None, grouped, n_groups, level)
        count = group_sum(grouped, n_groups)
    else:
        low, high, count = _moment_bounds(x, grouped, n_groups, level, method, seeds, n_resamples)
    too_few = count < MIN_N
    return np.where(too_few, np.nan, low), np.where(too_few, np.nan, high)


def mean_ci(
    values: ArrayLike,
    level: float = 0.95,
    method: str = DEFAULT_MEAN_METHOD,
    *,
    seed: GroupSeed = 0,
    n_resamples: int = N_RESAMPLES,
) -> Interval | None:
    """Interval for the mean of ``values`` (NaNs ignored), or None below :data:`MIN_N` values.

    The single-group case of :func:`grouped_mean_ci`, with ``seed`` that group's seed.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    low, high = grouped_mean_ci(x, np.zeros(x.size, dtype=np.intp), 1, level, method,
                                seeds=[seed], n_resamples=n_resamples)
    return interval_or_none(low, high, level)


def _moment_bounds(
    x: FloatArray, codes: NDArray[np.intp], n_groups: int, level: float, method: str,
    seeds: GroupSeeds, n_resamples: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    moments = centred_moments(x, codes, n_groups, (2, 3, 4) if method == "bca" else (2, 3))
    count, model = moments.count, np.zeros(n_groups, dtype=bool)
    if method == "auto":
        method, model = "bootstrap-t", model_groups(x, None, codes, count)
    low, high = _ANALYTIC[method](moments, level)
    if model.any():
        rows = np.flatnonzero(np.append(model, False)[codes])
        fitted = lognormal_bounds(x[rows], None, codes[rows], n_groups, level)
        low, high = np.where(model, fitted[0], low), np.where(model, fitted[1], high)
    if method in _RESAMPLED:
        resample = ~model & (count >= MIN_N) & (count <= RESAMPLE_UP_TO)
        one_group = _RESAMPLED[method]

        def bounds(rows: NDArray[np.intp], rng: np.random.Generator) -> tuple[float, float]:
            return one_group(np.sort(x[rows]), level, n_resamples, rng)

        fill_small_groups(codes, resample, seeds, bounds, (low, high))
    return low, high, count


def _t_bounds(m: Moments, level: float) -> Bounds:
    n = m.count
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(m.central[2] / (n - 1) / n)
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * se
    return m.mean - half, m.mean + half


def _studentized_bounds(m: Moments, level: float) -> Bounds:
    n, z = m.count, float(ndtri(0.5 + level / 2))
    skew = plug_in_skewness(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(m.central[2] / (n - 1) / n)
        return m.mean - se * hall_quantile(z, skew, n), m.mean - se * hall_quantile(-z, skew, n)


def _bca_bounds(m: Moments, level: float) -> Bounds:
    n = m.count
    with np.errstate(invalid="ignore", divide="ignore"):
        m2 = m.central[2] / n
        skew = plug_in_skewness(m) / np.sqrt(n)  # skewness of the resampled mean
        excess = np.where(m2 > 0, (m.central[4] / n / m2**2 - 3) / n, 0.0)
        # Edgeworth: P*(mean* < mean) = 1/2 + φ(0) skew / 6; a = Σd³ / (6 (Σd²)^1.5) = skew / 6.
        z0 = ndtri(0.5 + skew / (6 * np.sqrt(2 * np.pi)))
        probabilities = bca_probabilities(z0, skew / 6, level)
        spread = np.sqrt(m2 / n)[:, None] * cornish_fisher(ndtri(probabilities), skew[:, None], excess[:, None])
    return m.mean + spread[:, 0], m.mean + spread[:, 1]


def _resampled_bca(x: FloatArray, level: float, n_resamples: int, rng: np.random.Generator) -> tuple[float, float]:
    mean = float(x.mean())
    d = x - mean
    squares = float(d @ d)
    if without_spread(d, mean):
        return mean, mean
    shifts = resampled_sums(d[:, None], n_resamples, rng)[:, 0] / x.size
    z0 = bias_correction(float(np.mean(shifts < 0)), n_resamples)
    probabilities = bca_probabilities(z0, float(np.sum(d**3)) / (6 * squares**1.5), level)
    low, high = np.quantile(shifts, probabilities)
    return mean + float(low), mean + float(high)


def _resampled_t(x: FloatArray, level: float, n_resamples: int, rng: np.random.Generator) -> tuple[float, float]:
    n, mean = x.size, float(x.mean())
    d = x - mean
    if without_spread(d, mean):
        return mean, mean
    sums = resampled_sums(np.column_stack([d, d * d]), n_resamples, rng)
    shifts = sums[:, 0] / n
    se_star = np.sqrt(np.maximum(sums[:, 1] - sums[:, 0] * shifts, 0) / (n - 1) / n)
    t_low, t_high = studentized_quantiles(shifts, se_star, level)
    se = float(np.sqrt(d @ d / (n - 1) / n))
    return mean - se * float(t_high), mean - se * float(t_low)


_ANALYTIC: dict[str, Callable[[Moments, float], Bounds]] = {
    "t": _t_bounds,
    "bootstrap-t": _studentized_bounds,
    "bca": _bca_bounds,
}
_RESAMPLED: dict[str, Callable[[FloatArray, float, int, np.random.Generator], tuple[float, float]]] = {
    "bootstrap-t": _resampled_t,
    "bca": _resampled_bca,
}
