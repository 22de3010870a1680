"""Tiers page: the tier table with intervals, tests between tiers, the sweet spot, trend and benchmarks."""

from __future__ import annotations

import streamlit as st

from analysis.benchmarks import get_benchmark
from analysis.format import benchmark_display, p_phrase, pairwise_display, tier_table_display
from analysis.tiers import get_scheme
from ui import data, stats
from ui.downloads import table_downloads
from ui.share import share_box
from ui.sidebar import page_view, show_dataset_banner, show_notices, split_choice, verdict_box
from ui.state import NO_BENCHMARK

view = page_view()

st.title("Tiers")
show_notices(view)
show_dataset_banner(view)
if data.bin_view(view).n_with_er == 0:
    st.info("No creator in this view has an engagement rate, so tiers cannot be compared. Clear some filters, "
            "or check on the Data page which columns the dataset lacks.")
    st.stop()

st.subheader(f"Engagement by tier ({view.scheme}, {view.level:.0%} intervals)")
split = split_choice(view)
if split == "none":
    tier_table = data.tier_table(view)
    st.dataframe(tier_table_display(tier_table, view.level), hide_index=True, key="tier_table")
else:
    by_segment = stats.split_tiers(view, split)
    tier_table = by_segment.table
    st.dataframe(tier_table_display(tier_table, view.level), hide_index=True, key="tier_table")
    if by_segment.left_out:
        st.caption(f"Showing the {stats.SEGMENT_LIMIT} largest {split} segments; also in the data: "
                   f"{', '.join(by_segment.left_out[:12])}{' …' if len(by_segment.left_out) > 12 else ''}.")
st.caption(get_scheme(view.scheme).source)
table_downloads(tier_table, f"tiers-{view.scheme}", "tiers")

st.subheader("Do the tiers differ?")
tests = stats.tests_for(view)
st.markdown(f"Kruskal–Wallis across {len(tests.tiers)} tiers: H = {tests.h:,.1f}, df = {tests.df}, "
            f"{p_phrase(tests.p_value)} (n = {tests.n:,}). {tests.note}")
pairs = pairwise_display(tests.pairwise, view.level)
st.dataframe(pairs, hide_index=True, key="pairwise_table")
table_downloads(pairs, "tier-pairs", "pairwise")
st.caption("Each pair: Mann–Whitney U test, p-values Holm-corrected over all pairs; the shift is the "
           "Hodges–Lehmann estimate of the larger tier's ER minus the smaller's (negative: the larger tier "
           "engages less), with its distribution-free interval; Cliff's δ is P(larger tier's ER > smaller's) "
           "− P(<), from −1 to 1.")

st.subheader("Sweet spot")
verdict_box(stats.sweet_spot_for(view))
trend = data.trend_view(view)
if trend is not None:
    st.subheader("Trend")
    st.markdown(f"{trend.trend.describe()}.")
if split != "none":
    st.subheader(f"Sweet spot, trend and tier tests by {split}")
    for index, (segment, spot, segment_trend, segment_tests) in enumerate(stats.split_findings(view, split).segments):
        st.markdown(f"**{segment}** · {segment_trend.describe()}.")
        verdict_box(spot)
        with st.expander(f"{segment}: do the tiers differ? Kruskal–Wallis {p_phrase(segment_tests.p_value)}"):
            st.markdown(f"H = {segment_tests.h:,.1f}, df = {segment_tests.df}, n = {segment_tests.n:,}. "
                        f"{segment_tests.note}")
            segment_pairs = pairwise_display(segment_tests.pairwise, view.level)
            st.dataframe(segment_pairs, hide_index=True)
            table_downloads(segment_pairs, f"tier-pairs-{split}-{segment}", f"pairwise_{index}")

st.subheader("Beside published benchmarks")
if view.benchmark == NO_BENCHMARK:
    st.info("Choose a published benchmark in the sidebar to set your data beside it, band by band.")
else:
    bench = get_benchmark(view.benchmark)
    st.markdown(f"**{bench.title}** · {bench.note} Your data is summarised on the same bands with the same "
                f"formula ({bench.definition}) and compared with the same statistic.")
    beside = stats.beside_for(view)
    st.dataframe(benchmark_display(beside, view.level), hide_index=True, key="benchmark_table")
    table_downloads(beside, f"beside-{view.benchmark}", "benchmark")

share_box(view)
