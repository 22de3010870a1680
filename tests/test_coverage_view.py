"""Reading coverage results: the matrix and the shortfall rules, on hand-made records."""

from __future__ import annotations

import pandas as pd

from analysis.coverage_view import coverage_matrix, shortfalls


def _record(statistic, method, scenario, sigma, n, level, coverage, mc_se=0.002):
    return {"statistic": statistic, "method": method, "scenario": scenario, "sigma": sigma, "n": n, "level": level,
            "coverage": coverage, "mc_se": mc_se}


def test_shortfall_rules_follow_the_requirements():
    records = pd.DataFrame([
        _record("median", "order-statistic", "lognormal", 0.8, 10, 0.95, 0.978),   # discreteness at n=10: fine
        _record("median", "order-statistic", "lognormal", 0.8, 100, 0.95, 0.982),  # > 3 points above
        _record("median", "order-statistic", "lognormal", 0.8, 1000, 0.95, 0.943),  # below by > 3 MC SE
        _record("mean", "t", "lognormal", 1.2, 30, 0.95, 0.915),                    # loses 3.5 points
        _record("mean", "t", "lognormal", 1.2, 100, 0.95, 0.935),                   # 1.5 below: fine
        _record("mean", "t", "lognormal", 1.2, 1000, 0.90, 0.875),                  # 2.5 below
        _record("pooled", "delta", "gamma", None, 1000, 0.95, 0.94),                # misspecified, 1 point: fine
        _record("pooled", "delta", "mixture", None, 100, 0.95, 0.91),               # misspecified, 4 points
    ])
    missed = shortfalls(records)
    assert list(zip(missed["statistic"], missed["n"], missed["scenario"], strict=True)) == [
        ("median", 100, "σ 0.8"), ("median", 1000, "σ 0.8"), ("mean", 30, "σ 1.2"), ("mean", 1000, "σ 1.2"),
        ("pooled", 100, "mixture")]
    assert missed.loc[0, "requirement"] == "more than 3 points above nominal"


def test_matrix_has_one_row_per_method_and_one_column_per_cell():
    records = pd.DataFrame([_record("mean", m, "lognormal", s, n, lv, 0.95) for m in ("t", "bca")
                            for s in (0.5, 1.2) for n in (30, 100) for lv in (0.90, 0.95)])
    matrix = coverage_matrix(records, 0.90)
    assert list(matrix["method"]) == ["t", "bca"] and len(matrix.columns) == 2 + 4
    assert "σ 1.2 · n=100" in matrix.columns and (matrix["σ 0.5 · n=30"] == "95.0%").all()
