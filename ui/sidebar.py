"""The sidebar every page shares: one set of URL-bound widgets, one :class:`View` out.

Each widget's ``key`` is its URL parameter (``bind="query-params"``), so the
address bar always holds the whole view and a pasted link restores it.

``app.py`` draws the sidebar once, before the page the address names (see
:func:`navigation`). Widgets drawn there belong to the entry script, so Streamlit
keeps them, and their URL parameters, when the analyst moves to another page;
widgets drawn inside a page script are reset on every page change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from analysis.benchmarks import get_benchmark
from analysis.demo import DemoParameters
from analysis.engagement import get_definition
from analysis.errors import LoadError
from analysis.sweet_spot import SweetSpot
from analysis.tiers import get_scheme
from ui.data import Facets, dataset_source
from ui.data import facets as data_facets
from ui.datasets import dataset_options, select_dataset
from ui.state import (
    DEFAULT_BAND,
    DEMO_DATASET,
    FILTER_COLUMNS,
    MAX_FOLLOWERS,
    NO_BENCHMARK,
    SPLITS,
    Choice,
    Filters,
    Source,
    StateKeys,
    View,
    band_notices,
    resolve_band,
    resolve_trend_range,
    single_choices,
    unknown_params,
    url_notices,
)

_BIND: Final = "query-params"
_METHOD_HELP: Final = ("auto picks per group by measured coverage; the Methods page shows how each method "
                       "covers on simulated data and where it falls short.")
_BENCHMARK_HELP: Final = ("Reference values from published studies, drawn on the chart and set beside your data on "
                          "the Tiers page. The Methods page lists each source, year, platform and formula.")
_DATASET_HELP: Final = ("The bundled demo is synthetic. Upload your own files on the Data page; files in the "
                        "data folder appear here too.")


#: The pages in the order the navigation lists them: script, label, icon, URL path ("" is the home page).
#: The paths are part of every shared link: keep them stable.
PAGES: Final = (
    ("pages/1_Overview.py", "Overview", ":material/monitoring:", ""),
    ("pages/2_Tiers.py", "Tiers", ":material/stacked_bar_chart:", "Tiers"),
    ("pages/3_Sweet_spot.py", "Sweet spot & cost", ":material/savings:", "Sweet_spot"),
    ("pages/4_Compare.py", "Compare", ":material/compare_arrows:", "Compare"),
    ("pages/8_Data.py", "Data", ":material/table:", "Data"),
    ("pages/9_Methods.py", "Methods", ":material/menu_book:", "Methods"),
)
APP_TITLE: Final = "Engagement Atlas"

#: The view ``app.py`` drew for this script run (each session runs in its own thread, so its own context).
_ROUTED_VIEW: ContextVar[View | None] = ContextVar("routed_view", default=None)


def navigation() -> StreamlitPage:
    """Register the pages (Streamlit lists them atop the sidebar) and return the one the address names."""
    pages = [st.Page(script, title=label, icon=icon, url_path=path or None, default=not path)
             for script, label, icon, path in PAGES]
    return st.navigation(pages, position="sidebar")


@contextmanager
def serving(view: View) -> Iterator[None]:
    """Make ``view`` the one :func:`page_view` returns while the page runs."""
    token = _ROUTED_VIEW.set(view)
    try:
        yield
    finally:
        _ROUTED_VIEW.reset(token)


def page_view() -> View:
    """The view for the running page: the one ``app.py`` drew, or, for a page run on its own, a fresh sidebar."""
    routed = _ROUTED_VIEW.get()
    if routed is not None:
        return routed
    if PagesManager.uses_pages_directory:
        # Streamlit starts out treating a `pages/` folder beside the entry script as the page list,
        # until the first run of `app.py` registers the real one. A server whose first visitor opens a
        # page link (/Tiers?…) therefore runs the page script bare, with Streamlit's file-name
        # navigation. Register the pages and run again: the rerun goes through app.py, like every
        # later run, and keeps the address and its parameters (a first page load carries no click
        # or upload that the rerun could drop).
        navigation()
        st.rerun()
    return render_sidebar()


def page_setup(page: StreamlitPage) -> None:
    """The browser tab's title and the wide layout, for ``page``."""
    st.set_page_config(page_title=f"{page.title} · {APP_TITLE}", page_icon=":material/monitoring:", layout="wide")


