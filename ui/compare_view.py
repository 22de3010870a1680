"""The Compare page's controls (bound to the URL), cached comparisons and the table's display text.

What is compared is a segment column (sponsored, platform, category,
country) of the current view, or the current dataset beside other datasets
from the sidebar's list. The three choices are widgets whose keys are URL
parameters (``compare_by``, ``compare`` repeated, ``compare_ref``); the
shared sidebar leaves them alone (``ui.state.PAGE_KEYS``) and this module
says what in a link could not be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd
import streamlit as st

from analysis.errors import LoadError
from analysis.segment_compare import DATASET, compare_bins, compare_tiers, stack_datasets
from analysis.segments import segment_values
from ui.data import dataset_source, facets, filtered_frame
from ui.datasets import dataset_options
from ui.state import Filters, Source, StateKeys, View
from ui.stats import SEGMENT_LIMIT

COMPARE_BY: Final = ("sponsored", "platform", "category", "country", DATASET)
_BIND: Final = "query-params"
_NOUNS: Final = {"sponsored": "groups (organic, sponsored)", "platform": "platforms", "category": "categories",
                 "country": "countries", DATASET: "datasets"}
_Parts = tuple[Source, Filters, str, bool]


@dataclass(frozen=True)
class Comparison:
    """What the page compares: ``segments`` of column ``by`` (the reference among them), or why not."""

    by: str
    segments: tuple[str, ...] = ()
    reference: str = ""
    labels: tuple[tuple[str, str], ...] = ()  # segment value -> display name (uploaded datasets)
    notices: tuple[str, ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class Compared:
    """The tier table and the bins, relabelled for display, and datasets that could not be compared."""

    tiers: pd.DataFrame
    bins: pd.DataFrame
    reference: str
    skipped: tuple[str, ...]


def choose(view: View) -> Comparison:
    """Draw "Compare by", the values and the reference; say what in the link could not be used."""
    raw = {k: st.query_params.get_all(k) for k in (StateKeys.COMPARE_BY, StateKeys.COMPARE, StateKeys.COMPARE_REF)}
    offered = comparable(view)
    if not offered:
        return Comparison("", problem="This dataset has no column to compare by (sponsored, platform, category, "
                                      "country) and there is no other dataset: add files on the Data page.")
    left, middle, right = st.columns([1, 3, 1])
    by = str(left.selectbox("Compare by", offered, key=StateKeys.COMPARE_BY, bind=_BIND))
    options, defaults = _values(view, by)
    current = st.session_state.get(StateKeys.COMPARE)
    if current is None or any(v not in options for v in current):  # first run, or values of another column
        st.session_state[StateKeys.COMPARE] = [v for v in current or [] if v in options] or defaults
    label = f"Compare {view.dataset} with" if by == DATASET else f"{_NOUNS[by].split(' ')[0].title()} to compare"
    picked = middle.multiselect(label, options, key=StateKeys.COMPARE, bind=_BIND, max_selections=SEGMENT_LIMIT,
                                placeholder=f"Choose {_NOUNS[by].split(' ')[0]}")
    segments = (view.dataset, *picked) if by == DATASET else tuple(picked)
    if by == DATASET and (uploads := [f"{v} is {n}" for v, n in dataset_options()[1].items() if v in options]):
        middle.caption("Uploads: " + "; ".join(uploads) + ".")
    notices = _notices(raw, offered, by, options, segments)
    if len(segments) < 2:
        return Comparison(by, segments, notices=notices, problem=_too_few(view, by, options))
    if st.session_state.get(StateKeys.COMPARE_REF) not in (None, *segments):
        st.session_state[StateKeys.COMPARE_REF] = segments[0]  # so the URL follows too (a plain reset leaves it)
    reference = str(right.selectbox("Reference", segments, key=StateKeys.COMPARE_REF, bind=_BIND,
                                    help="Differences are each segment's median ER minus the reference's."))
    return Comparison(by, segments, reference, _upload_labels(segments) if by == DATASET else (), notices)


def _upload_labels(segments: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Uploaded datasets by file name (their id where two uploads share a name)."""
    uploads = dataset_options()[1]
    named = {value: f"{uploads[value]} (uploaded)" for value in segments if value in uploads}
    taken = [*named.values(), *(v for v in segments if v not in uploads)]
    return tuple((value, label) for value, label in named.items() if taken.count(label) == 1)


def comparable(view: View) -> list[str]:
    """What this view can be compared by: the segment columns the dataset has, and datasets if there are others."""
    found = facets(view.source)
    return [by for by in COMPARE_BY if (by == "sponsored" and found.has_sponsored) or bool(found.options.get(by))
            or (by == DATASET and len(dataset_options()[0]) > 1)]


def _values(view: View, by: str) -> tuple[list[str], list[str]]:
    """The values offered (largest first) and the default choice (the two or three largest)."""
    if by == DATASET:
        others = [name for name in dataset_options()[0] if name != view.dataset]
        return others, others[:1]
    options = list(_segment_values(view.source, view.filters, view.sponsored, view.exclude_flagged, by))
    return options, options[:3]


