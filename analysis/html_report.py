"""A self-contained HTML report of one view: chart, trend, tier table, sweet-spot verdict, methods.

The file works offline: plotly.js is embedded once, nothing is fetched. Its
numbers come from the same functions as the dashboard's home and Tiers pages
(:mod:`analysis.view_chart`, :func:`analysis.format.tier_table_display`,
:func:`analysis.sweet_spot.sweet_spot_test`), so a report made from a view
shows what that view's link shows.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from analysis.benchmarks import get_benchmark
from analysis.engagement import get_definition
from analysis.format import follower_range, tier_table_display
from analysis.sweet_spot import SweetSpot, sweet_spot_test
from analysis.tiers import get_scheme
from analysis.trend import fitted_range_text
from analysis.view_chart import ChartView, ViewData, main_figure, view_data

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;
color:#1f2328;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .6rem;text-align:right}th{background:#f6f8fa}
td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}
.verdict{padding:.6rem .9rem;border-left:4px solid #E69F00;background:#fff8e6}
.supported{border-color:#009E73;background:#e9f7f1}.contradicted{border-color:#D55E00;background:#fdeee6}
.meta{color:#57606a;font-size:.9rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{color:#57606a}dd{margin:0}
"""

METHODS_NOTE = (
    "Median intervals are exact, distribution-free order-statistic (binomial) intervals. Mean and pooled "
    "(Σ engagements ÷ Σ followers) intervals use the method named above; 'auto' takes the log-normal (Cox) "
    "interval for groups under 2,000 creators whose log ERs pass a normality check and the studentized "
    "bootstrap otherwise, a choice made from simulated coverage (the dashboard's Methods page shows it). "
    "The sweet-spot test compares the band's median ER with its neighbours' (bootstrap interval of the "
    "difference, Mann–Whitney p-value). The trend is a power law fitted on log–log axes."
)


@dataclass(frozen=True)
class ReportContext:
    """What the report says about where its numbers come from."""

    dataset: str
    filters: Sequence[str] = ()
    link: str = ""
    rows_note: str = ""


def html_report(frame: pd.DataFrame, view: ChartView, context: ReportContext) -> str:
    """The report for creators ``frame`` (already filtered) seen through ``view``."""
    data = view_data(frame, view)
    fitted = None if data.trend is None or data.trend_line is None else (data.trend, data.trend_line)
    figure = main_figure(data.bins, data.points, view, fitted)
    spot = sweet_spot_test(frame, view.band, None, view.definition, view.level)
    return render(data, figure, spot, view, context)


def render(data: ViewData, figure: go.Figure, spot: SweetSpot, view: ChartView, context: ReportContext) -> str:
    """Assemble the HTML from computed pieces (see :func:`html_report`)."""
    title = f"Engagement Atlas · {context.dataset}"
    sections = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{data.n_creators:,} creators in view, {data.n_with_er:,} with an engagement rate. '
        f"{_e(context.rows_note)}</p>",
        _view_list(view, context),
        "<h2>Engagement vs followers</h2>",
        figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False}),
    ]
    if data.trend is not None:
        sections.append(f"<p><b>Trend:</b> {_e(data.trend.describe())}.</p>")
    sections += [
        f"<h2>Tiers ({_e(view.scheme)}, {view.level:.0%} intervals)</h2>",
        tier_table_display(data.tiers, view.level).to_html(index=False, border=0, classes="tiers", escape=True),
        f'<p class="meta">{_e(get_scheme(view.scheme).source)}</p>',
        "<h2>Sweet spot</h2>",
        f'<p class="verdict {_e(spot.verdict)}">{_e(spot.verdict_text[:1].upper() + spot.verdict_text[1:])}</p>',
        "<h2>Methods</h2>", f"<p>{_e(METHODS_NOTE)}</p>",
    ]
    if view.benchmark:
        bench = get_benchmark(view.benchmark)
        sections.append(f'<p class="meta">Benchmark overlay: {_e(bench.title)}. {_e(bench.note)}</p>')
    body = "\n".join(sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style>'
            f'<script type="text/javascript">{get_plotlyjs()}</script></head>\n<body>\n{body}\n</body></html>\n')


def _view_list(view: ChartView, context: ReportContext) -> str:
    trend = "off" if view.trend == "off" else view.trend
    if view.trend != "off" and view.trend_range is not None:
        trend += f", {fitted_range_text(view.trend_range)}"
    items = [
        ("Tier scheme", f"{view.scheme}: {get_scheme(view.scheme).title}"),
        ("Engagement rate", f"{view.definition}: {get_definition(view.definition).description}"),
        ("Confidence level", f"{view.level:.0%}"),
        ("Interval methods", f"mean {view.mean_method}, pooled {view.pooled_method}"),
        ("Sweet-spot band", f"{follower_range(*view.band)} followers"),
        ("Trend", trend),
        ("Filters", "; ".join(context.filters) or "none"),
    ]
    if context.link:
        items.append(("Dashboard view", f'<a href="{_e(context.link)}">{_e(context.link)}</a>'))
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{v if k == 'Dashboard view' else _e(v)}</dd>" for k, v in items)
    return f"<dl>{rows}</dl>"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)
