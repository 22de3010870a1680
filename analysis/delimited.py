"""Split delimited text (comma, tab, semicolon, pipe) into cells, keeping each row's physical line number.

The delimiter is the candidate that splits the most sample lines into the same
number (at least two) of fields, parsed quote-aware by :mod:`csv`; the header
is the first line of that width that is not a title or rule line. Lines are
numbered as an editor shows them (``\\r\\n``, ``\\n`` and a lone ``\\r`` each end
a line), so a quoted cell with a line break moves later rows down.
"""

from __future__ import annotations

import csv
import gc
import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from analysis.errors import LoadError
from analysis.table_grid import Grid, has_text, is_separator
from analysis.text_decoding import MOJIBAKE_HINT
from analysis.text_layout import (
    DELIMITER_NAMES,
    LINE_BREAK,
    SAMPLE_LINES,
    choose_delimiter,
    delimiter_notes,
    header_index,
    junk_notes,
    line_endings,
    unused_char,
)

_EXPECTED = {".tsv": "\t", ".tab": "\t", ".psv": "|"}
# csv refuses fields over 128 KB by default; captions can be longer. Raised once, process-wide, never lowered.
_FIELD_LIMIT = 1 << 30


def read_delimited(text: str, source: str, suffix: str) -> Grid:
    """Split decoded text into a :class:`Grid` of str/None cells.

    Parameters
    ----------
    text
        The decoded file.
    source
        The file name used in messages.
    suffix
        The file's extension (``.csv``, ``.tsv``…), which only breaks ties between delimiters.

    Raises
    ------
    LoadError
        When the file has a header but no data rows, or cannot be split at all.
    """
    expected = _EXPECTED.get(suffix, ",")
    delimiter = choose_delimiter(text, expected)
    with _gc_paused():
        grid, junk, header_line = _split(text, delimiter, source)
    grid.notes[:0] = delimiter_notes(delimiter, expected, suffix) + junk
    grid.details.update(format="csv", delimiter=DELIMITER_NAMES.get(delimiter, "none (one column)"),
                        header_line=str(header_line), line_endings=line_endings(text))
    grid.mojibake_rows = _mojibake_rows(text, grid.row_numbers)
    endings = grid.details["line_endings"]
    if endings in ("CR", "mixed"):
        grid.notes.append("line endings are old-Mac CR only" if endings == "CR" else "line endings are mixed")
    return grid


def _mojibake_rows(text: str, row_numbers: np.ndarray) -> np.ndarray:
    """Positions of rows whose lines hold a mojibake-like character pair (only those are worth checking)."""
    if text.isascii():
        return np.empty(0, dtype=np.int64)
    positions = [match.start() for match in MOJIBAKE_HINT.finditer(text)]
    if not positions:
        return np.empty(0, dtype=np.int64)
    breaks = np.fromiter((match.end() for match in LINE_BREAK.finditer(text)), dtype=np.int64)
    lines = np.searchsorted(breaks, positions, side="right") + 1
    rows = np.searchsorted(row_numbers, lines, side="right") - 1
    return np.unique(rows[rows >= 0])


