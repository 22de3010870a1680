"""Segment values and filters, including cells that list several categories."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import columns as col
from analysis.segments import apply_filters, cell_values, segment_values, split_frame

REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "real"


def test_multi_category_cells_count_for_each_listed_category():
    frame = pd.DataFrame({col.CATEGORY: ["Videojuegos, Humor", "Humor", "Música y baile", None, "Humor|Humor"],
                          col.PLATFORM: ["a, b", "a, b", "c", "c", "c"]})
    assert segment_values(frame, col.CATEGORY) == ["Humor", "Música y baile", "Videojuegos"]
    assert segment_values(frame, col.PLATFORM) == ["c", "a, b"]  # only categories are lists
    assert apply_filters(frame, {col.CATEGORY: ["Humor"]}).index.tolist() == [0, 1, 4]
    assert apply_filters(frame, {col.CATEGORY: ["Videojuegos", "Música y baile"]}).index.tolist() == [0, 2]
    assert apply_filters(frame, {col.PLATFORM: ["a"]}).empty


def test_filter_agrees_with_a_row_by_row_check(rng):
    names = ["Food", "Travel", "Tech", "Beauty"]
    cells = [", ".join(rng.choice(names, size=rng.integers(1, 3), replace=False)) for _ in range(300)]
    frame = pd.DataFrame({col.CATEGORY: cells})
    for chosen in (["Food"], ["Tech", "Beauty"]):
        expected = [i for i, cell in enumerate(cells) if set(cell.split(", ")) & set(chosen)]
        assert apply_filters(frame, {col.CATEGORY: chosen}).index.tolist() == expected


def test_cell_values_keeps_order_and_drops_empties():
    assert cell_values(" Food ;Travel;; Food ", col.CATEGORY) == ("Food", "Travel")
    assert cell_values("Food, Travel", col.COUNTRY) == ("Food, Travel",)


@pytest.mark.skipif(not (REAL / "youtube-top1000").is_dir(), reason="shared real datasets not present")
def test_real_youtube_categories_are_split():
    from analysis.loading import load_creators

    frame = load_creators(REAL / "youtube-top1000" / "youtubers_df.csv").frame
    values = segment_values(frame, col.CATEGORY)
    assert "Videojuegos" in values and "Humor" in values and "Videojuegos, Humor" not in values
    raw = pd.read_csv(REAL / "youtube-top1000" / "youtubers_df.csv")
    expected = raw["Categories"].fillna("").str.split(", ").map(lambda parts: "Humor" in parts).sum()
    assert len(apply_filters(frame, {col.CATEGORY: ["Humor"]})) == expected - _rejected_humor(frame, raw)


def _rejected_humor(frame: pd.DataFrame, raw: pd.DataFrame) -> int:
    """Humor channels the loader rejected (duplicates), so they are not in ``frame``."""
    kept_rows = set(frame["row"])
    humor_rows = {i + 2 for i, cell in enumerate(raw["Categories"].fillna("")) if "Humor" in cell.split(", ")}
    return len(humor_rows - kept_rows)


def test_split_frame_lists_multi_category_creators_under_each_and_keeps_the_largest():
    frame = pd.DataFrame({"followers": [1, 2, 3, 4, 5],
                          col.CATEGORY: ["Food, Travel", "Food", None, "Tech", "Food"],
                          col.SPONSORED: [True, False, None, True, True]})
    split, left_out = split_frame(frame, col.CATEGORY, limit=3)
    assert sorted(split.loc[split["segment"] == "Food", "followers"]) == [1, 2, 5]
    assert split.loc[split["segment"] == "Travel", "followers"].tolist() == [1]
    assert len(left_out) == 1 and left_out[0] in {"(blank)", "Tech", "Travel"}  # three segments tie at 1
    flags, none_left = split_frame(frame, col.SPONSORED)
    assert flags["segment"].value_counts().to_dict() == {"sponsored": 3, "organic": 1, "(unknown)": 1}
    assert not none_left
    with pytest.raises(ValueError, match="country"):
        split_frame(frame, col.COUNTRY)
