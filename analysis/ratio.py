"""Ratio of sums (Σ engagements ÷ Σ cost) with a resampled or delta-method interval.

Intervals resample creators (percentile bootstrap) up to ``RESAMPLE_LIMIT``
creators; larger samples use the delta-method normal interval of the ratio,
whose skewness at that size is negligible for engagement data (a heavy Pareto
tail, as above 100K followers, is the exception; such bands are usually small
enough to be resampled). :func:`campaign_range` gives the matching prediction
range for the total engagements of a campaign of ``k`` creators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.intervals import Interval, check_level
from analysis.resampling import draw_sums

FloatArray = NDArray[np.float64]
N_RESAMPLES = 2_000
#: Samples (and campaigns) with more creators than this use the normal (Cornish-Fisher) forms.
RESAMPLE_LIMIT = 5_000
METHODS = ("auto", "bootstrap", "delta")


@dataclass(frozen=True)
class RatioEstimate:
    """Engagements per dollar (Σ engagements ÷ Σ cost), its interval and sampling draws.

    ``draws`` (of the ratio) and ``mean_draws`` (of mean engagements per
    creator) come from the same bootstrap resamples, or from the normal
    approximations when ``method`` is "delta".
    """

    estimate: float
    interval: Interval
    draws: FloatArray
    mean_draws: FloatArray
    method: str


def ratio_estimate(
    engagements: ArrayLike, cost: ArrayLike, level: float = 0.95, *,
    method: str = "auto", n_resamples: int = N_RESAMPLES, seed: int | list[int] = 0,
) -> RatioEstimate:
    """Σ engagements ÷ Σ cost over creators, with a percentile-bootstrap or delta-method interval.

    Parameters
    ----------
    engagements, cost : array_like
        Per creator, finite, same length (at least 2); total cost above 0.
    level : float
        Confidence level.
    method : {"auto", "bootstrap", "delta"}
        "auto" resamples up to ``RESAMPLE_LIMIT`` creators, delta method above.
    n_resamples, seed : int
        Number of draws and the generator seed (same seed, same numbers).

    Returns
    -------
    RatioEstimate
    """
    e, c = _checked_inputs(engagements, cost, level, method)
    rng = np.random.default_rng(seed)
    if method == "delta" or (method == "auto" and e.size > RESAMPLE_LIMIT):
        return _delta_estimate(e, c, level, n_resamples, rng)
    sum_e, sum_c = draw_sums(np.stack([e, c]), e.size, n_resamples, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = sum_e / sum_c
    low, high = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    interval = Interval(float(low), float(high), level)
    return RatioEstimate(float(e.sum() / c.sum()), interval, draws, sum_e / e.size, "bootstrap")


def campaign_range(engagements: FloatArray, k: int, mean_draws: FloatArray, level: float,
                   rng: np.random.Generator) -> tuple[float, float]:
    """Prediction range at ``level`` for the total engagements of ``k`` creators drawn from ``engagements``.

    ``mean_draws`` (one per resample, as :attr:`RatioEstimate.mean_draws`) adds
    the uncertainty in the sample's mean. Up to ``RESAMPLE_LIMIT`` creators the
    sums are resampled, above that a Cornish-Fisher form is used.
    """
    e = engagements
    probs = np.array([(1 - level) / 2, (1 + level) / 2])
    if k == 0:
        return 0.0, 0.0
    if k <= RESAMPLE_LIMIT:
        # k·(mean* − mean) adds the uncertainty in the mean, which matters once k is a sizeable share of n.
        (sums,) = draw_sums(e[None, :], k, mean_draws.size, rng)
        low, high = np.quantile(sums + k * (mean_draws - e.mean()), probs)
    else:
        # Cornish-Fisher from the exact cumulants of (sum of k resampled creators) + k·(mean* − mean).
        centred, n = e - e.mean(), e.size
        k2 = k * float(np.mean(centred**2)) * (1 + k / n)
        k3 = k * float(np.mean(centred**3)) * (1 + k**2 / n**2)
        z = stats.norm.ppf(probs)
        skew = k3 / k2**1.5 if k2 > 0 else 0.0
        low, high = k * e.mean() + np.sqrt(k2) * (z + skew / 6 * (z**2 - 1))
    return max(float(low), 0.0), float(high)


def _checked_inputs(engagements: ArrayLike, cost: ArrayLike, level: float,
                    method: str) -> tuple[FloatArray, FloatArray]:
    e, c = np.asarray(engagements, dtype=np.float64), np.asarray(cost, dtype=np.float64)
    if method not in METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of: {', '.join(METHODS)}")
    if e.shape != c.shape or e.ndim != 1 or e.size < 2 or not (np.isfinite(e).all() and np.isfinite(c).all()):
        raise ValueError("need engagements and costs as two equal-length lists of finite numbers, at least 2 each")
    if c.sum() <= 0:
        raise ValueError("total cost is zero: engagements per dollar is undefined")
    check_level(level)
    return e, c


def _delta_estimate(e: FloatArray, c: FloatArray, level: float, n_draws: int,
                    rng: np.random.Generator) -> RatioEstimate:
    ratio, n = float(e.sum() / c.sum()), e.size
    # Linearised ratio: var ≈ mean((e - R c)²) / (n · mean(c)²), plug-in moments like the bootstrap's.
    se = float(np.sqrt(np.mean((e - ratio * c) ** 2) / n) / c.mean())
    z = float(stats.norm.ppf((1 + level) / 2))
    normal = rng.standard_normal((2, n_draws))
    interval = Interval(max(ratio - z * se, 0.0), ratio + z * se, level)  # a ratio of sums is never negative
    mean_draws = e.mean() + e.std() / np.sqrt(n) * normal[1]
    return RatioEstimate(ratio, interval, ratio + se * normal[0], mean_draws, "delta")
