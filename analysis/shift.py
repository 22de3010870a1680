"""Hodges–Lehmann shift between two groups, with Moses' distribution-free interval.

:func:`hodges_lehmann` gives the median of all pairwise differences
``b − a`` and the interval of shifts the Mann–Whitney test does not reject.
The differences are never listed: each order statistic is selected from the
implicit table of pairs, so large groups cost little memory and the result
still equals the brute-force one bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.interval_core import finite as _finite
from analysis.intervals import check_level

FloatArray = NDArray[np.float64]

# Pair selection (see hodges_lehmann): list the remaining pairs once this few are left;
# otherwise narrow them with two pivots taken from a random sample of this many pairs.
_ENUMERATE_LIMIT = 1 << 18
_PIVOT_SAMPLE = 1 << 14


@dataclass(frozen=True)
class Shift:
    """Hodges–Lehmann shift ``b − a`` and its interval at ``level`` (NaN bounds: too few)."""

    estimate: float
    low: float
    high: float
    level: float


def hodges_lehmann(a: ArrayLike, b: ArrayLike, level: float = 0.95) -> Shift:
    """Median of all ``n_a·n_b`` differences ``b_j − a_i``, with Moses' interval.

    The interval is ``[d_(k), d_(N−k+1)]`` over the sorted differences, with
    ``k = ceil(N/2 − z·σ − ½)`` and σ the Mann–Whitney null SD with tie
    correction: exactly the shifts the two-sided normal Mann–Whitney test
    (continuity-corrected) does not reject. NaN bounds when ``k < 1``.

    The pairs are never listed. Each order statistic is selected from the
    implicit table of differences (sorted rows): two pivots drawn from a
    random sample of the remaining pairs bracket the wanted rank, each pivot
    is ranked by one binary search per row of the smaller group, and once
    ≤ 2^18 pairs remain they are listed and partitioned. Every comparison is
    on the rounded differences themselves, so the result equals the
    brute-force median of ``numpy.subtract.outer(b, a)`` bit for bit; the
    random pivots change only the running time.
    """
    check_level(level)
    xa, xb = np.sort(_finite(a)), np.sort(_finite(b))
    n = xa.size * xb.size
    if n == 0:
        return Shift(math.nan, math.nan, math.nan, level)
    # Sums rows[j] + cols[i] are the differences b − a (negation is exact); rows = smaller group.
    rows, cols = (xb, -xa[::-1]) if xb.size <= xa.size else (-xa, xb)
    rng = np.random.default_rng(0)
    half = (n + 1) // 2
    middle = _select(rows, cols, half, rng)
    estimate = middle if n % 2 else (middle + _next_sum(rows, cols, middle, half + 1)) / 2
    k = _moses_rank(xa, xb, level)
    if k < 1:
        return Shift(estimate, math.nan, math.nan, level)
    return Shift(estimate, _select(rows, cols, k, rng), _select(rows, cols, n - k + 1, rng), level)


def _moses_rank(xa: FloatArray, xb: FloatArray, level: float) -> int:
    size = xa.size + xb.size
    if size < 2:
        return 0
    ties = _tie_term(xa) + _tie_term(xb)  # between differences a shift creates no ties across groups
    sigma = math.sqrt(xa.size * xb.size / 12 * ((size + 1) - ties / (size * (size - 1))))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return math.ceil(xa.size * xb.size / 2 - z * sigma - 0.5)


def _tie_term(x: FloatArray) -> float:
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    runs = np.diff(np.r_[starts, x.size]).astype("float64")
    return float(np.sum(runs**3 - runs))


def _select(rows: FloatArray, cols: FloatArray, k: int, rng: np.random.Generator) -> float:
    """The k-th smallest (1-based) of every ``rows[j] + cols[i]`` (``cols`` ascending)."""
    lo, hi = np.zeros(rows.size, dtype=np.int64), np.full(rows.size, cols.size, dtype=np.int64)
    while True:
        sizes = hi - lo
        left, total = int(lo.sum()), int(sizes.sum())
        if total <= _ENUMERATE_LIMIT:
            values = _sums_at(rows, cols, lo, sizes)
            return float(np.partition(values, k - left - 1)[k - left - 1])
        sample = np.sort(_sums_at(rows, cols, lo, sizes, rng.integers(0, total, _PIVOT_SAMPLE)))
        centre, spread = (k - left) / total * _PIVOT_SAMPLE, 2 * math.sqrt(_PIVOT_SAMPLE)
        p_low = sample[min(max(math.floor(centre - spread), 0), _PIVOT_SAMPLE - 1)]
        p_high = sample[min(max(math.ceil(centre + spread), 0), _PIVOT_SAMPLE - 1)]
        below, upto = _row_cuts(rows, cols, p_low, strict=True), _row_cuts(rows, cols, p_high, strict=False)
        if k <= below.sum():
            hi = np.minimum(hi, below)
        elif k > upto.sum():
            lo = np.maximum(lo, upto)
        elif p_low == p_high:
            return float(p_low)
        else:
            new_lo, hi = np.maximum(lo, below), np.minimum(hi, upto)
            if int((hi - new_lo).sum()) == total:  # no progress: a block of ties at p_low
                at_low = _row_cuts(rows, cols, p_low, strict=False)
                if k <= at_low.sum():
                    return float(p_low)
                new_lo = np.maximum(new_lo, at_low)
            lo = new_lo


def _next_sum(rows: FloatArray, cols: FloatArray, value: float, rank: int) -> float:
    """The rank-th smallest sum, given that ``value`` is the (rank − 1)-th."""
    cut = _row_cuts(rows, cols, value, strict=False)
    if cut.sum() >= rank:
        return value
    open_rows = cut < cols.size
    return float(np.min(rows[open_rows] + cols[cut[open_rows]]))


def _sums_at(rows: FloatArray, cols: FloatArray, lo: NDArray[np.int64], sizes: NDArray[np.int64],
             positions: NDArray[np.int64] | None = None) -> FloatArray:
    """Sums at flat ``positions`` (default: all) of the remaining pairs (row j: cols[lo_j : lo_j + size_j])."""
    ends = np.cumsum(sizes)
    if positions is None:
        positions = np.arange(ends[-1])
        row = np.repeat(np.arange(rows.size), sizes)
    else:
        row = np.searchsorted(ends, positions, side="right")
    return rows[row] + cols[lo[row] + positions - (ends[row] - sizes[row])]


def _row_cuts(rows: FloatArray, cols: FloatArray, value: float, strict: bool) -> NDArray[np.int64]:
    """Per row, how many sums are ``< value`` (strict) or ``<= value``."""
    below = np.less if strict else np.less_equal
    cut = np.searchsorted(cols, value - rows, side="left" if strict else "right").astype(np.int64)
    last = cols.size - 1
    while True:
        # value − rows is rounded: settle each cut on the sums themselves, stepping over tied runs.
        up = (cut <= last) & below(rows + cols[np.minimum(cut, last)], value)
        down = (cut > 0) & ~below(rows + cols[np.maximum(cut - 1, 0)], value)
        if not (up.any() or down.any()):
            return cut
        cut[up] = np.searchsorted(cols, cols[cut[up]], side="right")
        cut[down] = np.searchsorted(cols, cols[cut[down] - 1], side="left")
