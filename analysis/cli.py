"""Command line: ``python -m analysis report PATH`` and ``python -m analysis demo``.

Bad input ends with exit status 2 and one line on stderr, never a traceback
(set ``ATLAS_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from analysis.benchmarks import benchmarks
from analysis.engagement import DEFAULT_DEFINITION, DEFINITIONS
from analysis.errors import LoadError
from analysis.format import tier_table_display
from analysis.html_report import ReportContext, html_report
from analysis.intervals import (
    DEFAULT_MEAN_METHOD,
    DEFAULT_POOLED_METHOD,
    MEAN_METHODS,
    POOLED_METHODS,
    check_level,
)
from analysis.loading import LoadOptions, LoadResult, load_creators
from analysis.mapping import parse_overrides
from analysis.posts import AGGREGATES
from analysis.quality import DUPLICATE_POLICIES
from analysis.report import build_report
from analysis.summary import tier_summary
from analysis.sweet_spot import sweet_spot_test
from analysis.tiers import tier_schemes
from analysis.trend import fit_trend
from analysis.view_chart import ChartView


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"level must be a number like 0.95, got {text!r}") from None
    value = value / 100 if value > 1 else value
    try:
        return check_level(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _dollars(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an amount of dollars like 100, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"the price per 10K followers must be 0 or more, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Engagement Atlas: engagement by follower tier.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    report = verbs.add_parser("report", help="tier table with confidence intervals for a creator file")
    report.add_argument("path", help="creator file: CSV/TSV/text, Excel, Parquet, JSON or JSON Lines, optionally "
                        "gzip- or zip-compressed; one row per creator (or per post: aggregated per creator)")
    report.add_argument("--posts", metavar="POSTS_FILE", help="a posts file to join to PATH on the creator handle")
    report.add_argument("--map", action="append", default=[], metavar="CANONICAL=SOURCE",
                        help="read column SOURCE as CANONICAL (e.g. followers=Subscribers; 'views=' unmaps)")
    report.add_argument("--sheet", help="Excel sheet name or 0-based index (default: the first)")
    report.add_argument("--duplicates", default="first", choices=DUPLICATE_POLICIES,
                        help="which row to keep for a creator listed twice")
    report.add_argument("--aggregate", default="mean", choices=AGGREGATES, help="per-post average for post files")
    report.add_argument("--scheme", default="seed", choices=sorted(tier_schemes()))
    report.add_argument("--level", type=_level, default=0.95, help="confidence level, e.g. 0.95 (or 95)")
    report.add_argument("--definition", default=DEFAULT_DEFINITION, choices=sorted(DEFINITIONS))
    report.add_argument("--by", metavar="COLUMN", help="repeat the tier rows per value of COLUMN")
    report.add_argument("--bins", type=_positive_int, metavar="N", help="also summarise N equal-width log bins")
    report.add_argument("--band", type=float, nargs=2, metavar=("LO", "HI"), default=(25_000, 50_000),
                        help="sweet-spot band tested against its neighbours (default 25000 50000)")
    report.add_argument("--mean-method", default=DEFAULT_MEAN_METHOD, choices=MEAN_METHODS,
                        help="interval for the mean ER (default auto: chosen by measured coverage, see README)")
    report.add_argument("--pooled-method", default=DEFAULT_POOLED_METHOD, choices=POOLED_METHODS,
                        help="interval for the pooled ER")
    report.add_argument("--trend", default="ols", choices=("ols", "theil-sen"), help="power-law fit method")
    report.add_argument("--trend-range", type=float, nargs=2, metavar=("LO", "HI"),
                        help="fit the trend only on creators with LO <= followers < HI (HI may be inf)")
    report.add_argument("--cost-per-10k", type=_dollars, metavar="DOLLARS",
                        help="price per post per 10,000 followers: adds cost per engagement by tier")
    report.add_argument("--benchmark", choices=sorted(benchmarks()), help="html: overlay a published benchmark")
    report.add_argument("--format", default="text", choices=("json", "csv", "text", "html"),
                        help="html: a self-contained report (chart, tiers, sweet spot, trend, methods); needs --out")
    report.add_argument("--out", metavar="FILE", help="write the report to FILE instead of standard output")
    demo = verbs.add_parser("demo", help="write the synthetic demo community (Parquet)")
    demo.add_argument("--out", default="data/demo_creators.parquet")
    demo.add_argument("--seed", type=int, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run_report(args) if args.verb == "report" else _run_demo(args)
    except (LoadError, ValueError, OSError) as exc:
        return _fail(exc)
    except Exception as exc:  # noqa: BLE001 - the contract is "never a traceback"
        return _fail(exc, prefix="unexpected failure: ")


def _load(args: argparse.Namespace) -> LoadResult:
    sheet: str | int | None = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    options = LoadOptions.with_overrides(parse_overrides(args.map), sheet=sheet, duplicates=args.duplicates,
                                         aggregate=args.aggregate)
    return load_creators(args.path, options=options, posts=args.posts)


def _run_report(args: argparse.Namespace) -> int:
    if args.format == "html" and not args.out:
        raise ValueError("--format html writes a file: add --out FILE (e.g. --out report.html)")
    loaded = _load(args)
    if args.format == "html":
        view = ChartView(scheme=args.scheme, level=args.level, definition=args.definition, band=_band(args),
                         trend=args.trend, trend_range=_trend_range(args), benchmark=args.benchmark,
                         mean_method=args.mean_method, pooled_method=args.pooled_method)
        rep = loaded.report
        note = f"{rep.total:,} rows read, {rep.loaded:,} loaded, {len(rep.rejected):,} rejected."
        text = html_report(loaded.frame, view, ReportContext(dataset=Path(args.path).name, rows_note=note))
        return _emit(args, text)
    if args.format == "json":
        report = build_report(loaded, args.scheme, args.level, args.definition, args.by, bins=args.bins,
                              band=tuple(args.band), trend_method=args.trend, trend_range=_trend_range(args),
                              cost_per_10k=args.cost_per_10k,
                              methods=(args.mean_method, args.pooled_method))
        return _emit(args, json.dumps(report, ensure_ascii=False) + "\n")
    table = tier_summary(loaded.frame, args.scheme, args.level, args.definition, args.by,
                         mean_method=args.mean_method, pooled_method=args.pooled_method)
    if args.format == "csv":
        return _emit(args, table.to_csv(index=False))
    rep = loaded.report
    print(f"{rep.source}: {rep.total:,} rows, {rep.loaded:,} loaded ({rep.creators:,} creators), "
          f"{len(rep.rejected):,} rejected")
    for reason, count in rep.reason_counts().items():
        print(f"  rejected: {count:,} x {reason}")
    for line in (*rep.decisions, *rep.notes):
        print(f"  {line}")
    print(f"scheme {args.scheme}, {args.level:.0%} intervals, ER = {args.definition}")
    print(tier_table_display(table, args.level).to_string(index=False))
    verdict = sweet_spot_test(loaded.frame, tuple(args.band), None, args.definition, args.level)
    print(f"sweet spot: {verdict.verdict_text}")
    trend = fit_trend(loaded.frame, definition=args.definition, method=args.trend, level=args.level,
                      followers_range=_trend_range(args))
    print(f"trend: {trend.describe()}")
    return 0


def _emit(args: argparse.Namespace, text: str) -> int:
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _band(args: argparse.Namespace) -> tuple[int, int]:
    low, high = args.band
    if not 0 < low < high:
        raise ValueError(f"--band needs 0 < LO < HI, got {low:g} {high:g}")
    return round(low), round(high)


def _trend_range(args: argparse.Namespace) -> tuple[float, float] | None:
    return None if args.trend_range is None else (args.trend_range[0], args.trend_range[1])


def _run_demo(args: argparse.Namespace) -> int:
    from analysis.demo import DemoParameters, write_demo

    params = DemoParameters() if args.seed is None else DemoParameters(seed=args.seed)
    path = write_demo(args.out, params)
    print(f"wrote {params.n_creators:,} synthetic creators to {path}")
    return 0


def _fail(exc: BaseException, prefix: str = "") -> int:
    if os.environ.get("ATLAS_DEBUG"):
        raise exc
    message = " ".join(str(exc).split()) or type(exc).__name__
    print(f"error: {prefix}{message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
