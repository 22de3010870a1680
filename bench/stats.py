"""Time and peak memory of the full statistics (tier table + 40 log bins, every interval) against a naive baseline.

``python -m bench.stats [--sizes N ...] [--quick]``

For each size it generates the synthetic community (not timed) in a fresh
process, then times ``tiers_and_bins``: the seed tier table plus 40 equal
log bins, prepared once: medians with exact order-statistic intervals, means and pooled
rates with their intervals. The baseline, measured in the same process on a
random subsample of the same data, is what a careful analyst would write by
hand: a pandas groupby and ``scipy.stats.bootstrap`` per group (1,000
percentile resamples for the median, the mean and the paired pooled ratio).
Its time is scaled to the full size (bootstrap work grows linearly with the
group sizes). The same subsample checks agreement: our median interval must
equal ``scipy.stats.quantile_test`` exactly, and our mean interval must lie
within three Monte-Carlo standard errors of SciPy's bootstrap ends.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.demo import DemoParameters, generate_demo
from analysis.engagement import with_engagement
from analysis.summary import n_bins_summary, tier_summary, tiers_and_bins
from analysis.tiers import assign_tiers, get_scheme
from bench.loading import in_fresh_process, peak_mb

BASELINE_ROWS = 20_000
N_BINS = 40
RESAMPLES = 1_000
LEVEL = 0.95
#: Monte-Carlo standard error of a 2.5% bootstrap quantile from 1,000 resamples, in half-widths:
#: sqrt(q (1 - q) / B) / phi(z_q) / z_q with q = 0.025.
MC_SE_HALF_WIDTHS = float(np.sqrt(0.025 * 0.975 / RESAMPLES) / stats.norm.pdf(1.96) / 1.96)


@dataclass(frozen=True)
class Result:
    """One size: our best seconds, the scaled baseline, peak memory and the agreement checks."""

    n: int
    seconds: float
    peak_mb: float
    groups: int
    baseline_seconds: float  # measured on ``baseline_rows`` creators
    baseline_rows: int
    medians_equal: bool
    worst_mean_gap: float  # largest |ours - SciPy| over interval ends, in half-widths
    checked_groups: int


def statistics(frame: pd.DataFrame) -> int:
    """The timed work; returns the number of groups computed."""
    tiers, bins = tiers_and_bins(frame, scheme="seed", n_bins=N_BINS, level=LEVEL)
    return len(tiers) + len(bins)


def run_size(n: int, repeats: int) -> Result:
    """Everything for one size; meant to run alone in a fresh process."""
    frame = generate_demo(DemoParameters(n_creators=n, n_above_10k=round(5_645 * n / 205_000)))
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        groups = statistics(frame)
        seconds.append(time.perf_counter() - start)
    peak = peak_mb()
    sample = frame.sample(n=min(n, BASELINE_ROWS), random_state=0)
    base_seconds, equal, gap, checked = _baseline(sample)
    return Result(n, min(seconds), peak, groups, base_seconds, len(sample), equal, gap, checked)


@dataclass(frozen=True)
class Naive:
    """One group's hand-written answer: its ER values and SciPy's bootstrap interval for the mean."""

    er: np.ndarray
    mean: tuple[float, float]


def _baseline(sample: pd.DataFrame) -> tuple[float, bool, float, int]:
    """Naive per-group bootstraps on ``sample``: seconds, and how our intervals compare on the same groups."""
    prepared = with_engagement(sample)
    tiers = pd.Series(assign_tiers(prepared["followers"], get_scheme("seed")), index=prepared.index)
    edges = np.geomspace(prepared["followers"].min(), prepared["followers"].max(), N_BINS + 1)
    bins = pd.Series(np.clip(np.searchsorted(edges, prepared["followers"], side="right") - 1, 0, N_BINS - 1),
                     index=prepared.index)
    start = time.perf_counter()
    answers = [_naive(part) for key in (tiers, bins) for _, part in prepared.groupby(key, observed=True)]
    seconds = time.perf_counter() - start
    ours = pd.concat([tier_summary(sample, scheme="seed", level=LEVEL), n_bins_summary(sample, N_BINS, level=LEVEL)])
    ours = ours[ours["n"] > 0]
    n, median_low, median_high, mean_low, mean_high = (
        ours[c].to_numpy("float64") for c in ("n", "median_ci_low", "median_ci_high", "mean_ci_low", "mean_ci_high"))
    equal, gap, checked = True, 0.0, 0
    for i, theirs in enumerate(answers):
        equal &= _same_median_interval(median_low[i], median_high[i], theirs.er)
        if n[i] >= 2_000 and np.isfinite(mean_low[i]):
            half = (theirs.mean[1] - theirs.mean[0]) / 2
            gap = max(gap, abs(mean_low[i] - theirs.mean[0]) / half, abs(mean_high[i] - theirs.mean[1]) / half)
            checked += 1
    return seconds, equal, gap, checked


def _naive(part: pd.DataFrame) -> Naive:
    er = part["er"].dropna().to_numpy()
    if er.size < 2:
        return Naive(er, (np.nan, np.nan))
    boot: dict[str, Any] = {"method": "percentile", "n_resamples": RESAMPLES, "confidence_level": LEVEL,
                            "batch": 50}
    stats.bootstrap((er,), np.median, random_state=1, **boot)
    mean = stats.bootstrap((er,), np.mean, random_state=2, **boot).confidence_interval
    ok = part["er"].notna().to_numpy()
    stats.bootstrap((part["engagements"].to_numpy()[ok], part["followers"].to_numpy()[ok]),
                    lambda e, f, axis=-1: e.sum(axis=axis) / f.sum(axis=axis), paired=True, random_state=3, **boot)
    return Naive(er, (float(mean.low), float(mean.high)))


def _same_median_interval(low: float, high: float, er: np.ndarray) -> bool:
    if not np.isfinite(low):
        return True  # too few for an interval: nothing to compare
    exact = stats.quantile_test(er, q=float(np.median(er))).confidence_interval(LEVEL)
    return bool(low == exact.low and high == exact.high)


def report(results: list[Result]) -> str:
    head = (f"{'creators':>11} {'groups':>6} {'ours s':>8} {'peak MB':>8} {'baseline s':>11} "
            f"{'speed-up':>9} {'medians = SciPy':>16} {'mean gap':>9}")
    lines = [head]
    for r in results:
        scaled = r.baseline_seconds * r.n / r.baseline_rows
        lines.append(f"{r.n:>11,} {r.groups:>6} {r.seconds:>8.3f} {r.peak_mb:>8,.0f} {scaled:>11.1f} "
                     f"{scaled / r.seconds:>8,.0f}x {'yes' if r.medians_equal else 'NO':>16} "
                     f"{r.worst_mean_gap:>9.2f}")
    lines += ["", f"baseline: pandas groupby + scipy.stats.bootstrap (percentile, {RESAMPLES:,} resamples) for median, "
              f"mean and pooled ratio per group, timed on a {BASELINE_ROWS:,}-creator subsample and scaled by "
              "creators / subsample.",
              f"mean gap: largest |ours - SciPy| over both ends of the mean interval, in half-widths, over groups "
              f"with >= 2,000 creators in the subsample; one Monte-Carlo standard error of SciPy's ends is "
              f"{MC_SE_HALF_WIDTHS:.3f} half-widths, so agreement within Monte-Carlo error means <= "
              f"{3 * MC_SE_HALF_WIDTHS:.2f}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[205_000, 1_000_000, 10_000_000])
    parser.add_argument("--quick", action="store_true", help="205K and 1M only, one timed run each")
    args = parser.parse_args(argv)
    sizes = [205_000, 1_000_000] if args.quick else args.sizes
    results = [in_fresh_process(run_size, n, 1 if args.quick else 3) for n in sizes]
    print(report(results))


if __name__ == "__main__":
    main()
