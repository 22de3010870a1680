"""Column detection from header names, and the analyst's overrides."""

from __future__ import annotations

import pytest

from analysis.mapping import detect_mapping, normalise, parse_overrides, with_overrides

INSTA = ["rank", "channel_info", "influence_score", "posts", "followers", "avg_likes", "60_day_eng_rate",
         "new_post_avg_like", "total_likes", "country"]
TIKTOK = ["Tiktoker name", "Tiktok name", "Subscribers count", "Subscribers count (2)", "Views avg.",
          "Views avg. (2)", "Likes avg", "Likes avg (2)", "Comments avg.", "Comments avg. (2)", "Shares avg",
          "Shares avg (2)"]
YOUTUBE = ["Rank", "Username", "Categories", "Suscribers", "Country", "Visits", "Likes", "Comments", "Links"]
REACH = ["S.No", "USERNAME", "Caption", "Followers", "Hashtags", "Time since posted", "Likes"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (INSTA, {"handle": "channel_info", "followers": "followers", "likes": "avg_likes", "posts": "posts",
                 "country": "country", "er_given": "60_day_eng_rate"}),
        (TIKTOK, {"handle": "Tiktoker name", "followers": "Subscribers count", "likes": "Likes avg",
                  "comments": "Comments avg.", "shares": "Shares avg", "views": "Views avg."}),
        (YOUTUBE, {"handle": "Username", "followers": "Suscribers", "likes": "Likes", "comments": "Comments",
                   "views": "Visits", "category": "Categories", "country": "Country"}),
        (REACH, {"handle": "USERNAME", "followers": "Followers", "likes": "Likes"}),
        (["#Followers", "num_followers", "Likes avg", "paid", "Post Date"],
         {"followers": "#Followers", "likes": "Likes avg", "sponsored": "paid", "post_date": "Post Date"}),
    ],
)
def test_detects_the_real_files_headers(headers, expected):
    assert detect_mapping(headers).as_dict() == expected


def test_confidence_and_reason_say_how_sure():
    mapping = detect_mapping(YOUTUBE)
    typo = next(c for c in mapping.choices if c.canonical == "followers")
    assert typo.confidence < 1 and "typo" in typo.reason
    exact = next(c for c in mapping.choices if c.canonical == "likes")
    assert exact.confidence == 1.0
    missing = next(c for c in mapping.choices if c.canonical == "shares")
    assert missing.source is None and missing.confidence == 0.0


def test_totals_and_rates_are_not_per_post_counts():
    mapping = detect_mapping(["followers", "total_likes", "like_rate", "followers_growth"])
    assert mapping.as_dict() == {"followers": "followers"}


def test_overrides_take_columns_away_from_other_choices():
    mapping = with_overrides(detect_mapping(TIKTOK), {"followers": "Subscribers count (2)", "views": None}, TIKTOK)
    assert mapping.source_for("followers") == "Subscribers count (2)"
    assert mapping.source_for("views") is None
    stolen = with_overrides(detect_mapping(TIKTOK), {"handle": "Likes avg"}, TIKTOK)
    assert stolen.source_for("likes") is None and stolen.source_for("handle") == "Likes avg"


def test_bad_overrides_name_what_is_wrong():
    with pytest.raises(ValueError, match="no column 'Fans'"):
        with_overrides(detect_mapping(TIKTOK), {"followers": "Fans"}, TIKTOK)
    with pytest.raises(ValueError, match="unknown column 'fans'"):
        with_overrides(detect_mapping(TIKTOK), {"fans": "Likes avg"}, TIKTOK)
    with pytest.raises(ValueError, match="canonical=source"):
        parse_overrides(["followers"])


def test_mapping_key_is_stable_and_distinguishes_choices():
    a, b = detect_mapping(TIKTOK), detect_mapping(list(TIKTOK))
    assert a.key() == b.key()
    assert with_overrides(a, {"views": None}, TIKTOK).key() != a.key()


@pytest.mark.parametrize(("header", "expected"), [("#Followers", "followers"), ("Likes avg.", "likes avg"),
                                                  ("numFollowers", "num followers"), ("\nFollowers ", "followers")])
def test_normalise(header, expected):
    assert normalise(header) == expected
