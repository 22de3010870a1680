"""Reading the stored coverage results: a table per level and where each method falls short.

The requirements checked here are the product's: at the nominal level, median
intervals never fall below it by more than Monte-Carlo error (3 MC SE) and,
from n = 100, stay within 3 points above it; mean and pooled intervals stay
within ±2 points from n = 100 and lose at most 3 points at n = 30. Only the
log-normal scenarios are requirements; the misspecified ones show limits.
"""

from __future__ import annotations

import pandas as pd


def scenario_label(row: pd.Series) -> str:
    """'σ 0.8' for a log-normal scenario, else the scenario's name."""
    return f"σ {row['sigma']:g}" if row["scenario"] == "lognormal" else str(row["scenario"])


def coverage_matrix(records: pd.DataFrame, level: float) -> pd.DataFrame:
    """Coverage (percent text) at ``level``: one row per statistic × method, one column per scenario × n."""
    at = records[records["level"].round(4) == round(level, 4)].copy()
    at["scenario_label"] = at.apply(scenario_label, axis=1)
    at["cell"] = at["coverage"].map(lambda c: f"{c:.1%}" if pd.notna(c) else "—")
    table = at.pivot_table(index=["statistic", "method"], columns=["scenario_label", "n"], values="cell",
                           aggfunc="first", sort=False)
    table.columns = [f"{column[0]} · n={int(column[1]):,}" for column in table.columns]
    return table.reset_index()


def shortfalls(records: pd.DataFrame) -> pd.DataFrame:
    """Every log-normal cell that misses its requirement, and every misspecified cell more than 2 points off.

    Columns: ``statistic``, ``method``, ``scenario``, ``n``, ``level``,
    ``coverage``, ``requirement`` (in words).
    """
    rows = []
    for record in records.dropna(subset=["coverage"]).to_dict("records"):
        why = _missed(str(record["statistic"]), str(record["scenario"]), int(record["n"]), float(record["level"]),
                      float(record["coverage"]), float(record["mc_se"]))
        if why:
            label = scenario_label(pd.Series(record))
            rows.append({"statistic": record["statistic"], "method": record["method"], "scenario": label,
                         "n": int(record["n"]), "level": float(record["level"]),
                         "coverage": float(record["coverage"]), "requirement": why})
    return pd.DataFrame(rows, columns=["statistic", "method", "scenario", "n", "level", "coverage", "requirement"])


def _missed(statistic: str, scenario: str, n: int, level: float, coverage: float, mc_se: float) -> str:
    gap = coverage - level
    if scenario != "lognormal":
        return "more than 2 points from nominal (misspecified model)" if n >= 100 and abs(gap) > 0.02 else ""
    if statistic == "median":
        if gap < -3 * mc_se:
            return "below nominal by more than Monte-Carlo error"
        return "more than 3 points above nominal" if n >= 100 and gap > 0.03 else ""
    if n >= 100 and abs(gap) > 0.02:
        return "more than 2 points from nominal (n ≥ 100)"
    return "loses more than 3 points (n = 30)" if n == 30 and gap < -0.03 else ""