def _split(text: str, delimiter: str, source: str) -> tuple[Grid, list[str], int]:
    """The grid under the header, notes on the lines above it, and the header's line number."""
    records, starts, open_tail = _parse(text, delimiter, source)
    top = header_index(records)
    return _body_grid(records[top:], starts[top:], source, open_tail), junk_notes(records[:top]), int(starts[top])


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Millions of new lists trigger the cycle collector over and over; pausing it makes parsing ~3x faster.
    # The pause lasts until the lists are gone (turned into cells), or the next collection would visit them all.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, delimiter: str, source: str) -> tuple[list[list[str]], np.ndarray, bool]:
    """Records, the line each starts on, and whether the last one ends inside a never-closed quote."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or unused_char(text))
    try:  # called with the cycle collector paused (see _gc_paused)
        records = list(reader)
        if reader.line_num == len(records):  # no record spans two lines: record i is on line i + 1
            return records, np.arange(1, len(records) + 1, dtype=np.int64), False
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or unused_char(text))
        records, starts, previous = [], [], 0
        for record in reader:
            records.append(record)
            starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        raise LoadError(f"{source}: cannot be split into cells near line {reader.line_num + 1} ({exc}).") from exc
    open_tail = previous > starts[-1] and _ends_in_open_quote(text, starts[-1], delimiter)
    return records, np.asarray(starts, dtype=np.int64), open_tail


def _ends_in_open_quote(text: str, line: int, delimiter: str) -> bool:
    # Outside strict mode csv silently runs an unclosed quote to the end of the file; strict mode says so.
    offset = 0
    for count, match in enumerate(LINE_BREAK.finditer(text), start=2):
        if count > line:
            break
        offset = match.end()
    tail = text[offset:]
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter or unused_char(tail), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _body_grid(records: list[list[str]], starts: np.ndarray, source: str, open_tail: bool) -> Grid:
    header, body, lines = records[0], records[1:], starts[1:]
    notes: list[str] = []
    rejected: list[tuple[int, str]] = []
    if open_tail and body:
        line, breaks = int(lines[-1]), _line_breaks(body[-1])
        rejected.append((line, f"lines {line}–{line + breaks}: the quote opened on line {line} is never closed, "
                               "so the rest of the file reads as one cell"))
        notes.append(f"rejected lines {line}–{line + breaks}: a quote opened on line {line} is never closed")
        body, lines = body[:-1], lines[:-1]
    body, lines = _strip_edges(body, lines, notes)
    if not body and not rejected:
        raise LoadError(f"{source}: has a header but no data rows. Check that this is the complete export.")
    header = _align_header(header, body, notes)
    body, lines, too_long = _fit_rows(body, lines, len(header), notes)
    return Grid(header=header, cells=_cells(body, len(header)), row_numbers=lines, rejected=rejected + too_long,
                notes=notes)


def _align_header(header: list[str], body: list[list[str]], notes: list[str]) -> list[str]:
    """Fit a header one field off from its rows: drop its own trailing delimiter, or, when every row has one
    more non-empty field (R's write.table), add an unnamed first column for the row names."""
    widths = Counter(len(r) for r in body[:SAMPLE_LINES] if any(map(has_text, r)))
    width = widths.most_common(1)[0][0] if widths else len(header)
    if width == len(header) - 1 and not has_text(header[-1]):
        notes.append("ignored an empty field at the end of the header line (a trailing delimiter)")
        return header[:-1]
    if width == len(header) + 1 and _row_names_count_up(body[:SAMPLE_LINES]):
        notes.append("the header has one field fewer than the rows (as R writes row names); the first column "
                     "is read as unnamed")
        return ["", *header]
    return header


def _row_names_count_up(rows: list[list[str]]) -> bool:
    # Only a plain 1, 2, 3… (or 0, 1, 2…) first field proves R row names; anything else stays misaligned
    # and its rows are rejected as too long, rather than shifted silently.
    firsts = [row[0] if row else "" for row in rows]
    return any(firsts == [str(start + i) for i in range(len(firsts))] for start in (0, 1))


def _strip_edges(body: list[list[str]], lines: np.ndarray, notes: list[str]) -> tuple[list[list[str]], np.ndarray]:
    """Skip rule lines right under the header and blank lines at the end, noting each."""
    skip = 0
    while skip < len(body) and is_separator(body[skip]):
        notes.append(f"skipped separator line {lines[skip]} under the header")
        skip += 1
    end = len(body)
    while end > skip and not any(map(has_text, body[end - 1])):
        end -= 1
    if end < len(body):
        notes.append(f"skipped {len(body) - end} blank line(s) at the end of the file")
    return body[skip:end], lines[skip:end]


def _fit_rows(
    body: list[list[str]], lines: np.ndarray, width: int, notes: list[str]
) -> tuple[list[list[str]], np.ndarray, list[tuple[int, str]]]:
    """Make every row ``width`` cells: blank lines become empty rows, short rows are padded, and rows
    with extra non-empty fields are rejected (extra empty fields from trailing delimiters are dropped)."""
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    keep = np.ones(len(body), dtype=bool)
    rejected: list[tuple[int, str]] = []
    counts: Counter[str] = Counter()
    for i in np.flatnonzero(lengths != width):
        record, line = body[i], int(lines[i])
        if not any(map(has_text, record)):
            body[i], kind = [""] * width, "blank"
        elif len(record) < width:
            body[i], kind = record + [""] * (width - len(record)), "short"
        elif not any(map(has_text, record[width:])):
            body[i], kind = record[:width], "trailing"
        else:
            keep[i], kind = False, "long"
            rejected.append((line, _too_many_fields(record, line, width)))
        counts[kind] += 1
        counts[f"{kind}:first"] = counts[f"{kind}:first"] or line
    _fit_notes(counts, notes)
    if keep.all():
        return body, lines, rejected
    return [r for r, k in zip(body, keep, strict=True) if k], lines[keep], rejected


def _line_breaks(record: list[str]) -> int:
    return sum(len(LINE_BREAK.findall(cell)) for cell in record)


def _too_many_fields(record: list[str], line: int, width: int) -> str:
    breaks = _line_breaks(record)
    if breaks:
        return (f"lines {line}–{line + breaks} were read as one row of {len(record)} fields (the header has "
                f"{width}): a quote opened on line {line} is probably never closed")
    return f"line {line} has {len(record)} fields, the header has {width}"


def _fit_notes(counts: Counter[str], notes: list[str]) -> None:
    texts = {
        "blank": "blank line(s) inside the data read as empty rows",
        "short": "line(s) with fewer fields than the header; their missing cells are empty",
        "trailing": "line(s) with extra empty fields at the end (trailing delimiters); those were ignored",
        "long": "line(s) with more fields than the header were rejected",
    }
    for kind, text in texts.items():
        if counts[kind]:
            notes.append(f"{counts[kind]:,} {text} (first: line {counts[kind + ':first']})")


def _cells(body: list[list[str]], width: int) -> pd.DataFrame:
    if not body:
        return pd.DataFrame(index=pd.RangeIndex(0), columns=pd.RangeIndex(width), dtype=object)
    cells = np.empty((len(body), width), dtype=object)
    cells[:] = body
    cells[cells == ""] = None
    return pd.DataFrame(cells, dtype=object, copy=False)


