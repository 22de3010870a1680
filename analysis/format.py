"""Number formatting shared by tables, charts and reports."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

#: A missing or meaningless number in a table.
EMPTY = "—"


def compact(count: float) -> str:
    """Follower counts the way analysts write them: 950, 12.3K, 4.5M, 1.2B."""
    if count is None or not math.isfinite(count):
        return EMPTY
    for factor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(count) >= factor:
            text = f"{count / factor:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{count:,.0f}"


def percent(rate: float | None, digits: int = 2) -> str:
    """A fraction as a percent (0.0234 -> '2.34%'); '—' when missing."""
    if rate is None or not math.isfinite(rate):
        return EMPTY
    return f"{rate * 100:.{digits}f}%"


def follower_range(low: float | None, high: float | None) -> str:
    """'10K–100K', '< 100', '≥ 1M' for a half-open range with optional ends."""
    has_low = low is not None and math.isfinite(low)
    has_high = high is not None and math.isfinite(high)
    if has_low and has_high:
        return f"{compact(low)}–{compact(high)}"  # type: ignore[arg-type]
    if has_high:
        return f"< {compact(high)}"  # type: ignore[arg-type]
    return f"≥ {compact(low)}" if has_low else "all"  # type: ignore[arg-type]


def interval(low: float, high: float, digits: int = 2) -> str:
    """'2.10% – 2.45%', or 'too few' when either end is missing."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "too few"
    return f"{percent(low, digits)} – {percent(high, digits)}"


def tier_table_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """A tier summary as readable text columns, for screens and terminals."""
    out = pd.DataFrame({
        "Tier": table["tier"].astype(str),
        "Followers": _pairs(follower_range, table["min_followers"].map(_num), table["max_followers"].map(_num)),
    })
    out = pd.concat([out, _stat_columns(table, level)], axis=1)
    if "segment" in table.columns and table["segment"].notna().any():
        out.insert(0, "Segment", table["segment"].astype(str))
    return out


def bin_table_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """A per-bin summary (see ``analysis.summary.bin_summary``) as readable text columns."""
    followers = pd.DataFrame({"Followers": _pairs(follower_range, table["bin_low"], table["bin_high"])})
    return pd.concat([followers, _stat_columns(table, level)], axis=1)


def _stat_columns(table: pd.DataFrame, level: float) -> pd.DataFrame:
    pct = f"{level:.0%}"
    stats = pd.DataFrame({
        "Creators": table["n_creators"].map(lambda n: f"{int(n):,}"),
        "With ER": table["n"].map(lambda n: f"{int(n):,}"),
        "Median ER": table["median_er"].map(percent),
        f"Median {pct} CI": _pairs(interval, table["median_ci_low"], table["median_ci_high"]),
        "Mean ER": table["mean_er"].map(percent),
        f"Mean {pct} CI": _pairs(interval, table["mean_ci_low"], table["mean_ci_high"]),
        "Pooled ER": table["pooled_er"].map(percent),
        f"Pooled {pct} CI": _pairs(interval, table["pooled_ci_low"], table["pooled_ci_high"]),
        "Note": table["note"],
    })
    # Only worth a column when some creators lack an engagement rate.
    return stats if (table["n"] != table["n_creators"]).any() else stats.drop(columns="With ER")


def _pairs(fmt: Callable[[Any, Any], str], lows: pd.Series, highs: pd.Series) -> list[str]:
    return [fmt(low, high) for low, high in zip(lows, highs, strict=True)]


