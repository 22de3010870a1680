"""Every statistic of every group in one vectorised pass: the engine behind the tier and bin tables.

Groups are integer codes ``0 .. n_groups - 1``. Counts and sums come from
``np.bincount``; medians and their order-statistic intervals from one stable
sort of the codes and an ``np.partition`` per group (only the few ranks
needed, not a full sort); mean and pooled intervals from the grouped
interval functions, which use per-group sums and resample only small groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.interval_core import MIN_N, GroupSeeds
from analysis.intervals import median_ci_ranks
from analysis.mean_intervals import DEFAULT_MEAN_METHOD, grouped_mean_ci
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD, grouped_pooled_ci

FloatArray = NDArray[np.float64]

STAT_COLUMNS = [
    "n_creators", "n", "median_er", "median_ci_low", "median_ci_high",
    "mean_er", "mean_ci_low", "mean_ci_high", "pooled_er", "pooled_ci_low", "pooled_ci_high", "note",
]


def grouped_medians(values: FloatArray, codes: NDArray[np.intp], n_groups: int,
                    level: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Median and order-statistic interval per group; NaN for too few.

    ``codes[i] < 0`` leaves ``values[i]`` out (the caller marks missing values so).
    """
    small = codes.astype(np.int16) if n_groups < 2**15 else codes  # 16-bit keys sort by radix, in linear time
    order = np.argsort(small, kind="stable")
    counts = np.bincount(codes[codes >= 0], minlength=n_groups)
    ends = np.cumsum(counts) + int(np.count_nonzero(codes < 0))  # the left-out rows sort first
    low_rank, high_rank = median_ci_ranks(counts, level)
    median, low, high = (np.full(n_groups, np.nan) for _ in range(3))
    for group in np.flatnonzero(counts):
        n = int(counts[group])
        members = values[order[ends[group] - n : ends[group]]]
        middle = [(n - 1) // 2, n // 2]
        ranks = [*middle, *([int(low_rank[group]) - 1, int(high_rank[group]) - 1] if low_rank[group] else [])]
        part = np.partition(members, sorted(set(ranks)))
        median[group] = (part[middle[0]] + part[middle[1]]) / 2
        if low_rank[group]:
            low[group], high[group] = part[ranks[2]], part[ranks[3]]
    return median, low, high


def group_statistics(er: FloatArray, engagements: FloatArray, followers: FloatArray, codes: NDArray[np.intp],
                     n_groups: int, level: float, seeds: GroupSeeds, mean_method: str = DEFAULT_MEAN_METHOD,
                     pooled_method: str = DEFAULT_POOLED_METHOD) -> pd.DataFrame:
    """:data:`STAT_COLUMNS` for each group, one row per code (creators with ``codes < 0`` are ignored)."""
    n_creators = _sums(codes + 1, n_groups)
    with_er = np.where(np.isfinite(er), codes, -1)  # one code array instead of masked copies of every column
    shifted = with_er + 1
    n = _sums(shifted, n_groups)
    median, median_low, median_high = grouped_medians(er, with_er, n_groups, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = _sums(shifted, n_groups, er) / n
        pooled = _sums(shifted, n_groups, engagements) / _sums(shifted, n_groups, followers)
    mean_low, mean_high = grouped_mean_ci(er, with_er, n_groups, level, mean_method, seeds=seeds)
    pooled_low, pooled_high = grouped_pooled_ci(engagements, followers, with_er, n_groups, level, pooled_method,
                                                seeds=seeds)
    return pd.DataFrame({
        "n_creators": n_creators.astype(np.int64), "n": n.astype(np.int64), "median_er": median,
        "median_ci_low": median_low, "median_ci_high": median_high,
        "mean_er": mean, "mean_ci_low": mean_low, "mean_ci_high": mean_high,
        "pooled_er": pooled, "pooled_ci_low": pooled_low, "pooled_ci_high": pooled_high,
        "note": [_note(int(c), int(k), bool(np.isnan(lo))) for c, k, lo in zip(n_creators, n, median_low,
                                                                                 strict=True)],
    })


def _sums(shifted: NDArray[np.intp], n_groups: int, weights: FloatArray | None = None) -> FloatArray:
    """Per-group counts or sums from codes + 1: rows without a group land in bin 0, dropped (NaN weights too)."""
    sums: FloatArray = np.bincount(shifted, weights, minlength=n_groups + 1)[1:].astype(np.float64)
    return sums


def _note(n_creators: int, n: int, no_median_interval: bool) -> str:
    if n_creators == 0:
        return "no creators"
    if n == 0:
        return "no engagement rate"
    notes = ["too few for a median interval"] if no_median_interval else []
    if n < MIN_N:
        notes.append(f"too few for mean and pooled intervals (needs {MIN_N})")
    return "; ".join(notes)
