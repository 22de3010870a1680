"""Cached access to datasets and the expensive per-view computations.

Every function here is a ``st.cache_data`` wrapper with hashable arguments:
changing the y scale or the sweet-spot band redraws the chart without
recomputing a single interval.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import columns as col
from analysis.charts import sample_points
from analysis.demo import write_demo
from analysis.engagement import with_engagement
from analysis.loading import LoadError, LoadResult, load_creators
from analysis.segments import apply_filters
from analysis.summary import bin_summary, log_bin_edges, tier_summary
from ui.state import DEMO_DATASET, View

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_PATH = DATA_DIR / "demo_creators.parquet"
BINS_PER_DECADE = 4
_SUFFIXES = (".csv", ".tsv", ".parquet")


def dataset_files() -> dict[str, Path]:
    """Datasets offered besides the demo: CSV/TSV/Parquet files in the data folder, by file stem.

    The folder is ``$ATLAS_DATA_DIR`` if set, else the project's ``data/``.
    Only names from this listing are ever opened, so a URL cannot name a path.
    """
    folder = Path(os.environ.get("ATLAS_DATA_DIR", DATA_DIR))
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in _SUFFIXES and p.resolve() != DEMO_PATH)
    return {p.stem: p for p in files if p.stem != DEMO_DATASET}


def dataset_names() -> list[str]:
    """Every dataset the selector offers, the demo first."""
    return [DEMO_DATASET, *dataset_files()]


@st.cache_data(show_spinner="Loading creators…", max_entries=8)
def load_dataset(name: str) -> LoadResult:
    """The named dataset, loaded and validated (the demo is generated if missing).

    Raises :class:`analysis.loading.LoadError` with a readable message for a
    file that cannot be used.
    """
    if name == DEMO_DATASET:
        if not DEMO_PATH.exists():
            write_demo(DEMO_PATH)
        return load_creators(DEMO_PATH)
    files = dataset_files()
    if name not in files:
        raise LoadError(f"no dataset named {name!r}")
    return load_creators(files[name])


def filtered(view: View) -> pd.DataFrame:
    """The dataset's creators after the view's filters."""
    return _filtered(view.dataset, view.filters, view.sponsored)


@st.cache_data(max_entries=16)
def _filtered(dataset: str, filters: tuple[tuple[str, tuple[str, ...]], ...], sponsored: str) -> pd.DataFrame:
    return apply_filters(load_dataset(dataset).frame, dict(filters), sponsored)


@dataclass(frozen=True)
class BinView:
    """Per-bin statistics and the sampled point cloud for the main chart."""

    bins: pd.DataFrame
    points: pd.DataFrame
    n_creators: int
    n_with_er: int


def tier_table(view: View) -> pd.DataFrame:
    """The tier summary for the view (scheme, level, definition, filters)."""
    return _tier_table(view.dataset, view.filters, view.sponsored, view.scheme, view.level, view.definition)


@st.cache_data(show_spinner="Computing tier intervals…", max_entries=32)
def _tier_table(dataset: str, filters: tuple[tuple[str, tuple[str, ...]], ...], sponsored: str,
                scheme: str, level: float, definition: str) -> pd.DataFrame:
    return tier_summary(_filtered(dataset, filters, sponsored), scheme=scheme, level=level, definition=definition)


def bin_view(view: View) -> BinView:
    """Binned medians with intervals and a bounded point sample for the view."""
    return _bin_view(view.dataset, view.filters, view.sponsored, view.level, view.definition)


@st.cache_data(show_spinner="Computing binned medians…", max_entries=32)
def _bin_view(dataset: str, filters: tuple[tuple[str, tuple[str, ...]], ...], sponsored: str,
              level: float, definition: str) -> BinView:
    frame = _filtered(dataset, filters, sponsored)
    prepared = with_engagement(frame, definition)
    edges = log_bin_edges(prepared[col.FOLLOWERS], BINS_PER_DECADE)
    return BinView(
        bins=bin_summary(frame, per_decade=BINS_PER_DECADE, level=level, definition=definition),
        points=sample_points(prepared[[col.FOLLOWERS, "er"]], edges),
        n_creators=len(frame),
        n_with_er=int(prepared["er"].notna().sum()),
    )


@st.cache_data
def demo_notes() -> str:
    """The demo's documentation (model and every parameter), from ``data/README.md``."""
    text = (DEMO_PATH.parent / "README.md").read_text(encoding="utf-8")
    start = text.find("## The model")
    return text[start:] if start >= 0 else text
