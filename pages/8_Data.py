"""Data page: what was loaded, what was rejected and why, and how the demo was made."""

from __future__ import annotations

import streamlit as st

from ui import data, datasets, report_view
from ui.downloads import table_downloads
from ui.share import share_box
from ui.sidebar import page_view, show_dataset_banner, show_notices
from ui.state import DEMO_DATASET

view = page_view()

st.title("Data")
show_notices(view)
show_dataset_banner(view, upload_here=True)
with st.expander("Add data", expanded=view.dataset == DEMO_DATASET):
    datasets.upload_files()
    st.markdown("**Accounts and posts, joined on the creator handle**")
    datasets.upload_pair()
    st.caption("Uploads are stored on this server under an unguessable id; the link carries it, so a colleague "
               "with the link sees the same data read the same way. Nothing lists other people's uploads.")

loaded = data.load_source(view.source)
report = loaded.report
report_view.show_counts(loaded)
report_view.show_reading(loaded)
report_view.show_mapping(report.mapping)
if view.dataset != DEMO_DATASET:
    with st.expander("Change how the file is read: sheet, duplicates, columns"):
        datasets.edit_reading(view.source, report)
report_view.show_rows("Rejected rows", report.rejected, "rejected-rows",
                      "Every row loaded: nothing was rejected.", key="rejected")
report_view.show_join(report.join)
report_view.show_rows("Flagged rows", loaded.flagged, "flagged-rows",
                      "No creator looks suspicious.", key="flagged")

st.subheader("In this view")
in_view = data.filtered(view)
st.write(f"{len(in_view):,} of {report.creators:,} loaded creators match the sidebar filters.")
st.dataframe(in_view.head(500), hide_index=True, key="creator_preview")
st.caption("First 500 creators in the view; the downloads hold all of them. Counts are averages per post.")
table_downloads(in_view, f"creators-{view.dataset}", "creators")

if view.dataset == DEMO_DATASET:
    with st.expander("How the synthetic demo community was generated", expanded=False):
        st.markdown(data.demo_notes())

share_box(view)
