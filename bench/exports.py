"""Time of PNG and SVG exports of the dashboard's main chart: the first (browser start-up included) and repeats.

``python -m bench.exports [--repeats N]``

Builds the home page's chart as ``pages/1_Overview.py`` does for its default view (demo data, seed tiers,
binned medians with 95% intervals, the stratified point sample, the OLS trend), then exports it
through :func:`analysis.figure_export.figure_image` at the size the download buttons use. The
first export starts Chromium; later ones reuse it. The baseline, in the same run, is a blank
figure at the same size: what an export costs apart from drawing the chart. Building the chart
is not timed.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Literal

import numpy as np
import plotly.graph_objects as go

from analysis import columns as col
from analysis.charts import engagement_chart, sample_points
from analysis.demo import write_demo
from analysis.engagement import DEFAULT_DEFINITION, with_engagement
from analysis.figure_export import chromium_path, figure_image, shutdown_image_export
from analysis.loading import load_creators
from analysis.overlays import add_trend
from analysis.summary import binned_summary, log_bin_edges
from analysis.tiers import get_scheme
from analysis.trend import fit_trend, trend_line

DEMO_PATH = Path(__file__).resolve().parent.parent / "data" / "demo_creators.parquet"
#: As in ui/data.py and the home page's default view.
BINS_PER_DECADE, POINTS_PER_BIN, LEVEL, BAND = 4, 250, 0.95, (25_000, 50_000)
#: As the download buttons (ui/downloads.py): 1200 × 700, PNG at twice that.
WIDTH, HEIGHT, SCALE = 1200, 700, 2


def main_chart(demo: Path = DEMO_PATH) -> go.Figure:
    """The home page's chart for the default view of the demo data."""
    if not demo.exists():  # as the dashboard does on first start
        demo = write_demo(Path(tempfile.mkdtemp()) / demo.name)
    frame = load_creators(demo).frame
    prepared = with_engagement(frame, DEFAULT_DEFINITION)
    edges = log_bin_edges(prepared[col.FOLLOWERS], BINS_PER_DECADE)
    bins = binned_summary(prepared, BINS_PER_DECADE, LEVEL)
    points = sample_points(prepared[[col.FOLLOWERS, "er"]], edges, per_bin=POINTS_PER_BIN)
    figure = engagement_chart(points, bins, get_scheme("seed"), BAND, "log", LEVEL)
    trend = fit_trend(frame, definition=DEFAULT_DEFINITION, method="ols", level=LEVEL)
    followers = frame[col.FOLLOWERS].to_numpy("float64")
    add_trend(figure, trend_line(trend, np.geomspace(followers.min(), followers.max(), 60)), trend.describe())
    return figure


def timed(figure: go.Figure, fmt: Literal["png", "svg"]) -> tuple[float, int]:
    """Seconds for one export and the file's size in bytes."""
    start = time.perf_counter()
    data = figure_image(figure, fmt, width=WIDTH, height=HEIGHT, scale=SCALE)
    return time.perf_counter() - start, len(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=10, help="repeated exports per format (default 10)")
    args = parser.parse_args(argv)
    figure = main_chart()
    points = len(figure.data[0].x)
    shutdown_image_export()  # a cold start, whatever ran before
    first, first_bytes = timed(figure, "png")
    png = [timed(figure, "png")[0] for _ in range(args.repeats)]
    svg_runs = [timed(figure, "svg") for _ in range(args.repeats)]
    blank = statistics.median(timed(go.Figure(), "png")[0] for _ in range(args.repeats))
    shutdown_image_export()
    png_median, svg_median = statistics.median(png), statistics.median(s for s, _ in svg_runs)
    print(f"main chart: {points:,} sampled points, {len(figure.data)} traces; "
          f"{WIDTH}×{HEIGHT} at scale {SCALE} (PNG {WIDTH * SCALE}×{HEIGHT * SCALE} px)")
    print(f"first PNG export (Chromium start-up included): {first:6.2f} s  ({first_bytes / 1e3:,.0f} KB)")
    print(f"repeated PNG, median of {args.repeats}:            {png_median:6.2f} s  "
          f"(min {min(png):.2f}, max {max(png):.2f})")
    print(f"repeated SVG, median of {args.repeats}:            {svg_median:6.2f} s  "
          f"({svg_runs[0][1] / 1e3:,.0f} KB)")
    print(f"baseline: blank figure PNG, median of {args.repeats}:   {blank:6.2f} s  (the exporter's own cost)")
    print(f"first / repeated PNG: {first / png_median:.1f}×   first / repeated SVG: {first / svg_median:.1f}×")
    print(f"kaleido {version('kaleido')}, choreographer {version('choreographer')}, plotly {version('plotly')}, "
          f"{_chromium_version()}, Python {platform.python_version()}")


def _chromium_version() -> str:
    try:
        found = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return f"no Chromium at {chromium_path()}"
    return found.stdout.strip() or "Chromium (version unknown)"


if __name__ == "__main__":
    main()
