"""Post-level aggregation and the accounts+posts join, against hand computations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.posts import aggregate_posts, join_posts, looks_post_level

POSTS = pd.DataFrame({
    "row": [1, 2, 3, 4, 5],
    "handle": ["@Ana", "ana ", "bo", "ANA", "cy"],
    "followers": [100.0, 110.0, 50.0, 105.0, 10.0],
    "likes": [10.0, 20.0, 5.0, 60.0, 1.0],
    "sponsored": [False, True, False, False, False],
})


def test_post_level_is_detected_from_repeated_handles():
    assert looks_post_level(POSTS)  # 2 of 5 rows repeat a handle: 40%
    assert not looks_post_level(POSTS.iloc[[0, 2, 4]])
    few_repeats = pd.concat([POSTS.iloc[[0]], pd.DataFrame({"row": range(2, 12), "handle": list("bcdefghijk")})])
    assert not looks_post_level(few_repeats.assign(handle=[*few_repeats["handle"][:-1], "@ana"]))  # 1 of 11
    assert looks_post_level(few_repeats.assign(handle=[*few_repeats["handle"][:-1], "@ana"]), ["Caption", "Likes"])


@pytest.mark.parametrize(("how", "ana_likes"), [("mean", 30.0), ("median", 20.0)])
def test_aggregate_per_creator(how, ana_likes):
    creators = aggregate_posts(POSTS, how).set_index("handle")
    assert list(creators.index) == ["@Ana", "bo", "cy"]  # first spelling, first-seen order
    assert creators.loc["@Ana", "likes"] == ana_likes  # (10 + 20 + 60) / 3 or the middle value
    assert creators.loc["@Ana", "posts"] == 3 and creators.loc["@Ana", "followers"] == 110
    assert bool(creators.loc["@Ana", "sponsored"]) and not bool(creators.loc["bo", "sponsored"])
    assert creators["posts"].sum() == len(POSTS)  # every post counted once


def test_join_reports_both_kinds_of_mismatch():
    accounts = pd.DataFrame({"row": [1, 2, 3], "handle": ["ana", "@BO", "dee"], "followers": [120.0, 55.0, 9.0],
                             "category": ["food", "tech", "art"]})
    joined, report = join_posts(accounts, POSTS)
    joined = joined.set_index("handle")
    assert joined.loc["ana", "followers"] == 120  # the accounts file's followers win
    assert joined.loc["ana", "likes"] == 30 and joined.loc["@BO", "posts"] == 1
    assert pd.isna(joined.loc["dee", "likes"])
    assert list(report.posts_without_account["handle"]) == ["cy"]
    assert list(report.accounts_without_posts["handle"]) == ["dee"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="mean, median"):
        aggregate_posts(POSTS, "sum")
    with pytest.raises(ValueError, match="needs a handle"):
        aggregate_posts(POSTS.assign(handle=[None, "a", "b", "c", "d"]))
