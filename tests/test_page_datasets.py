"""AppTest: datasets from the data folder, including unusable ones, never crash a page."""

from __future__ import annotations

import io

import pytest

from tests.apptest import page, warnings_text


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    (tmp_path / "mine.csv").write_text("handle,followers,likes,comments\na,1000,50,2\nb,20000,300,10\n"
                                       "c,abc,1,1\n", encoding="utf-8")
    (tmp_path / "followers_only.csv").write_text("handle,followers\na,1000\nb,5000\n", encoding="utf-8")
    (tmp_path / "broken.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    return tmp_path


def test_own_file_is_offered_and_loaded(data_dir):
    at = page("app.py", dataset="mine.csv").run()
    assert not at.exception
    assert at.selectbox(key="dataset").options == ["demo", "broken.csv", "followers_only.csv", "mine.csv"]
    assert not any("Synthetic" in str(i.value) for i in at.info)
    data = page("pages/8_Data.py", dataset="mine.csv").run()
    metrics = {m.label: m.value for m in data.metric}
    assert metrics == {"Rows in file": "3", "Loaded": "2", "Rejected": "1", "Creators": "2", "Flagged": "0"}
    rejected = next(d.value for d in data.dataframe if "reason" in d.value.columns)
    assert rejected.loc[0, "reason"] == "followers: 'abc' is not a number" and rejected.loc[0, "row"] == 4
    assert data.get("download_button")  # the rejected rows can be taken away as CSV


def test_file_without_engagement_columns_says_what_is_missing(data_dir):
    at = page("app.py", dataset="followers_only.csv").run()
    assert not at.exception
    assert any("No creator in this view has an engagement rate" in str(i.value) for i in at.info)
    data = page("pages/8_Data.py", dataset="followers_only.csv").run()
    assert any("no likes column" in str(w.value) for w in data.warning)


@pytest.mark.parametrize("script", ["app.py", "pages/2_Tiers.py", "pages/3_Sweet_spot.py", "pages/4_Compare.py"])
def test_every_page_says_what_to_do_when_no_creator_has_a_rate(data_dir, script):
    at = page(script, dataset="followers_only.csv").run()
    assert not at.exception and not at.dataframe  # no empty tables or charts, only the next step
    advice = " ".join(str(i.value) for i in at.info)
    assert "No creator in this view has an engagement rate" in advice and "Data page" in advice


def test_unusable_file_gives_a_clear_error_not_a_traceback(data_dir):
    at = page("app.py", dataset="broken.csv").run()
    assert not at.exception
    assert "no follower column found among 'nothing', 'here'" in at.error[0].value


def test_path_like_dataset_name_falls_back_to_demo(data_dir):
    at = page("app.py", dataset="../../etc/passwd").run()
    assert not at.exception
    assert at.selectbox(key="dataset").value == "demo"
    assert any("dataset=../../etc/passwd" in str(w.value) for w in at.warning)


def test_sponsored_link_on_a_dataset_without_the_column_is_a_notice(data_dir):
    at = page("app.py", dataset="mine.csv", sponsored="organic").run()
    assert not at.exception
    assert "this dataset has no sponsored column" in warnings_text(at)
    assert not [r for r in at.radio if r.key == "sponsored"]
    assert "sponsored" not in at.query_params


def test_replaced_file_is_reloaded(data_dir):
    at = page("pages/8_Data.py", dataset="mine.csv").run()
    assert at.metric[0].value == "3"
    (data_dir / "mine.csv").write_text("followers,likes,comments\n10,1,1\n20,2,2\n30,3,3\n40,4,4\n",
                                       encoding="utf-8")
    assert page("pages/8_Data.py", dataset="mine.csv").run().metric[0].value == "4"


def test_switching_dataset_drops_filter_values_it_lacks(data_dir):
    (data_dir / "platforms.csv").write_text("followers,likes,comments,platform\n10,1,1,tiktok\n20,1,1,vine\n",
                                            encoding="utf-8")
    at = page("app.py", platform="tiktok").run()
    assert at.multiselect(key="platform").value == ["tiktok"]
    at.selectbox(key="dataset").set_value("platforms.csv").run()
    assert not at.exception and at.multiselect(key="platform").value == ["tiktok"]
    at.multiselect(key="platform").set_value(["vine"]).run()
    at.selectbox(key="dataset").set_value("demo").run()
    assert not at.exception and at.multiselect(key="platform").value == []


@pytest.mark.parametrize(("given", "shown"), [("1.5", "using 1."), ("1e13", "using 25,000.")])
def test_odd_band_edges_say_what_is_used(given, shown):
    at = page("app.py", band_lo=given).run()
    assert not at.exception
    assert shown in warnings_text(at) and f"band_lo={given}" in warnings_text(at)


def test_flagged_creators_can_be_excluded_by_link(data_dir):
    (data_dir / "flags.csv").write_text("handle,followers,likes,comments\na,100,500,1\nb,1000,10,1\nc,2000,20,1\n",
                                        encoding="utf-8")
    at = page("app.py", dataset="flags.csv").run()
    assert at.checkbox(key="exclude_flagged").label == "Exclude 1 flagged creators"
    everyone = at.dataframe[-1].value["Creators"].str.replace(",", "").astype(int).sum()
    excluded = page("app.py", dataset="flags.csv", exclude_flagged="true").run()
    assert not excluded.exception and excluded.checkbox(key="exclude_flagged").value
    assert excluded.dataframe[-1].value["Creators"].str.replace(",", "").astype(int).sum() == everyone - 1
    flagged = page("pages/8_Data.py", dataset="flags.csv").run()
    table = next(d.value for d in flagged.dataframe if "flags" in d.value.columns and len(d.value) == 1)
    assert table.loc[0, "handle"] == "a" and "engagement rate above 100%" in table.loc[0, "flags"]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_STORE", str(tmp_path / "store"))
    return tmp_path / "store"


UPLOAD = b"Username;Suscribers;Likes avg;Comments\nana;1,2K;30;2\nbo;3.000;10;1\ncy;12K;x;1\n"


def test_upload_is_stored_and_its_link_restores_it(store, data_dir):
    at = page("pages/8_Data.py").run()
    at.file_uploader(key="uploader").set_value(("agency.csv", UPLOAD, "text/csv")).run()
    assert not at.exception
    dataset_id = at.query_params["dataset"]
    assert dataset_id.startswith("u-") and (store / "datasets" / f"{dataset_id}.json").is_file()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows in file"], metrics["Loaded"], metrics["Rejected"]) == ("3", "2", "1")
    # A colleague's fresh session with only the link sees the same dataset and numbers.
    colleague = page("pages/8_Data.py", dataset=dataset_id).run()
    assert not colleague.exception
    assert {m.label: m.value for m in colleague.metric} == metrics
    assert colleague.selectbox(key="dataset").value == dataset_id


def test_mapping_edit_makes_a_new_link(store, data_dir):
    at = page("pages/8_Data.py").run()
    at.file_uploader(key="uploader").set_value(("agency.csv", UPLOAD, "text/csv")).run()
    first_id = at.query_params["dataset"]
    at.selectbox(key="map_comments").set_value("—")
    at.button(key="FormSubmitter:reading_form-Apply").click().run()
    assert not at.exception
    second_id = at.query_params["dataset"]
    assert second_id != first_id
    mapping = next(d.value for d in at.dataframe if "Read from" in d.value.columns).set_index("Column")
    assert mapping.loc["comments", "Read from"] == "—" and mapping.loc["comments", "Why"] == "unmapped by you"
    again = page("pages/8_Data.py", dataset=second_id).run()
    remapped = next(d.value for d in again.dataframe if "Read from" in d.value.columns).set_index("Column")
    assert remapped.loc["comments", "Read from"] == "—"


def test_unknown_or_malformed_upload_ids_fall_back_to_the_demo(store, data_dir):
    for bad in ("u-" + "0" * 32, "u-../../etc/passwd", "../../etc/passwd"):
        at = page("app.py", dataset=bad).run()
        assert not at.exception and at.selectbox(key="dataset").value == "demo"
        assert f"dataset={bad}" in warnings_text(at)
        assert "dataset" not in at.query_params


DUPLICATED = (b"handle,followers,likes,comments\nana,1000,10,1\nANA,5000,99,9\nbo,2000,20,2\n"
              b"cy,10,1,1\nd,9,1,1\ne,8,1,1\n")


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_duplicate_policy_is_chosen_in_the_form_and_carried_by_the_link(store, data_dir):
    at = page("pages/8_Data.py").run()
    at.file_uploader(key="uploader").set_value(("dupes.csv", DUPLICATED, "text/csv")).run()
    first_id = at.query_params["dataset"]
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert rejected["row"].tolist() == [3] and "'first' policy" in rejected.loc[0, "reason"]
    at.radio(key="read_duplicates").set_value("largest")
    at.button(key="FormSubmitter:reading_form-Apply").click().run()
    assert not at.exception and at.query_params["dataset"] != first_id
    again = page("pages/8_Data.py", dataset=at.query_params["dataset"]).run()
    assert again.radio(key="read_duplicates").value == "largest"
    rejected = next(d.value for d in again.dataframe if "reason" in d.value.columns)
    assert rejected["row"].tolist() == [2] and "'largest' policy" in rejected.loc[0, "reason"]
    assert _metrics(again)["Rejected"] == "1"


def test_rows_can_be_declared_posts_when_detection_says_creators(store, data_dir):
    at = page("pages/8_Data.py").run()
    at.file_uploader(key="uploader").set_value(("dupes.csv", DUPLICATED, "text/csv")).run()
    assert _metrics(at)["Creators"] == "5" and at.radio(key="read_rows").value == "auto"
    at.radio(key="read_rows").set_value("posts")
    at.radio(key="read_aggregate").set_value("median")
    at.button(key="FormSubmitter:reading_form-Apply").click().run()
    assert not at.exception and (_metrics(at)["Creators"], _metrics(at)["Rejected"]) == ("5", "0")
    preview = at.dataframe[-1].value.set_index("handle")  # the creators in view come last
    assert preview.loc["ana", "likes"] == 54.5 and preview.loc["ana", "posts"] == 2


def _workbook() -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["handle", "followers", "likes"])
    book.active.append(["x", 100, 1])
    data = book.create_sheet("Creators")
    for row in (["Username", "Followers", "Likes"], ["ana", 1000, 10], ["bo", 2000, 20], ["cy", 3000, 30]):
        data.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_sheet_is_selectable(store, data_dir):
    at = page("pages/8_Data.py").run()
    at.file_uploader(key="uploader").set_value(("book.xlsx", _workbook(), "application/octet-stream")).run()
    assert _metrics(at)["Rows in file"] == "1"
    assert at.selectbox(key="read_sheet").options == ["Notes", "Creators"]
    at.selectbox(key="read_sheet").set_value("Creators")
    at.button(key="FormSubmitter:reading_form-Apply").click().run()
    assert not at.exception and _metrics(at)["Rows in file"] == "3"
    linked = page("pages/8_Data.py", dataset=at.query_params["dataset"]).run()
    assert linked.selectbox(key="read_sheet").value == "Creators" and _metrics(linked)["Loaded"] == "3"


