"""Every table and every chart on every page can be taken away (AppTest, by what each page draws)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.downloads
from tests.apptest import page
from ui.state import StateKeys

PRICE_EDITOR = StateKeys.PRICE_EDITOR

# Views that draw each page's optional tables and charts too: a selection, a split, a benchmark.
VIEWS = [
    ("app.py", {"sel": "bin:17"}),
    ("pages/2_Tiers.py", {"split": "sponsored", "benchmark": "markerly-2016"}),
    ("pages/3_Sweet_spot.py", {}),
    ("pages/4_Compare.py", {}),
    ("pages/8_Data.py", {}),
    ("pages/9_Methods.py", {}),
]


def labels(at, kind: str) -> list[str]:
    return [element.proto.label for element in at.get(kind)]


@pytest.mark.parametrize(("script", "params"), VIEWS, ids=[script for script, _ in VIEWS])
def test_every_table_and_chart_has_downloads(script, params):
    at = page(script, **params).run()
    assert not at.exception
    # A quick file is a download button; a slow one (pictures, big tables) a button that makes it first.
    downloads = labels(at, "download_button") + labels(at, "button")
    # The per-tier price grid is an input (a data editor), not a result table.
    tables = sum(PRICE_EDITOR not in table.proto.id for table in at.dataframe)
    charts = len(at.get("plotly_chart"))
    assert tables >= 1
    # One CSV and one Excel per table (a disabled Excel button stands in when the rows exceed a sheet).
    assert downloads.count("CSV") == tables
    assert downloads.count("Excel") == tables
    # Every chart comes as standalone HTML (and PNG/SVG when Chromium is there).
    assert downloads.count("HTML") == charts
    assert downloads.count("PNG") in (0, charts) and downloads.count("SVG") == downloads.count("PNG")


def test_a_table_too_long_for_excel_offers_csv_and_says_why(monkeypatch):
    # AppTest runs the script in this process: a sheet of a header and three rows stands in for Excel's 1,048,576.
    monkeypatch.setattr(ui.downloads, "EXCEL_MAX_ROWS", 4)

    def script() -> None:
        import pandas as pd

        from ui import downloads

        downloads.table_downloads(pd.DataFrame({"n": range(4)}), "long", "long")
        downloads.table_downloads(pd.DataFrame({"n": range(3)}), "fits", "fits")

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert labels(at, "download_button") == ["CSV", "CSV", "Excel"]
    excel = at.button(key="long_xlsx")
    assert excel.disabled and "4 rows do not fit in an Excel sheet (3 at most)" in excel.help


def test_a_slow_file_is_made_on_a_click_then_offered_until_what_it_shows_changes(monkeypatch):
    def script() -> None:
        import streamlit as st

        from ui.downloads import made_download

        version = st.number_input("version", value=1, key="version")
        made_download("PNG", lambda: f"picture {version}".encode(), "chart.png", "image/png", "chart_png",
                      ":material/image:", "Picture", token=version, working="Drawing…")

    at = AppTest.from_function(script).run()
    assert labels(at, "download_button") == [] and at.button(key="chart_png_make").label == "PNG"
    at.button(key="chart_png_make").click().run()
    assert not at.exception and labels(at, "download_button") == ["Save PNG"]
    at.run()  # any other rerun: still offered, not made again
    assert labels(at, "download_button") == ["Save PNG"]
    at.number_input(key="version").set_value(2).run()  # the picture would show something else now
    assert labels(at, "download_button") == [] and at.button(key="chart_png_make").label == "PNG"


def test_a_callable_token_is_worked_out_only_once_a_file_is_kept():
    def script() -> None:
        import streamlit as st

        from ui.downloads import made_download

        def token() -> int:
            st.session_state["token_calls"] = st.session_state.get("token_calls", 0) + 1
            return 1

        made_download("Excel", lambda: b"workbook", "t.xlsx", "application/octet-stream", "t_xlsx",
                      ":material/grid_on:", "Workbook", token=token, working="Writing…")

    at = AppTest.from_function(script).run()
    at.run()
    assert "token_calls" not in at.session_state  # two runs, nothing made: no hashing
    at.button(key="t_xlsx_make").click().run()
    assert labels(at, "download_button") == ["Save Excel"] and at.session_state["token_calls"] == 1
    at.run()  # the kept file is checked against what the table shows now
    assert labels(at, "download_button") == ["Save Excel"] and at.session_state["token_calls"] == 2
