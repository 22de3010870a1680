"""The sidebar every page shares: one set of URL-bound widgets, one :class:`View` out.

Each widget's ``key`` is its URL parameter (``bind="query-params"``), so the
address bar always holds the whole view and a pasted link restores it.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from analysis.engagement import get_definition
from analysis.loading import LoadError, LoadResult
from analysis.segments import segment_values
from analysis.tiers import get_scheme
from ui.data import dataset_names, load_dataset
from ui.state import (
    DEFAULT_BAND,
    DEMO_DATASET,
    FILTER_COLUMNS,
    Choice,
    StateKeys,
    View,
    resolve_band,
    single_choices,
    unknown_params,
    url_notices,
)

_BIND: Final = "query-params"


def render_sidebar() -> View:
    """Draw the shared controls and return the view they describe."""
    raw_params = {key: st.query_params.get_all(key) for key in st.query_params}
    choices = single_choices(dataset_names())
    with st.sidebar:
        st.header("View")
        dataset = _choice("Dataset", StateKeys.DATASET, choices,
                          help="The bundled demo is synthetic. CSV or Parquet files in the data folder appear here.")
        loaded = _load_or_stop(dataset)
        scheme = _choice("Tier scheme", StateKeys.SCHEME, choices)
        st.caption(get_scheme(scheme).title)
        level = _choice("Confidence level (%)", StateKeys.LEVEL, choices, horizontal=True)
        definition = _choice("Engagement rate", StateKeys.DEFINITION, choices)
        st.caption(get_definition(definition).description)
        y_scale = _choice("Y axis", StateKeys.Y_SCALE, choices, horizontal=True)
        band, band_notices = _band_inputs()
        st.subheader("Filters")
        options = {key: segment_values(loaded.frame, column) for key, column in FILTER_COLUMNS.items()}
        filters = tuple(
            (column, tuple(st.multiselect(key.title(), options[key], key=key, bind=_BIND)))
            for key, column in FILTER_COLUMNS.items() if options[key]
        )
        sponsored = _choice("Sponsored", StateKeys.SPONSORED, choices, horizontal=True)
        st.caption("The address bar holds this whole view: copy it to share exactly what you see.")
    notices = url_notices(raw_params, options, choices[StateKeys.DATASET].options) + band_notices
    for key in unknown_params(raw_params, list(FILTER_COLUMNS)):
        del st.query_params[key]
    return View(
        dataset=dataset, scheme=scheme, level=int(level) / 100, definition=definition, y_scale=y_scale,
        band=band, filters=tuple((c, v) for c, v in filters if v), sponsored=sponsored, notices=tuple(notices),
    )


def _load_or_stop(dataset: str) -> LoadResult:
    try:
        return load_dataset(dataset)
    except LoadError as exc:
        st.error(f"Dataset '{dataset}' cannot be used: {exc}  \nPick another dataset above.", icon=":material/error:")
        st.stop()


def _choice(label: str, key: str, choices: dict[str, Choice], horizontal: bool = False,
            help: str | None = None) -> str:  # noqa: A002 - Streamlit's own parameter name
    choice = choices[key]
    if horizontal:
        value = st.radio(label, choice.options, index=choice.index, key=key, bind=_BIND, horizontal=True, help=help)
    else:
        value = st.selectbox(label, choice.options, index=choice.index, key=key, bind=_BIND, help=help)
    return str(value if value is not None else choice.default)


def _band_inputs() -> tuple[tuple[int, int], list[str]]:
    st.markdown("**Sweet-spot band** (followers)")
    left, right = st.columns(2)
    low = left.number_input("From", min_value=1, value=DEFAULT_BAND[0], step=5_000, key=StateKeys.BAND_LOW,
                            bind=_BIND)
    high = right.number_input("To", min_value=1, value=DEFAULT_BAND[1], step=5_000, key=StateKeys.BAND_HIGH,
                              bind=_BIND)
    return resolve_band(low, high)


def show_notices(view: View) -> None:
    """One short, non-blocking notice listing what in the link could not be used."""
    if view.notices:
        st.warning("  \n".join(view.notices), icon=":material/link:")


def show_dataset_banner(view: View) -> None:
    """Say plainly what the data is, and how much of it the view keeps."""
    if view.dataset == DEMO_DATASET:
        st.info(
            "**Synthetic demo data.** 205,000 generated creators shaped after published figures "
            "(see the Data page for every parameter). Load your own file to analyse real creators.",
            icon=":material/science:",
        )
