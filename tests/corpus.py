"""A corpus of bad and strange creator files, each with the outcome of *reading* it.

Every :class:`Case` writes its file into a directory on demand (large inputs are
generated only then) and says what :func:`analysis.readers.read_table` should
do: load it (with row and column counts, cells, notes) or refuse it with a
:class:`~analysis.errors.LoadError` whose message contains a given text.
Outcomes are about reading only (cells stay text for text formats), so the
full loader can reuse the corpus with its own value checks on top.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import tarfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import openpyxl
import pandas as pd

Maker = Callable[[Path], Path]


@dataclass(frozen=True)
class Expect:
    """What reading a case should give.

    ``cells`` maps (row position, column name) to the cell value: ``None`` means the cell must be
    ``None``, NaN that it must be NaN, anything else that it must compare equal.
    """

    outcome: Literal["loads", "error"]
    rows: int | None = None
    columns: int | None = None
    rejected: int = 0
    message: str | None = None
    note: str | None = None
    no_note: str | None = None
    reason: str | None = None
    names: tuple[str, ...] | None = None
    cells: Mapping[tuple[int, str], object] = field(default_factory=dict)
    row_numbers: tuple[int, ...] | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None


@dataclass(frozen=True)
class Case:
    """One input: ``make(directory)`` writes it and returns its path; ``options`` go to ``read_table``."""

    name: str
    make: Maker
    expect: Expect
    options: Mapping[str, Any] = field(default_factory=dict)


def loads(rows: int, columns: int, **checks: Any) -> Expect:
    return Expect("loads", rows=rows, columns=columns, **checks)


def error(message: str) -> Expect:
    return Expect("error", message=message)


def file(name: str, content: bytes | str | Callable[[], bytes], encoding: str = "utf-8") -> Maker:
    """A maker writing ``content`` (text is encoded as given, with no newline translation)."""

    def make(directory: Path) -> Path:
        data = content() if callable(content) else content
        path = directory / name
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        return path

    return make


def _zip(members: Mapping[str, bytes]) -> Callable[[], bytes]:
    def build() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return buffer.getvalue()

    return build


def _tar_gz() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("creators.csv")
        info.size = len(SMALL.encode())
        archive.addfile(info, io.BytesIO(SMALL.encode()))
    return buffer.getvalue()


def _workbook(sheets: Mapping[str, list[list[object]]]) -> Callable[[], bytes]:
    def build() -> bytes:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return build


def _parquet(frame: pd.DataFrame) -> Callable[[], bytes]:
    def build() -> bytes:
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()

    return build


def _truncated_gzip() -> bytes:
    whole = gzip.compress("".join(f"user{i},{i}\n" for i in range(5000)).encode())
    return whole[: len(whole) // 2]


def _long_csv(rows: int) -> Callable[[], bytes]:
    def build() -> bytes:
        block = "".join(f"creator_{i},{1000 + i},{i % 97},instagram,España\n" for i in range(1000))
        return ("handle,followers,likes,platform,country\n" + block * (rows // 1000)).encode()

    return build


def _mostly_text(bad: bytes) -> Callable[[], bytes]:
    # One odd byte in a file big enough that it is clearly text (well under 1% control characters).
    return lambda: b"handle,city\n" + b"".join(b"user%d,Paris\n" % i for i in range(300)) + b"odd," + bad + b"\n"


NAN = float("nan")  # a missing number in a numeric Parquet column stays NaN (the column keeps its dtype)
SMALL = "handle,followers\nana,1200\nbo,3400\n"
CELL_100K = "ab" * 50_000
CELL_300K = "xyz" * 100_000
HTML = "<script>alert('x')</script>"
RECORDS = [{"handle": "ana", "followers": 1200, "verified": True}, {"handle": "bo", "followers": None}]
NESTED = {"handle": "ana", "stats": {"followers": 1, "eng": {"likes": 2, "deep": {"x": {"y": 1}}}}, "tags": ["a", "b"]}
TYPED = pd.DataFrame({"handle": ["ana", None, "cy"], "followers": [1200, 3400, 5600],
                      "likes": [10.5, float("nan"), 3.0], "verified": [True, False, True]})
TITLED_SHEET: list[list[object]] = [["Top creators"], [], ["handle", "followers", "verified"],
                                    ["ana", 1200, True], [None, None, None], ["cy", 5600.5, False], [" ", None]]

TEXT_CASES = [
    Case("empty", file("empty.csv", b""), error("is empty (0 bytes)")),
    Case("blank_only", file("blank.csv", "\n\n   \n"), error("only blank lines")),
    Case("header_only", file("header.csv", "handle,followers\n"), error("has a header but no data rows")),
    Case("header_then_blank_lines", file("h.csv", "handle,followers\n\n\n\n"), error("has a header but no data rows")),
    Case("binary_garbage", file("garbage.csv", lambda: random.Random(7).randbytes(4096)),
         error("does not look like a table")),
    Case("pdf_named_csv", file("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), error("PDF document")),
    Case("semicolon_named_csv", file("semi.csv", "handle;followers;country\nana;1200;España\nbo;3400;France\n"),
         loads(2, 3, note="separated by semicolons", cells={(0, "country"): "España"},
               details={"delimiter": "semicolon"})),
    Case("semicolon_decimal_comma", file("eu.csv", "handle;followers;rate\nana;1200;1,5\nbo;3400;2,25\ncy;10;0,5\n"),
         loads(3, 3, cells={(0, "rate"): "1,5", (2, "followers"): "10"})),
    Case("tsv", file("creators.tsv", "handle\tfollowers\tcategory\nana\t1200\tMusic, Dance\nbo\t3400\tFood\n"),
         loads(2, 3, cells={(0, "category"): "Music, Dance"}, details={"delimiter": "tab"}, no_note="separated")),
    Case("tab_in_txt", file("export.txt", "handle\tfollowers\nana\t1200\nbo\t3400\n"),
         loads(2, 2, note="separated by tabs although the name ends in .txt")),
    Case("pipe", file("pipe.csv", "handle|followers|bio\nana|1200|hi, there\nbo|3400|x\n"),
         loads(2, 3, note="separated by pipes", cells={(0, "bio"): "hi, there"})),
    Case("markdown_table", file("table.md", "| handle | followers |\n|---|---|\n| ana | 1200 |\n| bo | 3400 |\n"),
         loads(2, 2, names=("handle", "followers"), note="skipped separator line 2", row_numbers=(3, 4),
               cells={(0, "handle"): " ana "})),
    Case("all_rows_empty_cells", file("commas.csv", "handle,followers,country\n,,\n,,\n"),
         error("has a header but no data rows")),
    Case("excel_sep_hint_line", file("hint.csv", "sep=;\nhandle;followers\nana;1\n"),
         loads(1, 2, note="skipped 1 line(s) above the header (first: 'sep=')", row_numbers=(3,))),
    Case("r_style_header", file("r.csv", 'handle,followers\n"1","ana",1200\n"2","bo",3400\n'),
         loads(2, 2, names=("handle", "followers"), note="one field fewer than the rows",
               cells={(1, "followers"): "3400"})),
    Case("mixed_line_endings", file("mixed_eol.csv", "a,b\r\n1,2\n3,4\r5,6\r\n"),
         loads(3, 2, row_numbers=(2, 3, 4), note="line endings are mixed", cells={(2, "b"): "6"})),
    Case("one_column", file("handles.csv", "handle\nana\nbo\ncy\n"), loads(3, 1, note="one column")),
    Case("one_column_quoted_commas", file("names.csv", 'name\n"Smith, John"\n"Doe, Jane"\nplain\n'),
         loads(3, 1, cells={(0, "name"): "Smith, John"})),
    Case("blank_lines_inside", file("gaps.csv", "handle,followers\nana,1\n\nbo,2\n,\ncy,3\n"),
         loads(5, 2, row_numbers=(2, 3, 4, 5, 6), note="1 blank line(s) inside the data read as empty rows",
               cells={(1, "handle"): None, (3, "followers"): None, (4, "handle"): "cy"})),
    Case("blank_lines_at_end", file("tail.csv", SMALL + "\n\n\n"),
         loads(2, 2, note="skipped 3 blank line(s) at the end")),
    Case("utf16_excel_unicode_text", file("unicode.txt", "\ufeffhandle\tfollowers\tcity\r\nZoë\t1200\t東京\r\n"
                                          "ana\t3400\tKöln\r\n", "utf-16-le"),
         loads(2, 3, note="UTF-16 LE", details={"encoding": "utf-16-le"}, cells={(0, "city"): "東京"})),
    Case("utf16_be_bom", file("be.csv", "\ufeffhandle,followers\nZoë,1\n", "utf-16-be"),
         loads(1, 2, details={"encoding": "utf-16-be"}, cells={(0, "handle"): "Zoë"})),
    Case("utf16_without_bom", file("nobom.txt", "handle\tfollowers\nana\t1\nbo\t2\n", "utf-16-le"),
         loads(2, 2, note="no byte-order mark")),
    Case("cp1252_accents", file("win.csv", "handle,city,price\nZoë,Café,€5\nana,Köln,€7\n", "cp1252"),
         loads(2, 3, note="decoded as cp1252", cells={(0, "city"): "Café", (0, "price"): "€5"})),
    Case("latin1_last_resort", file("l1.csv", _mostly_text(b"A\x81B")), loads(301, 2, note="latin-1")),
    Case("utf8_one_cp1252_cell", file("mixed.csv", "handle,city\nZoë,Köln\n".encode() + b"ana,Caf\xe9\n"),
         loads(2, 2, note="not valid UTF-8 (line 3)", cells={(0, "handle"): "Zoë", (1, "city"): "Café"})),
    Case("utf8_bom", file("bom.csv", "\ufeffhandle,followers\nana,1\n"),
         loads(1, 2, names=("handle", "followers"), details={"encoding": "utf-8-sig"})),
    Case("utf8_bom_quoted_header", file("bomq.csv", '\ufeff"handle",followers\nana,1\n'),
         loads(1, 2, names=("handle", "followers"))),
    Case("mojibake_cell", file("moji.csv", "handle,country\nana,CÃ´te d'Ivoire\nbo,Spain\n"),
         loads(2, 2, note="repaired 1 double-encoded text cell(s) (CÃ´te d'Ivoire → Côte d'Ivoire)",
               cells={(0, "country"): "Côte d'Ivoire", (1, "country"): "Spain"})),
    Case("mojibake_quotes", file("moji2.csv", "handle,bio\nana,itâ€™s CafÃ©\nbo,â€œhiâ€\x9d\n"),
         loads(2, 2, note="repaired 2", cells={(0, "bio"): "it’s Café", (1, "bio"): "“hi”"})),
    Case("correct_accents_untouched", file("fine.csv", "handle,city\nMüller,São Paulo\nÑandú,Ærø\nnaïve,Zürich\n"),
         loads(3, 2, no_note="repaired", cells={(0, "handle"): "Müller", (1, "handle"): "Ñandú", (1, "city"): "Ærø"})),
    Case("crlf", file("crlf.csv", "handle,followers\r\nana,1\r\nbo,2\r\n"),
         loads(2, 2, row_numbers=(2, 3), details={"line_endings": "CRLF"}, cells={(0, "followers"): "1"})),
    Case("cr_only", file("mac.csv", "handle,followers\rana,1\rbo,2\r"),
         loads(2, 2, row_numbers=(2, 3), note="CR", cells={(1, "followers"): "2"})),
    Case("header_embedded_newline", file("nl.csv", '"\nFollowers",handle\n100,ana\n200,bo\n'),
         loads(2, 2, names=("Followers", "handle"), row_numbers=(3, 4), note="cleaned 1 header name")),
    Case("header_extra_spaces", file("sp.csv", "  handle  ,\tfollowers   count \nana,1\n"),
         loads(1, 2, names=("handle", "followers count"))),
    Case("duplicate_headers", file("dup.csv", "name,Subscribers count,Subscribers count\na,221.7K,221700\n"),
         loads(1, 3, names=("name", "Subscribers count", "Subscribers count (2)"), note="renamed 1",
               cells={(0, "Subscribers count"): "221.7K", (0, "Subscribers count (2)"): "221700"})),
    Case("duplicate_headers_ignoring_case", file("dupc.csv", "Followers,followers\n1,2\n"),
         loads(1, 2, names=("Followers", "followers (2)"))),
    Case("separator_dashes", file("sep.csv", "handle,followers\n--------,---------\nana,1\nbo,2\n"),
         loads(2, 2, note="skipped separator line 2", row_numbers=(3, 4))),
    Case("separator_equals", file("eq.csv", "handle,followers\n==================\nana,1\n"),
         loads(1, 2, note="skipped separator line 2", row_numbers=(3,))),
    Case("title_lines_above_header", file("title.csv", "Top creators 2024\nExported 2024-05-01 by SocialTool\n\n"
                                          "handle,followers,country\nana,1,Spain\nbo,2,France\n"),
         loads(2, 3, note="skipped 3 line(s) above the header", details={"header_line": "4"}, row_numbers=(5, 6))),
    Case("title_row_with_empty_cells", file("title2.csv", "Top creators,,\nhandle,followers,country\nana,1,Spain\n"),
         loads(1, 3, names=("handle", "followers", "country"), row_numbers=(3,))),
    Case("stray_index_blank_header", file("idx.csv", ",handle,followers\n0,ana,1\n1,bo,2\n2,cy,3\n"),
         loads(3, 2, names=("handle", "followers"), note="dropped unnamed index column 1 (values 0..2)")),
    Case("stray_index_unnamed_0", file("idx2.csv", "Unnamed: 0,handle\n0,ana\n1,bo\n"),
         loads(2, 1, names=("handle",), note="dropped 'Unnamed: 0' index column 1")),
    Case("stray_index_one_based", file("idx3.csv", "index,handle\n1,ana\n2,bo\n3,cy\n"),
         loads(3, 1, note="(values 1..3)")),
    Case("rank_column_kept", file("rank.csv", "rank,handle\n1,ana\n2,bo\n"), loads(2, 2, names=("rank", "handle"))),
    Case("sno_column_kept", file("sno.csv", "S.No,handle\n1,a\n2,b\n1,c\n"), loads(3, 2, names=("S.No", "handle"))),
    Case("unnamed_values_not_a_counter", file("nc.csv", ",handle\n5,ana\n3,bo\n"),
         loads(2, 2, names=("column 1", "handle"), no_note="dropped")),
    Case("cell_100kb", file("big_cell.csv", f"handle,bio\nana,{CELL_100K}\nbo,short\n"),
         loads(2, 2, cells={(0, "bio"): CELL_100K, (1, "bio"): "short"})),
    Case("cell_300kb_quoted", file("bigger.csv", f'handle,bio\nana,"{CELL_300K}, more"\n'),
         loads(1, 2, cells={(0, "bio"): CELL_300K + ", more"})),
    Case("html_script_cells", file("html.csv", f'handle,bio\n"{HTML}","<b>bold</b> &amp; <img src=x onerror=1>"\n'),
         loads(1, 2, cells={(0, "handle"): HTML, (0, "bio"): "<b>bold</b> &amp; <img src=x onerror=1>"})),
    Case("formula_like_cells", file("formula.csv", 'a,b,c,d,e\n=SUM(A1),+1,-2,@cmd,"=HYPERLINK(""http://x"",""y"")"\n'),
         loads(1, 5, cells={(0, "a"): "=SUM(A1)", (0, "b"): "+1", (0, "c"): "-2", (0, "d"): "@cmd",
                            (0, "e"): '=HYPERLINK("http://x","y")'})),
    Case("emoji_and_scripts", file("emoji.csv", "handle,name\nzoe,👩‍🎤 Zoë\nali,مرحبا\nivan,Привет\n"),
         loads(3, 2, cells={(0, "name"): "👩‍🎤 Zoë", (1, "name"): "مرحبا"})),
    Case("nul_in_one_cell", file("nul.csv", _mostly_text(b"a\x00b")), loads(301, 2, cells={(300, "city"): "a\x00b"})),
    Case("ragged_too_many_fields", file("ragged.csv", "a,b,c,d\n" + "1,2,3,4\n" * 5 + "1,2,3,4,5\n"),
         loads(5, 4, rejected=1, reason="line 7 has 5 fields, the header has 4")),
    Case("short_row_padded", file("short.csv", "a,b,c\n1,2,3\n4,5\n"),
         loads(2, 3, note="fewer fields than the header", cells={(1, "c"): None, (1, "b"): "5"})),
    Case("trailing_delimiter_everywhere", file("trail.csv", "a,b,c,\n1,2,3,\n4,5,6,\n"),
         loads(2, 3, names=("a", "b", "c"), note="dropped empty column 4")),
    Case("trailing_delimiter_in_data_only", file("trail2.csv", "a,b,c\n1,2,3,\n4,5,6,\n"),
         loads(2, 3, note="trailing delimiters", cells={(1, "c"): "6"})),
    Case("quoted_embedded_newline", file("multi.csv", 'handle,bio\nana,"line one\nline two"\nbo,plain\n'),
         loads(2, 2, row_numbers=(2, 4), cells={(0, "bio"): "line one\nline two"})),
    Case("quoted_embedded_crlf", file("multi2.csv", 'handle,bio\r\nana,"one\r\ntwo\r\nthree"\r\nbo,x\r\n'),
         loads(2, 2, row_numbers=(2, 5), cells={(0, "bio"): "one\r\ntwo\r\nthree"})),
    Case("unclosed_quote_at_end", file("open.csv", 'handle,bio\nana,ok\nbo,"never closed\ncy,3\ndy,4\n'),
         loads(1, 2, rejected=1, reason="the quote opened on line 3 is never closed", row_numbers=(2,))),
    Case("long_file_200k_rows", file("long.csv", _long_csv(200_000)),
         loads(200_000, 5, cells={(199_999, "handle"): "creator_999", (0, "country"): "España"})),
]

JSON_CASES = [
    Case("json_records", file("c.json", json.dumps(RECORDS)),
         loads(2, 3, row_numbers=(1, 2), cells={(0, "followers"): 1200, (0, "verified"): True, (1, "verified"): None})),
    Case("json_nested_deep", file("nested.json", json.dumps([NESTED])),
         loads(1, 5, names=("handle", "stats.followers", "stats.eng.likes", "stats.eng.deep.x", "tags"),
               note="nested deeper than 3 levels",
               cells={(0, "tags"): '["a", "b"]', (0, "stats.eng.deep.x"): '{"y": 1}'})),
    Case("json_records_under_key", file("wrapped.json", json.dumps({"meta": {"n": 2}, "data": RECORDS})),
         loads(2, 3, note="under 'data'")),
    Case("json_records_two_levels_down", file("deep.json", json.dumps({"response": {"items": RECORDS}})),
         loads(2, 3, note="under 'response.items'")),
    Case("json_two_record_arrays", file("two.json", json.dumps({"a": RECORDS, "b": RECORDS})),
         error("several arrays of records ('a', 'b')")),
    Case("json_array_of_numbers", file("nums.json", "[1, 2, 3]"), error("holds no JSON objects")),
    Case("json_some_non_objects", file("mixed.json", '[{"a": 1}, 5, {"a": 2}]'),
         loads(2, 1, rejected=1, reason="record 2 is a number, not an object", row_numbers=(1, 3))),
    Case("json_empty_array", file("none.json", "[]"), error("empty JSON array")),
    Case("json_single_value", file("one.json", "42"), error("is a single JSON value (a number)")),
    Case("json_invalid", file("bad.json", '[{"a": 1},'), error("is not valid JSON")),
    Case("json_columns", file("cols.json", json.dumps({"handle": ["a", "b"], "followers": [1, 2]})),
         loads(2, 2, note="arrays as columns", cells={(1, "followers"): 2})),
    Case("json_nested_too_deep", file("bomb.json", "[" * 100_000 + "]" * 100_000), error("nested too deeply")),
    Case("jsonl_one_bad_line", file("c.jsonl", '{"handle": "ana"}\n{"handle": "bo"}\n{"handle": \n\n'
                                                '{"handle": "cy"}\n'),
         loads(3, 1, rejected=1, reason="line 3 is not valid JSON", row_numbers=(1, 2, 5), note="skipped 1 blank")),
    Case("jsonl_named_json", file("lines.json", '{"a": 1}\n{"a": 2}\n'), loads(2, 1, note="content is JSON Lines")),
    Case("json_named_csv", file("really.csv", json.dumps(RECORDS)), loads(2, 3, note="the content is JSON")),
    Case("csv_named_json", file("really.json", SMALL), loads(2, 2, note="the content is delimited text")),
]

BINARY_CASES = [
    Case("xlsx_not_a_zip", file("book.xlsx", SMALL), error("is not an Excel workbook")),
    Case("xlsx_garbage", file("junk.xlsx", lambda: random.Random(3).randbytes(2048)), error("not an Excel workbook")),
    Case("html_page_named_xls", file("export.xls", "\ufeff<!DOCTYPE html><html><body><table><tr><td>a</td></tr>"),
         error("is an HTML or XML document")),
    Case("tsv_named_xls", file("export.xls", "handle\tfollowers\nana\t1\n"),
         loads(1, 2, note="the name ends in .xls but the content is delimited text")),
    Case("xls_97_2003", file("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), error("Excel 97-2003")),
    Case("zip_two_files", file("two.zip", _zip({"a.csv": SMALL.encode(), "b.csv": SMALL.encode()})),
         error("2 data files (a.csv, b.csv)")),
    Case("zip_one_csv_with_mac_junk", file("archive.zip", _zip({"creators.csv": SMALL.encode(),
                                                                 "__MACOSX/._creators.csv": b"\x00\x05",
                                                                 ".DS_Store": b"\x00\x00"})),
         loads(2, 2, source="archive.zip:creators.csv", details={"compression": "zip"})),
    Case("zip_with_readme", file("bundle.zip", _zip({"creators.csv": SMALL.encode(), "README.txt": b"hi"})),
         error("2 data files (creators.csv, README.txt)")),
    Case("zip_without_data", file("empty.zip", _zip({"__MACOSX/._x.csv": b"\x00"})), error("holds no data file")),
    Case("zip_damaged", file("broken.zip", b"PK\x03\x04" + bytes(40)), error("damaged zip")),
    Case("zip_holding_gzip", file("nest.zip", _zip({"c.csv.gz": gzip.compress(SMALL.encode())})),
         loads(2, 2, details={"compression": "zip+gzip"}, source="nest.zip:c.csv.gz")),
    Case("tar_gz", file("c.tar.gz", _tar_gz), error("tar archive")),
    Case("gzip_csv", file("creators.csv.gz", lambda: gzip.compress(SMALL.encode())),
         loads(2, 2, note="decompressed gzip", details={"compression": "gzip"})),
    Case("gzip_named_csv", file("creators.csv", lambda: gzip.compress(SMALL.encode())),
         loads(2, 2, note="does not end in .gz")),
    Case("gzip_truncated", file("cut.csv.gz", _truncated_gzip),
         error("cut short")),
    Case("gzip_bomb", file("bomb.csv.gz", lambda: gzip.compress(b"a,b\n" + b"0" * 20_000_000)),
         error("expands to more than 1,000,000 bytes"), options={"max_expanded_bytes": 1_000_000}),
    Case("zip_bomb", file("bomb.zip", _zip({"bomb.csv": b"a,b\n" + b"0" * 5_000_000})),
         error("expands to more than 1,000,000 bytes"), options={"max_expanded_bytes": 1_000_000}),
    Case("parquet", file("c.parquet", _parquet(TYPED)),
         loads(3, 4, row_numbers=(1, 2, 3),
               cells={(0, "followers"): 1200, (1, "handle"): None, (2, "verified"): True, (1, "likes"): NAN})),
    Case("parquet_over_limit", file("big.parquet", _parquet(TYPED)), error("expands to more than 100 bytes"),
         options={"max_expanded_bytes": 100}),
    Case("parquet_named_csv", file("p.csv", _parquet(TYPED)), loads(3, 4, note="the content is Parquet")),
    Case("parquet_not_parquet", file("fake.parquet", SMALL), error("is not a Parquet file")),
    Case("parquet_no_rows", file("none.parquet", _parquet(TYPED.iloc[:0])), error("has a header but no data rows")),
    Case("excel_title_rows", file("book.xlsx", _workbook({"Data": TITLED_SHEET, "Notes": [["x"]]})),
         loads(3, 3, row_numbers=(4, 5, 6), note="skipped 2 row(s) above the header",
               cells={(0, "followers"): 1200, (0, "verified"): True, (1, "handle"): None, (2, "followers"): 5600.5},
               details={"sheet": "Data", "header_line": "3"})),
    Case("excel_blank_rows_at_end", file("tail.xlsx", _workbook({"S": [["a", "b"], [1, 2], [None, " "], []]})),
         loads(1, 2, note="skipped 1 blank row(s) at the end of the sheet", row_numbers=(2,))),
    Case("excel_sheet_by_name", file("book.xlsx", _workbook({"Data": TITLED_SHEET, "Notes": [["a", "b"], [1, 2]]})),
         loads(1, 2, note="read sheet 'Notes' (2 of 2", cells={(0, "b"): 2}), options={"sheet": "Notes"}),
    Case("excel_sheet_by_index", file("book.xlsx", _workbook({"Data": TITLED_SHEET, "Notes": [["a"], [1], [2]]})),
         loads(2, 1, details={"sheet": "Notes"}), options={"sheet": 1}),
    Case("excel_unknown_sheet", file("book.xlsx", _workbook({"Data": TITLED_SHEET, "Notes": [["x"]]})),
         error("has no sheet 'Nope'. Its sheets are 'Data', 'Notes'"), options={"sheet": "Nope"}),
    Case("excel_named_csv", file("sheet.csv", _workbook({"S": [["a", "b"], [1, 2]]})),
         loads(1, 2, note="the content is an Excel workbook")),
    Case("excel_over_limit", file("big.xlsx", _workbook({"S": [["a"], [1]]})),
         error("expands to more than 1,000 bytes"), options={"max_expanded_bytes": 1000}),
    Case("excel_header_only", file("h.xlsx", _workbook({"S": [["a", "b"]]})), error("has a header but no data rows")),
    Case("excel_empty_sheet", file("e.xlsx", _workbook({"S": []})), error("is empty")),
]

CASES: list[Case] = [*TEXT_CASES, *JSON_CASES, *BINARY_CASES]

