"""Number formatting shared by tables, charts and reports."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd


def compact(count: float) -> str:
    """Follower counts the way analysts write them: 950, 12.3K, 4.5M, 1.2B."""
    if count is None or not math.isfinite(count):
        return "—"
    for factor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(count) >= factor:
            text = f"{count / factor:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{count:,.0f}"


def percent(rate: float | None, digits: int = 2) -> str:
    """A fraction as a percent (0.0234 -> '2.34%'); '—' when missing."""
    if rate is None or not math.isfinite(rate):
        return "—"
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
        return "—"
    return f"{diff * 100:+.{digits}f} pts"


def p_value(p: float | None) -> str:
    """'< 0.001', '0.012', '0.34'; '—' when missing."""
    if p is None or not math.isfinite(p):
        return "—"
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
        "Higher tier": pairwise["group_b"].astype(str),
        "vs": pairwise["group_a"].astype(str),
        "Medians": [f"{percent(b)} vs {percent(a)}" for a, b in
                    zip(pairwise["median_a"], pairwise["median_b"], strict=True)],
        "Shift in ER (Hodges–Lehmann)": pairwise["hl_shift"].map(points),
        f"Shift {pct} CI": shift_ci,
        "Cliff's δ": pairwise["cliffs_delta"].map(lambda d: f"{d:+.2f}" if math.isfinite(d) else "—"),
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
