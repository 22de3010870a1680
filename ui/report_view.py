"""Streamlit views of a load report: counts, how the file was read, the mapping, rejected and flagged rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.loading import LoadResult
from analysis.mapping import ColumnMapping
from analysis.posts import JoinReport
from ui.downloads import table_downloads


def show_counts(loaded: LoadResult) -> None:
    """Rows in the file, loaded, rejected, creators and flagged, side by side."""
    report = loaded.report
    flagged = len(loaded.flagged)
    cells = st.columns(5)
    for cell, (label, value) in zip(cells, [("Rows in file", report.total), ("Loaded", report.loaded),
                                            ("Rejected", len(report.rejected)), ("Creators", report.creators),
                                            ("Flagged", flagged)], strict=True):
        cell.metric(label, f"{value:,}")


def show_reading(loaded: LoadResult) -> None:
    """Every decision taken reading the file, then what is missing and what that means."""
    report = loaded.report
    for note in report.notes:
        st.warning(note, icon=":material/info:")
    with st.expander("How the file was read", expanded=False):
        st.markdown("\n".join(f"- {line}" for line in report.decisions) or "Nothing to report.")


def mapping_table(mapping: ColumnMapping) -> pd.DataFrame:
    """The column mapping as a table: canonical column, source column, confidence, why."""
    return pd.DataFrame({
        "Column": [c.canonical for c in mapping.choices],
        "Read from": [c.source or "—" for c in mapping.choices],
        "Confidence": [f"{c.confidence:.0%}" if c.source else "—" for c in mapping.choices],
        "Why": [c.reason for c in mapping.choices],
    })


def show_mapping(mapping: ColumnMapping) -> None:
    st.subheader("Column mapping")
    table = mapping_table(mapping)
    st.dataframe(table, hide_index=True, key="mapping_table")
    table_downloads(table, "column-mapping", "mapping")
    st.caption("Detected from the header names. Low confidence means a guess from a similar name: check it.")


def show_rows(title: str, rows: pd.DataFrame, name: str, empty: str, key: str) -> None:
    """A table of rows with CSV and Excel downloads named after ``name``, or a short all-clear."""
    st.subheader(title)
    if rows.empty:
        st.success(empty)
        return
    st.dataframe(rows, hide_index=True, key=f"{key}_table")
    table_downloads(rows, name, key)


def show_join(join: JoinReport | None) -> None:
    """For an accounts + posts pair: what the join could not match, each list downloadable."""
    if join is None:
        return
    st.subheader("Accounts and posts")
    cells = st.columns(3)
    cells[0].metric("Posts without an account", f"{len(join.posts_without_account):,}")
    cells[1].metric("Accounts without posts", f"{len(join.accounts_without_posts):,}")
    cells[2].metric("Posts rejected", f"{len(join.posts_rejected):,}")
    st.caption("Handles are matched ignoring case, spaces and a leading '@'. Accounts without posts keep the "
               "counts from the accounts file, if it has any.")
    show_rows("Posts whose creator is not in the accounts file", join.posts_without_account,
              "posts-without-account", "Every post matched an account.", key="orphan_posts")
    show_rows("Accounts without posts", join.accounts_without_posts, "accounts-without-posts",
              "Every account has posts.", key="accounts_without_posts")
    show_rows("Rejected posts", join.posts_rejected, "rejected-posts", "No post was rejected.",
              key="rejected_posts")
