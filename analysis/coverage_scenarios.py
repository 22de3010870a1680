"""Engagement-rate distributions with a known mean and median, for :mod:`analysis.coverage`.

Three log-normal scenarios (the model the ``"lognormal"`` intervals assume)
and two misspecified ones that show where that model falls short: a gamma
distribution (exponential: many rates near zero, a lighter upper tail than a
log-normal) and a two-component log-normal mixture (a heavier upper tail).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from analysis.group_sums import FloatArray

#: Log of the median engagement rate of the log-normal scenarios (3%).
MU = float(np.log(0.03))
#: Log-normal mixture: share and log-median of the high-rate component; both components have this log-sd.
MIXTURE_SHARE, MIXTURE_SHIFT, MIXTURE_SIGMA = 0.1, 1.5, 0.8
#: Gamma scenario: shape 1 (exponential), scaled to a 3% mean.
GAMMA_SHAPE, GAMMA_MEAN = 1.0, 0.03


@dataclass(frozen=True)
class Scenario:
    """A rate distribution: ``kind`` is ``"lognormal"`` (log-sd ``sigma``), ``"gamma"`` or ``"mixture"``."""

    name: str
    kind: str
    sigma: float | None
    description: str

    def draw(self, rng: np.random.Generator, shape: tuple[int, int]) -> FloatArray:
        """Rates of ``shape`` (replications × creators)."""
        if self.kind == "lognormal":
            return rng.lognormal(MU, float(self.sigma or 0), shape)
        if self.kind == "gamma":
            return rng.gamma(GAMMA_SHAPE, GAMMA_MEAN / GAMMA_SHAPE, shape)
        high = rng.random(shape) < MIXTURE_SHARE
        return np.exp(MU + MIXTURE_SHIFT * high + MIXTURE_SIGMA * rng.standard_normal(shape))

    @property
    def mean(self) -> float:
        """True mean rate (also the true pooled rate: followers are independent of the rate)."""
        if self.kind == "lognormal":
            return float(np.exp(MU + (self.sigma or 0) ** 2 / 2))
        if self.kind == "gamma":
            return GAMMA_MEAN
        scale = np.exp(MU + MIXTURE_SIGMA**2 / 2)
        return float(scale * (1 - MIXTURE_SHARE + MIXTURE_SHARE * np.exp(MIXTURE_SHIFT)))

    @property
    def median(self) -> float:
        """True median rate."""
        if self.kind == "lognormal":
            return float(np.exp(MU))
        if self.kind == "gamma":
            return float(stats.gamma.median(GAMMA_SHAPE, scale=GAMMA_MEAN / GAMMA_SHAPE))
        return float(np.exp(optimize.brentq(lambda y: _mixture_cdf(y) - 0.5, MU - 5, MU + 5)))

    def truth(self, statistic: str) -> float:
        """True value of ``"median"``, ``"mean"`` or ``"pooled"``."""
        return self.median if statistic == "median" else self.mean


def _mixture_cdf(log_rate: float) -> float:
    low = stats.norm.cdf(log_rate, MU, MIXTURE_SIGMA)
    high = stats.norm.cdf(log_rate, MU + MIXTURE_SHIFT, MIXTURE_SIGMA)
    return float((1 - MIXTURE_SHARE) * low + MIXTURE_SHARE * high)


SCENARIOS: tuple[Scenario, ...] = (
    *(Scenario("lognormal", "lognormal", s, f"log-normal, log-median log(0.03), log-sd {s}") for s in (0.5, 0.8, 1.2)),
    Scenario("gamma", "gamma", None, f"gamma, shape {GAMMA_SHAPE:g}, mean {GAMMA_MEAN:g} (misspecified)"),
    Scenario(
        "mixture", "mixture", None,
        f"{1 - MIXTURE_SHARE:g} log-normal(log 0.03, {MIXTURE_SIGMA}) + {MIXTURE_SHARE:g} with log-median "
        f"{MIXTURE_SHIFT} higher (misspecified, heavier upper tail)",
    ),
)
