"""Unwrap gzip and zip input within a size limit, and recognise binary formats by their first bytes.

Decompression is streamed in 1 MB steps and stops as soon as the output
passes the caller's limit, so a small "bomb" never gets to fill memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from analysis.errors import LoadError

GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1 << 20
_MAX_LAYERS = 3
_JUNK_MEMBERS = frozenset({"thumbs.db", "desktop.ini"})
# Formats that are certainly not a table we read; each is named in the error so the user knows what they sent.
_NOT_TABLES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 .xls file or a password-protected workbook",
     "Open it in Excel and save it as .xlsx (without a password) or CSV"),
    (b"%PDF-", "a PDF document", "Export the data as CSV or Excel instead"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "Export the data as CSV or Excel instead"),
    (b"\xff\xd8\xff", "a JPEG image", "Export the data as CSV or Excel instead"),
    (b"GIF8", "a GIF image", "Export the data as CSV or Excel instead"),
    (b"\xfd7zXZ\x00", "an xz archive", "Unpack it and open the file inside (zip and gzip are read directly)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Unpack it and open the file inside (zip and gzip are read directly)"),
    (b"Rar!\x1a\x07", "a RAR archive", "Unpack it and open the file inside (zip and gzip are read directly)"),
    (b"SQLite format 3\x00", "an SQLite database", "Export the table as CSV instead"),
)


@dataclass(frozen=True)
class Payload:
    """The bytes to read after unwrapping, the name whose extension describes them, and what was done."""

    data: bytes
    name: str
    source: str
    compression: str
    notes: tuple[str, ...]


def unwrap(data: bytes, name: str, limit: int) -> Payload:
    """Decompress gzip and extract the single data file of a zip, layer by layer (``x.csv.gz`` in a zip).

    Parameters
    ----------
    data
        The file's bytes.
    name
        The file name; ``source`` becomes ``"archive.zip:member.csv"`` for a zip member.
    limit
        Most bytes any layer may expand to.

    Raises
    ------
    LoadError
        For a damaged or over-large archive, or a zip with no or several data files.
    """
    source = name
    layers: list[str] = []
    notes: list[str] = []
    for _ in range(_MAX_LAYERS + 1):
        if data.startswith(GZIP_MAGIC):
            data = _gunzip(data, source, limit)
            named = name.lower().endswith(".gz")
            notes.append(f"decompressed gzip data ({len(data):,} bytes)" + ("" if named else ", though the name "
                         "does not end in .gz"))
            name, layers = (name[:-3] if named else name), [*layers, "gzip"]
        elif is_zip(data) and not _is_office_zip(data, source):
            member, data = _single_member(data, source, limit)
            notes.append(f"read {member} from the zip archive")
            name, source, layers = PurePosixPath(member).name, f"{source}:{member}", [*layers, "zip"]
        else:
            return Payload(data, name, source, "+".join(layers) or "none", tuple(notes))
    raise LoadError(f"{source}: is packed more than {_MAX_LAYERS} archives deep. Unpack it and open the data file.")


def is_zip(data: bytes) -> bool:
    """Whether the bytes start like a zip archive (which .xlsx workbooks also are)."""
    return data.startswith(_ZIP_MAGICS)


def _is_office_zip(data: bytes, source: str) -> bool:
    names = set(_open_zip(data, source).namelist())
    if "mimetype" in names and not any(n.startswith("xl/") for n in names):
        raise LoadError(f"{source}: is an OpenDocument file, which is not read here. Save it as .xlsx or CSV.")
    return "xl/workbook.xml" in names


def refuse_non_tables(data: bytes, source: str) -> None:
    """Raise :class:`LoadError` naming the format when the bytes are a known non-table format."""
    for magic, what, action in _NOT_TABLES:
        if data.startswith(magic):
            raise LoadError(f"{source}: does not look like a table: it is {what}. {action}.")
    if data[257:262] == b"ustar":
        raise LoadError(f"{source}: is a tar archive. Unpack it and open the data file inside.")
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        raise LoadError(f"{source}: is a bzip2 archive. Unpack it and open the file inside (zip and gzip are read).")


def check_zip_size(data: bytes, source: str, limit: int) -> None:
    """Refuse a zip (an .xlsx) whose members together declare more than ``limit`` bytes."""
    total = sum(info.file_size for info in _open_zip(data, source).infolist())
    if total > limit:
        raise LoadError(_too_big(source, limit))


def _too_big(source: str, limit: int) -> str:
    return (
        f"{source}: expands to more than {limit:,} bytes when decompressed, so reading stopped (a decompression "
        "bomb, or simply too large). Unpack it yourself and check its size, or raise max_expanded_bytes."
    )


def _gunzip(data: bytes, source: str, limit: int) -> bytes:
    out = bytearray()
    pending = data
    try:
        while pending.startswith(GZIP_MAGIC):  # a gzip file may hold several members back to back
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            chunk = pending
            while not inflater.eof:
                piece = inflater.decompress(chunk, _CHUNK)
                out += piece
                if len(out) > limit:
                    raise LoadError(_too_big(source, limit))
                chunk = inflater.unconsumed_tail
                if not piece and not chunk:
                    raise LoadError(f"{source}: the gzip data is cut short. Download or copy the file again.")
            pending = inflater.unused_data
    except zlib.error as exc:
        raise LoadError(f"{source}: is damaged gzip data ({exc}). Download or copy the file again.") from exc
    return bytes(out)


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise LoadError(f"{source}: is a damaged zip archive ({exc}). Download or copy the file again.") from exc


def _is_junk(member: str) -> bool:
    parts = PurePosixPath(member).parts
    # macOS resource forks, hidden files (.DS_Store) and Windows thumbnails are never the table.
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts) or (
        parts[-1].lower() in _JUNK_MEMBERS
    )


def _single_member(data: bytes, source: str, limit: int) -> tuple[str, bytes]:
    archive = _open_zip(data, source)
    members = [info for info in archive.infolist() if not info.is_dir() and not _is_junk(info.filename)]
    if len(members) != 1:
        listed = ", ".join(info.filename for info in members[:10]) + (", …" if len(members) > 10 else "")
        found = f"{len(members)} data files ({listed})" if members else "no data file"
        raise LoadError(f"{source}: the zip archive holds {found}; it must hold exactly one table. Unzip it and open "
                        "the file you want.")
    info = members[0]
    if info.flag_bits & 0x1:
        raise LoadError(f"{source}: {info.filename} in the zip is password-protected. Unzip it and open the file.")
    if info.file_size > limit:
        raise LoadError(_too_big(f"{source}:{info.filename}", limit))
    return info.filename, _read_member(archive, info, f"{source}:{info.filename}", limit)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limit: int) -> bytes:
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while piece := stream.read(_CHUNK):
                out += piece
                if len(out) > limit:
                    raise LoadError(_too_big(source, limit))
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError) as exc:
        raise LoadError(f"{source}: cannot be extracted from the zip ({exc}). Unzip it yourself and open it.") from exc
    return bytes(out)