@st.cache_data(max_entries=32)
def _segment_values(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool,
                    column: str) -> tuple[str, ...]:
    """The column's values in the view, most creators first (the sponsored flag as "organic"/"sponsored")."""
    frame = filtered_frame(source, filters, sponsored, exclude_flagged)
    if column != "sponsored":
        return tuple(segment_values(frame, column))
    counts = frame[column].astype("boolean").value_counts()
    return tuple("sponsored" if flag else "organic" for flag in counts.index)


def _too_few(view: View, by: str, options: list[str]) -> str:
    if by == DATASET:
        return f"Pick at least one other dataset to compare {view.dataset} with (add files on the Data page)."
    if len(options) < 2:
        only = f" ({options[0]})" if options else ""
        filtered = view.sponsored != "all" if by == "sponsored" else any(c == by for c, _ in view.filters)
        if filtered:
            return f"This view has fewer than two {_NOUNS[by]}{only}: clear the sidebar's {by.title()} filter."
        return f"This dataset has fewer than two {_NOUNS[by]}{only}: compare by something else."
    return f"Pick at least two {_NOUNS[by]} to compare."


def _notices(raw: dict[str, list[str]], offered: list[str], by: str, options: list[str],
             segments: tuple[str, ...]) -> tuple[str, ...]:
    notices = []
    asked_by = raw[StateKeys.COMPARE_BY][-1:] or [by]
    if asked_by[0] not in offered:
        notices.append(f"URL parameter 'compare_by={_short(asked_by[0])}' does not apply here (this view offers "
                       f"{', '.join(offered)}); comparing by {by}.")
    bad = [v for v in raw[StateKeys.COMPARE] if v and v not in options]
    if bad and asked_by[0] == by:
        notices.append(f"URL parameter 'compare': no {by} {', '.join(repr(_short(v)) for v in bad)} in this view; "
                       "ignored (several values: repeat the key, compare=a&compare=b).")
    ref = raw[StateKeys.COMPARE_REF][-1:]
    if ref and len(segments) >= 2 and ref[0] not in segments:
        notices.append(f"URL parameter 'compare_ref={_short(ref[0])}' is not among the compared values; "
                       f"using {segments[0]}.")
    return tuple(notices)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def compare_for(view: View, choice: Comparison) -> Compared:
    """The comparison's tier table and bins for the view (cached), segments relabelled for display."""
    parts = (view.source, view.filters, view.sponsored, view.exclude_flagged)
    methods = (view.mean_method, view.pooled_method)
    others = _other_sources(choice) if choice.by == DATASET else ()
    tiers, skipped = _tiers(parts, choice.by, choice.segments, choice.reference, view.scheme, view.level,
                            view.definition, methods, others)
    bins, _ = _bins(parts, choice.by, choice.segments, view.level, view.definition, methods, others)
    labels = dict(choice.labels)
    relabel = {"segment": lambda t: t["segment"].cat.rename_categories(lambda s: labels.get(s, s))}
    tiers = tiers.assign(**relabel, reference=tiers["reference"].map(lambda s: labels.get(s, s)))
    return Compared(tiers, bins.assign(**relabel), labels.get(choice.reference, choice.reference), skipped)


def _other_sources(choice: Comparison) -> tuple[tuple[str, Source | str], ...]:
    found: list[tuple[str, Source | str]] = []
    for name in choice.segments[1:]:
        try:
            found.append((name, dataset_source(name)))
        except LoadError as exc:
            found.append((name, str(exc)))
    return tuple(found)


def _frame(parts: _Parts, by: str, others: tuple[tuple[str, Source | str], ...],
           current: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The creators to compare (datasets stacked, each under the view's filters) and datasets left out."""
    frame = filtered_frame(*parts)
    if by != DATASET:
        return frame, ()
    frames, skipped = {current: frame}, []
    for name, source in others:
        try:
            if isinstance(source, str):
                raise LoadError(source)
            frames[name] = filtered_frame(source, *parts[1:])
        except (LoadError, ValueError) as exc:
            skipped.append(f"{name}: {exc}")
    return stack_datasets(frames), tuple(skipped)


@st.cache_data(show_spinner="Comparing tiers…", max_entries=16)
def _tiers(parts: _Parts, by: str, segments: tuple[str, ...], reference: str, scheme: str, level: float,
           definition: str, methods: tuple[str, str],
           others: tuple[tuple[str, Source | str], ...]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    frame, skipped = _frame(parts, by, others, segments[0])
    table = compare_tiers(frame, by, segments, scheme, level, definition, reference,
                          mean_method=methods[0], pooled_method=methods[1])
    return table, skipped


@st.cache_data(show_spinner="Computing binned medians…", max_entries=16)
def _bins(parts: _Parts, by: str, segments: tuple[str, ...], level: float, definition: str, methods: tuple[str, str],
          others: tuple[tuple[str, Source | str], ...]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    frame, skipped = _frame(parts, by, others, segments[0])
    return compare_bins(frame, by, segments, level, definition, mean_method=methods[0],
                        pooled_method=methods[1]), skipped
