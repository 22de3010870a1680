"""Drill-down on the home chart: a click or box selection opens the creators it holds.

The selection lives in the URL (``sel=``, see :mod:`analysis.drilldown`), so a
shared link opens the same creators. The chart's selection event only writes
that parameter (in a callback, so a link's selection is not cleared by a
fresh chart that has no selection yet); everything shown is read from it.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import columns as col
from analysis.distribution_chart import er_distribution
from analysis.drilldown import Selection, parse_selection, select_creators, selection_from_event
from analysis.engagement import with_engagement
from analysis.format import interval, percent
from analysis.summary import summarize
from analysis.view_chart import BINS_PER_DECADE
from ui.data import filtered_frame
from ui.downloads import figure_downloads, table_downloads
from ui.state import Filters, Source, StateKeys, View

CHART_KEY = "main_chart"
#: Rows drawn in the table; the download has every selected creator.
SHOWN_ROWS = 2_000
_TABLE_COLUMNS = (col.HANDLE, col.FOLLOWERS, "er", col.PLATFORM, col.CATEGORY, col.COUNTRY, col.SPONSORED, "flags")


def selectable_chart(figure: go.Figure) -> None:
    """The chart, with clicks and box selections written to the URL as ``sel=``."""
    layers = [trace.meta.get("layer") if isinstance(trace.meta, dict) else None for trace in figure.data]
    st.plotly_chart(figure, key=CHART_KEY, on_select=partial(_store_selection, layers),
                    selection_mode=("points", "box"), config={"displaylogo": False})


def _store_selection(layers: list[str | None]) -> None:
    state = st.session_state.get(CHART_KEY)
    chosen = selection_from_event(state.selection, layers, BINS_PER_DECADE) if state else None
    if chosen is None:
        st.query_params.pop(StateKeys.SELECTION, None)
    else:
        st.query_params[StateKeys.SELECTION] = chosen.to_param()


def current_selection() -> tuple[Selection | None, str]:
    """The URL's selection, and a notice when it cannot be read (the parameter is then dropped)."""
    text = st.query_params.get(StateKeys.SELECTION)
    if not text:
        return None, ""
    try:
        return parse_selection(text, BINS_PER_DECADE), ""
    except ValueError as exc:
        st.query_params.pop(StateKeys.SELECTION, None)
        return None, f"URL parameter 'sel={text[:40]}' is not a selection ({exc}); ignored."


def show_selection(view: View, selection: Selection) -> None:
    """The selected creators: their statistics with intervals, ER distribution and a sortable table."""
    try:
        chosen, stats = _selected(view.source, view.filters, view.sponsored, view.exclude_flagged, view.definition,
                                  view.level, view.scheme, selection)
    except ValueError as exc:
        st.warning(f"The selection in the link does not fit this view: {exc}.", icon=":material/link:")
        return
    header, clear = st.columns([4, 1], vertical_alignment="bottom")
    header.subheader(f"Selected: {selection.describe()}")
    clear.button("Clear", key="clear_selection", on_click=_clear, icon=":material/close:",
                 help="Close the selection (it also leaves the link)")
    if chosen.empty:
        st.info("No creator of this view is in the selection. Select a bin, a tier marker or an area "
                "with creators, or clear the selection.")
        return
    pct = f"{view.level:.0%}"
    st.markdown(
        f"**{len(chosen):,} creators** ({int(stats['n']):,} with an ER) · median ER **{percent(stats['median_er'])}** "
        f"[{interval(stats['median_ci_low'], stats['median_ci_high'])}] · mean **{percent(stats['mean_er'])}** "
        f"[{interval(stats['mean_ci_low'], stats['mean_ci_high'])}] · pooled **{percent(stats['pooled_er'])}** "
        f"[{interval(stats['pooled_ci_low'], stats['pooled_ci_high'])}], {pct} intervals"
        + (f" · {stats['note']}" if stats["note"] else "")
    )
    distribution = er_distribution(chosen["er"], stats, view.level)
    st.plotly_chart(distribution, key="selection_distribution", config={"displaylogo": False})
    table = creator_table(chosen)
    st.dataframe(table.head(SHOWN_ROWS), hide_index=True, key="selection_table",
                 column_config={"ER": st.column_config.NumberColumn(format="percent"),
                                "Followers": st.column_config.NumberColumn(format="localized")})
    shown = f"the {SHOWN_ROWS:,} with the most followers of " if len(table) > SHOWN_ROWS else ""
    st.caption(f"Showing {shown}{len(table):,} creators; click a column header to sort. "
               "The downloads hold all of them.")
    table_downloads(table, f"selected-{selection.to_param()}", "selection")
    with st.expander("Download the distribution chart"):
        figure_downloads(distribution, f"er-distribution-{selection.to_param()}", "selection_distribution_files")


def creator_table(chosen: pd.DataFrame) -> pd.DataFrame:
    """The selected creators' identifying columns, most followers first."""
    present = [c for c in _TABLE_COLUMNS if c in chosen.columns]
    table = chosen[present].sort_values(col.FOLLOWERS, ascending=False)
    return table.rename(columns={c: c.replace("_", " ").capitalize() for c in present} | {"er": "ER"})


def _clear() -> None:
    st.query_params.pop(StateKeys.SELECTION, None)


@st.cache_data(show_spinner="Opening the selection…", max_entries=16)
def _selected(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, definition: str, level: float,
              scheme: str, selection: Selection) -> tuple[pd.DataFrame, pd.Series]:
    prepared = with_engagement(filtered_frame(source, filters, sponsored, exclude_flagged), definition)
    chosen = select_creators(prepared, selection, scheme)
    if chosen.empty:
        return chosen, pd.Series(dtype="object")
    return chosen, summarize(chosen.assign(_group="selection"), ["_group"], level).iloc[0]
