"""Choosing, uploading and re-mapping datasets; the ``dataset`` URL parameter is kept in sync here.

The dataset selector is not bound to the URL like the other controls: its
values include upload ids, which the selector shows by file name. The URL is
the source of truth: it is read before the selector is drawn and written when
the selection changes, so a link with ``?dataset=u-…`` restores an upload.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from analysis.loading import LoadReport
from analysis.mapping import SYNONYMS, ColumnMapping
from analysis.posts import AGGREGATES
from analysis.quality import DUPLICATE_POLICIES
from ui.data import dataset_names
from ui.state import DEMO_DATASET, Source, StateKeys
from ui.store import ROW_KINDS, Reading, StoredDataset, find, is_dataset_id, save_upload

_UPLOADS = "_uploads"  # session: upload id -> file name
_SEEN = "_uploaded_file_ids"  # session: uploader file ids already stored
_NONE = "—"


def dataset_options() -> tuple[list[str], dict[str, str]]:
    """Dataset values the selector offers (demo, data folder, this session's uploads, the link's upload)."""
    uploads: dict[str, str] = st.session_state.setdefault(_UPLOADS, {})
    requested = st.query_params.get(StateKeys.DATASET)
    if requested and is_dataset_id(requested) and requested not in uploads and (found := find(requested)):
        uploads[requested] = f"{found.name} + {found.posts_name}" if found.posts_name else found.name
    return [*dataset_names(), *uploads], uploads


def select_dataset(help_text: str) -> str:
    """Draw the selector (URL first) and return the chosen dataset value."""
    options, uploads = dataset_options()
    current = st.session_state.get(StateKeys.DATASET)
    if StateKeys.DATASET not in st.query_params and current in options and current != DEMO_DATASET:
        # A page change drops this unbound parameter from the address; the session still holds the
        # analyst's dataset, so it goes back into the link (a fresh session has no such state).
        st.query_params[StateKeys.DATASET] = current
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
            newest = _remember(save_upload(upload.getvalue(), upload.name))
            seen.add(upload.file_id)
    if newest:
        switch_to(newest)


def upload_pair() -> None:
    """An accounts file and a posts file, joined on the creator handle and stored as one dataset."""
    left, right = st.columns(2)
    accounts = left.file_uploader("Accounts file (one row per creator, with followers)", key="pair_accounts")
    posts = right.file_uploader("Posts file (one row per post, with the creator's handle)", key="pair_posts")
    if st.button("Join and open", key="pair_join", disabled=not (accounts and posts)) and accounts and posts:
        stored = save_upload(accounts.getvalue(), accounts.name, posts=(posts.getvalue(), posts.name))
        switch_to(_remember(stored))


def _remember(stored: StoredDataset) -> str:
    label = f"{stored.name} + {stored.posts_name}" if stored.posts_name else stored.name
    st.session_state.setdefault(_UPLOADS, {})[stored.id] = label
    return stored.id


def edit_reading(source: Source, report: LoadReport) -> None:
    """A form to change how the file is read; applying stores a new reading of the same bytes (a new link)."""
    with st.form("reading_form"):
        sheet = _sheet_choice(source, report.sheets)
        rows = source.rows
        if report.join is None:
            rows = st.radio("Each row is", ROW_KINDS, key="read_rows", index=ROW_KINDS.index(source.rows),
                            horizontal=True, format_func=_ROW_LABELS.__getitem__,
                            help="Detected: posts when at least a fifth of the rows repeat a handle (any repeat "
                                 "if the header names post columns such as caption or post date).")
        duplicates = st.radio("A creator listed more than once (rows are creators)", DUPLICATE_POLICIES,
                              key="read_duplicates", index=DUPLICATE_POLICIES.index(source.duplicates),
                              horizontal=True, format_func=_DUPLICATE_LABELS.__getitem__,
                              help="Which row of a repeated handle is analysed; the others are listed as rejected.")
        aggregate = st.radio("Posts per creator are summarised by their (rows are posts)", AGGREGATES,
                             key="read_aggregate", index=AGGREGATES.index(source.aggregate), horizontal=True)
        st.caption("Columns: change any guess. Everything here becomes part of the dataset's link.")
        picks = {c.canonical: st.selectbox(c.canonical, [_NONE, *report.columns], key=f"map_{c.canonical}",
                                           index=[_NONE, *report.columns].index(c.source) if c.source else 0)
                 for c in report.mapping.choices}
        applied = st.form_submit_button("Apply")
    if applied:
        new_sheet = sheet != source.sheet and sheet != (report.sheets[0] if report.sheets else None)
        overrides = {} if new_sheet else dict(source.overrides) | _changes(picks, report.mapping)
        reading = Reading(tuple(sorted(overrides.items())), sheet if report.sheets else None, str(duplicates),
                          str(aggregate), str(rows))
        _store_reading(source, reading)


def _sheet_choice(source: Source, sheets: tuple[str, ...]) -> str | None:
    if len(sheets) < 2:
        return source.sheet
    current = source.sheet if source.sheet in sheets else sheets[0]
    return str(st.selectbox("Sheet", sheets, index=sheets.index(current), key="read_sheet",
                            help="Another sheet has other columns: its mapping is detected afresh."))


def _store_reading(source: Source, reading: Reading) -> None:
    current = Reading(source.overrides, source.sheet, source.duplicates, source.aggregate, source.rows)
    if reading == current:
        return
    posts = (Path(source.posts_path).read_bytes(), source.posts_name) if source.posts_path else None
    stored = save_upload(Path(source.path).read_bytes(), source.name, reading=reading, posts=posts)
    switch_to(_remember(stored))


_ROW_LABELS = {"auto": "detect", "creators": "a creator", "posts": "a post"}
_DUPLICATE_LABELS = {"first": "keep the first", "last": "keep the last", "largest": "keep the largest",
                     "keep": "keep all"}


def _changes(picks: Mapping[str, str], mapping: ColumnMapping) -> dict[str, str | None]:
    chosen = {k: (None if v == _NONE else v) for k, v in picks.items() if k in SYNONYMS}
    return {k: v for k, v in chosen.items() if v != mapping.source_for(k)}
