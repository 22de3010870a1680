"""Confidence intervals for the pooled engagement rate ``Σ engagements ÷ Σ followers`` of many groups.

Creators are the sampling unit. The ratio ``R = ΣE / ΣF`` behaves like the
mean of its influence values ``z_i = (E_i - R F_i) / mean(F)``, so its
standard error is ``sqrt(Σ z_i² / (n (n - 1)))``. Methods (``POOLED_METHODS``):

``"auto"`` (default)
    ``"lognormal"`` for groups below ``AUTO_SWITCH`` creators whose log
    rates look normal, ``"bootstrap-t"`` for all others (see :mod:`analysis.auto_method`).
``"lognormal"``
    follower-weighted delta-lognormal interval (:mod:`analysis.lognormal_intervals`),
    a model in which each creator's rate is log-normal and independent of followers.
``"bootstrap-t"``
    studentized bootstrap over creators: resampled (seeded, vectorised) up to
    :data:`RESAMPLE_UP_TO` creators, ``"skew"`` above.
``"skew"``
    Hall's skewness-removing transformation of the studentized ratio with the
    skewness of the influence values (the analytic form of the bootstrap-t).
``"delta"``
    ``R ± z se``.
``"log-delta"``
    ``R exp(± z se / R)``.

Groups with fewer than :data:`MIN_N` creators get NaN bounds ("too few").
Creators without a finite engagement count or a positive follower count are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

from analysis.auto_method import model_groups
from analysis.group_sums import FloatArray, group_codes, group_sum, hall_quantile, has_negative
from analysis.interval_core import MIN_N, GroupSeed, GroupSeeds, Interval, check_level, check_method, interval_or_none
from analysis.lognormal_intervals import lognormal_bounds
from analysis.mean_intervals import N_RESAMPLES, RESAMPLE_UP_TO
from analysis.resampling import (
    canonical_order,
    fill_small_groups,
    resampled_sums,
    studentized_quantiles,
    without_spread,
)

POOLED_METHODS: tuple[str, ...] = ("auto", "lognormal", "bootstrap-t", "skew", "delta", "log-delta")
DEFAULT_POOLED_METHOD = "auto"

Bounds = tuple[FloatArray, FloatArray]


@dataclass(frozen=True)
class RatioSums:
    """Per-group count, ratio ``ΣE/ΣF``, its standard error and the skewness of its influence values."""

    count: FloatArray
    ratio: FloatArray
    se: FloatArray
    skew: FloatArray


def grouped_pooled_ci(
    engagements: ArrayLike,
    followers: ArrayLike,
    codes: ArrayLike,
    n_groups: int,
    level: float = 0.95,
    method: str = DEFAULT_POOLED_METHOD,
    *,
    seeds: GroupSeeds = 0,
    n_resamples: int = N_RESAMPLES,
) -> Bounds:
    """Interval for ``Σ engagements ÷ Σ followers`` in each group ``0 .. n_groups - 1``.

    ``codes[i]`` is creator ``i``'s group (negative: no group). Returns
    ``(low, high)`` float arrays of length ``n_groups``; NaN marks too few
    creators. ``seeds`` works as in :func:`analysis.mean_intervals.grouped_mean_ci`.
    """
    check_level(level)
    check_method(method, POOLED_METHODS, "pooled")
    e = np.asarray(engagements, dtype=np.float64).ravel()
    f = np.asarray(followers, dtype=np.float64).ravel()
    if e.shape != f.shape:
        raise ValueError(f"engagements and followers differ in length: {e.size} and {f.size}")
    grouped = group_codes(np.ravel(codes), n_groups, np.isfinite(e) & np.isfinite(f) & (f > 0))
    if method in ("lognormal", "auto") and has_negative(e, grouped, n_groups):
        raise ValueError(f"the {method!r} pooled interval needs non-negative engagements; use 'bootstrap-t'")
    if method == "lognormal":
        rates = np.divide(e, f, out=np.zeros_like(e), where=f > 0)
        low, high = lognormal_bounds(rates, f, grouped, n_groups, level)
        count = group_sum(grouped, n_groups)
    else:
        low, high, count = _influence_bounds(e, f, grouped, n_groups, level, method, seeds, n_resamples)
    too_few = count < MIN_N
    return np.where(too_few, np.nan, low), np.where(too_few, np.nan, high)


def pooled_ci(
    engagements: ArrayLike,
    followers: ArrayLike,
    level: float = 0.95,
    method: str = DEFAULT_POOLED_METHOD,
    *,
    seed: GroupSeed = 0,
    n_resamples: int = N_RESAMPLES,
) -> Interval | None:
    """Interval for ``Σ engagements ÷ Σ followers``, or None below :data:`MIN_N` usable creators.

    The single-group case of :func:`grouped_pooled_ci`, with ``seed`` that group's seed.
    """
    e = np.asarray(engagements, dtype=np.float64).ravel()
    low, high = grouped_pooled_ci(e, followers, np.zeros(e.size, dtype=np.intp), 1, level, method,
                                  seeds=[seed], n_resamples=n_resamples)
    return interval_or_none(low, high, level)


def ratio_sums(e: FloatArray, f: FloatArray, codes: NDArray[np.intp], n_groups: int) -> RatioSums:
    """:class:`RatioSums` per group from two passes of ``np.bincount`` (``codes`` as from ``group_codes``)."""
    count = group_sum(codes, n_groups)
    total_f = group_sum(codes, n_groups, f)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = group_sum(codes, n_groups, e) / total_f
        residual = e - np.append(np.nan_to_num(ratio), 0.0)[codes] * f
        squares = residual * residual
        s2 = group_sum(codes, n_groups, squares)
        s3 = group_sum(codes, n_groups, squares * residual)
        se = np.sqrt(s2 / (count * (count - 1))) / (total_f / count)
        skew = np.where(s2 > 0, (s3 / count) / np.sqrt(s2 / count) ** 3, 0.0)
    return RatioSums(count, ratio, se, skew)


def _influence_bounds(
    e: FloatArray, f: FloatArray, codes: NDArray[np.intp], n_groups: int, level: float, method: str,
    seeds: GroupSeeds, n_resamples: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    sums = ratio_sums(e, f, codes, n_groups)
    (low, high), count = _ratio_bounds(sums, level, method), sums.count
    model = model_groups(e, f, codes, count) if method == "auto" else np.zeros(n_groups, dtype=bool)
    if model.any():
        rows = np.flatnonzero(np.append(model, False)[codes])
        fitted = lognormal_bounds(e[rows] / f[rows], f[rows], codes[rows], n_groups, level)
        low, high = np.where(model, fitted[0], low), np.where(model, fitted[1], high)
    if method in ("auto", "bootstrap-t"):
        resample = ~model & (count >= MIN_N) & (count <= RESAMPLE_UP_TO)

        def bounds(rows: NDArray[np.intp], rng: np.random.Generator) -> tuple[float, float]:
            order = canonical_order(e[rows], f[rows])
            return _resampled_t(e[rows][order], f[rows][order], level, n_resamples, rng)

        fill_small_groups(codes, resample, seeds, bounds, (low, high))
    return low, high, count


def _ratio_bounds(sums: RatioSums, level: float, method: str) -> Bounds:
    z = float(ndtri(0.5 + level / 2))
    r, se = sums.ratio, sums.se
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "delta":
            return r - z * se, r + z * se
        if method == "log-delta":
            return r * np.exp(-z * se / r), r * np.exp(z * se / r)
        return r - se * hall_quantile(z, sums.skew, sums.count), r - se * hall_quantile(-z, sums.skew, sums.count)


def _resampled_t(e: FloatArray, f: FloatArray, level: float, n_resamples: int,
                 rng: np.random.Generator) -> tuple[float, float]:
    n, scale = e.size, float(f.mean())
    e, f = e / scale, f / scale  # mean(f) = 1: the influence values are the residuals
    ratio = float(e.sum() / f.sum())
    if without_spread(e - ratio * f, ratio):
        return ratio, ratio
    s = resampled_sums(np.column_stack([e, f, e * e, e * f, f * f]), n_resamples, rng)
    ratio_star = s[:, 0] / s[:, 1]
    squares = np.maximum(s[:, 2] - 2 * ratio_star * s[:, 3] + ratio_star**2 * s[:, 4], 0)
    se_star = np.sqrt(squares / (n * (n - 1))) / (s[:, 1] / n)
    t_low, t_high = studentized_quantiles(ratio_star - ratio, se_star, level)
    residual = e - ratio * f
    se = float(np.sqrt(residual @ residual / (n * (n - 1))))
    return ratio - se * float(t_high), ratio - se * float(t_low)
