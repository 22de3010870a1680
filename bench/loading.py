"""Time and peak memory of :func:`analysis.loading.load_creators` against plain pandas, on generated files.

``python -m bench.loading [--rows-csv N] [--rows-parquet N] [--quick] [--profile]``

Writes a creator CSV (mixed "12.3K"/plain counts, yes/no, a few bad cells) and a
Parquet file of the demo community into a temporary folder, then times the full
loader (read, column mapping, parsing, checks, duplicates, flags) and the pandas
baseline (``read_csv`` / ``read_parquet`` of the same file) in fresh processes,
each reporting its own peak resident memory. ``bench/README.md`` explains the table.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import platform
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.loading import LoadResult, load_creators
from bench.generate import write_csv, write_parquet

P = ParamSpec("P")
T = TypeVar("T")

_LOADER = "load_creators"


def _imports_only(path: str) -> None:
    """The baseline of baselines: a process that has imported everything and read nothing."""


_TASKS: dict[str, Callable[[str], object]] = {
    "imports only": _imports_only,
    _LOADER: load_creators,
    "pandas.read_csv": pd.read_csv,
    "pandas.read_parquet": pd.read_parquet,
}


@dataclass(frozen=True)
class Sample:
    """One timed call in a fresh process: seconds, the process's peak memory, and what came back."""

    seconds: float
    peak_mb: float  # peak resident memory of the whole process, interpreter and imports included
    rows: int  # rows returned; for the loader, rows loaded
    rejected: int | None = None  # loader only: rows in report.rejected
    reasons: tuple[tuple[str, int], ...] = ()  # loader only: rejection reasons, most frequent first


@dataclass(frozen=True)
class Case:
    """One file to load, the baseline reader for it, and how many timed runs of each."""

    label: str
    path: str
    rows: int
    baseline: str
    repeats: int


@dataclass(frozen=True)
class Outcome:
    """A case's best loader and baseline samples (peak memory: the largest over the runs)."""

    case: Case
    loader: Sample
    baseline: Sample


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def measure(task: str, path: str) -> Sample:
    """Run one task of :data:`_TASKS` on ``path``; meant to run alone in a fresh process."""
    start = time.perf_counter()
    out = _TASKS[task](path)
    seconds = time.perf_counter() - start
    peak = peak_mb()
    if isinstance(out, LoadResult):
        report = out.report
        reasons = sorted(report.reason_counts().items(), key=lambda item: (-item[1], item[0]))
        return Sample(seconds, peak, report.loaded, len(report.rejected), tuple(reasons))
    return Sample(seconds, peak, len(out) if isinstance(out, pd.DataFrame) else 0)


def in_fresh_process(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``fn`` in a newly spawned interpreter and return its result.

    On Linux a spawned child starts with its parent's peak memory (fork, then
    exec), so the parent must stay small: it never holds the generated data.
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _best(samples: list[Sample]) -> Sample:
    """The fastest run's figures, with the largest peak memory seen in any run."""
    fastest = min(samples, key=lambda sample: sample.seconds)
    return replace(fastest, peak_mb=max(sample.peak_mb for sample in samples))


def run_case(case: Case) -> Outcome:
    """Time the baseline and the loader ``case.repeats`` times each, alternating, every run in a fresh process."""
    loader: list[Sample] = []
    baseline: list[Sample] = []
    for attempt in range(1, case.repeats + 1):
        _progress(f"{case.label}: run {attempt}/{case.repeats} of {case.baseline} and {_LOADER}")
        baseline.append(in_fresh_process(measure, case.baseline, case.path))
        loader.append(in_fresh_process(measure, _LOADER, case.path))
    return Outcome(case, _best(loader), _best(baseline))


def profile_loader(path: str, top: int = 15) -> str:
    """cProfile one loader run: the functions with the most time of their own, then the costliest analysis steps."""
    profiler = cProfile.Profile()
    profiler.runcall(load_creators, path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(f"{os.sep}analysis{os.sep}", top)
    return out.getvalue()


def table(outcomes: list[Outcome]) -> str:
    """The figures as an aligned text table, one line per file."""
    header = ["file", "rows", "loader s", "pandas s", "loader/pandas", "loader MB", "pandas MB", "loaded",
              "rejected", "loader rows/s", "pandas rows/s"]
    lines = [header, *(_row(outcome) for outcome in outcomes)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(line, widths, strict=True))) for line in lines)


