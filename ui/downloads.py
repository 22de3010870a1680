"""Download buttons for a table (CSV, Excel) and a figure (PNG, SVG, interactive HTML).

Every file is made only when its button is clicked: ``st.download_button`` takes a callable
for ``data`` and runs it on click, so a rerun of the page (any widget change) renders no
image and writes no workbook. ``on_click="ignore"``: downloading does not rerun the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.export import EXCEL_MAX_ROWS, to_csv_bytes, to_excel_bytes
from analysis.figure_export import figure_html, figure_image, image_export_available

#: PNG/SVG layout size; the PNG is drawn at twice this (``IMAGE_SCALE``) for sharp slides.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 1200, 700, 2
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_IMAGES = ("PNG and SVG downloads need Chromium on the server (`sudo apt-get install chromium`). "
             "The HTML file works offline in any browser and has a camera button that saves a PNG.")


def file_stem(name: str) -> str:
    """``name`` as a file name without extension: letters, digits, ``-`` and ``_`` only."""
    stem = re.sub(r"[^\w-]+", "_", name.strip(), flags=re.ASCII).strip("_.")
    return stem or "export"


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of ``frame``, side by side; files named after ``name``."""
    stem = file_stem(name)
    csv_column, excel_column = st.columns(2)
    with csv_column:
        _download("CSV", lambda: to_csv_bytes(frame), f"{stem}.csv", "text/csv", f"{key}_csv",
                  ":material/table:", "UTF-8 text; formula-like cells are escaped")
    with excel_column:
        if len(frame) >= EXCEL_MAX_ROWS:  # the header takes a row too
            st.button("Excel", key=f"{key}_xlsx", icon=":material/grid_on:", disabled=True, width="stretch",
                      help=f"{len(frame):,} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS - 1:,} at most): "
                           "download CSV, or filter the view first")
            return
        _download("Excel", lambda: to_excel_bytes({name: frame}), f"{stem}.xlsx", XLSX_MIME, f"{key}_xlsx",
                  ":material/grid_on:", "An .xlsx workbook; every text cell is stored as text")


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
    with png_column:
        _download("PNG", lambda: _image(fig, "png"), f"{stem}.png", "image/png", f"{key}_png",
                  ":material/image:", f"Picture, {size}")
    with svg_column:
        _download("SVG", lambda: _image(fig, "svg"), f"{stem}.svg", "image/svg+xml", f"{key}_svg",
                  ":material/draw:", "Vector picture (a WebGL point cloud is embedded as a bitmap)")
    with html_column:
        _download("HTML", lambda: figure_html(fig, title=name), f"{stem}.html", "text/html", f"{key}_html",
                  ":material/code:", html_help)


def _image(fig: go.Figure, fmt: Literal["png", "svg"]) -> bytes:
    return figure_image(fig, fmt, width=IMAGE_WIDTH, height=IMAGE_HEIGHT, scale=IMAGE_SCALE)


def _download(label: str, make: Callable[[], bytes | str], file_name: str, mime: str, key: str, icon: str,
              help_text: str) -> None:
    st.download_button(label, make, file_name=file_name, mime=mime, key=key, help=help_text, icon=icon,
                       on_click="ignore", width="stretch")