ACCOUNTS = b"handle,followers\n@Ana,1000\nbo,2000\ncy,3000\n"
POSTS = b"username,likes,comments\nana,10,1\n ANA ,30,3\nbo,5,0\nzed,1,1\n"


def test_accounts_and_posts_upload_joins_and_reports_what_did_not_match(store, data_dir):
    at = page("pages/8_Data.py").run()
    assert at.button(key="pair_join").disabled
    at.file_uploader(key="pair_accounts").set_value(("accounts.csv", ACCOUNTS, "text/csv"))
    at.file_uploader(key="pair_posts").set_value(("posts.csv", POSTS, "text/csv")).run()
    at.button(key="pair_join").click().run()
    assert not at.exception
    metrics = _metrics(at)
    assert (metrics["Creators"], metrics["Posts without an account"], metrics["Accounts without posts"]) == \
        ("3", "1", "1")
    preview = at.dataframe[-1].value.set_index("handle")  # the creators in view come last
    assert preview.loc["@Ana", "likes"] == 20 and preview.loc["@Ana", "posts"] == 2
    assert at.radio(key="read_aggregate").value == "mean"
    at.radio(key="read_aggregate").set_value("median")
    at.button(key="FormSubmitter:reading_form-Apply").click().run()
    linked = page("pages/8_Data.py", dataset=at.query_params["dataset"]).run()
    assert not linked.exception and linked.radio(key="read_aggregate").value == "median"
    assert "accounts.csv + posts.csv" in linked.selectbox(key="dataset").format_func(at.query_params["dataset"])