def render_sidebar() -> View:
    """Draw the shared controls and return the view they describe."""
    raw_params = {key: st.query_params.get_all(key) for key in st.query_params}
    choices = single_choices(dataset_options()[0])
    with st.sidebar:
        st.header("View")
        dataset = select_dataset(_DATASET_HELP)
        source, facets = _load_or_stop(dataset)
        scheme = _choice("Tier scheme", StateKeys.SCHEME, choices)
        st.caption(get_scheme(scheme).title)
        level = _choice("Confidence level (%)", StateKeys.LEVEL, choices, horizontal=True)
        definition = _choice("Engagement rate", StateKeys.DEFINITION, choices)
        st.caption(get_definition(definition).description)
        y_scale = _choice("Y axis", StateKeys.Y_SCALE, choices, horizontal=True)
        trend = _choice("Trend line (power law)", StateKeys.TREND, choices, horizontal=True,
                        help="Fitted on log–log axes: ordinary least squares, or the robust Theil–Sen slope.")
        trend_ends, trend_fix = _trend_range_inputs()
        # Option ids, not titles: a bound selectbox writes the displayed text into the URL.
        benchmark = _choice("Published benchmark", StateKeys.BENCHMARK, choices, help=_BENCHMARK_HELP)
        if benchmark != NO_BENCHMARK:
            st.caption(get_benchmark(benchmark).title)
        with st.expander("Interval methods"):
            mean_method = _choice("Mean ER", StateKeys.MEAN_CI, choices, help=_METHOD_HELP)
            pooled_method = _choice("Pooled ER", StateKeys.POOLED_CI, choices, help=_METHOD_HELP)
        (low, high), band_fix = _band_inputs()
        filters, sponsored, options = _filter_inputs(facets, choices)
        exclude_flagged = _exclude_flagged_toggle(facets.flagged)
        st.caption("The address bar holds this whole view: copy it to share exactly what you see.")
    unavailable = [key for key, values in options.items() if not values]
    notices = url_notices(raw_params, options, choices[StateKeys.DATASET].options, unavailable)
    notices += band_notices(raw_params, {StateKeys.BAND_LOW: low, StateKeys.BAND_HIGH: high}) + band_fix
    notices += band_notices(raw_params, dict(zip((StateKeys.TREND_FROM, StateKeys.TREND_TO), trend_ends, strict=True)),
                            minimum=0) + trend_fix
    dropped = unknown_params(raw_params, list(FILTER_COLUMNS)) + unavailable
    if dataset == DEMO_DATASET and StateKeys.DATASET in raw_params:
        dropped.append(StateKeys.DATASET)  # an unusable ?dataset= falls back to the demo: say so and drop it
    _drop_params(raw_params, dropped)
    band, _ = resolve_band(low, high)
    return View(dataset=dataset, source=source, scheme=scheme, level=int(level) / 100, definition=definition,
                y_scale=y_scale, band=band, filters=filters, sponsored=sponsored, exclude_flagged=exclude_flagged,
                trend=trend, trend_range=resolve_trend_range(*trend_ends)[0], benchmark=benchmark,
                mean_method=mean_method, pooled_method=pooled_method,
                notices=tuple(notices))


def _load_or_stop(dataset: str) -> tuple[Source, Facets]:
    try:
        source = dataset_source(dataset)
        return source, data_facets(source)
    except LoadError as exc:
        st.error(f"Dataset '{dataset}' cannot be used: {exc}  \nPick another dataset above.", icon=":material/error:")
        st.stop()


def _choice(label: str, key: str, choices: dict[str, Choice], horizontal: bool = False,
            help: str | None = None) -> str:  # noqa: A002 - Streamlit's own parameter name
    choice = choices[key]
    if horizontal:
        value = st.radio(label, choice.options, index=choice.index, key=key, bind=_BIND, horizontal=True, help=help)
    else:
        value = st.selectbox(label, choice.options, index=choice.index, key=key, bind=_BIND, help=help)
    return str(value if value is not None else choice.default)


def _band_inputs() -> tuple[tuple[int | None, int | None], list[str]]:
    st.markdown("**Sweet-spot band** (followers)")
    left, right = st.columns(2)
    low = left.number_input("From", min_value=1, max_value=MAX_FOLLOWERS, value=DEFAULT_BAND[0], step=5_000,
                            key=StateKeys.BAND_LOW, bind=_BIND)
    high = right.number_input("To", min_value=1, max_value=MAX_FOLLOWERS, value=DEFAULT_BAND[1], step=5_000,
                              key=StateKeys.BAND_HIGH, bind=_BIND)
    return (low, high), resolve_band(low, high)[1]


