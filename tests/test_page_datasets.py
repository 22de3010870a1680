"""AppTest: datasets from the data folder, including unusable ones, never crash a page."""

from __future__ import annotations

import pytest

from tests.apptest import page


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    (tmp_path / "mine.csv").write_text("handle,followers,likes,comments\na,1000,50,2\nb,20000,300,10\n"
                                       "c,abc,1,1\n", encoding="utf-8")
    (tmp_path / "followers_only.csv").write_text("handle,followers\na,1000\nb,5000\n", encoding="utf-8")
    (tmp_path / "broken.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    return tmp_path


def test_own_file_is_offered_and_loaded(data_dir):
    at = page("app.py", dataset="mine").run()
    assert not at.exception
    assert at.selectbox(key="dataset").options == ["demo", "broken", "followers_only", "mine"]
    assert not any("Synthetic" in str(i.value) for i in at.info)
    data = page("pages/1_Data.py", dataset="mine").run()
    assert {m.label: m.value for m in data.metric} == {"Rows in file": "3", "Loaded": "2", "Rejected": "1"}
    assert data.dataframe[0].value.loc[0, "reason"] == "followers is not a number"


def test_file_without_engagement_columns_says_what_is_missing(data_dir):
    at = page("app.py", dataset="followers_only").run()
    assert not at.exception
    assert any("No creator in this view has an engagement rate" in str(i.value) for i in at.info)
    data = page("pages/1_Data.py", dataset="followers_only").run()
    assert any("no 'likes' column" in str(w.value) for w in data.warning)


def test_unusable_file_gives_a_clear_error_not_a_traceback(data_dir):
    at = page("app.py", dataset="broken").run()
    assert not at.exception
    assert "no 'followers' column" in at.error[0].value


def test_path_like_dataset_name_falls_back_to_demo(data_dir):
    at = page("app.py", dataset="../../etc/passwd").run()
    assert not at.exception
    assert at.selectbox(key="dataset").value == "demo"
    assert any("dataset=../../etc/passwd" in str(w.value) for w in at.warning)
