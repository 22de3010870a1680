"""Power-law trend of engagement rate against followers.

:func:`fit_trend` fits ``log10(ER) = a + b·log10(followers)`` over creators
with ER > 0 (a zero ER has no logarithm: those creators are counted in
``n_excluded``, not fitted). The slope reads as a change per doubling of
followers, ``2**b − 1``. The fitted line is the typical (geometric-mean /
median-like) ER at a follower count, not the mean ER.

Two methods: ``"ols"`` (least squares, t interval for the slope) and
``"theil-sen"`` (median of pairwise slopes, Sen's distribution-free interval;
robust to outlying creators). Exact Theil–Sen needs all n(n−1)/2 slopes, so
above :data:`EXACT_THEIL_SEN_MAX` creators the slope and its interval are read
off :data:`THEIL_SEN_PAIRS` uniformly drawn (seeded) pairs: the median of the
drawn slopes, and the drawn slopes' quantiles at Sen's ranks (computed for
the full n, ties included). Sampling moves each of those quantiles by about
``sqrt(q(1 − q) / n_pairs)`` in rank, i.e. ≤ 0.04% of the pairs for the
default 2 million: small beside the interval itself (its half-width spans
~0.65/√n of the pairs, 0.14% at n = 205,000).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.engagement import DEFAULT_DEFINITION
from analysis.format import follower_range
from analysis.groups import rates, split_segments
from analysis.intervals import check_level

FloatArray = NDArray[np.float64]
METHODS = ("ols", "theil-sen")
#: Up to this many creators Theil–Sen uses every pair (scipy.stats.theilslopes).
EXACT_THEIL_SEN_MAX = 1_500
#: Pairs drawn for Theil–Sen above that size.
THEIL_SEN_PAIRS = 2_000_000
_LABELS = {"ols": "OLS", "theil-sen": "Theil–Sen"}


@dataclass(frozen=True)
class Trend:
    """A fitted ``log10(ER) = intercept + slope·log10(followers)`` (see :func:`fit_trend`)."""

    method: str
    slope: float
    slope_ci: tuple[float, float]
    intercept: float
    n: int
    n_excluded: int
    level: float
    #: (log10 followers, log10 ER) the line passes through: the means (OLS) or medians (Theil–Sen).
    center: tuple[float, float]
    #: OLS only (NaN for Theil–Sen): residual SD and Σ(x − x̄)², for the line's band.
    residual_sd: float = math.nan
    sxx: float = math.nan
    #: Pairs drawn for Theil–Sen; 0 when every pair was used.
    sampled_pairs: int = 0
    #: The follower range ``[low, high)`` fitted (None: every creator), and creators outside it.
    followers_range: tuple[float, float] | None = None
    n_outside: int = 0

    @property
    def change_per_doubling(self) -> float:
        """Relative change in ER per doubling of followers, ``2**slope − 1`` (−0.18: falls 18%)."""
        return float(2.0**self.slope - 1)

    @property
    def change_per_doubling_ci(self) -> tuple[float, float]:
        """The slope interval as changes per doubling."""
        return (float(2.0 ** self.slope_ci[0] - 1), float(2.0 ** self.slope_ci[1] - 1))

    def describe(self) -> str:
        """The trend in words, e.g. "ER falls 18% [15–21%] per doubling of followers (OLS, 95%, n = 12,345)"."""
        within = "" if self.followers_range is None else f", {fitted_range_text(self.followers_range)}"
        tail = f"({_LABELS[self.method]}, {self.level:.0%}, n = {self.n:,}{within})"
        if not math.isfinite(self.slope):
            return f"too few creators with ER > 0 and different follower counts for a trend {tail}"
        change, (low, high) = self.change_per_doubling, self.change_per_doubling_ci
        if high < 0 or low > 0:
            verb, values = ("falls", (-change, -high, -low)) if high < 0 else ("rises", (change, low, high))
            mid, lo_text, hi_text = _percents(*values)
            return f"ER {verb} {mid}% [{lo_text}–{hi_text}%] per doubling of followers {tail}"
        mid, lo_text, hi_text = _percents(change, low, high, signed=True)
        return f"no clear trend: ER changes {mid}% [{lo_text}% to {hi_text}%] per doubling of followers {tail}"


def fitted_range_text(followers_range: tuple[float, float]) -> str:
    """'fitted on 1K–30K followers' ('≥ 1K' for an open top, '< 30K' for a bottom of 0)."""
    low, high = followers_range
    return f"fitted on {follower_range(low if low > 0 else None, high)} followers"


@overload
def fit_trend(frame: pd.DataFrame, definition: str = ..., method: str = ..., level: float = ..., *,
              by: None = None, followers_range: tuple[float, float] | None = ..., max_exact: int = ...,
              n_pairs: int = ..., seed: int = ...) -> Trend: ...
@overload
def fit_trend(frame: pd.DataFrame, definition: str = ..., method: str = ..., level: float = ..., *,
              by: str, followers_range: tuple[float, float] | None = ..., max_exact: int = ...,
              n_pairs: int = ..., seed: int = ...) -> dict[str, Trend]: ...
def fit_trend(
    frame: pd.DataFrame, definition: str = DEFAULT_DEFINITION, method: str = "ols", level: float = 0.95, *,
    by: str | None = None, followers_range: tuple[float, float] | None = None, max_exact: int = EXACT_THEIL_SEN_MAX,
    n_pairs: int = THEIL_SEN_PAIRS, seed: int = 0,
) -> Trend | dict[str, Trend]:
    """Fit ``log10(ER) = a + b·log10(followers)`` by ``method`` ("ols" or "theil-sen").

    ``by`` repeats the fit per value of that column. ``followers_range``
    ``(low, high)`` fits only creators with ``low <= followers < high`` (a
    curve that flattens among large accounts is then fitted where the
    analyst asks). Fewer than 3 usable creators (or one follower count for
    all) gives NaN estimates, not an error.

    Returns
    -------
    Trend
        ``method``; ``slope`` (b) and ``slope_ci`` at ``level`` (OLS: t
        interval with n − 2 df; Theil–Sen: Sen's interval); ``intercept`` (a;
        Theil–Sen: median(y) − b·median(x)); ``n`` creators fitted;
        ``n_excluded`` creators left out for a zero ER; ``center``,
        ``residual_sd``, ``sxx`` (for :func:`trend_line`); ``sampled_pairs``;
        ``followers_range`` and ``n_outside`` (creators outside it);
        properties ``change_per_doubling`` and ``change_per_doubling_ci``
        (``2**b − 1``) and :meth:`Trend.describe`.
    """
    if by is not None:
        return {key: fit_trend(part, definition, method, level, followers_range=followers_range,
                               max_exact=max_exact, n_pairs=n_pairs, seed=seed)
                for key, part in split_segments(frame, by).items()}
    if method not in METHODS:
        raise ValueError(f"unknown trend method {method!r}; choose one of: {', '.join(METHODS)}")
    check_level(level)
    er, followers = rates(frame, definition)
    inside = _inside(followers, followers_range)
    positive = (er > 0) & inside
    x, y = np.log10(followers[positive]), np.log10(er[positive])
    excluded = int(np.count_nonzero(~positive & inside))
    if x.size < 3 or np.ptp(x) == 0:
        nan = math.nan
        fit = Trend(method, nan, (nan, nan), nan, int(x.size), excluded, level, (nan, nan))
    elif method == "ols":
        fit = _ols(x, y, level, excluded)
    else:
        fit = _theil_sen(x, y, level, excluded, max_exact, n_pairs, seed)
    return replace(fit, followers_range=followers_range, n_outside=int(np.count_nonzero(~inside)))


def _inside(followers: FloatArray, followers_range: tuple[float, float] | None) -> NDArray[np.bool_]:
    if followers_range is None:
        return np.ones(followers.shape, dtype=bool)
    low, high = followers_range
    if not (0 <= low < high):
        raise ValueError(f"a trend's follower range needs 0 <= low < high, got {low:g}–{high:g}")
    return (followers >= low) & (followers < high)


def _ols(x: FloatArray, y: FloatArray, level: float, excluded: int) -> Trend:
    x_mean, y_mean = float(x.mean()), float(y.mean())
    sxx = float(np.sum((x - x_mean) ** 2))
    slope = float(np.sum((x - x_mean) * (y - y_mean))) / sxx
    intercept = y_mean - slope * x_mean
    residual_sd = math.sqrt(float(np.sum((y - intercept - slope * x) ** 2)) / (x.size - 2))
    half = float(stats.t.ppf((1 + level) / 2, x.size - 2)) * residual_sd / math.sqrt(sxx)
    return Trend("ols", slope, (slope - half, slope + half), intercept, int(x.size), excluded, level,
                 (x_mean, y_mean), residual_sd, sxx)


def _theil_sen(x: FloatArray, y: FloatArray, level: float, excluded: int, max_exact: int, n_pairs: int,
               seed: int) -> Trend:
    if x.size <= max_exact:
        fit = stats.theilslopes(y, x, alpha=level)
        slope, low, high, sampled = float(fit.slope), float(fit.low_slope), float(fit.high_slope), 0
    else:
        slope, low, high = _sampled_theil_sen(x, y, level, n_pairs, np.random.default_rng(seed))
        sampled = n_pairs
    center = (float(np.median(x)), float(np.median(y)))
    return Trend("theil-sen", slope, (low, high), center[1] - slope * center[0], int(x.size), excluded, level,
                 center, sampled_pairs=sampled)


def _sampled_theil_sen(x: FloatArray, y: FloatArray, level: float, n_pairs: int,
                       rng: np.random.Generator) -> tuple[float, float, float]:
    first, second = rng.integers(0, x.size, (2, n_pairs))
    dx = x[second] - x[first]
    distinct = dx != 0  # as in Sen (1968): pairs with equal x have no slope
    slopes = (y[second] - y[first])[distinct] / dx[distinct]
    n = x.size
    x_runs, y_runs = _runs(x), _runs(y)
    n_slopes = n * (n - 1) / 2 - float(np.sum(x_runs * (x_runs - 1) / 2))
    tie = float(np.sum(x_runs * (x_runs - 1) * (2 * x_runs + 5)) + np.sum(y_runs * (y_runs - 1) * (2 * y_runs + 5)))
    sigma = math.sqrt((n * (n - 1) * (2 * n + 5) - tie) / 18)
    z = float(stats.norm.ppf((1 + level) / 2))
    # Sen's 0-based ranks among all n_slopes slopes (as scipy.stats.theilslopes), read as quantiles.
    low_rank = max(round((n_slopes - z * sigma) / 2) - 1, 0)
    high_rank = min(round((n_slopes + z * sigma) / 2), n_slopes - 1)
    low, mid, high = np.quantile(slopes, [low_rank / (n_slopes - 1), 0.5, high_rank / (n_slopes - 1)])
    return float(mid), float(low), float(high)


def _runs(values: FloatArray) -> FloatArray:
    """Sizes of the runs of tied values (1 for an untied value)."""
    _, counts = np.unique(values, return_counts=True)
    return counts.astype("float64")


def trend_line(trend: Trend, followers: ArrayLike) -> pd.DataFrame:
    """The fitted line and its band at the given follower counts, for a log–log chart.

    OLS: pointwise interval of the mean line, ``t·s·sqrt(1/n + (x − x̄)²/Sxx)``.
    Theil–Sen: the lines through ``center`` with the slope interval's two
    slopes (zero width at the centre; intercept uncertainty is not included).

    Returns
    -------
    pandas.DataFrame
        ``followers`` (as given), ``er`` (fitted ER), ``er_low``, ``er_high``
        (band at ``trend.level``); NaN everywhere when the trend has no slope.
    """
    grid = np.asarray(followers, dtype="float64").ravel()
    if not (np.isfinite(grid).all() and (grid > 0).all()):
        raise ValueError("followers for a trend line must be finite counts above 0")
    x = np.log10(grid)
    fitted = trend.intercept + trend.slope * x
    offset = x - trend.center[0]
    if trend.method == "ols":
        t = float(stats.t.ppf((1 + trend.level) / 2, trend.n - 2)) if trend.n > 2 else math.nan
        half = t * trend.residual_sd * np.sqrt(1 / trend.n + offset**2 / trend.sxx)
        low, high = fitted - half, fitted + half
    else:
        ends = np.stack([trend.center[1] + s * offset for s in trend.slope_ci])
        low, high = ends.min(axis=0), ends.max(axis=0)
    return pd.DataFrame({"followers": grid, "er": 10.0**fitted, "er_low": 10.0**low, "er_high": 10.0**high})


def _percents(*values: float, signed: bool = False) -> tuple[str, ...]:
    """Percent texts of (estimate, low, high): whole numbers, or the fewest decimals (≤ 2) that
    keep the two bounds apart, and at least one decimal under 9.5%."""
    digits = 0 if min(abs(v) for v in values) * 100 >= 9.5 else 1
    while True:
        texts = tuple(f"{v * 100:{'+' if signed else ''}.{digits}f}".replace("-", "−") for v in values)
        if texts[1] != texts[2] or digits == 2:
            return texts
        digits += 1