def _row(outcome: Outcome) -> list[str]:
    loader, base, rows = outcome.loader, outcome.baseline, outcome.case.rows
    return [outcome.case.label, f"{rows:,}", f"{loader.seconds:.2f}", f"{base.seconds:.2f}",
            f"{loader.seconds / base.seconds:.1f}x", f"{loader.peak_mb:,.0f}", f"{base.peak_mb:,.0f}",
            f"{loader.rows:,}", f"{loader.rejected or 0:,}", f"{rows / loader.seconds:,.0f}",
            f"{rows / base.seconds:,.0f}"]


def details(outcomes: list[Outcome], idle: Sample) -> str:
    """What the table rests on: versions, the import baseline, row accounting and rejection reasons."""
    lines = [f"python {platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
             f"numpy {np.__version__}, {os.cpu_count()} CPUs",
             f"peak MB of a process that only imported the modules: {idle.peak_mb:,.0f}; of this parent process: "
             f"{peak_mb():,.0f} (a child cannot report less than its parent's peak)"]
    for outcome in outcomes:
        case, loader = outcome.case, outcome.loader
        accounted = loader.rows + (loader.rejected or 0)
        lines.append(f"{case.label}: best of {case.repeats}; baseline {case.baseline} returned "
                     f"{outcome.baseline.rows:,} rows; loaded + rejected = {accounted:,} of {case.rows:,} rows"
                     + ("" if accounted == case.rows else "  <-- MISMATCH"))
        lines += [f"    {count:>7,}  {reason}" for reason, count in loader.reasons]
    return "\n".join(lines)


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _write_files(folder: Path, args: argparse.Namespace) -> list[Case]:
    csv_path, parquet_path = str(folder / "creators.csv"), str(folder / "creators.parquet")
    _progress(f"writing a {args.rows_csv:,}-row CSV (not timed)")
    size = in_fresh_process(write_csv, csv_path, args.rows_csv)
    _progress(f"  {size / 1e6:,.0f} MB; writing a {args.rows_parquet:,}-row Parquet file (not timed)")
    size = in_fresh_process(write_parquet, parquet_path, args.rows_parquet)
    _progress(f"  {size / 1e6:,.0f} MB")
    return [Case("CSV", csv_path, args.rows_csv, "pandas.read_csv", args.repeats_csv),
            Case("Parquet", parquet_path, args.rows_parquet, "pandas.read_parquet", args.repeats_parquet)]


def _row_count(text: str) -> int:
    rows = int(text.replace("_", "").replace(",", ""))
    if rows < 1_000:
        raise argparse.ArgumentTypeError(f"need at least 1,000 rows, got {text!r}")
    return rows


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.loading", description=__doc__.splitlines()[0])
    parser.add_argument("--rows-csv", type=_row_count, help="CSV rows (default 1,000,000; 100,000 with --quick)")
    parser.add_argument("--rows-parquet", type=_row_count,
                        help="Parquet rows (default 10,000,000; 1,000,000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer rows, one timed run of each")
    parser.add_argument("--profile", action="store_true", help="also cProfile one loader run on each file")
    args = parser.parse_args(argv)
    args.rows_csv = args.rows_csv or (100_000 if args.quick else 1_000_000)
    args.rows_parquet = args.rows_parquet or (1_000_000 if args.quick else 10_000_000)
    args.repeats_csv, args.repeats_parquet = (1, 1) if args.quick else (3, 2)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-loading-") as folder:
        cases = _write_files(Path(folder), args)
        idle = in_fresh_process(measure, "imports only", "")
        outcomes = [run_case(case) for case in cases]
        profiles = [(case.label, in_fresh_process(profile_loader, case.path)) for case in cases if args.profile]
    print(table(outcomes), details(outcomes, idle), sep="\n\n")
    for label, profile in profiles:
        print(f"\ncProfile of one {_LOADER} run on the {label} file:\n{profile}")


if __name__ == "__main__":
    main()
