"""Server-side store for uploaded datasets: content-addressed, atomic, no listing.

A dataset id is derived from the file's bytes, its name and the column
mapping, so the same upload read the same way gets the same id, and a link
carrying the id reproduces the view. Ids are 128-bit hashes: unguessable
without the file. An id is checked against :data:`ID_PATTERN` before any
path is built from it, so nothing outside the store can be read.
No Streamlit import: the store is unit-testable.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.posts import AGGREGATES
from analysis.quality import DUPLICATE_POLICIES
from ui.state import UPLOAD_ID

STORE_ENV = "ATLAS_STORE"
DEFAULT_STORE = Path(__file__).resolve().parent.parent / ".atlas-store"
ID_PATTERN = UPLOAD_ID
ROW_KINDS = ("auto", "creators", "posts")
_NAME_LIMIT = 200


@dataclass(frozen=True)
class Reading:
    """How to read a stored file: everything besides its bytes that changes the numbers.

    Defaults are left out of the descriptor, so a plain upload's id does not
    change when a new option is added.
    """

    overrides: tuple[tuple[str, str | None], ...] = ()
    sheet: str | None = None
    duplicates: str = "first"
    aggregate: str = "mean"
    rows: str = "auto"  # what a row is: "auto" (judged from repeated handles), "creators" or "posts"

    def __post_init__(self) -> None:
        if self.rows not in ROW_KINDS:
            raise ValueError(f"rows must be one of {', '.join(ROW_KINDS)}, got {self.rows!r}")
        if self.duplicates not in DUPLICATE_POLICIES:
            raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}, got {self.duplicates!r}")
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}, got {self.aggregate!r}")

    def descriptor(self) -> dict[str, object]:
        out: dict[str, object] = {"overrides": dict(self.overrides), "sheet": self.sheet}
        out |= {"duplicates": self.duplicates} if self.duplicates != "first" else {}
        out |= {"aggregate": self.aggregate} if self.aggregate != "mean" else {}
        return out | ({"rows": self.rows} if self.rows != "auto" else {})


@dataclass(frozen=True)
class StoredDataset:
    """An uploaded file (and, for an accounts + posts pair, its posts file) and how to read it."""

    id: str
    name: str
    path: Path
    reading: Reading = Reading()
    posts_path: Path | None = None
    posts_name: str | None = None

    @property
    def overrides(self) -> dict[str, str | None]:
        return dict(self.reading.overrides)

    @property
    def sheet(self) -> str | None:
        return self.reading.sheet


def store_dir() -> Path:
    """``$ATLAS_STORE``, else ``.atlas-store/`` in the project (git-ignored)."""
    return Path(os.environ.get(STORE_ENV, DEFAULT_STORE))


def is_dataset_id(text: str) -> bool:
    return bool(ID_PATTERN.fullmatch(text))


def save_upload(data: bytes, name: str, overrides: Mapping[str, str | None] | None = None,
                sheet: str | None = None, folder: Path | None = None, *, reading: Reading | None = None,
                posts: tuple[bytes, str] | None = None) -> StoredDataset:
    """Store ``data`` (once per content) and a descriptor for this reading of it; return it.

    ``reading`` replaces ``overrides``/``sheet`` when given; ``posts`` is a
    posts file (bytes, name) joined to the accounts in ``data``.
    """
    root = folder or store_dir()
    reading = reading or Reading(tuple(sorted((overrides or {}).items())), sheet)
    clean_name = _clean(name)
    descriptor = {"name": clean_name, "blob": _put_blob(root, data), **reading.descriptor()}
    if posts is not None:
        descriptor |= {"posts_blob": _put_blob(root, posts[0]), "posts_name": _clean(posts[1])}
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
    dataset_id = "u-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    _write_atomic(root / "datasets" / f"{dataset_id}.json", text.encode())
    found = find(dataset_id, root)
    if found is None:  # pragma: no cover - only if the disk loses what was just written
        raise OSError(f"the upload store at {root} did not keep dataset {dataset_id}")
    return found


def _clean(name: str) -> str:
    return Path(name).name[:_NAME_LIMIT] or "upload"


def _put_blob(root: Path, data: bytes) -> str:
    content = hashlib.sha256(data).hexdigest()
    if not (root / "blobs" / content).exists():
        _write_atomic(root / "blobs" / content, data)
    return content


def find(dataset_id: str, folder: Path | None = None) -> StoredDataset | None:
    """The stored dataset with this id, or None (malformed id, unknown id, damaged entry)."""
    if not is_dataset_id(dataset_id):
        return None
    root = folder or store_dir()
    try:
        descriptor = json.loads((root / "datasets" / f"{dataset_id}.json").read_text(encoding="utf-8"))
        blob = _blob(root, descriptor["blob"])
        posts = _blob(root, descriptor["posts_blob"]) if "posts_blob" in descriptor else None
        overrides = {str(k): (str(v) if v else None) for k, v in dict(descriptor.get("overrides", {})).items()}
        sheet = descriptor.get("sheet")
        reading = Reading(tuple(sorted(overrides.items())), str(sheet) if sheet is not None else None,
                          str(descriptor.get("duplicates", "first")), str(descriptor.get("aggregate", "mean")),
                          str(descriptor.get("rows", "auto")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if blob is None or ("posts_blob" in descriptor and posts is None):
        return None
    return StoredDataset(dataset_id, str(descriptor.get("name", "upload")), blob, reading, posts,
                         str(descriptor.get("posts_name", "posts")) if posts else None)


def _blob(root: Path, content: object) -> Path | None:
    """The blob file for a descriptor's hash, or None if the hash is malformed or the file is gone."""
    if not isinstance(content, str) or not re.fullmatch(r"[0-9a-f]{64}", content):
        return None
    path = root / "blobs" / content
    return path if path.is_file() else None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
