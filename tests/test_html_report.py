"""The HTML report: self-contained, and holding the numbers the dashboard computes for the same view."""

from __future__ import annotations

import html
import math
import re
import subprocess
import sys

import pytest

from analysis.format import tier_table_display
from analysis.html_report import ReportContext, html_report
from analysis.summary import tier_summary
from analysis.sweet_spot import sweet_spot_test
from analysis.trend import fit_trend
from analysis.view_chart import ChartView
from tests.apptest import ROOT


def test_report_holds_the_views_tier_table_verdict_and_trend(creators):
    view = ChartView(scheme="heartbeat", level=0.9, band=(20_000, 60_000), trend="theil-sen",
                     trend_range=(1_000, math.inf), benchmark="markerly-2016")
    text = html_report(creators, view, ReportContext("my.csv", filters=("platform: tiktok",), link="http://x/?a=1"))
    table = tier_table_display(tier_summary(creators, "heartbeat", 0.9), 0.9)
    for row in table.itertuples(index=False):
        cells = re.findall(r"<td>(.*?)</td>", text)
        assert all(html.escape(str(value)) in cells for value in row)
    assert html.escape(sweet_spot_test(creators, (20_000, 60_000), None, level=0.9).verdict_text[1:]) in text
    trend = fit_trend(creators, method="theil-sen", level=0.9, followers_range=(1_000, math.inf))
    assert html.escape(trend.describe()) in text and "fitted on ≥ 1K followers" in text
    assert "platform: tiktok" in text and 'href="http://x/?a=1"' in text and "Markerly 2016" in text


def test_report_is_self_contained(creators):
    text = html_report(creators, ChartView(), ReportContext("demo"))
    assert not re.search(r"<script[^>]+src=", text) and not re.search(r"<link[^>]+href=\"http", text)
    assert "Plotly.newPlot" in text and len(text) > 3_000_000  # plotly.js is inside the file


def test_names_in_the_report_are_escaped(creators):
    text = html_report(creators, ChartView(), ReportContext("<script>alert(1)</script>.csv"))
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in text


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_command_line_writes_the_same_report(creators_csv, tmp_path):
    out = tmp_path / "report.html"
    done = _cli("report", str(creators_csv), "--format", "html", "--out", str(out), "--scheme", "heartbeat")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "Engagement Atlas · " + creators_csv.name in text and "Tiers (heartbeat, 95% intervals)" in text


@pytest.mark.parametrize("args", [("--format", "html"), ("--format", "html", "--out", "x.html", "--band", "5", "5")])
def test_command_line_html_mistakes_are_one_line(creators_csv, args):
    done = _cli("report", str(creators_csv), *args)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
