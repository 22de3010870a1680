"""read_table: every corpus case reads as expected, and the four real files read cell for cell.

The real files are checked against independent oracles: pandas' C parser for
the values, and the raw bytes split at CRLF for which physical line each row
came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.errors import LoadError
from analysis.readers import RawTable, read_table
from analysis.text_decoding import repair_mojibake
from tests.corpus import CASES, SMALL, Case, Expect

REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "real"
TOP200 = REAL / "insta-top200" / "top_insta_influencers_data.csv"
TIKTOK = REAL / "tiktok-top1000-2022" / "social media influencers - tiktok.csv"
YOUTUBE = REAL / "youtube-top1000" / "youtubers_df.csv"
REACH = REAL / "insta-reach-small" / "instagram_reach.csv"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real datasets not present at {REAL}")


def check_invariants(table: RawTable) -> None:
    """What holds for every table: row numbers aligned and disjoint from rejected rows, text cells str/None."""
    assert table.row_numbers.dtype == np.int64 and len(table.row_numbers) == len(table.frame)
    assert np.all(np.diff(table.row_numbers) > 0)
    assert list(table.rejected.columns) == ["row", "reason"]
    assert not set(table.row_numbers.tolist()) & set(table.rejected["row"].tolist())
    assert list(table.original_names) == list(table.frame.columns) and table.frame.columns.is_unique
    assert isinstance(table.frame.index, pd.RangeIndex)
    if table.details["format"] == "csv":
        cells = table.frame.to_numpy(dtype=object).ravel()
        assert all(cell is None or isinstance(cell, str) for cell in cells)


def check_expected(table: RawTable, expect: Expect) -> None:
    assert table.frame.shape == (expect.rows, expect.columns)
    assert len(table.rejected) == expect.rejected, table.rejected
    notes = " | ".join(table.notes)
    if expect.note is not None:
        assert expect.note in notes
    if expect.no_note is not None:
        assert expect.no_note not in notes
    if expect.reason is not None:
        assert any(expect.reason in reason for reason in table.rejected["reason"]), table.rejected
    if expect.names is not None:
        assert tuple(table.frame.columns) == expect.names
    if expect.row_numbers is not None:
        assert tuple(table.row_numbers.tolist()) == expect.row_numbers
    for (row, column), value in expect.cells.items():
        cell = table.frame[column].iloc[row]
        if value is None or value != value:  # None must stay None; NaN (a missing Parquet number) stays NaN
            assert cell is value or (value is not None and pd.isna(cell)), (row, column, cell)
        else:
            assert cell == value, (row, column, cell)
    assert {key: table.details.get(key) for key in expect.details} == dict(expect.details)
    if expect.source is not None:
        assert table.source == expect.source


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_case(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    if case.expect.outcome == "error":
        with pytest.raises(LoadError) as raised:
            read_table(path, **case.options)
        assert case.expect.message is not None and case.expect.message in str(raised.value)
        assert str(raised.value).startswith(path.name)  # the message names the file
        return
    table = read_table(path, **case.options)
    check_invariants(table)
    check_expected(table, case.expect)


def test_corpus_is_large_and_named_uniquely() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)
    assert {case.expect.outcome for case in CASES} == {"loads", "error"}


def test_bytes_with_a_name_read_like_the_file(tmp_path: Path) -> None:
    from_bytes = read_table(SMALL.replace(",", "\t").encode(), name="upload.tsv")
    assert from_bytes.source == "upload.tsv" and from_bytes.details["delimiter"] == "tab"
    path = tmp_path / "c.csv"
    path.write_text(SMALL, encoding="utf-8")
    from_str = read_table(str(path))
    assert from_str.source == "c.csv" and from_str.frame.to_dict("records")[1] == {"handle": "bo", "followers": "3400"}


def test_bytes_without_a_name_are_sniffed() -> None:
    table = read_table(b'[{"handle": "ana"}]')
    assert table.source == "data" and table.details["format"] == "json" and table.frame.shape == (1, 1)


def test_missing_path_and_directory_are_load_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        read_table(tmp_path / "absent.csv")
    with pytest.raises(LoadError, match="cannot be read"):
        read_table(tmp_path)


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_expanded_bytes"):
        read_table(SMALL.encode(), name="c.csv", max_expanded_bytes=0)


def test_sheet_for_a_csv_is_noted_not_silently_dropped() -> None:
    table = read_table(SMALL.encode(), name="c.csv", sheet="Data")
    assert any("sheet='Data' was ignored" in note for note in table.notes)


@pytest.mark.parametrize(
    ("text", "repaired"),
    [("CÃ´te d'Ivoire", "Côte d'Ivoire"), ("CafÃ©", "Café"), ("itâ€™s", "it’s"), ("ÃƒÂ©", "é"),
     ("Müller", None), ("Ñ", None), ("São Paulo", None), ("naïve", None), ("plain", None), ("Â", None)],
)
def test_mojibake_repair_only_where_unambiguous(text: str, repaired: str | None) -> None:
    assert repair_mojibake(text) == repaired


def test_one_million_rows_are_all_accounted_for(tmp_path: Path) -> None:
    # Speed is measured by the benchmark script, not asserted here.
    block = "".join(f"creator_{i},{1000 + i},{i % 97},{i % 13},instagram,United States,Music & dance\n"
                    for i in range(1000))
    path = tmp_path / "million.csv"
    path.write_text("handle,followers,likes,comments,platform,country,category\n" + block * 1000, encoding="utf-8")
    table = read_table(path)
    assert table.frame.shape == (1_000_000, 7) and table.row_numbers[-1] == 1_000_001
    assert table.frame["handle"].iloc[-1] == "creator_999"


# --- the four real files -------------------------------------------------------------------------------------------


def pandas_oracle(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def raw_lines(path: Path) -> list[str]:
    """The file's physical lines (they all end in CRLF), BOM removed: an oracle for row numbers."""
    return path.read_bytes().decode("utf-8-sig").split("\r\n")


