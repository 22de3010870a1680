"""Choosing, uploading and re-mapping datasets; the ``dataset`` URL parameter is kept in sync here.

The dataset selector is not bound to the URL like the other controls: its
values include upload ids, which the selector shows by file name. The URL is
the source of truth: it is read before the selector is drawn and written when
the selection changes, so a link with ``?dataset=u-…`` restores an upload.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from analysis.mapping import SYNONYMS, ColumnMapping
from ui.data import dataset_names
from ui.state import DEMO_DATASET, Source, StateKeys
from ui.store import find, is_dataset_id, save_upload

_UPLOADS = "_uploads"  # session: upload id -> file name
_SEEN = "_uploaded_file_ids"  # session: uploader file ids already stored
_NONE = "—"


def dataset_options() -> tuple[list[str], dict[str, str]]:
    """Dataset values the selector offers (demo, data folder, this session's uploads, the link's upload)."""
    uploads: dict[str, str] = st.session_state.setdefault(_UPLOADS, {})
    requested = st.query_params.get(StateKeys.DATASET)
    if requested and is_dataset_id(requested) and requested not in uploads and (found := find(requested)):
        uploads[requested] = found.name
    return [*dataset_names(), *uploads], uploads


def select_dataset(help_text: str) -> str:
    """Draw the selector (URL first) and return the chosen dataset value."""
    options, uploads = dataset_options()
    requested = st.query_params.get(StateKeys.DATASET, DEMO_DATASET)
    if requested in options and st.session_state.get(StateKeys.DATASET) != requested:
        st.session_state[StateKeys.DATASET] = requested
    elif st.session_state.get(StateKeys.DATASET) not in options:
        st.session_state[StateKeys.DATASET] = DEMO_DATASET
    return str(st.selectbox("Dataset", options, key=StateKeys.DATASET, help=help_text,
                            format_func=lambda v: f"{uploads[v]} (uploaded)" if v in uploads else v,
                            on_change=_write_url))


def _write_url() -> None:
    choice = st.session_state.get(StateKeys.DATASET, DEMO_DATASET)
    if choice == DEMO_DATASET:
        st.query_params.pop(StateKeys.DATASET, None)
    else:
        st.query_params[StateKeys.DATASET] = choice


def switch_to(dataset: str) -> None:
    """Make ``dataset`` the current one and rerun (the selector follows the URL on the next run)."""
    st.query_params[StateKeys.DATASET] = dataset
    st.rerun()


def upload_files() -> None:
    """An uploader; each new file is stored (content-addressed) and the last one opened."""
    files = st.file_uploader("Upload creator files (CSV, TSV, Excel, Parquet, JSON; gzip or zip)",
                             accept_multiple_files=True, key="uploader")
    seen: set[str] = st.session_state.setdefault(_SEEN, set())
    newest = None
    for upload in files or []:
        if upload.file_id not in seen:
            stored = save_upload(upload.getvalue(), upload.name)
            st.session_state.setdefault(_UPLOADS, {})[stored.id] = stored.name
            seen.add(upload.file_id)
            newest = stored.id
    if newest:
        switch_to(newest)


def edit_mapping(source: Source, mapping: ColumnMapping, columns: tuple[str, ...]) -> None:
    """A form to change which column is which; applying stores a new reading of the same bytes."""
    with st.form("mapping_form"):
        st.caption("Change any guess; the new mapping becomes part of the dataset's link.")
        picks = {c.canonical: st.selectbox(c.canonical, [_NONE, *columns], key=f"map_{c.canonical}",
                                           index=[_NONE, *columns].index(c.source) if c.source else 0)
                 for c in mapping.choices}
        applied = st.form_submit_button("Apply mapping")
    if applied:
        changed = _changes(picks, mapping)
        if changed:
            overrides = dict(source.overrides) | changed
            with open(source.path, "rb") as handle:
                stored = save_upload(handle.read(), source.name, overrides, source.sheet)
            st.session_state.setdefault(_UPLOADS, {})[stored.id] = stored.name
            switch_to(stored.id)


def _changes(picks: Mapping[str, str], mapping: ColumnMapping) -> dict[str, str | None]:
    chosen = {k: (None if v == _NONE else v) for k, v in picks.items() if k in SYNONYMS}
    return {k: v for k, v in chosen.items() if v != mapping.source_for(k)}
