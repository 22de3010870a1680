"""Bytes to text for creator tables: choose an encoding, refuse binary data, undo double-encoded UTF-8.

Encodings are tried in the order a spreadsheet user's file is most likely to
need: a byte-order mark decides outright (UTF-8, UTF-16, UTF-32); then
UTF-16 without a mark (guessed from its zero bytes); then strict UTF-8; then
UTF-8 line by line with the few bad lines read as cp1252 (a UTF-8 file with
one pasted Windows cell); then cp1252; then latin-1, which never fails.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from analysis.errors import LoadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
# cp1252 leaves five bytes undefined; Windows tools show them as the latin-1 control characters,
# so mojibake can contain them and the reverse mapping must accept them.
_CP1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_TO_BYTES = {ord(char): chr(byte) for byte, char in enumerate(_CP1252) if ord(char) != byte}
_FROM_BYTES = {byte: char for byte, char in enumerate(_CP1252) if ord(char) != byte}
# A UTF-8 lead byte followed by a continuation byte, both seen through cp1252: the mark of mojibake.
MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][" + re.escape(_CP1252[0x80:0xC0]) + "]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# C0 controls (not tab, line breaks or form feed) are what binary data is full of; C1 controls are not
# counted there because double-encoded text legitimately holds them, but a repair must not produce them.
_BINARY_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BINARY_SAMPLE = 65_536


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from a file, the codec used (as recorded in ``details``) and notes on the choice."""

    text: str
    encoding: str
    notes: tuple[str, ...]


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1").translate(_FROM_BYTES), error.end


codecs.register_error("atlas.cp1252", _cp1252_fallback)


def decode_text(data: bytes, source: str) -> DecodedText:
    """Decode a text file's bytes, saying which encoding was used and why.

    Parameters
    ----------
    data
        The file's bytes (already decompressed).
    source
        The file name used in messages.

    Returns
    -------
    DecodedText
        ``encoding`` is one of ``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-16-be``,
        ``utf-32-le``, ``utf-32-be``, ``utf-8+cp1252`` (mixed), ``cp1252`` or ``latin-1``.

    Raises
    ------
    LoadError
        When a byte-order mark promises an encoding the bytes do not follow.
    """
    for mark, codec, label in _BOMS:
        if data.startswith(mark):
            return _decode_marked(data, len(mark), codec, label, source)
    utf16 = _utf16_without_mark(data)
    if utf16 is not None:
        return utf16
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        return _decode_mixed(data)
    try:
        return DecodedText(data.decode("cp1252"), "cp1252", ("decoded as cp1252 (not valid UTF-8)",))
    except UnicodeDecodeError:
        return DecodedText(data.decode("latin-1"), "latin-1", ("decoded as latin-1 (neither UTF-8 nor cp1252)",))


def _decode_marked(data: bytes, skip: int, codec: str, label: str, source: str) -> DecodedText:
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{source}: starts with a {label} byte-order mark but is not valid {label} ({exc.reason} at byte "
            f"{exc.start + skip:,}). Save it again as UTF-8 CSV."
        ) from exc
    encoding = "utf-8-sig" if codec == "utf-8" else codec
    note = "decoded as UTF-8 (with a byte-order mark)" if codec == "utf-8" else f"decoded as {label} (byte-order mark)"
    return DecodedText(text, encoding, (note,))


def _utf16_without_mark(data: bytes) -> DecodedText | None:
    """UTF-16 text of mostly ASCII characters has a zero in every other byte; nothing else looks like that."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if zeros_odd > 0.4 and zeros_even < 0.05:
        codec = "utf-16-le"
    elif zeros_even > 0.4 and zeros_odd < 0.05:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    label = codec.upper().replace("-LE", " LE").replace("-BE", " BE")
    return DecodedText(text, codec, (f"decoded as {label} (no byte-order mark; guessed from its zero bytes)",))


def _decode_mixed(data: bytes) -> DecodedText:
    """Mostly UTF-8 with some bytes that are not: decode line by line so one bad cell spoils nothing else."""
    parts: list[str] = []
    bad_lines: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode("utf-8", errors="atlas.cp1252"))
            bad_lines.append(number)
    shown = ", ".join(map(str, bad_lines[:3])) + (", …" if len(bad_lines) > 3 else "")
    note = (
        f"decoded as UTF-8; {len(bad_lines):,} line(s) holding bytes that are not valid UTF-8 "
        f"(line {shown}) had those bytes read as cp1252"
    )
    return DecodedText("".join(parts), "utf-8+cp1252", (note,))


def check_not_binary(text: str, source: str) -> None:
    """Raise :class:`LoadError` when the text is mostly control characters, i.e. binary data.

    A few stray control characters (one NUL in a cell) are tolerated; more than
    1% of the first 64 KB is not text a person typed or a spreadsheet wrote.
    """
    sample = text[:_BINARY_SAMPLE]
    controls = len(_BINARY_CONTROL.findall(sample))
    if sample and controls > 0.01 * len(sample):
        raise LoadError(
            f"{source}: does not look like a table: {controls:,} of its first {len(sample):,} characters are "
            "control characters (binary data). Export the data as CSV, Excel (.xlsx), JSON or Parquet."
        )


def repair_mojibake(text: str) -> str | None:
    """The text with double-encoded UTF-8 undone, or None when the text is not unambiguously mojibake.

    ``"CÃ´te d'Ivoire"`` becomes ``"Côte d'Ivoire"``; ``"Müller"`` and ``"Ñ"`` are left alone because
    their cp1252 bytes are not valid UTF-8. Text encoded twice over is undone up to three times.
    """
    current = text
    for _ in range(3):
        step = _undo_once(current)
        if step is None:
            break
        current = step
    return current if current != text else None


def _undo_once(text: str) -> str | None:
    if text.isascii() or not MOJIBAKE_HINT.search(text):
        return None
    try:
        repaired = text.translate(_TO_BYTES).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    round_trip = repaired.encode("utf-8").decode("latin-1").translate(_FROM_BYTES)
    if round_trip != text or repaired.isascii() or _CONTROL.search(repaired):
        return None
    return repaired
