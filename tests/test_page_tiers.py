"""AppTest for the Tiers page: tier table, tests between tiers, sweet spot, trend, benchmarks, splits."""

from __future__ import annotations

import pytest

from analysis.compare import tier_tests
from analysis.loading import load_creators
from tests.apptest import ROOT, page


@pytest.fixture(scope="module")
def tiers():
    at = page("pages/2_Tiers.py").run()
    assert not at.exception
    return at


def _text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_tier_table_tests_and_trend_on_the_demo(tiers):
    table = tiers.dataframe[0].value
    assert list(table["Tier"]) == ["under 100", "nano", "micro", "macro", "mega"]
    assert "Kruskal–Wallis across 5 tiers" in _text(tiers) and "p < 0.001" in _text(tiers)
    pairs = tiers.dataframe[1].value
    assert len(pairs) == 10 and set(pairs["Differ at 95%"]) <= {"yes", "no"}
    assert "per doubling of followers" in _text(tiers)


def test_sweet_spot_verdict_follows_the_band_in_the_link(tiers):
    assert tiers.success[0].value.startswith("Supported at 95%: the 25K–50K band")
    elsewhere = page("pages/2_Tiers.py", band_lo="100000", band_hi="400000").run()
    assert not elsewhere.exception
    verdicts = [*elsewhere.success, *elsewhere.error, *elsewhere.warning]
    assert any("100K–400K band" in str(v.value) for v in verdicts)


def test_benchmark_table_only_when_one_is_chosen(tiers):
    assert any("Choose a published benchmark" in str(i.value) for i in tiers.info)
    at = page("pages/2_Tiers.py", benchmark="markerly-2016").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert list(table["Followers"]) == ["0–1K", "1K–10K", "10K–100K", "1M–10M"]
    assert list(table["Published"]) == ["8.00%", "4.00%", "2.40%", "1.70%"] and "Your median" in table.columns


def test_split_by_platform_repeats_the_table_per_segment():
    at = page("pages/2_Tiers.py", split="platform").run()
    assert not at.exception and at.selectbox(key="split").value == "platform"
    table = at.dataframe[0].value
    assert set(table["Segment"]) == {"instagram", "tiktok", "youtube"}
    assert table["Creators"].str.replace(",", "").astype(int).sum() == 205_000


def test_split_also_tests_the_sweet_spot_and_fits_the_trend_per_segment():
    at = page("pages/2_Tiers.py", split="sponsored").run()
    assert not at.exception
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "**organic** · ER falls" in text and "**sponsored** · ER" in text
    verdicts = [str(v.value) for v in (*at.success, *at.error, *at.warning) if "band's median ER" in str(v.value)
                or "inconclusive" in str(v.value).lower()]
    assert len(verdicts) == 3  # the whole view, then organic and sponsored
    organic = next(e for e in at.expander if e.label.startswith("organic: do the tiers differ?"))
    frame = load_creators(ROOT / "data" / "demo_creators.parquet").frame
    expected = tier_tests(frame[frame["sponsored"] == False], "seed")  # noqa: E712 - a nullable boolean column
    assert f"H = {expected.h:,.1f}, df = {expected.df}, n = {expected.n:,}" in str(organic.markdown[0].value)
    assert len(organic.dataframe[0].value) == len(expected.pairwise)


def test_interval_methods_come_from_the_link_and_reach_the_tables():
    at = page("pages/2_Tiers.py", mean_ci="t", pooled_ci="delta").run()
    assert not at.exception and not at.warning
    assert (at.selectbox(key="mean_ci").value, at.selectbox(key="pooled_ci").value) == ("t", "delta")
    student, default = at.dataframe[0].value, page("pages/2_Tiers.py").run().dataframe[0].value
    # 88 mega creators: small enough for the methods to differ visibly (a large tier agrees to 0.01 points)
    mega = lambda table: table.set_index("Tier").loc["mega"]  # noqa: E731
    assert mega(student)["Mean 95% CI"] != mega(default)["Mean 95% CI"]
    assert mega(student)["Pooled 95% CI"] != mega(default)["Pooled 95% CI"]
    bad = page("pages/2_Tiers.py", mean_ci="magic").run()
    assert "mean_ci=magic" in "\n".join(str(w.value) for w in bad.warning)
    assert bad.selectbox(key="mean_ci").value == "auto"
