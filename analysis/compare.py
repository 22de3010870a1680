"""Engagement-rate comparisons between follower tiers.

:func:`tier_tests` asks whether ER differs between follower tiers: one
Kruskal–Wallis test across the tiers, then every pair of tiers with a
two-sided Mann–Whitney test (Holm-corrected), the Hodges–Lehmann shift with
its distribution-free interval (see :mod:`analysis.shift`), and Cliff's
delta. The sweet-spot band test lives in :mod:`analysis.sweet_spot`.

Directions are fixed: a pair's shift and delta are ``group_b − group_a`` (the
higher tier minus the lower one), so a positive number means the higher tier
engages more. ``by=`` repeats the analysis per value of a segment column and
then returns ``{segment value: result}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.engagement import DEFAULT_DEFINITION
from analysis.groups import rates, split_segments
from analysis.intervals import check_level
from analysis.shift import hodges_lehmann
from analysis.tiers import assign_tiers, get_scheme

FloatArray = NDArray[np.float64]

PAIR_COLUMNS = [
    "group_a", "group_b", "n_a", "n_b", "median_a", "median_b", "u", "p_value", "p_holm",
    "hl_shift", "hl_ci_low", "hl_ci_high", "cliffs_delta", "significant",
]


@dataclass(frozen=True, eq=False)
class TierTests:
    """Kruskal–Wallis across ``tiers`` (those tested, lowest first) plus the pairwise table.

    ``skipped`` names the tiers left out with their ER counts, e.g. ``"mega (1)"``;
    ``note`` says in words what was left out or why a statistic is NaN.
    """

    scheme: str
    level: float
    h: float
    df: int
    p_value: float
    n: int
    tiers: tuple[str, ...]
    skipped: tuple[str, ...]
    note: str
    pairwise: pd.DataFrame


@overload
def tier_tests(frame: pd.DataFrame, scheme: str = ..., definition: str = ..., level: float = ...,
               *, by: None = None) -> TierTests: ...
@overload
def tier_tests(frame: pd.DataFrame, scheme: str = ..., definition: str = ..., level: float = ...,
               *, by: str) -> dict[str, TierTests]: ...
def tier_tests(
    frame: pd.DataFrame, scheme: str = "seed", definition: str = DEFAULT_DEFINITION, level: float = 0.95,
    *, by: str | None = None,
) -> TierTests | dict[str, TierTests]:
    """Do engagement rates differ between the tiers of ``scheme``?

    Tiers with fewer than 2 ER values are left out of every test and listed
    in ``skipped``; out-of-range tiers ("under 100") take part when they hold
    creators. ``by`` repeats the analysis per value of that column.

    Returns
    -------
    TierTests
        ``h``, ``df``, ``p_value``: Kruskal–Wallis across ``tiers`` (NaN with
        fewer than 2 tiers or all values equal, ``note`` says why); ``n``: ER
        values tested; ``pairwise``: one row per pair of tested tiers, lower tier
        first, with columns ``group_a``, ``group_b`` (tier names), ``n_a``,
        ``n_b``, ``median_a``, ``median_b`` (median ER), ``u`` (Mann–Whitney U of
        b: pairs with b > a plus half the ties), ``p_value`` (two-sided; exact
        for small untied groups, else normal with tie correction), ``p_holm``
        (Holm-adjusted over the table), ``hl_shift``, ``hl_ci_low``,
        ``hl_ci_high`` (see :func:`hodges_lehmann`), ``cliffs_delta``
        (P(b > a) − P(b < a) = 2U/(n_a·n_b) − 1) and ``significant``
        (``p_holm < 1 − level``).
    """
    if by is not None:
        return {key: tier_tests(part, scheme, definition, level) for key, part in split_segments(frame, by).items()}
    check_level(level)
    er, followers = rates(frame, definition)
    tier_scheme = get_scheme(scheme)
    codes = np.asarray(assign_tiers(followers, tier_scheme).codes)
    groups = {t.name: np.sort(er[codes == i]) for i, t in enumerate(tier_scheme.all_tiers())}
    in_scheme = {t.name for t in tier_scheme.tiers}
    used = {name: g for name, g in groups.items() if g.size >= 2}
    skipped = tuple(f"{name} ({g.size})" for name, g in groups.items() if g.size < 2 and (g.size or name in in_scheme))
    h, df, p, why = _kruskal(list(used.values()))
    notes = [why] if why else []
    if skipped:
        notes.append(f"left out (fewer than 2 engagement rates): {', '.join(skipped)}")
    return TierTests(scheme, level, h, df, p, sum(g.size for g in used.values()), tuple(used), skipped,
                     "; ".join(notes), _pairwise(used, level))


def _kruskal(groups: list[FloatArray]) -> tuple[float, int, float, str]:
    if len(groups) < 2:
        return math.nan, 0, math.nan, "fewer than 2 tiers with 2 or more engagement rates"
    if np.ptp(np.concatenate(groups)) == 0:
        return math.nan, len(groups) - 1, math.nan, "every engagement rate is the same"
    result = stats.kruskal(*groups)
    return float(result.statistic), len(groups) - 1, float(result.pvalue), ""


def _pairwise(groups: dict[str, FloatArray], level: float) -> pd.DataFrame:
    names = list(groups)
    rows = [_pair_row(a, groups[a], b, groups[b], level) for i, a in enumerate(names) for b in names[i + 1:]]
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    table["p_holm"] = holm(table["p_value"].to_numpy("float64"))
    table["significant"] = table["p_holm"] < 1 - level
    return table


def _pair_row(name_a: str, a: FloatArray, name_b: str, b: FloatArray, level: float) -> dict[str, object]:
    test = stats.mannwhitneyu(b, a, alternative="two-sided")
    shift = hodges_lehmann(a, b, level)
    return {
        "group_a": name_a, "group_b": name_b, "n_a": a.size, "n_b": b.size,
        "median_a": float(np.median(a)), "median_b": float(np.median(b)),
        "u": float(test.statistic), "p_value": float(test.pvalue), "p_holm": math.nan,
        "hl_shift": shift.estimate, "hl_ci_low": shift.low, "hl_ci_high": shift.high,
        "cliffs_delta": 2 * float(test.statistic) / (a.size * b.size) - 1, "significant": False,
    }


def holm(p_values: ArrayLike) -> FloatArray:
    """Holm step-down adjusted p-values (same order as given, capped at 1)."""
    p = np.asarray(p_values, dtype="float64")
    order = np.argsort(p, kind="stable")
    steps = (p.size - np.arange(p.size)) * p[order]
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(np.maximum.accumulate(steps), 1.0)
    return adjusted
