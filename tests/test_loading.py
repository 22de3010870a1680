"""Loading: every row loaded or rejected with a reason; file problems are clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.loading import LoadError, clean_creators, load_creators

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
    assert report.loaded + len(report.rejected) == report.total
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
    report = clean_creators(raw).report
    assert report.loaded + len(report.rejected) == 500
    assert set(report.rejected["row"]).isdisjoint(set(clean_creators(raw).frame["row"]))


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
