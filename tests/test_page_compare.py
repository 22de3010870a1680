"""AppTest for the Compare page: segments and datasets side by side, bound to the URL."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.format import compare_table_display
from analysis.loading import load_creators
from analysis.segment_compare import compare_tiers
from tests.apptest import page, warnings_text
from tests.conftest import make_creators
from ui.data import DEMO_PATH

PAGE = "pages/4_Compare.py"


@pytest.fixture(scope="module")
def compare():
    at = page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return load_creators(DEMO_PATH, name=DEMO_PATH.name).frame


def _table(at) -> pd.DataFrame:
    return at.dataframe[0].value if at.dataframe else pd.DataFrame()  # the page's only table


def _percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


def test_demo_compares_organic_with_sponsored_by_default(compare):
    assert compare.selectbox(key="compare_by").options == ["sponsored", "platform", "category", "country"]
    assert compare.multiselect(key="compare").value == ["organic", "sponsored"]
    assert compare.selectbox(key="compare_ref").value == "organic"
    assert compare.get("plotly_chart") and not compare.warning
    table = _table(compare)
    assert list(table["Tier"].unique()) == ["under 100", "nano", "micro", "macro", "mega"]
    assert table["Creators"].str.replace(",", "").astype(int).sum() == 205_000


def test_table_numbers_equal_compare_tiers_computed_directly(compare, demo):
    direct = compare_tiers(demo, "sponsored", ["organic", "sponsored"])
    shown = _table(compare)
    assert_frame_equal(shown, compare_table_display(direct, 0.95))
    sponsored = direct[direct["segment"] == "sponsored"].reset_index(drop=True)
    rows = shown[shown["Segment"] == "sponsored"].reset_index(drop=True)
    pd.testing.assert_series_equal(rows["Median ER"].map(_percent), sponsored["median_er"], check_names=False,
                                   atol=5e-5)
    points = rows["Difference vs organic"].str.removesuffix(" pts").astype(float) / 100
    pd.testing.assert_series_equal(points, sponsored["diff_median"], check_names=False, atol=5e-5)
    low = rows["Difference 95% CI"].map(lambda t: float(re.findall(r"[-+][\d.]+", t)[0]) / 100)
    pd.testing.assert_series_equal(low, sponsored["diff_ci_low"], check_names=False, atol=5e-5)
    assert (rows["p (Mann–Whitney)"] != "—").all()


def test_switching_to_platforms_picks_the_largest_and_resets_the_reference():
    at = page(PAGE).run()
    at.selectbox(key="compare_by").set_value("platform").run()
    assert not at.exception
    assert at.multiselect(key="compare").value == ["instagram", "tiktok", "youtube"]
    assert at.selectbox(key="compare_ref").value == "instagram"  # "organic" is no platform
    at.selectbox(key="compare_ref").set_value("tiktok").run()
    table = _table(at)
    assert "Difference vs tiktok" in table.columns
    assert (table.loc[table["Segment"] == "tiktok", "Note"] == "reference").all()


def test_a_link_with_the_keys_reproduces_the_view():
    params = {"compare_by": "platform", "compare": ["youtube", "tiktok"], "compare_ref": "tiktok"}
    first, second = page(PAGE, **params).run(), page(PAGE, **params).run()
    for at in (first, second):
        assert not at.exception and not at.warning
        assert at.selectbox(key="compare_by").value == "platform"
        assert at.multiselect(key="compare").value == ["youtube", "tiktok"]
        assert at.selectbox(key="compare_ref").value == "tiktok"
    assert_frame_equal(_table(first), _table(second))
    assert set(_table(first)["Segment"]) == {"youtube", "tiktok"}


@pytest.mark.parametrize(
    ("params", "fragment", "fallback"),
    [
        ({"compare_by": "banana"}, "compare_by=banana", "sponsored"),
        ({"compare_by": "platform", "compare": ["tiktok", "myspace"]}, "no platform 'myspace'", "platform"),
        ({"compare_by": "platform", "compare_ref": "myspace"}, "compare_ref=myspace", "platform"),
    ],
)
def test_bad_values_in_the_link_give_a_notice_not_a_traceback(params, fragment, fallback):
    at = page(PAGE, **params).run()
    assert not at.exception
    assert fragment in warnings_text(at)
    assert at.selectbox(key="compare_by").value == fallback


def test_fewer_than_two_values_says_what_to_do():
    at = page(PAGE, compare_by="platform", compare="tiktok").run()
    assert not at.exception and not _table(at).size
    assert any("Pick at least two platforms" in str(i.value) for i in at.info)
    filtered = page(PAGE, sponsored="organic").run()
    assert any("clear the sidebar's Sponsored filter" in str(i.value) for i in filtered.info)


def test_compare_keys_survive_on_other_pages():
    at = page("pages/2_Tiers.py", compare_by="platform", compare=["youtube", "tiktok"], compare_ref="tiktok").run()
    assert not at.exception and "compare" not in warnings_text(at)
    assert at.query_params["compare"] == ["youtube", "tiktok"] and at.query_params["compare_by"] == "platform"


@pytest.fixture
def data_dir(tmp_path, monkeypatch, rng):
    make_creators(rng, 400).to_csv(tmp_path / "small.csv", index=False)
    (tmp_path / "followers_only.csv").write_text("handle,followers\na,1000\nb,5000\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    return tmp_path


def test_datasets_compare_like_segments(data_dir, demo):
    at = page(PAGE, compare_by="dataset", compare="small.csv").run()
    assert not at.exception and not at.warning
    assert at.multiselect(key="compare").options == ["followers_only.csv", "small.csv"]
    table = _table(at)
    assert list(table["Segment"].unique()) == ["demo", "small.csv"]
    assert table.loc[table["Segment"] == "small.csv", "Creators"].str.replace(",", "").astype(int).sum() == 400
    assert (table.loc[table["Segment"] == "demo", "Note"] == "reference").all()
    small = load_creators(data_dir / "small.csv", name="small.csv").frame
    direct = compare_tiers(pd.concat([demo.assign(dataset="demo"), small.assign(dataset="small.csv")]),
                           "dataset", ["demo", "small.csv"])
    assert list(table["Median ER"]) == list(compare_table_display(direct, 0.95)["Median ER"])


def test_dataset_without_engagement_is_compared_with_an_empty_row_not_an_error(data_dir):
    at = page(PAGE, compare_by="dataset", compare=["small.csv", "followers_only.csv"]).run()
    assert not at.exception
    table = _table(at)
    assert (table.loc[table["Segment"] == "followers_only.csv", "Median ER"] == "—").all()


def test_datasets_are_not_offered_when_there_is_only_one(compare):
    at = page(PAGE, compare_by="dataset").run()
    assert not at.exception and "dataset" not in at.selectbox(key="compare_by").options
    assert "compare_by=dataset" in warnings_text(at)
