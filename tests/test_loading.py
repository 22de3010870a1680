"""The whole loader: every row loaded or rejected with a reason, on messy, strange and real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import LoadError
from analysis.loading import LoadOptions, clean_creators, load_creators
from tests.corpus import CASES

REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"shared real datasets not found at {REAL}")

MESSY = """handle,followers,likes,comments,sponsored,platform
a,1000,50,2,yes,Instagram
b,abc,1,1,no,tiktok
c,0,1,1,no,tiktok
d,-5,1,1,,tiktok
e,"12,000",100,-3,no,tiktok
f,500,,3,maybe,tiktok
g,,1,1,1,youtube
h,2000,N/A,5,0, YouTube
"""


def accounted(result, total: int) -> None:
    """Loaded and rejected rows are disjoint and together are every data row (checked without the report)."""
    rows = [*result.frame["row"], *result.report.rejected["row"]]
    assert len(rows) == len(set(rows)) and result.report.total == total
    assert result.report.rejected["reason"].notna().all()


def test_every_row_is_loaded_or_rejected_with_reason(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    result = load_creators(path)
    reasons = dict(zip(result.report.rejected["row"], result.report.rejected["reason"], strict=True))
    # Row numbers are the file's lines (the header is line 1).
    assert reasons == {
        3: "followers: 'abc' is not a number",
        4: "followers must be greater than 0",
        5: "followers must be greater than 0",
        6: "comments is negative",
        7: "sponsored: 'maybe' is not a yes/no value",
        8: "followers missing",
    }
    assert list(result.frame["row"]) == [2, 9]
    assert sorted([*result.frame["row"], *reasons]) == list(range(2, 10))
    first, last = result.frame.iloc[0], result.frame.iloc[1]
    assert first["followers"] == 1000 and first["sponsored"] and first["platform"] == "instagram"
    assert np.isnan(last["likes"]) and not last["sponsored"] and last["platform"] == "youtube"
    assert any("have no likes" in note for note in result.report.notes)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("12,5", "ambiguous"), ("3.5", "followers is not a whole number"), ("inf", "is not a number"),
     ("1e15", "implausibly large"), ("12K+", "lower bound")],
)
def test_ambiguous_or_impossible_followers_are_rejected(cell, reason):
    report = clean_creators(pd.DataFrame({"followers": [cell, "10"], "likes": ["1", "1"]})).report
    assert len(report.rejected) == 1 and reason in report.rejected["reason"][0]
    assert report.rejected["value"][0] == cell


def test_case_duplicate_columns_in_memory_are_a_clear_error():
    with pytest.raises(LoadError, match="'Followers', 'followers' appear more than once"):
        clean_creators(pd.DataFrame([[1, 2, 3]], columns=["followers", "Followers", "likes"]))


def test_overrides_and_duplicate_policy(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("name,fans,hearts\nana,100,5\nANA,300,9\nbo,50,1\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no follower column"):
        load_creators(path, options=LoadOptions.with_overrides({"followers": None}))
    # Three rows, one repeated handle: ambiguous, so say it is an accounts file.
    options = LoadOptions.with_overrides({"handle": "name"}, duplicates="largest", post_level=False)
    result = load_creators(path, options=options)
    assert list(result.frame["followers"]) == [300, 50]
    assert "kept row 3 under the 'largest' policy" in result.report.rejected["reason"][0]


def test_accounts_and_posts_join(tmp_path):
    accounts, posts = tmp_path / "accounts.csv", tmp_path / "posts.csv"
    accounts.write_text("handle,followers\n@Ana,1000\nbo,500\ncy,40\n", encoding="utf-8")
    posts.write_text("username,likes,comments\nana,10,1\n ANA,30,3\nbo,5,0\nzed,1,1\n", encoding="utf-8")
    result = load_creators(accounts, posts=posts)
    frame = result.frame.set_index("handle")
    assert frame.loc["@Ana", "likes"] == 20 and frame.loc["@Ana", "posts"] == 2
    assert np.isnan(frame.loc["cy", "likes"])
    join = result.report.join
    assert join is not None
    assert list(join.posts_without_account["handle"]) == ["zed"]
    assert list(join.accounts_without_posts["handle"]) == ["cy"]


def _options(case) -> LoadOptions:
    return LoadOptions(sheet=case.options.get("sheet"),
                       max_expanded_bytes=case.options.get("max_expanded_bytes", 2_000_000_000))


@pytest.mark.parametrize("case", [c for c in CASES if c.expect.outcome == "loads"], ids=lambda c: c.name)
def test_corpus_files_load_with_exact_accounting_or_a_clear_error(case, tmp_path):
    path = case.make(tmp_path)
    result = _load_or_message(path, _options(case))
    if isinstance(result, str):  # readable, but not a creator table (e.g. no follower column)
        assert path.name.split(".")[0] in result and "follower" in result
    else:
        accounted(result, (case.expect.rows or 0) + case.expect.rejected)


def _load_or_message(path: Path, options: LoadOptions):
    try:
        return load_creators(path, options=options)
    except LoadError as exc:
        return str(exc)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect.outcome == "error"], ids=lambda c: c.name)
def test_corpus_errors_stay_load_errors(case, tmp_path):
    with pytest.raises(LoadError):
        load_creators(case.make(tmp_path), options=_options(case))


@needs_real
def test_real_instagram_top200():
    result = load_creators(REAL / "insta-top200" / "top_insta_influencers_data.csv")
    accounted(result, 200)
    assert result.report.rejected.empty
    frame = result.frame.set_index("handle")
    # Cells checked by hand against the raw text: "475.8m", "8.7m", "3.3k", "1.39%", "0.89k".
    assert frame.loc["cristiano", "followers"] == 475_800_000
    assert frame.loc["cristiano", "likes"] == 8_700_000 and frame.loc["cristiano", "posts"] == 3_300
    assert frame.loc["cristiano", "er_given"] == pytest.approx(0.0139)
    assert frame.loc["leomessi", "posts"] == 890
    assert "Côte d'Ivoire" in set(frame["country"])
    assert np.isnan(frame.loc["rkive", "er_given"])  # "NaN%" is a blank, not a number


@needs_real
def test_real_tiktok_duplicates_and_flags():
    result = load_creators(REAL / "tiktok-top1000-2022" / "social media influencers - tiktok.csv")
    accounted(result, 1000)
    report = result.report
    assert report.mapping.source_for("followers") == "Subscribers count"
    assert len(report.rejected) == 13 and report.rejected["reason"].str.startswith("duplicate creator").all()
    frame = result.frame.set_index("handle")
    assert frame.loc["ekin.721", "followers"] == 221_700 and frame.loc["ekin.721", "views"] == 26_000_000
    assert "engagement rate above 100%" in frame.loc["ekin.721", "flags"]
    kept_all = load_creators(REAL / "tiktok-top1000-2022" / "social media influencers - tiktok.csv",
                             options=LoadOptions(duplicates="keep"))
    assert kept_all.report.rejected.empty and (kept_all.frame["flags"].str.contains("identical")).sum() == 11


@needs_real
def test_real_youtube_typo_header_and_zero_comments():
    result = load_creators(REAL / "youtube-top1000" / "youtubers_df.csv")
    accounted(result, 1000)
    followers = next(c for c in result.report.mapping.choices if c.canonical == "followers")
    assert followers.source == "Suscribers" and followers.confidence < 1
    frame = result.frame.set_index("handle")
    assert frame.loc["tseries", "followers"] == 249_500_000 and frame.loc["tseries", "views"] == 86_200
    assert frame.loc["MrBeast", "category"] == "Videojuegos, Humor"
    assert (result.frame["comments"] == 0).sum() > 100  # zeros stay zeros (comments disabled)


@needs_real
def test_real_post_level_file_is_aggregated_per_creator():
    result = load_creators(REAL / "insta-reach-small" / "instagram_reach.csv")
    accounted(result, 100)
    assert result.report.creators == 95 and result.frame["posts"].sum() == 100
    assert any("100 posts averaged (mean) into 95 creators" in d for d in result.report.decisions)
    assert any("no comments column" in n for n in result.report.notes)
    assert result.frame["followers"].max() == 4_496


def test_posts_file_rows_are_accounted_for_too(tmp_path):
    accounts, posts = tmp_path / "accounts.csv", tmp_path / "posts.jsonl"
    accounts.write_text("handle,followers\nana,1000\n", encoding="utf-8")
    posts.write_text('{"handle": "ana", "likes": 4}\n{"handle": null, "likes": 1}\nbroken\n'
                     '{"handle": "ana", "likes": -1}\n', encoding="utf-8")
    join = load_creators(accounts, posts=posts).report.join
    assert join is not None
    assert sorted(join.posts_rejected["row"]) == [2, 3, 4]
    assert set(join.posts_rejected["reason"]) >= {"post without a handle", "likes is negative"}


def test_apply_filters_can_exclude_flagged():
    from analysis.segments import apply_filters

    result = clean_creators(pd.DataFrame({"handle": ["a", "b"], "followers": ["100", "100"], "likes": ["500", "5"]}))
    assert list(apply_filters(result.frame, exclude_flagged=True)["handle"]) == ["b"]
    assert len(apply_filters(result.frame)) == 2


def test_large_columns_of_distinct_text_load_as_if_every_repeat_were_merged(monkeypatch):
    # Large text columns of mostly distinct cells are read cell by cell; that must not change any result.
    n = 60_000
    rng = np.random.default_rng(3)
    counts = [f"{i:,}" if i % 3 else f"{i / 1000:.1f}k" for i in rng.integers(1, 10**7, n)]
    counts[:6] = ["n/a", "", "12K+", "about 5k", "-3", "1.234"]
    frame = pd.DataFrame({
        "handle": [f"@User{i} " if i % 7 else "N/A" for i in range(n)],
        "followers": counts,
        "likes": [f"{v:.1f}" for v in rng.random(n) * 1000],
        "er": [f"{v:.3f}%" for v in rng.random(n) * 10],
        "country": [f"Ünïon {i}" if i % 5 else "" for i in range(n)],
    })
    cell_by_cell = clean_creators(frame)
    monkeypatch.setattr("analysis.distinct._LARGE", 10 * n)
    merged = clean_creators(frame)
    pd.testing.assert_frame_equal(cell_by_cell.frame, merged.frame)
    pd.testing.assert_frame_equal(cell_by_cell.report.rejected, merged.report.rejected)
    assert cell_by_cell.report.decisions == merged.report.decisions and len(merged.report.rejected) > 5
    assert cell_by_cell.frame["handle"].iloc[0] == "@User6" and cell_by_cell.frame["country"].isna().sum() > 0
