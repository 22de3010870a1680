"""Cached statistics for the analyst pages: tier tests, the sweet-spot test, benchmarks, splits.

Like :mod:`ui.data`, every cached function takes hashable view parts, so a
widget that does not change a number does not recompute it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.benchmarks import beside_benchmark
from analysis.compare import TierTests, tier_tests
from analysis.segments import split_frame
from analysis.summary import tier_summary
from analysis.sweet_spot import SweetSpot, sweet_spot_test
from analysis.trend import Trend, fit_trend
from ui.data import filtered_frame
from ui.state import Filters, Source, View

#: Most segments shown when a page splits by a column (the rest are named, not shown).
SEGMENT_LIMIT = 8


@dataclass(frozen=True)
class Split:
    """Per-segment results and the segments left out."""

    table: pd.DataFrame
    left_out: tuple[str, ...]


def _parts(view: View) -> tuple[Source, Filters, str, bool]:
    return view.source, view.filters, view.sponsored, view.exclude_flagged


def tests_for(view: View) -> TierTests:
    """Kruskal–Wallis and pairwise comparisons across the view's tiers."""
    return _tests(*_parts(view), view.scheme, view.definition, view.level)


@st.cache_data(show_spinner="Comparing tiers…", max_entries=16)
def _tests(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, scheme: str, definition: str,
           level: float) -> TierTests:
    return tier_tests(filtered_frame(source, filters, sponsored, exclude_flagged), scheme, definition, level)


def sweet_spot_for(view: View) -> SweetSpot:
    """The sweet-spot test for the view's band."""
    return _sweet_spot(*_parts(view), view.band, view.definition, view.level)


@st.cache_data(show_spinner="Testing the sweet spot…", max_entries=32)
def _sweet_spot(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, band: tuple[int, int],
                definition: str, level: float) -> SweetSpot:
    return sweet_spot_test(filtered_frame(source, filters, sponsored, exclude_flagged), band, None, definition, level)


def beside_for(view: View) -> pd.DataFrame:
    """The view's data on the chosen benchmark's bands."""
    return _beside(*_parts(view), view.benchmark, view.level)


@st.cache_data(max_entries=16)
def _beside(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, benchmark: str,
            level: float) -> pd.DataFrame:
    return beside_benchmark(filtered_frame(source, filters, sponsored, exclude_flagged), benchmark, level)


def split_tiers(view: View, column: str) -> Split:
    """The tier table per segment of ``column`` (largest segments first)."""
    return _split_tiers(*_parts(view), column, view.scheme, view.level, view.definition,
                        (view.mean_method, view.pooled_method))


@st.cache_data(show_spinner="Computing per-segment intervals…", max_entries=16)
def _split_tiers(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, column: str, scheme: str,
                 level: float, definition: str, methods: tuple[str, str]) -> Split:
    frame, left_out = split_frame(filtered_frame(source, filters, sponsored, exclude_flagged), column, SEGMENT_LIMIT)
    table = tier_summary(frame, scheme=scheme, level=level, definition=definition, by="segment",
                         mean_method=methods[0], pooled_method=methods[1])
    return Split(table, tuple(left_out))


@dataclass(frozen=True)
class SegmentFindings:
    """Per segment: the sweet-spot test, the trend and the tests across tiers (largest segments first)."""

    segments: tuple[tuple[str, SweetSpot, Trend, TierTests], ...]


def split_findings(view: View, column: str) -> SegmentFindings:
    """The sweet-spot test, the trend and the tier tests for each segment of ``column``."""
    return _split_findings(*_parts(view), column, view.scheme, view.band, view.definition, view.level,
                           "ols" if view.trend == "off" else view.trend, view.trend_range)


@st.cache_data(show_spinner="Testing each segment…", max_entries=16)
def _split_findings(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, column: str,
                    scheme: str, band: tuple[int, int], definition: str, level: float, method: str,
                    followers_range: tuple[float, float] | None = None) -> SegmentFindings:
    frame, _ = split_frame(filtered_frame(source, filters, sponsored, exclude_flagged), column, SEGMENT_LIMIT)
    order = frame["segment"].value_counts().index
    found = [(str(name), sweet_spot_test(part, band, None, definition, level),
              fit_trend(part, definition=definition, method=method, level=level, followers_range=followers_range),
              tier_tests(part, scheme, definition, level))
             for name in order for part in [frame[frame["segment"] == name]]]
    return SegmentFindings(tuple(found))
