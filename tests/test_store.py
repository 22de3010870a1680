"""The upload store: content addressing, atomic writes, and ids that cannot escape the store."""

from __future__ import annotations

import json

import pytest

from ui.store import Reading, find, is_dataset_id, save_upload, store_dir

DATA = b"handle,followers,likes,comments\na,100,5,1\n"


def test_same_upload_same_id_and_one_blob(tmp_path):
    first = save_upload(DATA, "mine.csv", folder=tmp_path)
    again = save_upload(DATA, "mine.csv", folder=tmp_path)
    assert first == again and is_dataset_id(first.id)
    assert len(list((tmp_path / "blobs").iterdir())) == 1
    assert find(first.id, tmp_path) == first


def test_mapping_is_part_of_the_identity(tmp_path):
    plain = save_upload(DATA, "mine.csv", folder=tmp_path)
    mapped = save_upload(DATA, "mine.csv", {"views": "likes"}, folder=tmp_path)
    assert plain.id != mapped.id and plain.path == mapped.path
    found = find(mapped.id, tmp_path)
    assert found is not None and found.overrides == {"views": "likes"}


def test_survives_a_restart_and_leaves_no_temp_files(tmp_path):
    stored = save_upload(DATA, "../../evil/name.csv", folder=tmp_path)
    assert stored.name == "name.csv"
    assert find(stored.id, tmp_path) is not None  # a new lookup reads only what is on disk
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "u-" + "0" * 31, "u-" + "g" * 32, "", "U-" + "a" * 32,
                                 "u-" + "a" * 32 + "/../x", "demo"])
def test_malformed_or_unknown_ids_find_nothing(tmp_path, bad):
    save_upload(DATA, "mine.csv", folder=tmp_path)
    assert find(bad, tmp_path) is None
    assert find("u-" + "a" * 32, tmp_path) is None


def test_damaged_descriptor_finds_nothing(tmp_path):
    stored = save_upload(DATA, "mine.csv", folder=tmp_path)
    (tmp_path / "datasets" / f"{stored.id}.json").write_text('{"blob": "../../etc/passwd"}', encoding="utf-8")
    assert find(stored.id, tmp_path) is None


def test_store_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_STORE", str(tmp_path / "s"))
    assert store_dir() == tmp_path / "s"
    stored = save_upload(DATA, "x.csv")
    assert stored.path.is_relative_to(tmp_path / "s")


def test_reading_options_are_part_of_the_identity_and_defaults_are_not(tmp_path):
    plain = save_upload(DATA, "mine.csv", folder=tmp_path)
    assert save_upload(DATA, "mine.csv", folder=tmp_path, reading=Reading()).id == plain.id
    descriptor = json.loads((tmp_path / "datasets" / f"{plain.id}.json").read_text(encoding="utf-8"))
    assert set(descriptor) == {"name", "blob", "overrides", "sheet"}
    largest = save_upload(DATA, "mine.csv", folder=tmp_path, reading=Reading(duplicates="largest", aggregate="median"))
    assert largest.id != plain.id
    found = find(largest.id, tmp_path)
    assert found is not None and (found.reading.duplicates, found.reading.aggregate) == ("largest", "median")


def test_accounts_and_posts_pair_is_stored_together(tmp_path):
    posts = b"handle,likes\na,3\na,5\n"
    pair = save_upload(DATA, "accounts.csv", folder=tmp_path, posts=(posts, "../posts.csv"))
    found = find(pair.id, tmp_path)
    assert found is not None and found.posts_name == "posts.csv" and found.posts_path is not None
    assert found.posts_path.read_bytes() == posts and found.path.read_bytes() == DATA
    assert pair.id != save_upload(DATA, "accounts.csv", folder=tmp_path).id
    found.posts_path.unlink()
    assert find(pair.id, tmp_path) is None  # half a pair is not a dataset


@pytest.mark.parametrize("field", ["duplicates", "aggregate"])
def test_descriptor_with_an_unknown_reading_option_finds_nothing(tmp_path, field):
    stored = save_upload(DATA, "mine.csv", folder=tmp_path)
    path = tmp_path / "datasets" / f"{stored.id}.json"
    descriptor = json.loads(path.read_text(encoding="utf-8")) | {field: "../../etc"}
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert find(stored.id, tmp_path) is None
