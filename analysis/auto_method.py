"""Which groups the default (``"auto"``) mean and pooled intervals give to the log-normal model.

Measured in :mod:`analysis.coverage`: for small, very skewed groups (log-sd
1.2, 30 to 1,000 creators) only the log-normal intervals keep their level;
every model-free method falls 2 to 8 points short. But when the rates are not
log-normal the model's interval is biased, and in large groups the bias
dominates (coverage near 0 for gamma-distributed rates at n = 1,000). So
``"auto"`` uses the model only for a group that

* has fewer than :data:`AUTO_SWITCH` creators, and
* whose positive log rates pass a Jarque-Bera normality check at level
  :data:`NORMALITY_ALPHA` (``n/6 (S^2 + (K - 3)^2 / 4)`` against a chi-square
  with 2 degrees of freedom, from per-group power sums),

and the bootstrap-t everywhere else. The check is on the unweighted rates for
both the mean and the pooled rate, so both use the same family for a group.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from analysis.group_sums import FloatArray, centred_moments
from analysis.interval_core import MIN_N

#: From this many creators on, ``"auto"`` always uses the bootstrap-t.
AUTO_SWITCH = 2_000
#: Level of the normality check of the log rates; a group failing it gets the bootstrap-t.
NORMALITY_ALPHA = 0.05


def model_groups(
    numerator: FloatArray, denominator: FloatArray | None, codes: NDArray[np.intp], count: FloatArray
) -> NDArray[np.bool_]:
    """Groups for which ``"auto"`` uses the log-normal interval of the rates ``numerator / denominator``.

    ``codes`` must send rows outside any group to bin ``len(count)`` (see
    :func:`analysis.group_sums.group_codes`) and ``count`` holds each group's
    number of rows. Only rows of groups below :data:`AUTO_SWITCH` are read.
    """
    n_groups = count.size
    candidate = (count >= MIN_N) & (count < AUTO_SWITCH)
    if not candidate.any():
        return candidate
    rows = np.flatnonzero(np.append(candidate, False)[codes])
    rates = numerator[rows] if denominator is None else numerator[rows] / denominator[rows]
    positive = rates > 0
    logs = np.log(rates, where=positive, out=np.zeros_like(rates))
    moments = centred_moments(logs, np.where(positive, codes[rows], n_groups), n_groups, (2, 3, 4))
    n = moments.count
    with np.errstate(invalid="ignore", divide="ignore"):
        m2 = moments.central[2] / n
        skew = moments.central[3] / n / m2**1.5
        kurtosis = moments.central[4] / n / m2**2
        jarque_bera = n / 6 * (skew**2 + (kurtosis - 3) ** 2 / 4)
    passes = jarque_bera <= stats.chi2.ppf(1 - NORMALITY_ALPHA, 2)
    return np.asarray(candidate & (passes | (m2 == 0)), dtype=bool)