@needs_real
@pytest.mark.parametrize(
    ("path", "rows", "columns"), [(TOP200, 200, 10), (YOUTUBE, 1000, 9), (TIKTOK, 1000, 12), (REACH, 100, 7)]
)
def test_real_file_matches_independent_parsers(path: Path, rows: int, columns: int) -> None:
    table = read_table(path)
    check_invariants(table)
    assert table.frame.shape == (rows, columns) and table.rejected.empty
    assert table.details["line_endings"] == "CRLF" and table.details["delimiter"] == "comma"
    ours = table.frame.fillna("").to_numpy()
    theirs = pandas_oracle(path).to_numpy()
    differ = np.argwhere(ours != theirs)
    # The only difference pandas shows is the one double-encoded cell that read_table repairs.
    expected = [[table.frame.index[table.row_numbers == 134][0], 9]] if path == TOP200 else []
    assert differ.tolist() == expected
    lines = raw_lines(path)
    for position in (0, rows // 2, rows - 1):
        line = lines[table.row_numbers[position] - 1]
        assert next(csv.reader([line])) == list(table.frame.fillna("").iloc[position]) or path == TOP200


@needs_real
def test_top200_header_numbers_and_mojibake() -> None:
    table = read_table(TOP200)
    assert table.frame.columns[0] == "rank" and table.details["encoding"] == "utf-8-sig"
    assert table.frame["followers"].iloc[0] == "475.8m" and table.frame["60_day_eng_rate"].iloc[0] == "1.39%"
    row = table.frame[table.frame["channel_info"] == "hrithikroshan"]
    assert row["country"].tolist() == ["Côte d'Ivoire"]
    assert table.row_numbers[row.index[0]] == 134 and raw_lines(TOP200)[133].startswith("133,hrithikroshan,")
    assert any("repaired 1 double-encoded text cell(s) (CÃ´te d'Ivoire → Côte d'Ivoire)" in n for n in table.notes)
    cells = [cell for cell in table.frame.to_numpy(dtype=object).ravel() if cell is not None]
    assert len(cells) == 200 * 10 - 62 and not any("\r" in cell for cell in [*cells, *table.frame.columns])


@needs_real
def test_tiktok_duplicate_columns_kept_apart() -> None:
    table = read_table(TIKTOK)
    first = table.frame.iloc[0]
    assert first["Subscribers count"] == "221.7K" and first["Subscribers count (2)"] == "221700"
    assert first["Tiktok name"] == "MOMO’s"
    assert table.original_names["Subscribers count (2)"] == "Subscribers count"
    assert sum(name.endswith(" (2)") for name in table.frame.columns) == 5


@needs_real
def test_youtube_and_reach_cells() -> None:
    youtube = read_table(YOUTUBE)
    assert youtube.frame["Categories"].iloc[1] == "Videojuegos, Humor" and "Suscribers" in youtube.frame.columns
    assert youtube.frame["Categories"].iloc[0] == "Música y baile"
    reach = read_table(REACH)
    assert list(reach.frame.columns[:2]) == ["S.No", "USERNAME"] and reach.row_numbers.tolist() == list(range(2, 102))
    assert re.fullmatch(r"\d+ hours?", reach.frame["Time since posted"].iloc[0])


# --- Parquet cells, column by column -------------------------------------------------------------------------------


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_cells_keep_their_reading_for_every_column_type() -> None:
    table = pa.table({
        "handle": pa.array(["ana", None, "", "CÃ´te"]),
        "country": pa.array(["Spain", "", None, "Spain"], pa.large_string()),
        "category": pa.array(["Music", None, "", "Music"]).dictionary_encode(),
        "tags": pa.array([["a", "b"], [], None, ["CafÃ©"]], pa.list_(pa.string())),
        "joined": pa.array([dt.date(2024, 1, 2), None, dt.date(2024, 1, 2), dt.date(2023, 12, 31)], pa.date32()),
        "seen": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5), None, dt.datetime(2024, 1, 2, 3, 4, 5), None],
                         pa.timestamp("us")),
        "raw": pa.array([b"x", None, b"", b"C\xc3\x83\xc2\xb4te"], pa.binary()),
        "verified": pa.array([True, None, False, True]),
        "followers": pa.array([1, 2, None, 4], pa.int64()),
    })
    frame = read_table(parquet_bytes(table), name="odd.parquet").frame
    expected = {
        "handle": ["ana", None, None, "Côte"],
        "country": ["Spain", None, None, "Spain"],
        "category": ["Music", None, None, "Music"],
        "tags": ['["a", "b"]', "[]", None, '["Café"]'],
        "joined": ["2024-01-02", None, "2024-01-02", "2023-12-31"],
        "seen": ["2024-01-02T03:04:05", None, "2024-01-02T03:04:05", None],
        "raw": ["x", None, "", "Côte"],
        "verified": [True, None, False, True],
    }
    for name, cells in expected.items():
        assert frame[name].dtype == object and frame[name].tolist() == cells, name
        assert [type(cell) for cell in frame[name]] == [type(cell) for cell in cells], name
    assert frame["followers"].dtype == np.float64 and np.isnan(frame["followers"].iloc[2])


def test_parquet_column_of_mostly_distinct_text_reads_like_a_short_one() -> None:
    handles: list[str | None] = [f"creator_{i}" for i in range(60_000)]
    handles[5:9] = ["", None, "CÃ´te", " Zoë "]
    long = read_table(parquet_bytes(pa.table({"handle": handles})), name="long.parquet")
    short = read_table(parquet_bytes(pa.table({"handle": handles[:20]})), name="short.parquet")
    assert long.frame["handle"].iloc[:20].tolist() == short.frame["handle"].tolist()
    assert long.frame["handle"].iloc[4:10].tolist() == ["creator_4", None, None, "Côte", " Zoë ", "creator_9"]
    repaired = [note for note in long.notes if "repaired" in note]
    assert repaired == ["repaired 1 double-encoded text cell(s) (CÃ´te → Côte)"]
