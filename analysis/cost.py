"""Cost per post: what one post from a creator costs, from their follower count.

A :class:`CostModel` prices one post from a creator's follower count: a rate per
10,000 followers ($100 is the widely quoted rule of thumb), a floor, and optional
fixed prices for follower ranges. What those prices buy, band by band, is in
:mod:`analysis.value`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.format import follower_range

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CostModel:
    """Price of one post: ``max(floor, rate_per_10k × followers / 10,000)``, or a band's fixed price.

    ``prices`` holds ``(min_followers, max_followers, price)`` bands, half-open
    ``[min, max)`` (``math.inf``: no upper end); a creator inside one pays that
    price (the floor does not apply), everyone else the rate rule. Bands are
    stored sorted, as floats. Invalid values raise ``ValueError``.
    """

    rate_per_10k: float = 100.0
    floor: float = 0.0
    prices: tuple[tuple[float, float, float], ...] = ()

    def __post_init__(self) -> None:
        _check_amount("rate_per_10k", self.rate_per_10k)
        _check_amount("floor", self.floor)
        bands = sorted(_as_triple(band) for band in self.prices)
        check_ranges([(lo, hi) for lo, hi, _ in bands], "priced tier")
        for lo, hi, price in bands:
            _check_amount(f"price of tier {follower_range(lo, hi)}", price)
        object.__setattr__(self, "prices", tuple(bands))

    def cost(self, followers: ArrayLike) -> FloatArray:
        """Price of one post for each follower count (NaN stays NaN)."""
        f = np.asarray(followers, dtype=np.float64)
        out = np.maximum(self.rate_per_10k * f / 10_000, self.floor)
        if self.prices:
            lows, highs, price = (np.array(v) for v in zip(*self.prices, strict=True))
            i = np.clip(np.searchsorted(lows, f, side="right") - 1, 0, None)
            out = np.where((f >= lows[i]) & (f < highs[i]), price[i], out)
        return np.asarray(out, dtype=np.float64)

    def describe(self) -> str:
        """E.g. "$100 per 10K followers, at least $50 a post; priced tiers: 10K–25K $300"."""
        text = f"{_money(self.rate_per_10k)} per 10K followers"
        if self.floor > 0:
            text += f", at least {_money(self.floor)} a post"
        if self.prices:
            text += "; priced tiers: " + ", ".join(f"{follower_range(lo, hi)} {_money(p)}" for lo, hi, p in self.prices)
        return text


def check_ranges(ranges: list[tuple[float, float]], what: str) -> None:
    """Raise ``ValueError`` unless sorted half-open follower ranges are valid and do not overlap.

    ``what`` names one range in the message ("band", "priced tier").
    """
    for lo, hi in ranges:
        if not 0 <= lo < hi:
            raise ValueError(f"{what} ({lo:g}, {hi:g}): need 0 <= min_followers < max_followers (math.inf: no top)")
    for (lo1, hi1), (lo2, hi2) in itertools.pairwise(ranges):
        if lo2 < hi1:
            raise ValueError(f"{what}s {follower_range(lo1, hi1)} and {follower_range(lo2, hi2)} overlap; "
                             "ranges are half-open [min, max) and must not overlap")


def _as_triple(band: Sequence[float]) -> tuple[float, float, float]:
    if len(band) != 3:
        raise ValueError(f"a priced tier is (min_followers, max_followers, price), got {band!r}")
    return float(band[0]), float(band[1]), float(band[2])


def _check_amount(name: str, value: float) -> None:
    if not (isinstance(value, Real) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a dollar amount of 0 or more, got {value!r}")


def _money(amount: float) -> str:
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"
