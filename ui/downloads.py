"""Download buttons for a table (CSV, Excel) and a figure (PNG, SVG, interactive HTML).

Every file is made only when its button is clicked, so a rerun of the page (any widget
change) renders no image and writes no workbook. A quick file (under half a second) is
made as the browser asks for it: ``st.download_button`` takes a callable for ``data``.
A slow one (a picture drawn by Chromium, a big workbook, the report) is made by a first
click under a spinner, then offered by a download button, because a deferred download
gives no sign of life while it is being made. ``on_click="ignore"``: downloading does not
rerun the page.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Hashable
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.export import EXCEL_MAX_ROWS, to_csv_bytes, to_excel_bytes
from analysis.figure_export import figure_html, figure_image, image_export_available

#: PNG/SVG layout size; the PNG is drawn at twice this (``IMAGE_SCALE``) for sharp slides.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 1200, 700, 2
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Above these many cells a table's file takes more than about half a second to write (measured on the
#: demo: Excel about 75,000 cells a second, CSV about 2 million), so it is made on a first click.
SLOW_EXCEL_CELLS = 37_000
SLOW_CSV_CELLS = 1_000_000
NO_IMAGES = ("PNG and SVG downloads need Chromium on the server (`sudo apt-get install chromium`). "
             "The HTML file works offline in any browser and has a camera button that saves a PNG.")


def file_stem(name: str) -> str:
    """``name`` as a file name without extension: letters, digits, ``-`` and ``_`` only."""
    stem = re.sub(r"[^\w-]+", "_", name.strip(), flags=re.ASCII).strip("_.")
    return stem or "export"


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of ``frame``, side by side; files named after ``name``."""
    stem = file_stem(name)
    cells = frame.size
    token = functools.partial(_frame_token, frame)
    csv_column, excel_column = st.columns(2)
    with csv_column:
        _download("CSV", lambda: to_csv_bytes(frame), f"{stem}.csv", "text/csv", f"{key}_csv",
                  ":material/table:", "UTF-8 text; formula-like cells are escaped",
                  slow=(token, f"Writing {len(frame):,} rows as CSV…") if cells > SLOW_CSV_CELLS else None)
    with excel_column:
        if len(frame) >= EXCEL_MAX_ROWS:  # the header takes a row too
            st.button("Excel", key=f"{key}_xlsx", icon=":material/grid_on:", disabled=True, width="stretch",
                      help=f"{len(frame):,} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS - 1:,} at most): "
                           "download CSV, or filter the view first")
            return
        _download("Excel", lambda: to_excel_bytes({name: frame}), f"{stem}.xlsx", XLSX_MIME, f"{key}_xlsx",
                  ":material/grid_on:", "An .xlsx workbook; every text cell is stored as text",
                  slow=(token, f"Writing {len(frame):,} rows to a workbook…") if cells > SLOW_EXCEL_CELLS else None)


def figure_downloads(fig: go.Figure, name: str, key: str) -> None:
    """PNG, SVG and standalone HTML downloads of ``fig`` (a caption instead of PNG/SVG without Chromium).

    The figure is read when a button is clicked, so pass one that is not changed afterwards.
    """
    stem = file_stem(name)
    html_help = "Interactive chart in one file; opens offline in any browser"
    if not image_export_available():
        _download("HTML", lambda: figure_html(fig, title=name), f"{stem}.html", "text/html", f"{key}_html",
                  ":material/code:", html_help)
        st.caption(NO_IMAGES)
        return
    png_column, svg_column, html_column = st.columns(3)
    size = f"{IMAGE_WIDTH * IMAGE_SCALE}×{IMAGE_HEIGHT * IMAGE_SCALE} px"
    token = hashlib.sha1(fig.to_json().encode()).hexdigest()
    with png_column:
        _download("PNG", lambda: _image(fig, "png"), f"{stem}.png", "image/png", f"{key}_png",
                  ":material/image:", f"Picture, {size}", slow=(token, "Drawing the PNG…"))
    with svg_column:
        _download("SVG", lambda: _image(fig, "svg"), f"{stem}.svg", "image/svg+xml", f"{key}_svg",
                  ":material/draw:", "Vector picture (every point a shape: edit it in a drawing program)",
                  slow=(token, "Drawing the SVG…"))
    with html_column:
        _download("HTML", lambda: figure_html(fig, title=name), f"{stem}.html", "text/html", f"{key}_html",
                  ":material/code:", html_help)


def _image(fig: go.Figure, fmt: Literal["png", "svg"]) -> bytes:
    return figure_image(fig, fmt, width=IMAGE_WIDTH, height=IMAGE_HEIGHT, scale=IMAGE_SCALE)


def _download(label: str, make: Callable[[], bytes | str], file_name: str, mime: str, key: str, icon: str,
              help_text: str, slow: tuple[Hashable | Callable[[], Hashable], str] | None = None) -> None:
    """A download button ``key``; with ``slow`` = (what the file shows, spinner text): a make-then-save pair."""
    if slow is None:
        st.download_button(label, make, file_name=file_name, mime=mime, key=key, help=help_text, icon=icon,
                           on_click="ignore", width="stretch")
    else:
        made_download(label, make, file_name, mime, key, icon, help_text, *slow)


def made_download(label: str, make: Callable[[], bytes | str], file_name: str, mime: str, key: str, icon: str,
                  help_text: str, token: Hashable | Callable[[], Hashable], working: str) -> None:
    """A file that takes seconds to make: the button ``<key>_make`` makes it under a spinner, then the
    download button ``key`` offers it, and keeps offering it while ``token`` (what the file shows) stays
    the same.

    ``token`` may be a callable, worked out only when a made file is kept (hashing a big table costs
    about 50 ms, not worth paying on every rerun); a token of None keeps nothing for later runs.
    """
    store = f"_made_{key}"
    made = st.session_state.get(store)
    current = token() if callable(token) and made is not None else token
    if made is None or current is None or made[0] != current:
        st.session_state.pop(store, None)  # a file of another view: drop it, never offer it
        if not st.button(label, key=f"{key}_make", icon=icon, width="stretch",
                         help=f"{help_text}. Takes a few seconds: click to make the file, then save it."):
            return
        with st.spinner(working):
            made = (token() if callable(token) else token, make())
        st.session_state[store] = made
    st.download_button(f"Save {label}", made[1], file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=":material/download:", width="stretch", type="primary", help=f"{help_text}. Ready.")


def _frame_token(frame: pd.DataFrame) -> Hashable | None:
    """What a table shows (about 50 ms for 200,000 rows), or None when its cells cannot be hashed."""
    try:
        return (tuple(map(str, frame.columns)), int(pd.util.hash_pandas_object(frame, index=False).sum()))
    except TypeError:
        return None
