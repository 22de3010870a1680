"""Compare page: segments or datasets on one chart, and tier by tier beside a reference."""

from __future__ import annotations

import streamlit as st

from analysis.benchmarks import get_benchmark
from analysis.compare_chart import compare_chart
from analysis.format import compare_table_display
from analysis.overlays import add_benchmark
from analysis.tiers import get_scheme
from ui import compare_view, data
from ui.downloads import figure_downloads, table_downloads
from ui.share import share_box
from ui.sidebar import page_view, show_dataset_banner, show_notices
from ui.state import NO_BENCHMARK

view = page_view()

st.title("Compare")
show_notices(view)
show_dataset_banner(view)
if data.bin_view(view).n_with_er == 0:
    st.info("No creator in this view has an engagement rate, so nothing can be compared. Clear some filters, "
            "or check on the Data page which columns the dataset lacks.")
    st.stop()

choice = compare_view.choose(view)
if choice.notices:
    st.warning("  \n".join(choice.notices), icon=":material/link:")
if choice.problem:
    st.info(choice.problem, icon=":material/compare_arrows:")
    st.stop()

compared = compare_view.compare_for(view, choice)
if compared.skipped:
    st.warning("Left out of the comparison:  \n" + "  \n".join(compared.skipped), icon=":material/dataset:")

figure = compare_chart(compared.bins, get_scheme(view.scheme), view.y_scale, view.level)
if view.benchmark != NO_BENCHMARK:
    add_benchmark(figure, get_benchmark(view.benchmark))
st.plotly_chart(figure, key="compare_chart", config={"displaylogo": False})
st.caption(
    f"Each line: one group's median ER per log-spaced follower bin (the same bins for all), the band its "
    f"{view.level:.0%} distribution-free interval; hollow markers: too few creators for an interval. Colours, "
    f"markers and dashes tell the lines apart. Shaded columns: {view.scheme} tiers."
    + (f" Open markers: {get_benchmark(view.benchmark).title} (hover for the source), whiskers spanning each "
       "published band." if view.benchmark != NO_BENCHMARK else "")
)

with st.expander("Download this chart"):
    figure_downloads(figure, f"compare-by-{choice.by}", "compare_chart_files")

st.subheader(f"Tier by tier, beside {compared.reference} ({view.scheme}, {view.level:.0%} intervals)")
st.dataframe(compare_table_display(compared.tiers, view.level), hide_index=True, key="compare_table")
table_downloads(compared.tiers, f"compare-tiers-by-{choice.by}", "compare")
st.caption(
    "Difference: the segment's median ER minus the reference's in the same tier, in percentage points, with a "
    f"{view.level:.0%} percentile-bootstrap interval (creators resampled within each group); p: two-sided "
    "Mann–Whitney U test of the two groups' ERs in that tier, not corrected for the number of comparisons."
    + (" A creator listed under several categories counts in each." if choice.by == "category" else "")
    + (" Every dataset is filtered by the sidebar's filters." if choice.by == "dataset" else "")
)

share_box(view)
