"""Value for money: engagements per dollar by follower band, and what a budget buys.

:func:`band_value` asks, per band, what buying one post from every creator in
it costs per engagement (Σ cost ÷ Σ engagements, a ratio of sums, not a mean of
per-creator ratios), with intervals (:func:`analysis.ratio.ratio_estimate`,
seeded per band) and the probability that the band is the best buy.
:func:`budget_plan` turns a budget into posts, expected engagements and a range
for a real campaign.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from numbers import Real
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis import columns as col
from analysis.cost import CostModel, check_ranges
from analysis.engagement import DEFAULT_DEFINITION, with_engagement
from analysis.format import chance, follower_range
from analysis.intervals import check_level
from analysis.ratio import RatioEstimate, campaign_range, ratio_estimate
from analysis.tiers import assign_tiers, get_scheme

FloatArray = NDArray[np.float64]
Bands = Sequence[tuple[float, float]]
#: Below this many creators with engagements a band gets no interval and no p_best.
MIN_N_VALUE = 10
VALUE_COLUMNS = [
    "band", "min_followers", "max_followers", "n", "n_without_engagements", "cost_per_post",
    "engagements_per_post", "cost_per_engagement", "cpe_ci_low", "cpe_ci_high", "engagements_per_1000",
    "epk_ci_low", "epk_ci_high", "p_best", "interval_method", "note",
]
PLAN_COLUMNS = [
    "band", "min_followers", "max_followers", "cost_per_post", "creators", "spend", "expected_engagements",
    "ee_ci_low", "ee_ci_high", "range_low", "range_high", "note",
]


def band_value(
    frame: pd.DataFrame, model: CostModel, scheme: str | None = None, bands: Bands | None = None,
    definition: str = DEFAULT_DEFINITION, level: float = 0.95, seed: int = 0,
) -> pd.DataFrame:
    """Cost per engagement and engagements per $1,000 by follower band, buying one post per creator.

    Bands come from tier ``scheme`` (default "heartbeat"; every tier listed,
    out-of-range labels only when they hold creators) or from ``bands``,
    half-open ``(min_followers, max_followers)`` ranges (creators outside them
    are left out); not both. Each band's draws are seeded from ``seed`` and its
    bounds, so a band's numbers do not depend on the other bands.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band`` (label), ``min_followers``, ``max_followers``
        (NaN: unbounded), ``n`` (creators with an engagement value; every
        statistic uses these), ``n_without_engagements``, ``cost_per_post`` and
        ``engagements_per_post`` (means), ``cost_per_engagement`` (Σ cost ÷ Σ
        engagements) with ``cpe_ci_low``, ``cpe_ci_high``, ``engagements_per_1000``
        (1000 × Σ engagements ÷ Σ cost) with ``epk_ci_low``, ``epk_ci_high``,
        ``p_best`` (probability the band gives the most engagements per dollar
        among bands with an interval; they sum to 1), ``interval_method``
        ("bootstrap", "delta" or "") and ``note`` ("" or why there is no interval).
    """
    check_level(level)
    rows, estimates = [], []
    for band in _band_data(frame, model, scheme, bands, definition):
        estimates.append(_estimate(band, level, seed))
        rows.append(_value_row(band, estimates[-1]))
    table = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    table["p_best"] = _p_best(estimates)
    return table


def best_band(table: pd.DataFrame) -> str:
    """Label of the :func:`band_value` row with the most engagements per $1,000, among bands with an interval."""
    eligible = table[np.isfinite(table["epk_ci_low"].to_numpy(dtype=np.float64))]
    if eligible.empty:
        raise ValueError(f"no band has at least {MIN_N_VALUE} creators with engagements and a cost above 0")
    return str(eligible.loc[eligible["engagements_per_1000"].idxmax(), "band"])


def best_value_sentence(table: pd.DataFrame) -> str:
    """E.g. "Best value: micro 10K–25K, 41 engagements per $1,000 [38–44]; probability it is the best 87%".

    The probability is written as the value table writes it (:func:`analysis.format.chance`).
    """
    row = table[table["band"] == best_band(table)].iloc[0]
    label = str(row["band"])
    if not any(ch.isdigit() for ch in label):  # a bare name such as "ambassador" gets its range
        label += f" ({follower_range(row['min_followers'], row['max_followers'])})"
    interval = f"[{_num(row['epk_ci_low'])}–{_num(row['epk_ci_high'])}]"
    return (f"Best value: {label}, {_num(row['engagements_per_1000'])} engagements per $1,000 {interval}; "
            f"probability it is the best {chance(row['p_best'])}")


def budget_plan(
    frame: pd.DataFrame, model: CostModel, budget: float, scheme: str | None = None, bands: Bands | None = None,
    definition: str = DEFAULT_DEFINITION, level: float = 0.95, seed: int = 0,
) -> pd.DataFrame:
    """What ``budget`` buys in each band (bands, seeds and statistics as in :func:`band_value`).

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band``, ``min_followers``, ``max_followers``,
        ``cost_per_post`` (band mean), ``creators`` (posts of average price the
        budget buys: ``floor(budget / cost_per_post)``), ``spend`` (creators ×
        cost_per_post), ``expected_engagements`` (spend × engagements per dollar)
        with ``ee_ci_low``, ``ee_ci_high`` (spend × that ratio's interval),
        ``range_low``, ``range_high`` (prediction range at ``level`` for the total
        engagements of that many randomly chosen creators of the band: resampled
        sums plus the uncertainty in the band's mean) and ``note``.
    """
    if not (isinstance(budget, Real) and math.isfinite(budget) and budget > 0):
        raise ValueError(f"budget must be a positive number of dollars, got {budget!r}")
    check_level(level)
    rows = [_plan_row(band, _estimate(band, level, seed), float(budget), level, seed)
            for band in _band_data(frame, model, scheme, bands, definition)]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


class _Band(NamedTuple):
    label: str
    low: float
    high: float
    engagements: FloatArray  # creators with an engagement value
    cost: FloatArray  # their prices
    n_without: int


def _band_data(frame: pd.DataFrame, model: CostModel, scheme: str | None, bands: Bands | None,
               definition: str) -> list[_Band]:
    if scheme is not None and bands is not None:
        raise ValueError("give either a tier scheme or a list of bands, not both")
    if col.FOLLOWERS not in frame.columns:
        raise ValueError(f"prices need a {col.FOLLOWERS!r} column; the data has {', '.join(map(str, frame.columns))}")
    followers = pd.to_numeric(frame[col.FOLLOWERS], errors="coerce").to_numpy(dtype=np.float64)
    if (bad := int((~(followers >= 0)).sum())) > 0:
        raise ValueError(f"{bad:,} rows have no follower count of 0 or more; clean the data with clean_creators()")
    e = with_engagement(frame, definition)["engagements"].to_numpy(dtype=np.float64)
    c = model.cost(followers)
    specs, codes = _band_specs(followers, scheme, bands)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(specs) + 1))
    out = []
    for (label, low, high, always), start, stop in zip(specs, starts[:-1], starts[1:], strict=True):
        idx = order[start:stop]
        has = np.isfinite(e[idx])
        if always or idx.size:
            out.append(_Band(label, low, high, e[idx][has], c[idx][has], int((~has).sum())))
    return out


def _band_specs(followers: FloatArray, scheme: str | None, bands: Bands | None
                ) -> tuple[list[tuple[str, float, float, bool]], NDArray[np.intp]]:
    """(label, low, high, listed even when empty) per band, and each creator's band position."""
    if bands is None:
        tiers = get_scheme(scheme or "heartbeat")
        specs = [(t.name, _bound(t.min_followers), _bound(t.max_followers), t in tiers.tiers)
                 for t in tiers.all_tiers()]
        return specs, np.asarray(assign_tiers(followers, tiers).codes, dtype=np.intp)
    ranges = sorted((float(lo), float(hi)) for lo, hi in bands)
    if not ranges:
        raise ValueError("bands is empty; give at least one (min_followers, max_followers) range")
    check_ranges(ranges, "band")
    lows, highs = np.array([r[0] for r in ranges]), np.array([r[1] for r in ranges])
    i = np.clip(np.searchsorted(lows, followers, side="right") - 1, 0, None)
    codes = np.where((followers >= lows[i]) & (followers < highs[i]), i, len(ranges))  # past the end: left out
    return [(follower_range(lo, hi), lo, _bound(hi), True) for lo, hi in ranges], codes


def _estimate(band: _Band, level: float, seed: int) -> RatioEstimate | None:
    if band.engagements.size < MIN_N_VALUE or band.cost.sum() <= 0:
        return None
    return ratio_estimate(band.engagements, band.cost, level, seed=[seed, _band_key(band)])


def _value_row(band: _Band, est: RatioEstimate | None) -> dict[str, object]:
    e, c = band.engagements, band.cost
    low, high = (np.float64(est.interval.low), np.float64(est.interval.high)) if est else (np.nan, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        epd = np.float64(e.sum()) / c.sum() if e.size else np.float64(np.nan)
        return {
            "band": band.label, "min_followers": band.low, "max_followers": band.high, "n": e.size,
            "n_without_engagements": band.n_without, "cost_per_post": c.mean() if e.size else np.nan,
            "engagements_per_post": e.mean() if e.size else np.nan, "cost_per_engagement": 1 / epd,
            "cpe_ci_low": 1 / high, "cpe_ci_high": 1 / low, "engagements_per_1000": 1000 * epd,
            "epk_ci_low": 1000 * low, "epk_ci_high": 1000 * high, "p_best": np.nan,
            "interval_method": est.method if est else "", "note": _note(band, est),
        }


def _note(band: _Band, est: RatioEstimate | None) -> str:
    if est is not None:
        return ""
    if band.engagements.size + band.n_without == 0:
        return "no creators"
    if band.engagements.size >= MIN_N_VALUE:
        return "posts are free at this price: nothing to compare"
    return f"too few (needs {MIN_N_VALUE} creators with engagements)"


def _p_best(estimates: list[RatioEstimate | None]) -> FloatArray:
    out = np.full(len(estimates), np.nan)
    eligible = [i for i, est in enumerate(estimates) if est is not None]
    if eligible:
        # Bands are disjoint samples with their own seeds: independent draws, paired by position.
        draws = np.stack([est.draws for est in estimates if est is not None])
        winners = np.argmax(np.nan_to_num(draws, nan=-np.inf), axis=0)
        out[eligible] = np.bincount(winners, minlength=len(eligible)) / draws.shape[1]
    return out


def _plan_row(band: _Band, est: RatioEstimate | None, budget: float, level: float, seed: int) -> dict[str, object]:
    mean_cost = float(band.cost.mean()) if band.cost.size else math.nan
    posts = int(budget // mean_cost) if mean_cost > 0 else 0
    spend = posts * mean_cost if posts else 0.0
    row = {"band": band.label, "min_followers": band.low, "max_followers": band.high,
           "cost_per_post": mean_cost, "creators": posts, "spend": spend}
    if est is None:
        return {**row, **dict.fromkeys(PLAN_COLUMNS[6:-1], math.nan), "note": _note(band, est)}
    rng = np.random.default_rng([seed, _band_key(band), 1])
    low, high = campaign_range(band.engagements, posts, est.mean_draws, level, rng)
    note = "budget buys no post at this price" if posts == 0 else (
        "more posts than the band has creators" if posts > band.engagements.size else "")
    return {**row, "expected_engagements": spend * est.estimate, "ee_ci_low": spend * est.interval.low,
            "ee_ci_high": spend * est.interval.high, "range_low": low, "range_high": high, "note": note}


def _bound(value: float | None) -> float:
    return math.nan if value is None or math.isinf(value) else float(value)


def _band_key(band: _Band) -> int:
    return zlib.crc32(f"{band.low!r}|{band.high!r}".encode())


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2g}"
