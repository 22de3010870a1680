"""Streamlit views of a load report: counts, how the file was read, the mapping, rejected and flagged rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.export import to_csv_bytes
from analysis.loading import LoadResult
from analysis.mapping import ColumnMapping


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
    st.dataframe(mapping_table(mapping), hide_index=True, key="mapping_table")
    st.caption("Detected from the header names. Low confidence means a guess from a similar name: check it.")


def show_rows(title: str, rows: pd.DataFrame, file_name: str, empty: str, key: str) -> None:
    """A table of rows with a CSV download (formula-like cells escaped), or a short all-clear."""
    st.subheader(title)
    if rows.empty:
        st.success(empty)
        return
    st.dataframe(rows, hide_index=True, key=f"{key}_table")
    st.download_button(f"Download {len(rows):,} rows as CSV", to_csv_bytes(rows), file_name=file_name,
                       mime="text/csv", key=f"{key}_download", on_click="ignore")
