"""Methods page: formulas, interval methods with their measured coverage, and every source."""

from __future__ import annotations

import streamlit as st

from analysis.coverage_view import coverage_matrix, shortfalls
from ui import methods
from ui.downloads import table_downloads
from ui.share import share_box
from ui.sidebar import page_view, show_notices

view = page_view()

st.title("Methods")
show_notices(view)

st.subheader("Engagement rate")
definitions = methods.definitions_table()
st.dataframe(definitions, hide_index=True, key="definitions_table")
table_downloads(definitions, "er-definitions", "definitions")
st.caption("Rates are per creator: interactions per post divided by followers, kept as fractions and shown as %.")

st.subheader("Intervals")
st.markdown(methods.INTERVALS)

st.subheader("Coverage, measured by simulation")
settings, records = methods.coverage_records()
level = view.level if round(view.level, 2) in (0.90, 0.95) else 0.95
st.markdown(f"Share of {settings['reps']:,} simulated groups (fewer for resampled methods) whose {level:.0%} "
            "interval contains the true value. Rates are log-normal with a known mean and median; two misspecified "
            "distributions (gamma, a heavier-tailed mixture) show where the log-normal model falls short. "
            f"Seed {settings['seed']}; regenerate with `python -m analysis.coverage`.")
coverage = coverage_matrix(records, level)
st.dataframe(coverage, hide_index=True, key="coverage_table")
table_downloads(coverage, f"interval-coverage-{level:.0%}", "coverage")
missed = shortfalls(records)
st.markdown("**Where methods fall short** (both levels)")
if missed.empty:
    st.success("Every method meets its requirement in every simulated cell.")
else:
    st.dataframe(missed.assign(coverage=missed["coverage"].map("{:.1%}".format),
                               level=missed["level"].map("{:.0%}".format)), hide_index=True, key="shortfall_table")
    table_downloads(missed, "interval-shortfalls", "shortfall")
st.caption("Requirements: medians never below nominal by more than Monte-Carlo error and at most 3 points above "
           "from n = 100; mean and pooled within ±2 points from n = 100 and at most 3 points lost at n = 30.")

st.subheader("Tests, trend and cost")
st.markdown(methods.TESTS)

st.subheader("Sources")
st.markdown("**Tier schemes**")
schemes = methods.schemes_table()
st.dataframe(schemes, hide_index=True, key="schemes_table")
table_downloads(schemes, "tier-schemes", "schemes")
st.markdown("**Published benchmarks**")
benchmarks = methods.benchmarks_display()
st.dataframe(benchmarks, hide_index=True, key="benchmarks_table")
table_downloads(benchmarks, "published-benchmarks", "benchmarks")

share_box(view)