def _trend_range_inputs() -> tuple[tuple[int | None, int | None], list[str]]:
    with st.expander("Trend fit range"):
        st.caption("Fit the power law only on creators in this follower range (blank: open end), e.g. "
                   "where the binned medians still fall in a straight line.")
        left, right = st.columns(2)
        low = left.number_input("From", min_value=0, max_value=MAX_FOLLOWERS, value=None, step=1_000,
                                key=StateKeys.TREND_FROM, bind=_BIND, placeholder="smallest")
        high = right.number_input("To", min_value=1, max_value=MAX_FOLLOWERS, value=None, step=10_000,
                                  key=StateKeys.TREND_TO, bind=_BIND, placeholder="largest")
    ends = (None if low is None else int(low), None if high is None else int(high))
    return ends, resolve_trend_range(*ends)[1]


def _filter_inputs(facets: Facets, choices: dict[str, Choice]) -> tuple[Filters, str, dict[str, list[str]]]:
    """Filters for the columns this dataset has; returns them, the sponsored choice and the options."""
    st.subheader("Filters")
    options = dict(facets.options)
    selected: list[tuple[str, tuple[str, ...]]] = []
    for key, column in FILTER_COLUMNS.items():
        if options[key]:
            _keep_valid_selection(key, options[key])
            values = st.multiselect(key.title(), options[key], key=key, bind=_BIND)
            if values:
                selected.append((column, tuple(values)))
    has_flag = facets.has_sponsored
    options[StateKeys.SPONSORED] = list(choices[StateKeys.SPONSORED].options) if has_flag else []
    sponsored = _choice("Sponsored", StateKeys.SPONSORED, choices, horizontal=True) if has_flag else "all"
    return tuple(selected), sponsored, options


def _exclude_flagged_toggle(flagged: int) -> bool:
    if not flagged:
        return False
    return bool(st.checkbox(f"Exclude {flagged:,} flagged creators", key=StateKeys.EXCLUDE_FLAGGED, bind=_BIND,
                            help="ER above 100%, more likes than followers, or a row identical to another. "
                                 "The Data page lists each with its reason."))


def _keep_valid_selection(key: str, options: list[str]) -> None:
    # After a dataset switch the widget may still hold values the new data lacks; dropping them
    # here keeps the URL (which mirrors the widget) describing the view actually shown.
    current = st.session_state.get(key)
    if current and any(v not in options for v in current):
        st.session_state[key] = [v for v in current if v in options]


def _drop_params(params: dict[str, list[str]], keys: list[str]) -> None:
    for key in keys:
        if key in params and key in st.query_params:
            del st.query_params[key]


def show_notices(view: View) -> None:
    """One short, non-blocking notice listing what in the link could not be used."""
    if view.notices:
        st.warning("  \n".join(view.notices), icon=":material/link:")


def show_dataset_banner(view: View, upload_here: bool = False) -> None:
    """Say plainly what the data is (``upload_here``: the page itself has the uploader)."""
    if view.dataset == DEMO_DATASET:
        where = "under *Add data* below" if upload_here else "on the Data page"
        st.info(
            f"**Synthetic demo data.** {DemoParameters().n_creators:,} generated creators shaped after published "
            f"figures (the Data page documents every parameter). Upload your own creator file {where} "
            "to analyse real creators.",
            icon=":material/science:",
        )


def split_choice(view: View) -> str:
    """A "Split by" selector (URL-bound) offering the segment columns this dataset has."""
    facets = data_facets(view.source)
    offered = [s for s in SPLITS if s == "none" or (s == "sponsored" and facets.has_sponsored)
               or bool(facets.options.get(s))]
    value = st.selectbox("Split by", offered, key=StateKeys.SPLIT, bind=_BIND,
                         help="Repeat the tier table for each segment (a creator in two categories counts in both).")
    return str(value or "none")


def verdict_box(result: SweetSpot) -> None:
    """The sweet-spot verdict in plain words, coloured by what it says."""
    show = {"supported": st.success, "contradicted": st.error}.get(result.verdict, st.warning)
    show(result.verdict_text[:1].upper() + result.verdict_text[1:], icon=":material/target:")
    if result.reason:
        st.caption(result.reason)