def _num(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def points(diff: float | None, digits: int = 2) -> str:
    """A difference of two rates in percentage points, signed: 0.0019 -> '+0.19 pts'."""
    if diff is None or not math.isfinite(diff):
        return EMPTY
    return f"{diff * 100:+.{digits}f} pts"


def p_value(p: float | None) -> str:
    """'< 0.001', '0.012', '0.34'; '—' when missing."""
    if p is None or not math.isfinite(p):
        return EMPTY
    return "< 0.001" if p < 0.001 else f"{p:.2g}" if p >= 0.01 else f"{p:.3f}"


def p_phrase(p: float | None) -> str:
    """'p < 0.001' or 'p = 0.012', for sentences."""
    text = p_value(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def pairwise_display(pairwise: pd.DataFrame, level: float) -> pd.DataFrame:
    """Pairwise tier comparisons (see ``analysis.compare``) as readable text columns."""
    pct = f"{level:.0%}"
    shift_ci = [f"[{points(lo)}, {points(hi)}]" if math.isfinite(lo) and math.isfinite(hi) else "too few"
                for lo, hi in zip(pairwise["hl_ci_low"], pairwise["hl_ci_high"], strict=True)]
    return pd.DataFrame({
        # "Higher tier" read as "higher ER" to analysts; the pair is ordered by followers.
        "Larger tier": pairwise["group_b"].astype(str),
        "vs smaller": pairwise["group_a"].astype(str),
        "Medians": [f"{percent(b)} vs {percent(a)}" for a, b in
                    zip(pairwise["median_a"], pairwise["median_b"], strict=True)],
        "Shift in ER (Hodges–Lehmann)": pairwise["hl_shift"].map(points),
        f"Shift {pct} CI": shift_ci,
        "Cliff's δ": pairwise["cliffs_delta"].map(lambda d: f"{d:+.2f}" if math.isfinite(d) else EMPTY),
        "p (Holm)": pairwise["p_holm"].map(p_value),
        f"Differ at {pct}": pairwise["significant"].map({True: "yes", False: "no"}),
    })


def benchmark_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """Our data beside a published benchmark (see ``analysis.benchmarks.beside_benchmark``)."""
    stat = str(table["compared_with"].iloc[0]) if len(table) else "median"
    pct = f"{level:.0%}"
    return pd.DataFrame({
        "Followers": table["band"],
        "Published": table["published_er"].map(percent),
        "Creators": table["n"].map(lambda n: f"{int(n):,}"),
        f"Your {stat}": table[f"{stat}_er"].map(percent),
        f"{pct} CI": _pairs(interval, table[f"{stat}_ci_low"], table[f"{stat}_ci_high"]),
        "Difference": table["difference"].map(points),
        "Your data is": table["position"].replace("", "too few to say"),
    })


def money(amount: float | None, significant: int = 2) -> str:
    """Dollars as a buyer reads them: '$1,234', '$15.41', '$0.30', '$0.046' (``significant`` digits below $1)."""
    if amount is None or not math.isfinite(amount):
        return EMPTY
    size = abs(amount)
    if round(size, 2) >= 100 or size == 0:
        text = f"{size:,.0f}"
    else:
        text = f"{size:.{max(2, significant - 1 - math.floor(math.log10(size)))}f}"
    return f"{'-' if amount < 0 else ''}${text}"


def quantity(value: float | None) -> str:
    """A count or rate of engagements: '21,809', '41', '2.4'; '—' when missing."""
    if value is None or not math.isfinite(value):
        return EMPTY
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2g}"


def span(low: float, high: float, fmt: Callable[[float], str]) -> str:
    """'$0.17 – $0.20' with ``fmt`` for each end, or 'too few' when either end is missing."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "too few"
    return f"{fmt(low)} – {fmt(high)}"


def chance(p: float | None) -> str:
    """A probability as a percent: '87%', '> 99%', '< 1%'; '—' when missing."""
    if p is None or not math.isfinite(p):
        return EMPTY
    return "> 99%" if p > 0.99 else "< 1%" if p < 0.01 else f"{p:.0%}"


def value_table_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """Value by band (see ``analysis.value.band_value``) as readable text columns."""
    pct = f"{level:.0%}"
    return pd.DataFrame({
        "Band": table["band"].astype(str),
        "Followers": _pairs(follower_range, table["min_followers"], table["max_followers"]),
        "Creators": table["n"].map(lambda n: f"{int(n):,}"),
        "Cost per post": table["cost_per_post"].map(money),
        "Cost per engagement": table["cost_per_engagement"].map(_cents3),
        f"Cost per engagement {pct} CI": [span(lo, hi, _cents3) for lo, hi in
                                          zip(table["cpe_ci_low"], table["cpe_ci_high"], strict=True)],
        "Engagements per $1,000": table["engagements_per_1000"].map(quantity),
        f"Per $1,000 {pct} CI": [span(lo, hi, quantity) for lo, hi in
                                 zip(table["epk_ci_low"], table["epk_ci_high"], strict=True)],
        "P(best buy)": table["p_best"].map(chance),
        "Note": table["note"],
    })


def budget_plan_display(plan: pd.DataFrame, level: float) -> pd.DataFrame:
    """What a budget buys per band (see ``analysis.value.budget_plan``) as readable text columns.

    The note (e.g. the budget buys no post there) sits beside the count it explains, not off-screen
    at the far right; a band the budget cannot enter shows "—" rather than "$0" and "0 – 0".
    """
    pct = f"{level:.0%}"
    bought = plan["creators"].to_numpy() > 0
    display = pd.DataFrame({
        "Band": plan["band"].astype(str),
        "Followers": _pairs(follower_range, plan["min_followers"], plan["max_followers"]),
        "Cost per post": plan["cost_per_post"].map(money),
        "Creators it buys": plan["creators"].map(lambda n: f"{int(n):,}"),
        "Note": plan["note"],
        "Spend": plan["spend"].map(money),
        "Expected engagements": plan["expected_engagements"].map(quantity),
        f"{pct} CI": [span(lo, hi, quantity) for lo, hi in zip(plan["ee_ci_low"], plan["ee_ci_high"], strict=True)],
        f"Campaign range ({pct})": [span(lo, hi, quantity) for lo, hi in
                                    zip(plan["range_low"], plan["range_high"], strict=True)],
    })
    display.loc[~bought, display.columns[5:]] = EMPTY
    return display


def band_medians_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """Median ER with its interval per group (columns ``role``, ``followers``, ``n``, ``median_er``, ``ci_*``)."""
    return pd.DataFrame({
        "Compared": table["role"].astype(str),
        "Followers": table["followers"].astype(str),
        "Creators with ER": table["n"].map(lambda n: f"{int(n):,}"),
        "Median ER": table["median_er"].map(percent),
        f"Median {level:.0%} CI": _pairs(interval, table["ci_low"], table["ci_high"]),
    })


def _cents3(amount: float) -> str:
    # Costs per engagement are cents; three significant digits keep their intervals apart.
    return money(amount, significant=3)


def compare_table_display(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """:func:`analysis.segment_compare.compare_tiers` output as readable text, one row per tier and segment.

    "With ER" is shown only when some creators lack an engagement rate.
    """
    pct = f"{level:.0%}"
    reference = str(table["reference"].iloc[0]) if len(table) else ""
    out = pd.DataFrame({
        "Tier": table["tier"].astype(str),
        "Followers": [follower_range(_num(lo), _num(hi))
                      for lo, hi in zip(table["min_followers"], table["max_followers"], strict=True)],
        "Segment": table["segment"].astype(str),
        "Creators": table["n_creators"].map(lambda n: f"{int(n):,}"),
        "With ER": table["n"].map(lambda n: f"{int(n):,}"),
        "Median ER": table["median_er"].map(percent),
        f"Median {pct} CI": [interval(lo, hi) for lo, hi in
                             zip(table["median_ci_low"], table["median_ci_high"], strict=True)],
        f"Difference vs {reference}": table["diff_median"].map(points),
        f"Difference {pct} CI": [f"[{points(lo)}, {points(hi)}]" if math.isfinite(lo) and math.isfinite(hi) else EMPTY
                                 for lo, hi in zip(table["diff_ci_low"], table["diff_ci_high"], strict=True)],
        "p (Mann–Whitney)": table["p_value"].map(p_value),
        "Note": ["; ".join(t for t in (note, diff) if t) for note, diff in
                 zip(table["note"], table["diff_note"], strict=True)],
    })
    return out if (table["n"] != table["n_creators"]).any() else out.drop(columns="With ER")
