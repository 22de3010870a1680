"""Cached access to datasets and the expensive per-view computations.

Every cached function takes a :class:`ui.state.Source` (path, modification
time, size, mapping) rather than a dataset name, so replacing a file or
changing its mapping invalidates what was computed from it. Changing the y scale or the sweet-spot band redraws the
chart without recomputing a single interval.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import columns as col
from analysis.demo import write_demo
from analysis.engagement import with_engagement
from analysis.errors import LoadError
from analysis.loading import SUPPORTED_SUFFIXES, LoadOptions, LoadResult, load_creators
from analysis.segments import apply_filters, segment_values
from analysis.summary import tier_summary
from analysis.trend import Trend
from analysis.view_chart import ChartView, chart_bins, view_trend
from ui.state import DEMO_DATASET, FILTER_COLUMNS, NO_BENCHMARK, Filters, Source, View
from ui.store import find

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_PATH = DATA_DIR / "demo_creators.parquet"
_POST_LEVEL = {"auto": None, "creators": False, "posts": True}


def dataset_files() -> dict[str, Path]:
    """Datasets offered besides the demo: readable files in the data folder, by file name.

    The folder is ``$ATLAS_DATA_DIR`` if set, else the project's ``data/``.
    Only names from this listing are ever opened, so a URL cannot name a path.
    """
    folder = Path(os.environ.get("ATLAS_DATA_DIR", DATA_DIR))
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
    return {p.name: p for p in files if p.resolve() != DEMO_PATH}


def dataset_names() -> list[str]:
    """Every dataset the selector offers, the demo first."""
    return [DEMO_DATASET, *dataset_files()]


def dataset_source(name: str) -> Source:
    """The file behind a dataset name or upload id (the demo is generated if missing)."""
    if name == DEMO_DATASET:
        if not DEMO_PATH.exists():
            write_demo(DEMO_PATH)
        path, label = DEMO_PATH, DEMO_PATH.name
    elif name in (files := dataset_files()):
        path, label = files[name], name
    elif (stored := find(name)) is not None:
        stat = stored.path.stat()
        reading = stored.reading
        return Source(str(stored.path), stat.st_mtime_ns, stat.st_size, stored.name, reading.overrides,
                      reading.sheet, reading.duplicates, reading.aggregate, reading.rows, str(stored.posts_path or ""),
                      stored.posts_name or "")
    else:
        raise LoadError(f"no dataset named {name!r}")
    stat = path.stat()
    return Source(str(path), stat.st_mtime_ns, stat.st_size, label)


@st.cache_data(show_spinner="Loading creators…", max_entries=8)
def load_source(source: Source) -> LoadResult:
    """The file, loaded and validated; :class:`LoadError` for a file that cannot be used."""
    options = LoadOptions(overrides=source.overrides, sheet=source.sheet, duplicates=source.duplicates,
                          aggregate=source.aggregate, post_level=_POST_LEVEL[source.rows])
    posts = Path(source.posts_path) if source.posts_path else None
    return load_creators(Path(source.path), name=source.name, options=options, posts=posts,
                         posts_name=source.posts_name or None)


@dataclass(frozen=True)
class Facets:
    """What the sidebar offers for a dataset: filter values, whether it has a sponsored flag, flagged count."""

    options: dict[str, list[str]]
    has_sponsored: bool
    flagged: int


@st.cache_data(max_entries=8)
def facets(source: Source) -> Facets:
    """Counted once per dataset, not on every rerun (value counts over every creator)."""
    frame = load_source(source).frame
    return Facets(
        options={key: segment_values(frame, column) for key, column in FILTER_COLUMNS.items()},
        has_sponsored=bool(col.SPONSORED in frame.columns and frame[col.SPONSORED].notna().any()),
        flagged=int((frame["flags"] != "").sum()) if "flags" in frame.columns else 0,
    )


def filtered(view: View) -> pd.DataFrame:
    """The dataset's creators after the view's filters."""
    return filtered_frame(view.source, view.filters, view.sponsored, view.exclude_flagged)


@st.cache_data(max_entries=16)
def filtered_frame(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool) -> pd.DataFrame:
    """:func:`filtered` from hashable parts (a :class:`View` carries notices that must not split the cache)."""
    return apply_filters(load_source(source).frame, dict(filters), sponsored, exclude_flagged)


@dataclass(frozen=True)
class BinView:
    """Per-bin statistics and the sampled point cloud for the main chart."""

    bins: pd.DataFrame
    points: pd.DataFrame
    n_creators: int
    n_with_er: int


def tier_table(view: View) -> pd.DataFrame:
    """The tier summary for the view (scheme, level, definition, filters)."""
    return _tier_table(view.source, view.filters, view.sponsored, view.exclude_flagged, view.scheme, view.level,
                       view.definition, (view.mean_method, view.pooled_method))


@st.cache_data(show_spinner="Computing tier intervals…", max_entries=32)
def _tier_table(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, scheme: str, level: float,
                definition: str, methods: tuple[str, str]) -> pd.DataFrame:
    frame = filtered_frame(source, filters, sponsored, exclude_flagged)
    return tier_summary(frame, scheme=scheme, level=level, definition=definition, mean_method=methods[0],
                        pooled_method=methods[1])


def bin_view(view: View) -> BinView:
    """Binned medians with intervals and a bounded point sample for the view."""
    return _bin_view(view.source, view.filters, view.sponsored, view.exclude_flagged, view.level, view.definition,
                     (view.mean_method, view.pooled_method))


@st.cache_data(show_spinner="Computing binned medians…", max_entries=32)
def _bin_view(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, level: float,
              definition: str, methods: tuple[str, str]) -> BinView:
    prepared = with_engagement(filtered_frame(source, filters, sponsored, exclude_flagged), definition)
    bins, points = chart_bins(prepared, ChartView(level=level, definition=definition, mean_method=methods[0],
                                                  pooled_method=methods[1]))
    return BinView(bins=bins, points=points, n_creators=len(prepared), n_with_er=int(prepared["er"].notna().sum()))


@st.cache_data
def demo_notes() -> str:
    """The demo's documentation (model and every parameter), from ``data/README.md``."""
    text = (DEMO_PATH.parent / "README.md").read_text(encoding="utf-8")
    start = text.find("## The model")
    return text[start:] if start >= 0 else text


