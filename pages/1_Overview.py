"""Overview (the home page): engagement rate against followers, with tiers and the sweet-spot band."""

from __future__ import annotations

import streamlit as st

from analysis.benchmarks import get_benchmark
from analysis.format import bin_table_display, tier_table_display
from analysis.tiers import get_scheme
from analysis.view_chart import POINTS_PER_BIN, main_figure
from ui import data
from ui.downloads import figure_downloads, table_downloads
from ui.drilldown import current_selection, selectable_chart, show_selection
from ui.share import share_box
from ui.sidebar import page_view, show_dataset_banner, show_notices
from ui.state import NO_BENCHMARK

view = page_view()

st.title("Engagement vs followers")
show_notices(view)
show_dataset_banner(view)

binned = data.bin_view(view)
if binned.n_with_er == 0:
    st.info("No creator in this view has an engagement rate. Clear some filters in the sidebar, "
            "or check on the Data page which columns the dataset lacks.")
    st.stop()

trend = data.trend_view(view)
figure = main_figure(binned.bins, binned.points, data.chart_view(view),
                     None if trend is None else (trend.trend, trend.line))
selectable_chart(figure)
if trend is not None:
    st.markdown(f"**Trend:** {trend.trend.describe()}.")
st.caption(
    f"Points: a stratified sample of {len(binned.points):,} of the {binned.n_with_er:,} creators with an engagement "
    f"rate (of {binned.n_creators:,} in view; at most {POINTS_PER_BIN} per follower bin, so large accounts "
    f"stay visible: the cloud is not the data's density). "
    f"Line: median per log-spaced bin with its {view.level:.0%} distribution-free interval (hover a marker "
    f"for its n and interval; hollow markers: too few creators for one). "
    f"Shaded columns: {view.scheme} tiers; amber: the sweet-spot band."
    + (" Dashed: the fitted power law with its interval band." if trend is not None else "")
    + (f" Open markers: {get_benchmark(view.benchmark).title}, whiskers spanning each published band."
       if view.benchmark != NO_BENCHMARK else "")
)

selection, selection_notice = current_selection()
if selection_notice:
    st.warning(selection_notice, icon=":material/link:")
if selection is None:
    st.caption("Click a median marker (a bin) or a grey tier marker, click creators, or drag a box on the chart "
               "to open the creators it holds.")
else:
    show_selection(view, selection)

with st.expander("Numbers behind the line: every follower bin"):
    st.dataframe(bin_table_display(binned.bins, view.level), hide_index=True, key="bin_table")
    table_downloads(binned.bins, "follower-bins", "bins")
with st.expander("Download this chart"):
    figure_downloads(figure, "engagement-vs-followers", "main_chart")

st.subheader(f"Tiers ({view.scheme})")
tiers = data.tier_table(view)
st.dataframe(tier_table_display(tiers, view.level), hide_index=True, key="tier_table")
st.caption(get_scheme(view.scheme).source)
table_downloads(tiers, f"tiers-{view.scheme}", "tiers")
share_box(view)
