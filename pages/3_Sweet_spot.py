"""Sweet spot & cost page: does the band engage more, what each band costs per engagement, what a budget buys."""

from __future__ import annotations

import streamlit as st

from analysis.format import band_medians_display, budget_plan_display, follower_range, value_table_display
from analysis.sweet_spot import MIN_N_BAND
from analysis.value import MIN_N_VALUE, best_value_sentence
from analysis.value_chart import value_chart
from ui import data, stats, value_view
from ui.downloads import figure_downloads, table_downloads
from ui.share import share_box
from ui.sidebar import page_view, show_dataset_banner, show_notices, verdict_box

view = page_view()
raw = value_view.page_params()  # before the page's own inputs check (and drop) what the link holds

st.title("Sweet spot & cost")
show_notices(view)
show_dataset_banner(view)
if data.bin_view(view).n_with_er == 0:
    st.info("No creator in this view has an engagement rate, so there is nothing to test or price. Clear some "
            "filters in the sidebar, or check on the Data page which columns the dataset lacks.")
    st.stop()

band = follower_range(*view.band)
st.subheader(f"Does the {band} band engage more than its neighbours?")
spot = stats.sweet_spot_for(view)
verdict_box(spot)
spot_medians = value_view.spot_medians_for(view, spot)
st.dataframe(band_medians_display(spot_medians, view.level), hide_index=True, key="spot_table")
table_downloads(spot_medians, f"sweet-spot-{band}", "spot")
if min(spot.n_band, spot.n_neighbours) < MIN_N_BAND:
    st.info(f"The test needs {MIN_N_BAND} creators with an engagement rate on each side. Widen the band in the "
            "sidebar, or clear filters, to get a verdict.")
st.caption("To test another band, change **Sweet-spot band** in the sidebar: the neighbours follow (the stated "
           "10K–25K and 50K–100K for 25K–50K, otherwise a band of the same width on a log scale either side). "
           "The verdict rests on a bootstrap interval for the difference in medians; p from a Mann–Whitney test.")

st.subheader("Cost model")
model = value_view.cost_inputs(view, raw)
st.caption(f"Pricing {model.describe()}.")

st.subheader(f"Value per band ({view.scheme} tiers, {view.level:.0%} intervals)")
value = value_view.value_for(view, model)
st.dataframe(value_table_display(value, view.level), hide_index=True, key="value_table")
table_downloads(value, "value-per-band", "value")
try:
    st.success(best_value_sentence(value) + ".", icon=":material/savings:")
except ValueError:
    st.info(f"No band has {MIN_N_VALUE} creators with engagements and a price above $0, so none can be called the "
            "best buy. Raise the rate or floor above, or clear filters in the sidebar.")
else:
    chart = value_chart(value, view.level)
    st.plotly_chart(chart, key="value_chart", config={"displaylogo": False})
    figure_downloads(chart, "engagements-per-1000-dollars", "value_chart")
st.caption("Buying one post from every creator in a band: cost per engagement is the band's total price ÷ its "
           "total engagements (a ratio of sums). Intervals resample creators (the delta method above 5,000); "
           "P(best buy) is the share of resamples in which the band gives the most engagements per dollar.")

st.subheader("Budget planner")
budget = value_view.budget_input(raw)
plan = value_view.plan_for(view, model, budget)
st.dataframe(budget_plan_display(plan, view.level), hide_index=True, key="plan_table")
table_downloads(plan, "budget-plan", "plan")
st.caption("Creators it buys: posts at the band's average price that fit in the budget. Expected engagements: "
           "the spend × the band's engagements per dollar, with its interval; the campaign range also allows for "
           "which creators you happen to pick.")

share_box(view)
