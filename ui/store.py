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

from ui.state import UPLOAD_ID

STORE_ENV = "ATLAS_STORE"
DEFAULT_STORE = Path(__file__).resolve().parent.parent / ".atlas-store"
ID_PATTERN = UPLOAD_ID
_NAME_LIMIT = 200


@dataclass(frozen=True)
class StoredDataset:
    """An uploaded file and how to read it."""

    id: str
    name: str
    path: Path
    overrides: dict[str, str | None]
    sheet: str | None = None


def store_dir() -> Path:
    """``$ATLAS_STORE``, else ``.atlas-store/`` in the project (git-ignored)."""
    return Path(os.environ.get(STORE_ENV, DEFAULT_STORE))


def is_dataset_id(text: str) -> bool:
    return bool(ID_PATTERN.fullmatch(text))


def save_upload(data: bytes, name: str, overrides: Mapping[str, str | None] | None = None,
                sheet: str | None = None, folder: Path | None = None) -> StoredDataset:
    """Store ``data`` (once per content) and a descriptor for this reading of it; return it."""
    root = folder or store_dir()
    content = hashlib.sha256(data).hexdigest()
    blob = root / "blobs" / content
    if not blob.exists():
        _write_atomic(blob, data)
    clean_name = Path(name).name[:_NAME_LIMIT] or "upload"
    descriptor = {"name": clean_name, "blob": content, "overrides": dict(overrides or {}), "sheet": sheet}
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
    dataset_id = "u-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    _write_atomic(root / "datasets" / f"{dataset_id}.json", text.encode())
    return StoredDataset(dataset_id, clean_name, blob, dict(overrides or {}), sheet)


def find(dataset_id: str, folder: Path | None = None) -> StoredDataset | None:
    """The stored dataset with this id, or None (malformed id, unknown id, damaged entry)."""
    if not is_dataset_id(dataset_id):
        return None
    root = folder or store_dir()
    try:
        descriptor = json.loads((root / "datasets" / f"{dataset_id}.json").read_text(encoding="utf-8"))
        content = str(descriptor["blob"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    blob = root / "blobs" / content
    if not re.fullmatch(r"[0-9a-f]{64}", content) or not blob.is_file():
        return None
    overrides = {str(k): (str(v) if v else None) for k, v in dict(descriptor.get("overrides", {})).items()}
    sheet = descriptor.get("sheet")
    return StoredDataset(dataset_id, str(descriptor.get("name", "upload")), blob, overrides,
                         str(sheet) if sheet is not None else None)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
