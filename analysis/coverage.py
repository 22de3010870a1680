"""Measured coverage of every interval method, by simulation with a known truth.

Each cell (scenario × group size ``n``) draws ``reps`` groups of ``n``
creators as one ``reps × n`` matrix (in chunks) and runs the shipped grouped
functions on it with one group per replication, so what is measured is what
the dashboard computes. Engagement rates follow a scenario of
:mod:`analysis.coverage_scenarios`; followers are log-uniform in
:data:`FOLLOWER_BAND`, independent of the rate, and engagements = rate ×
followers, so the true pooled rate equals the true mean rate.

``python -m analysis.coverage`` writes :data:`RESULTS_PATH`, a JSON object with
the settings (``seed``, ``reps``, ...) and ``records``: one per statistic ×
method × scenario × n × level with the columns of :data:`RECORD_COLUMNS`:

``statistic``, ``method``
    ``median``/``mean``/``pooled`` and the interval method
``scenario``, ``sigma``
    rate distribution (``sigma``: log-sd of the log-normal scenarios, else null)
``n``, ``level``, ``reps``
    creators per group, nominal level, replications simulated
``coverage``, ``mc_se``
    share of intervals containing the truth, and its Monte-Carlo standard error
``truth_below``, ``truth_above``
    share of intervals lying entirely above / below the truth
``estimate_outside``
    share of intervals not containing the sample estimate itself
``mean_width``, ``relative_width``
    average width, and that width divided by the true value
``too_few``
    share of replications without an interval
``exact_coverage``
    median only: the exact binomial coverage of the chosen order statistics
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.coverage_scenarios import SCENARIOS, Scenario
from analysis.group_sums import FloatArray
from analysis.intervals import median_ci_ranks
from analysis.mean_intervals import DEFAULT_MEAN_METHOD, MEAN_METHODS, RESAMPLE_UP_TO, grouped_mean_ci
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD, POOLED_METHODS, grouped_pooled_ci

RESULTS_PATH = Path(__file__).with_name("coverage_results.json")
SIZES: tuple[int, ...] = (10, 30, 100, 1_000, 2_000, 10_000)
COVERAGE_LEVELS: tuple[float, ...] = (0.90, 0.95)
#: Followers per creator: log-uniform between these bounds.
FOLLOWER_BAND = (1e4, 1e5)
#: Methods that resample groups up to ``RESAMPLE_UP_TO`` (slow there: fewer replications).
RESAMPLED = {("mean", "bootstrap-t"), ("mean", "bca"), ("pooled", "bootstrap-t")}
#: Largest ``reps × n`` simulated per cell (bounds the run time of the biggest groups).
MAX_CELLS = 100_000_000
_CHUNK_CELLS = 1_000_000
RECORD_COLUMNS = [
    "statistic", "method", "scenario", "sigma", "n", "level", "reps", "coverage", "mc_se",
    "truth_below", "truth_above", "estimate_outside", "mean_width", "relative_width", "too_few", "exact_coverage",
]

Bounds = tuple[FloatArray, FloatArray]
#: ``interval(er, followers, level, seeds) -> (low, high)`` for a chunk of replications (rows).
Method = Callable[[FloatArray, FloatArray, float, list[list[int]]], Bounds]


def methods() -> dict[tuple[str, str], Method]:
    """Every (statistic, method) pair measured, as a function of a ``reps × n`` chunk."""
    table: dict[tuple[str, str], Method] = {("median", "order-statistic"): _median}
    for name in MEAN_METHODS:
        table["mean", name] = _mean_method(name)
    for name in POOLED_METHODS:
        table["pooled", name] = _pooled_method(name)
    return table


def simulate_cell(
    scenario: Scenario, n: int, *, reps: int, reps_resampled: int, seed: int,
    levels: Sequence[float] = COVERAGE_LEVELS, which: Collection[tuple[str, str]] | None = None,
) -> list[dict[str, object]]:
    """Coverage records of every method (or of the (statistic, method) pairs in ``which``) for one cell.

    ``reps`` is capped at ``MAX_CELLS // n`` but kept at least ``reps_resampled``.
    """
    chosen = {key: fn for key, fn in methods().items() if which is None or key in which}
    reps = max(min(reps, MAX_CELLS // n), reps_resampled)
    chunk = max(1, _CHUNK_CELLS // n)  # fixed per n: a replication's data depend only on seed, scenario, n, chunk
    tallies: dict[tuple[str, str, float], _Tally] = {}
    for start in range(0, reps, chunk):
        rows = min(chunk, reps - start)
        rng = np.random.default_rng([seed, SCENARIOS.index(scenario), n, start])
        er = scenario.draw(rng, (rows, n))
        followers = np.exp(rng.uniform(np.log(FOLLOWER_BAND[0]), np.log(FOLLOWER_BAND[1]), size=(rows, n)))
        seeds = [[seed, SCENARIOS.index(scenario), n, start + r] for r in range(rows)]
        for (statistic, name), interval in chosen.items():
            slow = (statistic, name) in RESAMPLED and n <= RESAMPLE_UP_TO
            take = rows if not slow else max(0, min(rows, reps_resampled - start))
            if take == 0:
                continue
            estimate = _estimate(statistic, er[:take], followers[:take])
            for level in levels:
                low, high = interval(er[:take], followers[:take], level, seeds[:take])
                tally = tallies.setdefault((statistic, name, level), _Tally())
                tally.add(low, high, scenario.truth(statistic), estimate)
    return [
        tally.record(statistic, name, scenario, n, level)
        for (statistic, name, level), tally in tallies.items()
    ]


def coverage_table(
    *, reps: int = 20_000, reps_resampled: int = 4_000, seed: int = 20_240_601,
    sizes: Sequence[int] = SIZES, scenarios: Sequence[Scenario] = SCENARIOS,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Tidy frame of :data:`RECORD_COLUMNS`, one row per statistic × method × scenario × n × level.

    ``progress``, if given, is called with a short line after each cell.
    """
    records: list[dict[str, object]] = []
    for scenario in scenarios:
        for n in sizes:
            started = time.perf_counter()
            records += simulate_cell(scenario, n, reps=reps, reps_resampled=reps_resampled, seed=seed)
            if progress:
                progress(f"{scenario.description}, n={n}: {time.perf_counter() - started:.1f} s")
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def load_results(path: Path = RESULTS_PATH) -> tuple[dict[str, Any], pd.DataFrame]:
    """The stored settings and coverage records (see :func:`main`)."""
    stored = json.loads(path.read_text())
    return stored["settings"], pd.DataFrame(stored["records"], columns=RECORD_COLUMNS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the full simulation and write the results file."""
    parser = argparse.ArgumentParser(prog="python -m analysis.coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20_000, help="replications per cell (analytic methods)")
    parser.add_argument("--reps-resampled", type=int, default=4_000, help="replications for resampled small groups")
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--out", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = coverage_table(reps=args.reps, reps_resampled=args.reps_resampled, seed=args.seed,
                           progress=lambda line: print(line, flush=True))
    settings = {
        "seed": args.seed, "reps": args.reps, "reps_resampled": args.reps_resampled, "max_cells": MAX_CELLS,
        "sizes": list(SIZES), "levels": list(COVERAGE_LEVELS), "follower_band": list(FOLLOWER_BAND),
        "scenarios": [s.description for s in SCENARIOS],
        "defaults": {"mean": DEFAULT_MEAN_METHOD, "pooled": DEFAULT_POOLED_METHOD},
        "seconds": round(time.perf_counter() - started, 1),
    }
    records = json.loads(table.to_json(orient="records"))
    args.out.write_text(json.dumps({"settings": settings, "records": records}, indent=1) + "\n")
    print(f"wrote {len(records)} records to {args.out} in {settings['seconds']} s")
    return 0


class _Tally:
    """Running hit and width counts of one method at one level."""

    def __init__(self) -> None:
        self.reps = self.hits = self.low_misses = self.high_misses = self.outside = self.missing = 0
        self.width = 0.0

    def add(self, low: FloatArray, high: FloatArray, truth: float, estimate: FloatArray) -> None:
        ok = ~(np.isnan(low) | np.isnan(high))
        self.reps += low.size
        self.missing += int((~ok).sum())
        self.hits += int(np.sum(ok & (low <= truth) & (truth <= high)))
        self.low_misses += int(np.sum(ok & (truth < low)))
        self.high_misses += int(np.sum(ok & (truth > high)))
        self.outside += int(np.sum(ok & ((estimate < low) | (estimate > high))))
        self.width += float(np.sum((high - low)[ok]))

    def record(self, statistic: str, method: str, scenario: Scenario, n: int, level: float) -> dict[str, object]:
        coverage = self.hits / self.reps
        width = self.width / max(self.reps - self.missing, 1)
        return {
            "statistic": statistic, "method": method, "scenario": scenario.name, "sigma": scenario.sigma,
            "n": n, "level": level, "reps": self.reps, "coverage": coverage,
            "mc_se": float(np.sqrt(max(coverage * (1 - coverage), 1 / self.reps) / self.reps)),
            "truth_below": self.low_misses / self.reps, "truth_above": self.high_misses / self.reps,
            "estimate_outside": self.outside / self.reps, "mean_width": width,
            "relative_width": width / scenario.truth(statistic), "too_few": self.missing / self.reps,
            "exact_coverage": _exact_median_coverage(n, level) if statistic == "median" else None,
        }


def _estimate(statistic: str, er: FloatArray, followers: FloatArray) -> FloatArray:
    if statistic == "median":
        return np.asarray(np.median(er, axis=1))
    if statistic == "mean":
        return np.asarray(er.mean(axis=1))
    return np.asarray((er * followers).sum(axis=1) / followers.sum(axis=1))


def _median(er: FloatArray, followers: FloatArray, level: float, seeds: list[list[int]]) -> Bounds:
    ordered = np.sort(er, axis=1)
    low, high = (int(rank) for rank in median_ci_ranks(er.shape[1], level))
    if low < 1:
        return np.full(er.shape[0], np.nan), np.full(er.shape[0], np.nan)
    return ordered[:, low - 1], ordered[:, high - 1]


def _mean_method(name: str) -> Method:
    def interval(er: FloatArray, followers: FloatArray, level: float, seeds: list[list[int]]) -> Bounds:
        codes = np.repeat(np.arange(er.shape[0]), er.shape[1])
        return grouped_mean_ci(er.ravel(), codes, er.shape[0], level, name, seeds=seeds)

    return interval


def _pooled_method(name: str) -> Method:
    def interval(er: FloatArray, followers: FloatArray, level: float, seeds: list[list[int]]) -> Bounds:
        codes = np.repeat(np.arange(er.shape[0]), er.shape[1])
        engagements = (er * followers).ravel()
        return grouped_pooled_ci(engagements, followers.ravel(), codes, er.shape[0], level, name, seeds=seeds)

    return interval


def _exact_median_coverage(n: int, level: float) -> float:
    low, high = (int(rank) for rank in median_ci_ranks(n, level))
    return float(stats.binom.cdf(high - 1, n, 0.5) - stats.binom.cdf(low - 1, n, 0.5)) if low else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
