"""Confidence intervals for the median, mean and pooled engagement rate.

Median: distribution-free interval between two order statistics, exact
from the binomial distribution (no resampling, conservative by construction).
Mean and pooled rate: :func:`mean_ci` / :func:`pooled_ci` for one group and
:func:`grouped_mean_ci` / :func:`grouped_pooled_ci` for many groups at once
(methods and defaults in :mod:`analysis.mean_intervals` and
:mod:`analysis.pooled_intervals`; their measured coverage in
:mod:`analysis.coverage`). :func:`bootstrap_mean_ci` is the earlier
percentile bootstrap, kept for existing callers. Small groups get ``None``
("too few") instead of an invented interval.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.interval_core import LEVELS, MIN_N, Interval, check_level
from analysis.interval_core import finite as _finite
from analysis.mean_intervals import DEFAULT_MEAN_METHOD, MEAN_METHODS, grouped_mean_ci, mean_ci
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD, POOLED_METHODS, grouped_pooled_ci, pooled_ci

__all__ = [
    "DEFAULT_MEAN_METHOD",
    "DEFAULT_POOLED_METHOD",
    "LEVELS",
    "MEAN_METHODS",
    "MIN_N_MEAN",
    "POOLED_METHODS",
    "Interval",
    "bootstrap_mean_ci",
    "check_level",
    "grouped_mean_ci",
    "grouped_pooled_ci",
    "mean_ci",
    "median_ci",
    "median_ci_ranks",
    "pooled_ci",
    "pooled_rate",
]

#: Below this many creators no mean (or pooled) interval is reported.
MIN_N_MEAN = MIN_N
#: Default number of bootstrap resamples of :func:`bootstrap_mean_ci`.
N_RESAMPLES = 2_000
#: Above this group size the bootstrap distribution of the mean is taken from
#: its Cornish-Fisher expansion instead of resampling (see ``bootstrap_mean_ci``).
RESAMPLE_LIMIT = 20_000
#: Resampled values held in memory at once (bounds peak memory to ~32 MB).
_CHUNK_CELLS = 4_000_000


def median_ci_ranks(n: ArrayLike, level: float) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """1-based ranks ``(l, u)`` of the order statistics that bound the median.

    ``[x_(l), x_(u)]`` with ``u = n - l + 1`` covers the population median with
    probability ``1 - 2 * F(l - 1)``, ``F`` the Binomial(n, 1/2) CDF; ``l`` is
    the largest rank keeping that at or above ``level``. ``l == 0`` means no
    pair of order statistics reaches the level: too few observations.
    """
    alpha = 1 - check_level(level)
    n_arr = np.asarray(n, dtype="int64")
    k = stats.binom.ppf(alpha / 2, n_arr, 0.5).astype("int64")
    # ppf gives the smallest k with F(k) >= alpha/2, so F(k-1) < alpha/2; when
    # F(k) hits alpha/2 exactly, rank k+1 still keeps the coverage.
    exact = 2 * stats.binom.cdf(k, n_arr, 0.5) <= alpha
    low = np.where(n_arr > 0, k + exact.astype("int64"), 0)
    return low, np.where(low > 0, n_arr - low + 1, 0)


def median_ci(values: ArrayLike, level: float = 0.95) -> Interval | None:
    """Order-statistic interval for the median of ``values`` (NaNs ignored)."""
    x = np.sort(_finite(values))
    low, high = median_ci_ranks(x.size, level)
    if int(low) < 1:
        return None
    return Interval(float(x[int(low) - 1]), float(x[int(high) - 1]), level)


def bootstrap_mean_ci(
    values: ArrayLike,
    level: float = 0.95,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int | list[int] = 0,
) -> Interval | None:
    """Percentile-bootstrap interval for the mean of ``values`` (NaNs ignored).

    Up to ``RESAMPLE_LIMIT`` values the data are resampled ``n_resamples`` times
    with a generator seeded by ``seed``. Larger groups use the second-order
    Cornish-Fisher expansion of the same bootstrap distribution (mean, variance
    and skewness of the resampled mean are known exactly from the data), which
    at that size is closer to the infinite-resample answer than Monte-Carlo
    resampling itself.
    """
    x = _finite(values)
    check_level(level)
    if x.size < MIN_N_MEAN:
        return None
    alpha = 1 - level
    if x.size > RESAMPLE_LIMIT:
        low, high = _cornish_fisher_quantiles(x, (alpha / 2, 1 - alpha / 2))
    else:
        means = _resampled_means(x, n_resamples, np.random.default_rng(seed))
        low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return Interval(float(low), float(high), level)


def _resampled_means(x: NDArray[np.float64], n_resamples: int, rng: np.random.Generator) -> NDArray[np.float64]:
    rows = max(1, _CHUNK_CELLS // x.size)
    out = np.empty(n_resamples)
    for start in range(0, n_resamples, rows):
        stop = min(start + rows, n_resamples)
        idx = rng.integers(0, x.size, size=(stop - start, x.size))
        out[start:stop] = x[idx].mean(axis=1)
    return out


def _cornish_fisher_quantiles(x: NDArray[np.float64], probs: tuple[float, ...]) -> NDArray[np.float64]:
    n = x.size
    centred = x - x.mean()
    m2 = float(np.mean(centred**2))
    if m2 == 0:
        return np.full(len(probs), x.mean())
    # Skewness of the resampled mean is the data's plug-in skewness / sqrt(n).
    skew = float(np.mean(centred**3)) / m2**1.5 / np.sqrt(n)
    z = np.asarray(stats.norm.ppf(probs), dtype="float64")
    quantiles = float(x.mean()) + np.sqrt(m2 / n) * (z + skew / 6 * (z**2 - 1))
    return np.asarray(quantiles, dtype=np.float64)


def pooled_rate(engagements: ArrayLike, followers: ArrayLike) -> float | None:
    """Σ engagements ÷ Σ followers over creators with both values, or None if empty."""
    num = np.asarray(engagements, dtype="float64")
    den = np.asarray(followers, dtype="float64")
    ok = np.isfinite(num) & np.isfinite(den)
    total = den[ok].sum()
    return float(num[ok].sum() / total) if total > 0 else None
