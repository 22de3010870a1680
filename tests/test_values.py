"""Column parsing of counts, rates and flags: values computed by hand, per-column separator decisions,
a reason for every unparseable cell, and spot checks against real creator files."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.values import ParsedColumn, blank_mask, parse_counts, parse_flags, parse_rates

NAN = float("nan")
REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "real"


def text(cells: list[object]) -> pd.Series:
    return pd.Series(cells, dtype=object)


def assert_values(parsed: ParsedColumn, expected: list[float]) -> None:
    # Exact equality: the expected numbers are written out by hand, and parsing goes through decimal text.
    pd.testing.assert_series_equal(parsed.values, pd.Series(expected, dtype="float64"), check_exact=True,
                                   check_names=False)


def assert_accounted(parsed: ParsedColumn, name: str) -> None:
    """Every cell is exactly one of: a value, a blank, a problem naming the column."""
    has_value = parsed.values.notna().to_numpy()
    has_problem = parsed.problems.notna().to_numpy()
    blank = parsed.blank.to_numpy()
    assert (has_value.astype(int) + has_problem + blank == 1).all()
    assert parsed.problems.dropna().str.startswith(f"{name}: '").all()
    assert parsed.problems.dtype == "string" and parsed.blank.dtype == bool


# --- counts: one column per case, so the per-column decision is part of what is tested --------------------

COUNT_CASES = [
    ("abbreviations", ["3.3k", "0.89k", "475.8m", "29.0b", "12K", "1.2 mln", "2.5 bn", "1.5 thousand",
                       "3 million", "4 lakh", "2 crore", "1,2 Mio", "7.5 Mio.", "3 Tsd.", "6.1M", "2 BN"],
     [3_300, 890, 475_800_000, 29_000_000_000, 12_000, 1_200_000, 2_500_000_000, 1_500, 3_000_000, 400_000,
      20_000_000, 1_200_000, 7_500_000, 3_000, 6_100_000, 2_000_000_000],
     "abbreviated counts (k/m/b)"),
    ("plain, signs, exponents, spaces", ["42", "+500", "-3", "1e6", "1.5E+3", "0.5", " 7 ", "\u00a012\u00a0k",
                                         "\u22125", "2.5e-1"],
     [42, 500, -3, 1_000_000, 1_500, 0.5, 7, 12_000, -5, 0.25], "abbreviated counts (k/m/b)"),
    ("mixed units are one unit", ["1.2M", "1200000", "1,200,000", "1200k"], [1.2e6] * 4,
     "abbreviated counts (k/m/b); US thousands separators (12,000)"),
    ("US", ["12,000", "1,234,567.5", "999", "1,234", "1.5", "-1,234"], [12_000, 1_234_567.5, 999, 1_234, 1.5, -1_234],
     "US thousands separators (12,000)"),
    ("US decided by a decimal point", ["1.234", "12.5"], [1.234, 12.5], "plain numbers"),
    ("European", ["10.000", "1.234.567", "1.234,5", "12,5", "300", "-2.000"],
     [10_000, 1_234_567, 1_234.5, 12.5, 300, -2_000], "European thousands separators (10.000 = ten thousand)"),
    ("European: every dotted count has three decimals", ["10.000", "2.500", "300", "1.000"],
     [10_000, 2_500, 300, 1_000], "European thousands separators (10.000 = ten thousand)"),
    ("European with abbreviations", ["10.000", "1,5 Mio", "3.3k"], [10_000, 1_500_000, 3_300],
     "abbreviated counts (k/m/b); European thousands separators (10.000 = ten thousand)"),
    ("Indian", ["2,28,00,000", "12,34,567", "1,00,000", "5,000", "12,34,567.5"],
     [22_800_000, 1_234_567, 100_000, 5_000, 1_234_567.5], "Indian digit grouping (2,28,00,000 = 22,800,000)"),
    ("space and apostrophe groups", ["1 234 567", "1\u202f234\u202f567", "1\u2009234", "1'234'567", "1\u2019234"],
     [1_234_567, 1_234_567, 1_234, 1_234_567, 1_234], "space/apostrophe digit groups (1 234 567)"),
    ("French: space groups and a decimal comma", ["1 234,5", "2,75", "1.000"], [1_234.5, 2.75, 1_000],
     "European thousands separators (10.000 = ten thousand); space/apostrophe digit groups (1 234 567)"),
]


@pytest.mark.parametrize(("cells", "expected", "style"), [c[1:] for c in COUNT_CASES], ids=[c[0] for c in COUNT_CASES])
def test_counts_by_hand(cells, expected, style):
    parsed = parse_counts(text(cells), "followers")
    assert parsed.problems.isna().all(), parsed.problems.dropna().tolist()
    assert_values(parsed, expected)
    assert parsed.style == style
    assert_accounted(parsed, "followers")


def test_abbreviations_are_exact_decimal_values():
    # Oracle: exact decimal arithmetic, then one rounding to float (not mantissa * 1000 in floating point).
    rng = np.random.default_rng(7)
    mantissas = [f"{m:.2f}" for m in rng.uniform(0, 1000, 300)]
    units = {"k": 3, "m": 6, "b": 9}
    cells = [f"{m}{u}" for m, u in zip(mantissas, rng.choice(list(units), 300), strict=True)]
    expected = [float(Decimal(c[:-1]) * Decimal(10) ** units[c[-1]]) for c in cells]
    assert_values(parse_counts(text(cells), "likes"), expected)


def test_ambiguous_column_reports_problems_instead_of_guessing():
    parsed = parse_counts(text(["10.000", "12,000", "300"]), "likes")
    assert parsed.style.startswith("undecided separators")
    assert_values(parsed, [NAN, NAN, 300])
    assert parsed.problems.tolist()[:2] == ["likes: '10.000' is ambiguous (decimal point or thousands?)",
                                            "likes: '12,000' is ambiguous (decimal comma or thousands?)"]


def test_mixed_column_reads_only_cells_with_a_single_reading():
    parsed = parse_counts(text(["1.234.567", "1,234.5", "1.234", "3.3k"]), "likes")
    assert parsed.style.startswith("abbreviated counts (k/m/b); mixed US (1,234.5) and European (1.234,5)")
    assert_values(parsed, [1_234_567, 1_234.5, NAN, 3_300])
    assert parsed.problems[2] == "likes: '1.234' is ambiguous (decimal point or thousands?)"


def test_lone_decimal_comma_in_counts_is_ambiguous_outside_european_columns():
    parsed = parse_counts(text(["12,5", "300"]), "followers")
    assert parsed.problems[0] == "followers: '12,5' is ambiguous (decimal comma or thousands?)"
    assert_values(parsed, [NAN, 300])
    us = parse_counts(text(["12,5", "1,234,567"]), "followers")
    assert_values(us, [NAN, 1_234_567])


def test_three_decimals_before_a_unit_follow_the_column():
    assert_values(parse_counts(text(["1.234k"]), "likes"), [1_234])  # whole either way: nothing decides
    assert_values(parse_counts(text(["1.234k", "1,234.5"]), "likes"), [1_234, 1_234.5])
    assert_values(parse_counts(text(["1.234k", "10.000"]), "likes"), [1_234_000, 10_000])


def test_a_decimal_point_settles_dotted_counts_as_decimals():
    # "2.5" cannot be a thousands group, so this column writes dots as decimal points.
    assert_values(parse_counts(text(["10.000", "2.5"]), "likes"), [10.0, 2.5])


JUNK = ["abc", "12 lbs", "1,23,4", "1.2.3", "--5", "12.", "$5", "5%", "1e3k", "\u0661\u0662", "inf", "12K+",
        "1.2k+", "12k followers", "1 2", "0x10", "1/2", "#VALUE!", "x" * 80]


def test_every_unparseable_count_is_a_problem():
    parsed = parse_counts(text([*JUNK, "7"]), "likes")
    assert parsed.values.iloc[:-1].isna().all() and parsed.values.iloc[-1] == 7
    assert parsed.problems.iloc[:-1].notna().all() and not parsed.blank.any()
    assert_accounted(parsed, "likes")
    reasons = dict(zip(JUNK, parsed.problems, strict=False))
    assert reasons["abc"] == "likes: 'abc' is not a number"
    assert reasons["12 lbs"] == "likes: '12 lbs' has an unknown unit 'lbs'"
    assert reasons["1,23,4"] == "likes: '1,23,4' has misplaced digit separators"
    assert reasons["12K+"] == "likes: '12K+' is a lower bound ('or more'), not a number"
    assert reasons["x" * 80] == "likes: '" + "x" * 39 + "…' is not a number"


def test_implausibly_large_and_infinite_counts_are_problems():
    parsed = parse_counts(text(["1e14", "99999999999999", "9e12", "1e999"]), "views")
    assert_values(parsed, [NAN, NAN, 9e12, NAN])
    assert parsed.problems[0] == "views: '1e14' is implausibly large (over 1e+13)"
    assert parsed.problems[3] == "views: '1e999' is not a finite number"


PLACEHOLDERS = ["", "  ", "N/A", "n/a", "NA", "-", "—", "–", "unknown", "None", "null", "NaN", "#N/A", "?", "n.a.",
                "NaN%", "\u00a0", None, NAN, pd.NA]


def test_blanks_and_placeholders():
    parsed = parse_counts(text([*PLACEHOLDERS, "5"]), "likes")
    assert parsed.blank.tolist() == [True] * len(PLACEHOLDERS) + [False]
    assert parsed.problems.isna().all()
    assert_values(parsed, [NAN] * len(PLACEHOLDERS) + [5])
    assert blank_mask(text([*PLACEHOLDERS, "5", "0", "no"])).tolist() == [True] * len(PLACEHOLDERS) + [False] * 3


def test_numeric_counts_pass_through_unchanged():
    numbers = pd.Series([0.1 + 0.2, np.nan, 1_234_567_890.123456789, 1e15, np.inf], index=[10, 11, 12, 13, 14])
    parsed = parse_counts(numbers, "likes")
    # Through "%g" text these would come back as 0.3 and 1.23457e+09.
    expected = pd.Series([0.1 + 0.2, NAN, 1_234_567_890.123456789, NAN, NAN], index=numbers.index)
    pd.testing.assert_series_equal(parsed.values, expected, check_exact=True)
    assert parsed.blank.tolist() == [False, True, False, False, False]
    assert parsed.problems.tolist()[3:] == ["likes: '1e+15' is implausibly large (over 1e+13)",
                                            "likes: 'inf' is not a finite number"]
    single = parse_counts(pd.Series([0.1], dtype="float32"), "likes")
    assert_values(single, [float(np.float32(0.1))])  # widened exactly, not re-read as "0.1"
    nullable = parse_counts(pd.Series([3, None], dtype="Int64"), "likes")
    assert_values(nullable, [3, NAN])
    assert nullable.blank.tolist() == [False, True]


def test_numbers_inside_a_text_column_are_taken_as_given():
    # As text, float32 0.1 would read as "0.1" and Fraction(1, 3) as "1/3" (not a number).
    cells = [1_234_567.891, "3.3k", None, np.float32(0.1), Fraction(1, 3), 10**400]
    parsed = parse_counts(text(cells), "likes")
    assert_values(parsed, [1_234_567.891, 3_300, NAN, float(np.float32(0.1)), 1 / 3, NAN])
    assert parsed.problems[5] == "likes: '" + str(10**400)[:39] + "…' is not a finite number"


def test_index_is_kept_with_repeated_labels():
    column = pd.Series(["3.3k", "abc", "", "3.3k"], index=["a", "a", "b", "c"])
    parsed = parse_counts(column, "likes")
    for part in (parsed.values, parsed.problems, parsed.blank):
        assert part.index.equals(column.index)
    assert parsed.values.tolist()[::3] == [3_300, 3_300] and parsed.problems.iloc[1] == "likes: 'abc' is not a number"


def test_string_dtypes_parse_alike():
    cells = ["3.3k", "12,000", "N/A", "abc", None]
    results = [parse_counts(pd.Series(cells, dtype=dtype), "x") for dtype in (object, "string", "str")]
    for result in results[1:]:
        pd.testing.assert_series_equal(result.values, results[0].values)
        pd.testing.assert_series_equal(result.problems, results[0].problems)
        assert result.style == results[0].style


# --- rates ----------------------------------------------------------------------------------------------

RATE_CASES = [
    ("percent", ["1.39%", "NaN%", "0.5 %", "12%"], [0.0139, NAN, 0.005, 0.12], "percent (1.39% = 0.0139)"),
    ("percent with a bare number", ["1.62%", "3"], [0.0162, 0.03], "percent (1.39% = 0.0139)"),
    ("decimal commas", ["1,39%", "2,5%", "0,05%"], [0.0139, 0.025, 0.0005],
     "percent (1.39% = 0.0139); decimal commas (1,39%)"),
    ("fractions", ["0.0139", "0.2", "1"], [0.0139, 0.2, 1.0], "fractions (0.0139)"),
    ("percent numbers", ["1.39", "5.5", "0.8"], [0.0139, 0.055, 0.008], "percent numbers without % (values above 1)"),
]


@pytest.mark.parametrize(("cells", "expected", "style"), [c[1:] for c in RATE_CASES], ids=[c[0] for c in RATE_CASES])
def test_rates_by_hand(cells, expected, style):
    parsed = parse_rates(text(cells), "er")
    assert parsed.problems.isna().all(), parsed.problems.dropna().tolist()
    assert_values(parsed, expected)  # exact: 1.62% is 0.0162, not 1.62 / 100 = 0.016200000000000003
    assert parsed.style == style
    assert_accounted(parsed, "er")


def test_rates_decide_by_the_95th_percentile_not_the_maximum():
    fractions = [f"0.0{i % 10}" for i in range(99)] + ["1.5"]  # one cell above 1: an outlier, not a unit
    assert parse_rates(text(fractions), "er").style == "fractions (0.0139)"
    percents = [f"{i % 10}.5" for i in range(99)] + ["0.5"]
    assert parse_rates(text(percents), "er").style == "percent numbers without % (values above 1)"


def test_numeric_rates():
    percent = parse_rates(pd.Series([1.39, 2.5, np.nan]), "er")
    assert_values(percent, [1.39 / 100, 2.5 / 100, NAN])
    assert percent.style == "percent numbers without % (values above 1)" and percent.blank.tolist() == [0, 0, 1]
    fractions = parse_rates(pd.Series([0.0139, 0.02]), "er")
    assert_values(fractions, [0.0139, 0.02])
    assert fractions.style == "fractions (0.0139)"


def test_unparseable_and_ambiguous_rates_are_problems():
    parsed = parse_rates(text(["1,250%", "2,500%", "abc", "5k", ""]), "er")
    assert_values(parsed, [NAN] * 5)
    assert parsed.problems.tolist() == ["er: '1,250%' is ambiguous (decimal comma or thousands?)",
                                        "er: '2,500%' is ambiguous (decimal comma or thousands?)",
                                        "er: 'abc' is not a number", "er: '5k' has an unknown unit 'k'", pd.NA]
    assert_accounted(parsed, "er")


# --- flags ----------------------------------------------------------------------------------------------

TRUE_WORDS = ["TRUE", "True", "t", "yes", "Y", "1", "ja", "Sí", "si", "oui", "x", "✓", "sponsored", "Paid", "ad",
              "#ad", " yes\u00a0"]
FALSE_WORDS = ["FALSE", "f", "no", "N", "0", "nein", "non", "organic"]


def test_flag_spellings():
    parsed = parse_flags(text([*TRUE_WORDS, *FALSE_WORDS, "", "N/A", None, "maybe", "2"]), "sponsored")
    expected = [True] * len(TRUE_WORDS) + [False] * len(FALSE_WORDS) + [pd.NA] * 5
    pd.testing.assert_series_equal(parsed.values, pd.Series(expected, dtype="boolean"))
    assert parsed.blank.tolist()[-5:] == [True, True, True, False, False]
    assert parsed.problems.tolist()[-2:] == ["sponsored: 'maybe' is not a yes/no value",
                                             "sponsored: '2' is not a yes/no value"]
    assert_accounted(parsed, "sponsored")


def test_flags_from_bools_and_numbers():
    bools = parse_flags(pd.Series([True, False, True]), "sponsored")
    assert bools.values.tolist() == [True, False, True] and bools.style == "booleans"
    nullable = parse_flags(pd.Series([True, None], dtype="boolean"), "sponsored")
    assert nullable.blank.tolist() == [False, True]
    numbers = parse_flags(pd.Series([1.0, 0.0, np.nan, 2.0]), "sponsored")
    pd.testing.assert_series_equal(numbers.values, pd.Series([True, False, pd.NA, pd.NA], dtype="boolean"))
    assert numbers.problems.tolist() == [pd.NA, pd.NA, pd.NA, "sponsored: '2' is not a yes/no value (0 or 1)"]
    json_like = parse_flags(text([True, False, None, 1, 0]), "sponsored")
    assert json_like.values.tolist() == [True, False, pd.NA, True, False]


# --- real files (skipped when ../shared/datasets/real is absent) ------------------------------------------

def read_real(relative: str) -> pd.DataFrame:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"real dataset not present: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def abbreviated(cell: str) -> float:
    """Independent oracle for the insta/tiktok number strings: exact decimals times a power of ten."""
    power = {"k": 3, "m": 6, "b": 9}.get(cell[-1].lower(), 0)
    return float(Decimal(cell[:-1] if power else cell) * Decimal(10) ** power)


@pytest.mark.parametrize("column", ["posts", "followers", "avg_likes", "new_post_avg_like", "total_likes"])
def test_real_insta_top200_counts(column):
    frame = read_real("insta-top200/top_insta_influencers_data.csv")
    parsed = parse_counts(frame[column], column)
    assert parsed.problems.isna().all() and not parsed.blank.any()
    assert_values(parsed, [abbreviated(c) for c in frame[column]])
    if column == "followers":
        assert parsed.values[frame["channel_info"] == "cristiano"].tolist() == [475_800_000]


def test_real_insta_top200_engagement_rate():
    frame = read_real("insta-top200/top_insta_influencers_data.csv")
    parsed = parse_rates(frame["60_day_eng_rate"], "60_day_eng_rate")
    assert parsed.style == "percent (1.39% = 0.0139)"
    assert parsed.blank.sum() == 1 and frame["60_day_eng_rate"][parsed.blank].tolist() == ["NaN%"]
    assert parsed.problems.isna().all()
    rates = frame["60_day_eng_rate"][~parsed.blank]
    assert parsed.values[~parsed.blank].tolist() == [float(Decimal(r[:-1]) / 100) for r in rates]


@pytest.mark.parametrize("metric", ["Subscribers count", "Views avg.", "Likes avg", "Comments avg.", "Shares avg"])
def test_real_tiktok_text_matches_numeric_duplicate(metric):
    frame = read_real("tiktok-top1000-2022/social media influencers - tiktok.csv")
    from_text = parse_counts(frame[metric], metric)
    from_numbers = parse_counts(frame[f"{metric}.1"], metric)
    assert from_text.problems.isna().all() and from_numbers.problems.isna().all()
    assert not from_text.blank.any()
    assert from_text.style == "abbreviated counts (k/m/b)"
    pd.testing.assert_series_equal(from_text.values, from_numbers.values, check_exact=True)
    assert_values(from_numbers, [float(c) for c in frame[f"{metric}.1"]])


@pytest.mark.parametrize(("relative", "columns"), [
    ("youtube-top1000/youtubers_df.csv", ["Suscribers", "Visits", "Likes", "Comments"]),
    ("insta-reach-small/instagram_reach.csv", ["Followers", "Likes"]),
])
def test_real_plain_number_files(relative, columns):
    frame = read_real(relative)
    for column in columns:
        parsed = parse_counts(frame[column], column)
        assert parsed.problems.isna().all() and parsed.style == "plain numbers"
        assert_values(parsed, [float(c) for c in frame[column]])
