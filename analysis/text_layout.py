"""Where the table is in delimited text: which delimiter, which line is the header, which line endings.

The delimiter is the candidate (comma, tab, semicolon, pipe) that splits the
most sample lines into the same number of fields, at least two, parsed
quote-aware by :mod:`csv` rather than guessed by ``csv.Sniffer``. The header
is the first line of the table's width that is not a title or rule line, so a
few junk lines above it are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from analysis.table_grid import has_text, looks_like_header

DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
SAMPLE_LINES = 200
SAMPLE_CHARS = 1 << 20
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER_SEARCH = 30


def choose_delimiter(text: str, preferred: str) -> str:
    """The delimiter that splits sample lines most consistently into ≥ 2 fields; ``""`` for one column.

    Ties in consistency go to more fields, then to ``preferred`` (what the extension promises).
    """
    sample = _sample(text)
    order = [preferred, *(d for d in DELIMITER_NAMES if d != preferred)]
    scored: list[tuple[float, int, int, str]] = []
    cut = len(sample) < len(text)
    for rank, delimiter in enumerate(order):
        lengths = [len(r) for r in sample_records(sample, delimiter, cut=cut) if any(map(has_text, r))]
        if lengths:
            width, count = Counter(lengths).most_common(1)[0]
            if width >= 2:
                scored.append((count / len(lengths), width, -rank, delimiter))
    best = max(scored, default=None)
    return best[3] if best is not None and best[0] >= 0.5 else ""


def sample_records(sample: str, delimiter: str, *, cut: bool) -> list[list[str]]:
    """Records of a sample; the last is dropped when the sample was cut from a longer text."""
    records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter or unused_char(sample)))
    return records[:-1] if cut and len(records) > 1 else records


def _sample(text: str) -> str:
    for count, match in enumerate(LINE_BREAK.finditer(text, 0, SAMPLE_CHARS), start=1):
        if count == SAMPLE_LINES:
            return text[: match.end()]
    return text[:SAMPLE_CHARS]


def unused_char(text: str) -> str:
    # A one-column file is still parsed by csv (so quotes are undone) with a delimiter that never occurs.
    return next(c for c in "\x1f\x1e\ue000\ue001" if c not in text)


def header_index(records: list[list[str]]) -> int:
    """Index of the header record: the first of the table's width that looks like one (else the first filled)."""
    sample = records[:SAMPLE_LINES]
    widths = Counter(len(r) for r in sample if any(map(has_text, r)))
    if not widths:
        return 0
    width = widths.most_common(1)[0][0]
    for index, record in enumerate(records[:_HEADER_SEARCH]):
        # One field more (the header's own trailing delimiter) or fewer (rows ending in a delimiter, or R's
        # header over unnamed row names) still fits.
        fits = len(record) in (width, width - 1) or (len(record) == width + 1 and not record[-1])
        if fits and looks_like_header(record, width):
            return index
    return next(i for i, r in enumerate(records) if any(map(has_text, r)))


def delimiter_notes(delimiter: str, expected: str, suffix: str) -> list[str]:
    """A note when the delimiter is not the one the extension promises, or there is none."""
    if not delimiter:
        return ["read as one column (no comma, tab, semicolon or pipe splits the lines consistently)"]
    if delimiter != expected:
        name = DELIMITER_NAMES[delimiter]
        return [f"fields are separated by {name}s" + (f" although the name ends in {suffix}" if suffix else "")]
    return []


def junk_notes(junk: list[list[str]]) -> list[str]:
    """A note counting the lines skipped above the header, quoting the first that has text."""
    if not junk:
        return []
    first = next((" ".join(filter(None, r)) for r in junk if any(map(has_text, r))), "")
    shown = f" (first: {first[:60]!r})" if first else ""
    return [f"skipped {len(junk)} line(s) above the header{shown}"]


def line_endings(text: str) -> str:
    """``CRLF``, ``LF``, ``CR`` (old Mac), ``mixed`` or ``none`` (a single line)."""
    sample = text[:SAMPLE_CHARS]
    crlf = sample.count("\r\n")
    kinds = {"CRLF": crlf, "LF": sample.count("\n") - crlf, "CR": sample.count("\r") - crlf}
    present = [kind for kind, count in kinds.items() if count]
    return present[0] if len(present) == 1 else "none" if not present else "mixed"
