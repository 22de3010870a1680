"""Delta-lognormal interval for a (weighted) mean of non-negative rates, per group.

Model: a share ``p`` of the rates is exactly zero and the positive ones are
log-normal, ``log r ~ N(mu, sigma^2)``; then the mean is
``(1 - p) exp(mu + sigma^2 / 2)`` (Aitchison's delta-lognormal). Its log is
estimated by ``log(1 - p^) + y_bar + s^2 / 2`` with variance

    s^2 / n+ + s^4 / (2 (n+ - 1)) + p^ / (n (1 - p^))

(Cox's interval for the log-normal mean plus the binomial variance of the
zero share), and the bounds are ``exp(centre -/+ t_{n+ - 1} sd)``. The
Student-t critical value (rather than z) keeps small groups at their nominal
coverage; see :mod:`analysis.coverage`.

With weights ``w`` (followers, for the pooled rate ``Σ w r / Σ w``) the same
formulas use weighted means and variances, and Kish's effective sample size
``(Σ w)^2 / Σ w^2`` in place of ``n``. Under the model with rates independent
of the weights this estimates the pooled rate; unweighted it is the mean.

The interval is centred on the model's estimate, not on the sample mean: with
non-log-normal data and many creators it can exclude the sample mean (see the
misspecified scenarios in the coverage table).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis.group_sums import FloatArray, centred_moments, group_sum


def lognormal_bounds(
    rates: FloatArray,
    weights: FloatArray | None,
    codes: np.ndarray,
    n_groups: int,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    """Delta-lognormal bounds per group (NaN where fewer than two effective positive rates).

    ``codes`` must already send rows outside any group to bin ``n_groups``
    (see :func:`analysis.group_sums.group_codes`); ``rates`` must be >= 0 there.
    """
    positive = rates > 0
    positive_codes = np.where(positive, codes, n_groups)
    logs = np.log(rates, where=positive, out=np.zeros_like(rates))
    moments = centred_moments(logs, positive_codes, n_groups, (2,), weights)
    if weights is None:
        n_all, n_pos = group_sum(codes, n_groups), moments.count
        zero_share = 1 - n_pos / np.maximum(n_all, 1)
    else:
        total_all = group_sum(codes, n_groups, weights)
        squares = weights * weights
        n_all = _kish(total_all, group_sum(codes, n_groups, squares))
        n_pos = _kish(moments.total, group_sum(positive_codes, n_groups, squares))
        zero_share = 1 - moments.total / np.where(total_all > 0, total_all, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        biased_var = moments.central[2] / moments.total
    return _bounds(moments.mean, biased_var, n_pos, n_all, zero_share, level)


def _bounds(
    log_mean: FloatArray,
    biased_var: FloatArray,
    n_pos: FloatArray,
    n_all: FloatArray,
    zero_share: FloatArray,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    enough = n_pos >= 2
    n_pos = np.where(enough, n_pos, 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = biased_var * n_pos / (n_pos - 1)
        centre = np.log1p(-zero_share) + log_mean + s2 / 2
        variance = s2 / n_pos + s2**2 / (2 * (n_pos - 1)) + zero_share / (n_all * (1 - zero_share))
    half = stats.t.ppf(0.5 + level / 2, n_pos - 1) * np.sqrt(variance)
    low = np.where(enough, np.exp(centre - half), np.nan)
    high = np.where(enough, np.exp(centre + half), np.nan)
    return low, high


def _kish(total: FloatArray, total_of_squares: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff: FloatArray = np.where(total_of_squares > 0, total**2 / total_of_squares, 0.0)
    return n_eff
