"""Per-group sums in one vectorised pass, and the moment expansions built on them.

Every large-group interval in :mod:`analysis.mean_intervals` and
:mod:`analysis.pooled_intervals` is a function of a handful of per-group sums
(counts, means, central power sums), so one ``np.bincount`` per sum serves any
number of groups at once. Central sums are taken about each group's own mean
(two passes) so skewness stays accurate for values far from zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Moments:
    """Per-group weight totals, weighted means and central sums ``Σ w (x - mean)^k``.

    ``count`` is the number of rows of each group, ``total`` the sum of their
    weights (equal to ``count`` when unweighted), ``central[k]`` the central
    power sum of order ``k``.
    """

    count: FloatArray
    total: FloatArray
    mean: FloatArray
    central: dict[int, FloatArray]


def group_codes(codes: ArrayLike, n_groups: int, valid: NDArray[np.bool_]) -> NDArray[np.intp]:
    """``codes`` as bin positions, rows outside any group moved to an overflow bin ``n_groups``.

    A row is outside when ``valid`` is False for it or its code is negative
    (pandas' code for a missing category). Codes at or above ``n_groups`` raise
    ``ValueError``.
    """
    raw = np.asarray(codes)
    if raw.shape != valid.shape:
        raise ValueError(f"codes must have one entry per value: {raw.shape} codes for {valid.shape} values")
    if raw.size == 0:
        return np.zeros(0, dtype=np.intp)
    if not np.issubdtype(raw.dtype, np.integer):
        raise ValueError(f"codes must be integers, got dtype {raw.dtype}")
    low, high = int(raw.min()), int(raw.max())
    if high >= n_groups:
        raise ValueError(f"codes must lie below n_groups={n_groups}, found {high}")
    if low >= 0 and valid.all():  # the common case: skip building a masked copy
        return raw.astype(np.intp, copy=False)
    return np.where(valid & (raw >= 0), raw, n_groups).astype(np.intp, copy=False)


def has_negative(x: FloatArray, codes: NDArray[np.intp], n_groups: int) -> bool:
    """Whether any grouped row (code below ``n_groups``) holds a negative value."""
    negative = x < 0
    return bool(negative.any() and np.any(negative & (codes < n_groups)))


def group_sum(codes: NDArray[np.intp], n_groups: int, weights: FloatArray | None = None) -> FloatArray:
    """Sum of ``weights`` (or the row count) per group; the overflow bin is dropped."""
    sums: FloatArray = np.bincount(codes, weights, minlength=n_groups + 1)[:n_groups].astype(np.float64)
    return sums


def centred_moments(
    x: FloatArray,
    codes: NDArray[np.intp],
    n_groups: int,
    powers: tuple[int, ...] = (2, 3),
    weights: FloatArray | None = None,
) -> Moments:
    """Weighted mean and central power sums of ``x`` per group (see :class:`Moments`)."""
    count = group_sum(codes, n_groups)
    total = count if weights is None else group_sum(codes, n_groups, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        wx = x if weights is None else weights * x
        mean = group_sum(codes, n_groups, wx) / total
    deviation = x - np.append(np.nan_to_num(mean), 0.0)[codes]
    power = deviation.copy()
    central: dict[int, FloatArray] = {}
    for k in range(2, max(powers, default=1) + 1):
        power *= deviation
        if k in powers:
            central[k] = group_sum(codes, n_groups, power if weights is None else weights * power)
    return Moments(count, total, mean, central)


def skewness(moments: Moments) -> FloatArray:
    """Plug-in skewness ``m3 / m2^1.5`` per group (0 for a group without spread)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        m2, m3 = moments.central[2] / moments.total, moments.central[3] / moments.total
        skew: FloatArray = np.where(m2 > 0, m3 / np.sqrt(m2) ** 3, 0.0)
    return skew


def hall_quantile(z: float | FloatArray, skew: FloatArray, n: FloatArray) -> FloatArray:
    """Quantile of a studentized mean from Hall's (1992) skewness-removing transformation.

    With ``a = skew / (3 sqrt(n))`` and ``b = skew / (6 sqrt(n))``, Hall's
    ``g(t) = t + a t^2 + a^2 t^3 / 3 + b`` is increasing and makes the
    studentized mean nearly standard normal, so its ``p`` quantile is
    ``g^-1(z_p) = ((1 + 3 a (z_p - b))^(1/3) - 1) / a``. To first order this
    is the Cornish-Fisher quantile ``z - skew (2 z^2 + 1) / (6 sqrt(n))`` of
    the studentized bootstrap, without its non-monotone tails.
    """
    root_n = np.sqrt(n)
    a, b = skew / (3 * root_n), skew / (6 * root_n)
    tiny = np.abs(a) < 1e-12
    safe_a = np.where(tiny, 1.0, a)
    with np.errstate(invalid="ignore", divide="ignore"):
        inverse = (np.cbrt(1 + 3 * safe_a * (z - b)) - 1) / safe_a
    quantile: FloatArray = np.where(tiny, z - b, inverse)
    return quantile


def cornish_fisher(z: FloatArray, skew: FloatArray, excess: FloatArray) -> FloatArray:
    """Standardised ``p`` quantile (``z = z_p``) of a distribution with this skewness and excess kurtosis."""
    w: FloatArray = (
        z
        + skew / 6 * (z**2 - 1)
        + excess / 24 * (z**3 - 3 * z)
        - skew**2 / 36 * (2 * z**3 - 5 * z)
    )
    return w