@dataclass(frozen=True)
class TrendView:
    """A fitted power law for the view and the line (with band) to draw it."""

    trend: Trend
    line: pd.DataFrame


def trend_view(view: View) -> TrendView | None:
    """The view's trend (``None`` when the trend is switched off)."""
    if view.trend == "off":
        return None
    return _trend_view(view.source, view.filters, view.sponsored, view.exclude_flagged, view.definition,
                       view.trend, view.level, view.trend_range)


@st.cache_data(show_spinner="Fitting the trend…", max_entries=32)
def _trend_view(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, definition: str,
                method: str, level: float, followers_range: tuple[float, float] | None = None) -> TrendView:
    frame = filtered_frame(source, filters, sponsored, exclude_flagged)
    fitted = view_trend(frame, ChartView(level=level, definition=definition, trend=method,
                                         trend_range=followers_range))
    if fitted is None:
        raise ValueError("the trend is switched off")  # trend_view() never asks for it then
    return TrendView(*fitted)


def chart_view(view: View) -> ChartView:
    """The parts of a dashboard view that decide the main chart and the tier table."""
    return ChartView(scheme=view.scheme, level=view.level, definition=view.definition, y_scale=view.y_scale,
                     band=view.band, trend=view.trend, trend_range=view.trend_range,
                     benchmark=None if view.benchmark == NO_BENCHMARK else view.benchmark,
                     mean_method=view.mean_method, pooled_method=view.pooled_method)
