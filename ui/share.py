"""The "Share" box at the foot of the sidebar: the view's link to copy and the HTML report.

Each page calls :func:`share_box` last, after its own URL-bound widgets ran, so
the link holds every parameter of the view as drawn.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from analysis.html_report import ReportContext, html_report
from analysis.view_chart import ChartView
from ui.data import chart_view, filtered_frame
from ui.downloads import file_stem, made_download
from ui.state import Filters, Source, View


def current_link() -> str:
    """The page's address with every URL parameter (repeated keys kept), as a colleague would open it."""
    base = st.context.url or ""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return f"{base}?{urlencode(pairs)}" if pairs else base


def share_box(view: View) -> None:
    """Copy link and the one-click report, in the sidebar."""
    link = current_link()
    with st.sidebar:
        st.subheader("Share")
        st.code(link or "(the link appears once the page has loaded in a browser)", language=None, wrap_lines=True)
        st.caption("Copy this link (button at the code box's corner): it opens this exact view, selection "
                   "included, in any browser that can reach this dashboard.")
        filters = tuple(f"{column}: {', '.join(values)}" for column, values in view.filters)
        if view.sponsored != "all":
            filters += (f"sponsored: {view.sponsored} only",)
        if view.exclude_flagged:
            filters += ("flagged creators excluded",)
        context = ReportContext(dataset=view.source.name or view.dataset, filters=filters, link=link)
        made_download(
            "HTML report", lambda: _report(view.source, view.filters, view.sponsored, view.exclude_flagged,
                                           chart_view(view), context),
            f"{file_stem('engagement-atlas-' + (view.source.name or view.dataset))}.html", "text/html",
            "report_html", ":material/description:",
            "One self-contained file (works offline): this view's chart, tier table, sweet-spot verdict, "
            "trend and a methods note, with the numbers shown here", token=(link, repr(view)),
            working="Building the report…")


def _report(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, view: ChartView,
            context: ReportContext) -> str:
    return html_report(filtered_frame(source, filters, sponsored, exclude_flagged), view, context)
