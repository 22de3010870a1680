"""Seeded, vectorised bootstrap resampling of small groups, with bounded memory.

Each group draws from its own generator (see
:func:`analysis.interval_core.group_rng`), so a group's interval depends only
on its own values and seed: never on other groups, on how many groups there
are, or on the order of its rows (rows are put in a canonical order first).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from analysis.group_sums import FloatArray
from analysis.interval_core import GroupSeeds, group_rng

#: Resampled cells held in memory at once (about 32 MB per resampled column).
CHUNK_CELLS = 4_000_000

#: ``bounds(rows, rng) -> (low, high)`` for one group, given its row positions.
GroupBounds = Callable[[NDArray[np.intp], np.random.Generator], tuple[float, float]]


def resampled_sums(columns: FloatArray, n_resamples: int, rng: np.random.Generator) -> FloatArray:
    """Column sums of ``n_resamples`` with-replacement resamples of the rows of ``columns`` (n × k).

    Returns an ``n_resamples × k`` array (see :func:`draw_sums`).
    """
    rows = np.ascontiguousarray(columns.T)
    sums: FloatArray = draw_sums(rows, columns.shape[0], n_resamples, rng).T
    return sums


def draw_sums(values: FloatArray, k: int, n_resamples: int, rng: np.random.Generator) -> FloatArray:
    """Sums of ``k`` items drawn with replacement, the same draws for every row of ``values``.

    ``values`` has one row per quantity and one column per item; the result has
    one row per quantity and ``n_resamples`` columns. Draws are made in chunks
    of at most :data:`CHUNK_CELLS` indices, so memory stays bounded.
    """
    out = np.empty((values.shape[0], n_resamples))
    step = max(1, CHUNK_CELLS // max(k, 1))
    for start in range(0, n_resamples, step):
        stop = min(start + step, n_resamples)
        idx = rng.integers(0, values.shape[1], size=(stop - start, k))
        for row, series in enumerate(values):  # a 1-D gather per row: far faster than values[:, idx]
            out[row, start:stop] = series[idx].sum(axis=1)
    return out


def canonical_order(*keys: FloatArray) -> NDArray[np.intp]:
    """Row order sorting by the first key, then the next: makes resampling independent of row order."""
    order: NDArray[np.intp] = np.lexsort(keys[::-1])
    return order


def fill_small_groups(
    codes: NDArray[np.intp],
    selected: NDArray[np.bool_],
    seeds: GroupSeeds,
    bounds: GroupBounds,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """Write ``bounds(rows, rng)`` of every ``selected`` group into ``out = (low, high)``."""
    n_groups = selected.size
    if not selected.any():
        return
    rows = np.flatnonzero(np.append(selected, False)[codes])
    member_codes = codes[rows]
    rows = rows[np.argsort(member_codes, kind="stable")]
    splits = np.cumsum(np.bincount(member_codes, minlength=n_groups))
    for group in np.flatnonzero(selected):
        start = splits[group - 1] if group else 0
        low, high = bounds(rows[start : splits[group]], group_rng(seeds, int(group)))
        out[0][group], out[1][group] = low, high


def without_spread(deviations: FloatArray, centre: float) -> bool:
    """True when ``deviations`` from ``centre`` are only rounding noise (all values equal)."""
    return bool(np.max(np.abs(deviations), initial=0.0) <= 1e-12 * abs(centre))


def studentized_quantiles(diff: FloatArray, se: FloatArray, level: float) -> FloatArray:
    """``(α/2, 1 - α/2)`` quantiles of resampled ``diff / se`` (an all-equal resample counts as ±1e12)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(se > 0, diff / se, np.sign(diff) * 1e12)
    alpha = 1 - level
    quantiles: FloatArray = np.quantile(t, [alpha / 2, 1 - alpha / 2])
    return quantiles


def bca_probabilities(z0: float | FloatArray, accel: float | FloatArray, level: float) -> FloatArray:
    """BCa's adjusted tail probabilities ``Φ(z0 + (z0 + z) / (1 - a (z0 + z)))`` for ``z = z_{α/2}, z_{1-α/2}``."""
    alpha = 1 - level
    z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    z0_, a_ = np.asarray(z0)[..., None], np.asarray(accel)[..., None]
    shifted = z0_ + z
    probabilities: FloatArray = ndtr(z0_ + shifted / (1 - a_ * shifted))
    return probabilities


def bias_correction(below: float, n_resamples: int) -> float:
    """BCa's ``z0 = Φ^-1(share of resampled statistics below the estimate)``, kept finite."""
    share = min(max(below, 0.5 / n_resamples), 1 - 0.5 / n_resamples)
    return float(ndtri(share))
