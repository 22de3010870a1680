"""Loading: every row loaded or rejected with a reason; file problems are clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import LoadError
from analysis.loading import clean_creators, load_creators

MESSY = """handle,followers,likes,comments,sponsored,platform
a,1000,50,2,yes,Instagram
b,abc,1,1,no,tiktok
c,0,1,1,no,tiktok
d,-5,1,1,,tiktok
e,"12,000",100,-3,no,tiktok
f,500,,3,maybe,tiktok
g,,1,1,1,youtube
h,2000,N/A,5,0, YouTube
"""


@pytest.fixture
def messy_csv(tmp_path: Path) -> Path:
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    return path


def test_every_row_is_loaded_or_rejected_with_reason(messy_csv):
    result = load_creators(messy_csv)
    report = result.report
    assert report.total == 8 and report.loaded == 2 and len(report.rejected) == 6
    # Independent of the report's own arithmetic: the frame's rows and the rejected rows
    # are disjoint and together are exactly the file's data rows 1..8.
    assert sorted([*result.frame["row"], *report.rejected["row"]]) == list(range(1, 9))
    reasons = dict(zip(report.rejected["row"], report.rejected["reason"], strict=True))
    assert reasons == {
        2: "followers is not a number",
        3: "followers must be greater than 0",
        4: "followers must be greater than 0",
        5: "comments is negative",
        6: "sponsored is not a yes/no value",
        7: "followers missing",
    }
    assert list(result.frame["row"]) == [1, 8]


def test_values_are_parsed_and_normalised(messy_csv):
    frame = load_creators(messy_csv).frame
    first, last = frame.iloc[0], frame.iloc[1]
    assert first["followers"] == 1000 and first["sponsored"] and first["platform"] == "instagram"
    assert np.isnan(last["likes"]) and not last["sponsored"] and last["platform"] == "youtube"


def test_rows_without_likes_are_kept_and_noted(messy_csv):
    notes = load_creators(messy_csv).report.notes
    assert any("no likes" in note for note in notes)


def test_thousands_separators_parse():
    result = clean_creators(pd.DataFrame({"followers": ["12,000"], "likes": ["1,200"], "comments": ["3"]}))
    assert result.frame.loc[0, "followers"] == 12_000 and result.frame.loc[0, "likes"] == 1_200


def test_parquet_round_trip(tmp_path, creators):
    path = tmp_path / "creators.parquet"
    creators.to_parquet(path)
    result = load_creators(path)
    assert result.report.loaded == len(creators) and result.report.rejected.empty
    np.testing.assert_allclose(result.frame["likes"], creators["likes"])


def test_accounting_holds_for_random_garbage(rng):
    cells = np.array(["12", "0", "-1", "x", "", "N/A", "3.5", "1e3", "inf", "7"])
    raw = pd.DataFrame({c: rng.choice(cells, 500) for c in ("followers", "likes", "comments")})
    result = clean_creators(raw)
    assert sorted([*result.frame["row"], *result.report.rejected["row"]]) == list(range(1, 501))
    assert result.report.rejected["reason"].notna().all()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("header.csv", b"followers,likes\n", "no data rows"),
        ("nofollowers.csv", b"handle,likes\na,3\n", "no 'followers' column"),
        ("table.xlsx", b"PK", "unsupported file type"),
        ("garbage.parquet", b"\x00\x01not parquet", "cannot be read"),
        ("latin.csv", "followers,name\n10,Jos\xe9\n".encode("latin-1"), "cannot be read"),
    ],
)
def test_file_problems_name_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as info:
        load_creators(path)
    assert name in str(info.value)


def test_missing_file_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_creators(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("12,5", "followers is not a number"),  # a decimal comma or a typo: never guessed
        ("1,2,3", "followers is not a number"),
        ("1,23", "followers is not a number"),
        ("3.5", "followers is not a whole number"),
        ("inf", "followers is not a finite number"),
    ],
)
def test_ambiguous_or_impossible_followers_are_rejected(cell, reason):
    report = clean_creators(pd.DataFrame({"followers": [cell], "likes": ["1"], "comments": ["1"]})).report
    assert list(report.rejected["reason"]) == [reason]
    assert list(report.rejected["value"]) == [cell]


def test_column_names_equal_but_for_case_are_a_clear_error(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("followers,Followers,likes,comments\n10,10,1,1\n", encoding="utf-8")
    with pytest.raises(LoadError, match="'followers' appear more than once"):
        load_creators(path)


def test_blank_lines_keep_row_numbers_aligned(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("followers,likes,comments\n100,1,1\n\n300,3,3\n", encoding="utf-8")
    result = load_creators(path)
    assert list(result.frame["row"]) == [1, 3]
    assert list(result.report.rejected["row"]) == [2] and result.report.total == 3


def test_numeric_and_boolean_sponsored_columns(tmp_path):
    frame = pd.DataFrame({"followers": [10.0, 20.0, 30.0], "likes": [1.0] * 3, "comments": [1.0] * 3,
                          "sponsored": [1.0, 0.0, 2.0]})
    result = clean_creators(frame)
    assert list(result.frame["sponsored"]) == [True, False]
    assert list(result.report.rejected["value"]) == ["2.0"]
    as_bool = clean_creators(frame.iloc[:2].assign(sponsored=[True, False]))
    assert list(as_bool.frame["sponsored"]) == [True, False] and as_bool.report.rejected.empty
