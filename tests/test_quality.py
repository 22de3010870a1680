"""Suspicious-row flags and duplicate-creator policies, on hand-made rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.quality import DUPLICATE_POLICIES, flag_suspicious, handle_key, resolve_duplicates

ROWS = pd.DataFrame({
    "row": [1, 2, 3, 4, 5, 6],
    "handle": ["@Ana", "ana ", "bo", None, None, "bo"],
    "followers": [10.0, 20.0, 5.0, 7.0, 7.0, 50.0],
    "likes": [1.0, 30.0, 1.0, 1.0, 1.0, 1.0],
    "comments": [0.0] * 6,
})


def test_flags_name_each_reason_and_never_drop():
    flags = flag_suspicious(ROWS)
    assert len(flags) == len(ROWS)
    assert flags[1] == "engagement rate above 100%; more likes per post than followers"
    assert flags[4] == "identical to an earlier row"  # row 5 repeats row 4 exactly
    assert (flags[[0, 2, 3, 5]] == "").all()


@pytest.mark.parametrize(
    ("policy", "kept", "dropped"),
    [("first", [1, 3, 4, 5], [2, 6]), ("last", [2, 4, 5, 6], [1, 3]), ("largest", [2, 4, 5, 6], [1, 3]),
     ("keep", [1, 2, 3, 4, 5, 6], [])],
)
def test_duplicate_policies_account_for_every_row(policy, kept, dropped):
    frame, rejected = resolve_duplicates(ROWS, policy)
    assert list(frame["row"]) == kept and sorted(rejected["row"]) == dropped
    assert sorted([*frame["row"], *rejected["row"]]) == list(range(1, 7))
    assert all(f"'{policy}' policy" in reason for reason in rejected["reason"])


def test_duplicate_reason_names_the_kept_row():
    _, rejected = resolve_duplicates(ROWS, "first")
    assert rejected.set_index("row").loc[6, "reason"] == "duplicate creator (kept row 3 under the 'first' policy)"


def test_handle_key_normalises():
    keys = handle_key(pd.Series(["@Ana ", " ANA", "@", None]))
    assert list(keys[:2]) == ["ana", "ana"] and keys[2:].isna().all()
    with pytest.raises(ValueError, match="first, last, largest, keep"):
        resolve_duplicates(ROWS, "random")
    assert set(DUPLICATE_POLICIES) == {"first", "last", "largest", "keep"}


def test_identical_rows_are_those_pandas_finds_duplicated():
    # Awkward values for a row comparison: NaN, 0.0 and -0.0, float32, nullable booleans, None beside NaN.
    rng = np.random.default_rng(7)
    n = 3_000
    frame = pd.DataFrame({
        "row": np.arange(1, n + 1),
        "handle": pd.array(rng.choice(["a", "b", None, "É"], n), dtype="string"),
        "followers": rng.choice([0.0, -0.0, 5.0, np.nan], n),
        "likes": rng.choice([0.0, -0.0, np.nan, 7.0], n).astype("float32"),
        "comments": rng.choice([1, 2], n),
        "sponsored": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        "platform": pd.Series(rng.choice(np.array(["ig", None, np.nan], dtype=object), n), dtype=object),
    })
    identical = flag_suspicious(frame).str.contains("identical to an earlier row").to_numpy(dtype=bool)
    expected = frame.duplicated(subset=[c for c in frame.columns if c != "row"], keep="first").to_numpy()
    assert identical.sum() > 100 and (identical == expected).all()


def test_flags_combine_every_reason_in_order():
    rows = pd.DataFrame({"row": [1, 2, 3], "followers": [10.0, 10.0, 10.0], "likes": [50.0, 50.0, 1.0],
                         "comments": [0.0, 0.0, 0.0]})
    flags = flag_suspicious(rows)
    assert flags.dtype == "string" and flags.name == "flags"
    assert flags.tolist() == ["engagement rate above 100%; more likes per post than followers",
                              "engagement rate above 100%; more likes per post than followers; identical to an "
                              "earlier row", ""]


def test_handle_key_casefolds_text_beyond_ascii():
    keys = handle_key(pd.Series(["@Straße", "STRASSE", " @ÉCOLE ", "école", "Ana"]))
    assert keys.tolist() == ["strasse", "strasse", "école", "école", "ana"]


def test_largest_policy_ranks_missing_followers_last():
    rows = pd.DataFrame({"row": [1, 2, 3, 4], "handle": ["a", "A", "@a", "b"], "followers": [np.nan, 5.0, 9.0, 1.0]})
    kept, rejected = resolve_duplicates(rows, "largest")
    assert kept["row"].tolist() == [3, 4]
    assert rejected["reason"].tolist() == ["duplicate creator (kept row 3 under the 'largest' policy)"] * 2
