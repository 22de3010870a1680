"""CSV downloads never hand a spreadsheet a formula to run."""

from __future__ import annotations

import io

import pandas as pd

from analysis.export import escape_formulas, to_csv_bytes


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
