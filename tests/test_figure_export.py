"""Figure exports: offline HTML everywhere; PNG/SVG through Debian's Chromium, or a clear error without it.

The image tests need Chromium: they skip without it, and fail under ATLAS_REQUIRE_BROWSER=1
(``tests.browser_support.chromium_executable``). They are marked ``browser`` so CI's browser
accounting counts them.
"""

from __future__ import annotations

import re
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from analysis.figure_export import (
    ImageExportError,
    figure_html,
    figure_image,
    image_export_available,
    shutdown_image_export,
    without_webgl,
)
from tests.browser_support import chromium_executable

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def small_figure(title: str = "Tiny engagement chart") -> go.Figure:
    return go.Figure(
        go.Scatter(x=[10, 1_000, 100_000], y=[0.08, 0.04, 0.017], mode="lines+markers", name="sentinel-trace"),
        layout={"title": {"text": title}, "xaxis": {"type": "log"}},
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (always the first, right after the signature)."""
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_html_is_standalone_and_offline():
    page = figure_html(small_figure(), title="Engagement & tiers")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<title>Engagement &amp; tiers</title>" in page
    assert "sentinel-trace" in page and "Tiny engagement chart" in page  # the figure's data and layout
    assert f"plotly.js v{get_plotlyjs_version()}" in page and len(page) > 1_000_000  # the bundle, inline
    sources = re.findall(r"<script\b[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert sources == []  # no CDN, no file to fetch
    assert '"displaylogo": false' in page  # the mode bar does not link out


def test_html_title_defaults_to_the_figures_title_without_markup():
    assert "<title>Rate by tier</title>" in figure_html(small_figure("<b>Rate</b> by tier"))
    assert "<title>Figure</title>" in figure_html(go.Figure())


def test_bad_format_or_size_is_a_value_error():
    with pytest.raises(ValueError, match="'png' or 'svg'"):
        figure_image(small_figure(), "pdf")
    with pytest.raises(ValueError, match="positive"):
        figure_image(small_figure(), "png", width=0)


@pytest.fixture
def fresh_exporter() -> Iterator[None]:
    """No browser kept from earlier tests, and none left for later ones."""
    shutdown_image_export()
    yield
    shutdown_image_export()


@pytest.mark.usefixtures("fresh_exporter")
def test_missing_chromium_is_an_actionable_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(tmp_path / "no-chromium"))
    assert not image_export_available()
    with pytest.raises(ImageExportError, match=re.escape("sudo apt-get install chromium")):
        figure_image(small_figure(), "png")


@pytest.mark.usefixtures("fresh_exporter")
def test_chromium_that_fails_to_start_is_an_error_not_a_hang(monkeypatch, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(broken))
    assert image_export_available()  # present: not known to fail yet
    started = time.monotonic()
    with pytest.raises(ImageExportError, match=r"apt-get install chromium.*failed"):
        figure_image(small_figure(), "svg")
    assert time.monotonic() - started < 30
    assert not image_export_available()  # the page now shows a caption instead of the buttons


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium: skip without it, fail under ATLAS_REQUIRE_BROWSER=1."""
    return Path(chromium_executable())


@pytest.mark.browser
def test_png_has_the_signature_and_the_requested_pixels(chromium, monkeypatch):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(chromium))
    assert image_export_available()
    data = figure_image(small_figure(), "png", width=320, height=200, scale=2)
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == (640, 400)
    assert png_size(figure_image(small_figure(), "png", width=300, height=150, scale=1)) == (300, 150)


@pytest.mark.browser
def test_svg_parses_and_shows_the_title(chromium, monkeypatch):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(chromium))
    root = ET.fromstring(figure_image(small_figure("Svg title check"), "svg", width=320, height=200))
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 320 200"
    assert "Svg title check" in "".join(root.itertext())


def test_webgl_traces_are_exported_as_plain_scatter_without_touching_the_figure():
    figure = go.Figure([go.Scattergl(x=[1, 2], y=[3, 4], mode="markers", name="cloud", marker={"size": 3}),
                        go.Scatter(x=[1, 2], y=[4, 3], name="line")], layout={"xaxis": {"type": "log"}})
    exported = without_webgl(figure)
    assert [t.type for t in exported.data] == ["scatter", "scatter"]
    assert [t.type for t in figure.data] == ["scattergl", "scatter"]  # the page's figure keeps WebGL
    assert exported.data[0].marker.size == 3 and exported.data[0].name == "cloud"
    assert exported.layout.xaxis.type == "log" and list(exported.data[0].y) == [3, 4]
    plain = small_figure()
    assert without_webgl(plain) is plain


@pytest.mark.browser
def test_webgl_points_render_as_vector_markers(chromium, monkeypatch):
    """The main chart's point cloud is Scattergl: exported, every point is an SVG path, not one bitmap."""
    monkeypatch.setenv("ATLAS_CHROMIUM", str(chromium))
    figure = go.Figure(go.Scattergl(x=list(range(200)), y=[v % 17 for v in range(200)], mode="markers"))
    assert png_size(figure_image(figure, "png", width=200, height=100, scale=1)) == (200, 100)
    root = ET.fromstring(figure_image(figure, "svg", width=200, height=100))
    assert root.tag == f"{SVG_NS}svg"
    assert not list(root.iter(f"{SVG_NS}image"))  # no embedded raster
    assert len([p for p in root.iter(f"{SVG_NS}path") if "point" in (p.get("class") or "")]) == 200
