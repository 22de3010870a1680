"""CSV and Excel downloads never hand a spreadsheet a formula to run; Excel keeps values and types."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

from analysis import export
from analysis.export import escape_formulas, excel_sheet_names, to_csv_bytes, to_excel_bytes


def test_formula_like_text_is_escaped_and_numbers_are_not():
    frame = pd.DataFrame({"handle": ["=HYPERLINK(\"x\")", "+1", "-2", "@cmd", "ana", None],
                          "followers": [-5, 1, 2, 3, 4, 5]})
    out = escape_formulas(frame)
    assert list(out["handle"][:5]) == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@cmd", "ana"]
    assert pd.isna(out["handle"][5]) and list(out["followers"]) == [-5, 1, 2, 3, 4, 5]
    assert frame["handle"][0] == "=HYPERLINK(\"x\")"  # the input is untouched


def test_csv_bytes_round_trip_as_text():
    data = to_csv_bytes(pd.DataFrame({"value": ["=1+1", "ok"], "row": [3, 4]}))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["value"]) == ["'=1+1", "ok"] and list(back["row"]) == [3, 4]


def _read_back(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_excel_round_trip_matches_the_frame():
    frame = pd.DataFrame({"handle": ["ana", "bo", None], "followers": [1_200, 35_000, 7],
                          "er": [0.031, np.nan, 0.5], "sponsored": [True, False, True]})
    back = pd.read_excel(io.BytesIO(to_excel_bytes({"creators": frame})), sheet_name="creators")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_excel_cells_keep_their_types_and_missing_values_are_empty():
    frame = pd.DataFrame({"n": [3, 4], "er": [0.25, np.nan], "label": ["x", pd.NA], "when": [pd.NaT, pd.NaT]})
    sheet = _read_back(to_excel_bytes({"t": frame}))["t"]
    assert [c.value for c in sheet[1]] == ["n", "er", "label", "when"]
    assert [(c.value, c.data_type) for c in sheet[2][:3]] == [(3, "n"), (0.25, "n"), ("x", "s")]
    assert [c.value for c in sheet[3]] == [4, None, None, None] and sheet.max_row == 3


def test_formula_like_text_is_stored_as_text_not_as_a_formula():
    risky = ["=HYPERLINK(\"http://x\",\"y\")", "=1+1", "+1", "-2", "@cmd", "#N/A", "=", "ok"]
    sheet = _read_back(to_excel_bytes({"t": pd.DataFrame({"=bad header": risky})}))["t"]
    cells = [row[0] for row in sheet.iter_rows()]
    assert [c.value for c in cells] == ["=bad header", *risky]  # exactly the original text, no prefix
    assert {c.data_type for c in cells} == {"s"}


def test_excel_infinity_and_odd_objects_become_text():
    frame = pd.DataFrame({"v": [np.inf, -np.inf, 1.5], "o": [[1, 2], np.int64(7), "a\x07b"]})
    sheet = _read_back(to_excel_bytes({"t": frame}))["t"]
    assert [c.value for c in sheet["A"][1:]] == ["inf", "-inf", 1.5]
    assert [c.value for c in sheet["B"][1:]] == ["[1, 2]", 7, "ab"]  # control characters are not allowed


def test_excel_dates_keep_their_wall_time_without_a_zone():
    when = pd.Series(pd.to_datetime(["2024-03-01 10:30"])).dt.tz_localize("Europe/Berlin")
    sheet = _read_back(to_excel_bytes({"t": pd.DataFrame({"when": when})}))["t"]
    assert sheet["A2"].value == dt.datetime(2024, 3, 1, 10, 30) and sheet["A2"].is_date


def test_excel_header_is_bold_frozen_and_columns_are_sized():
    frame = pd.DataFrame({"id": [1], "a rather long column header": [2], "note": ["x" * 200]})
    sheet = _read_back(to_excel_bytes({"t": frame}))["t"]
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] < widths[1] < widths[2] <= 60 and widths[1] >= len("a rather long column header")


def test_excel_one_sheet_per_entry_with_names_excel_accepts():
    sheets = {"tiers [seed]": pd.DataFrame({"a": [1]}), "a/b:c*d?": pd.DataFrame({"a": [2]}),
              "A/B:C*D?": pd.DataFrame({"a": [3]}), "x" * 40: pd.DataFrame({"a": [4]})}
    book = _read_back(to_excel_bytes(sheets))
    assert book.sheetnames == ["tiers _seed_", "a_b_c_d_", "A_B_C_D_ (2)", "x" * 31]
    assert [sheet["A2"].value for sheet in book.worksheets] == [1, 2, 3, 4]


def test_sheet_names_follow_excels_rules():
    names = excel_sheet_names(["'quoted'", "", "History", "n" * 31, "N" * 31, "n" * 31, "a\\b"])
    assert names == ["quoted", "Sheet", "History_", "n" * 31, "N" * 27 + " (2)", "n" * 27 + " (3)", "a_b"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_excel_refuses_no_sheets_and_tables_too_large(monkeypatch):
    with pytest.raises(ValueError, match="at least one sheet"):
        to_excel_bytes({})
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(ValueError, match="does not fit in an Excel sheet"):
        to_excel_bytes({"t": pd.DataFrame({"a": [1, 2, 3]})})
