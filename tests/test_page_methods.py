"""AppTest for the Methods page: formulas, stored coverage results and sources."""

from __future__ import annotations

from analysis.coverage import load_results
from analysis.coverage_view import shortfalls
from tests.apptest import page


def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_methods_page_shows_coverage_and_sources():
    at = page("pages/9_Methods.py", level="90").run()
    assert not at.exception
    coverage = _table(at, "method")
    assert ("median", "order-statistic") in set(zip(coverage["statistic"], coverage["method"], strict=True))
    assert {"auto", "t", "bca", "bootstrap-t", "lognormal"} <= set(coverage.loc[coverage["statistic"] == "mean",
                                                                               "method"])
    assert "σ 1.2 · n=30" in set(coverage.columns)
    assert set(_table(at, "Name")["Name"]) >= {"by_followers", "like_rate", "likes_comments", "as_given"}
    assert set(_table(at, "Scheme")["Scheme"]) == {"seed", "heartbeat", "mediakix"}
    assert "Markerly 2016" in set(_table(at, "Platform")["Source"])
    _, records = load_results()
    if shortfalls(records).empty:
        assert at.success
    else:
        assert len(_table(at, "requirement")) == len(shortfalls(records))


def test_an_unsimulated_level_falls_back_to_95():
    at = page("pages/9_Methods.py", level="80").run()
    assert not at.exception and any("95% interval" in str(m.value) for m in at.markdown)
