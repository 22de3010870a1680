"""Shared pieces of the interval modules: result type, levels, checks, per-group seeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Confidence levels offered in the UI and accepted by the command line.
LEVELS: tuple[float, ...] = (0.80, 0.90, 0.95, 0.99)
#: Below this many creators a mean or pooled interval is not reported ("too few").
MIN_N = 10
#: A seed for one group: an integer or a sequence of integers (``np.random.default_rng`` accepts both).
GroupSeed = int | Sequence[int]
#: Seeds for many groups: one integer (group ``g`` then uses ``[seed, g]``) or one seed per group.
GroupSeeds = int | Sequence[GroupSeed]


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval at ``level``."""

    low: float
    high: float
    level: float


def check_level(level: float) -> float:
    """Return ``level`` if it is a usable confidence level, else raise ``ValueError``."""
    if not 0.5 <= level < 1:
        raise ValueError(f"confidence level must be between 0.5 and 1 (e.g. 0.95), got {level}")
    return float(level)


def check_method(method: str, allowed: Sequence[str], what: str) -> str:
    """Return ``method`` if it is one of ``allowed``, else raise ``ValueError`` naming them."""
    if method not in allowed:
        raise ValueError(f"unknown {what} interval method {method!r}; choose one of: {', '.join(allowed)}")
    return method


def group_rng(seeds: GroupSeeds, group: int) -> np.random.Generator:
    """The random generator of ``group``: its own seed, or ``[seeds, group]`` for an integer ``seeds``."""
    if isinstance(seeds, int | np.integer):
        return np.random.default_rng([int(seeds), group])
    return np.random.default_rng(seeds[group])


def finite(values: ArrayLike) -> NDArray[np.float64]:
    """``values`` as a flat float array without NaN or infinite entries."""
    x: NDArray[np.float64] = np.asarray(values, dtype=np.float64).ravel()
    kept: NDArray[np.float64] = x[np.isfinite(x)]
    return kept


def interval_or_none(low: NDArray[np.float64], high: NDArray[np.float64], level: float) -> Interval | None:
    """The single-group result of a grouped computation: ``None`` when its bounds are NaN (too few)."""
    if np.isnan(low[0]) or np.isnan(high[0]):
        return None
    return Interval(float(low[0]), float(high[0]), level)
