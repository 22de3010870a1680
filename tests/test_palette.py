"""Colours and shapes stay distinguishable for colour-blind readers and in grey-scale print.

The oracle is a published model, not the code under test: Machado, Oliveira & Fernandes (2009)
simulate protanopia, deuteranopia and tritanopia (severity 1) as 3×3 matrices on linear RGB;
distances are CIE76 ΔE in CIELAB (D65), where about 2 is just noticeable and 10+ is obvious.
Contrast against the white plot background is WCAG's relative-luminance ratio.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analysis.charts import BAND_COLOUR, MEDIAN_COLOUR, POINT_COLOUR
from analysis.compare_chart import SEGMENT_COLOURS, segment_style
from analysis.distribution_chart import MEAN_COLOUR
from analysis.overlays import BENCHMARK_STYLES, TREND_COLOUR
from ui.stats import SEGMENT_LIMIT

SIMULATIONS = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE_XYZ = np.array([0.95047, 1.0, 1.08883])
#: Clearly different at a glance (well above the just-noticeable ΔE of about 2).
MIN_DELTA_E = 15.0


def linear_rgb(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ linear / WHITE_XYZ
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, simulation: str | None) -> np.ndarray:
    linear = linear_rgb(colour)
    if simulation is not None:
        linear = np.clip(SIMULATIONS[simulation] @ linear, 0, 1)
    return lab(linear)


def delta_e(a: str, b: str, simulation: str | None) -> float:
    return float(np.linalg.norm(seen(a, simulation) - seen(b, simulation)))


def contrast_on_white(colour: str) -> float:
    luminance = float(SRGB_TO_XYZ[1] @ linear_rgb(colour))
    return 1.05 / (luminance + 0.05)


def test_the_simulation_is_what_it_claims():
    # Red and green, far apart for most readers, nearly merge for a deuteranope; blue and yellow do not.
    assert delta_e("#FF0000", "#00FF00", None) > 150
    assert delta_e("#FF0000", "#00FF00", "deuteranopia") < 0.3 * delta_e("#FF0000", "#00FF00", None)
    assert delta_e("#0000FF", "#FFFF00", "deuteranopia") > 100
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)  # WCAG's textbook AA grey


@pytest.mark.parametrize("simulation", [None, *SIMULATIONS])
def test_compared_segments_differ_in_colour_for_every_reader(simulation):
    colours = [segment_style(i).colour for i in range(SEGMENT_LIMIT)]
    closest = min((delta_e(a, b, simulation), a, b) for a, b in itertools.combinations(colours, 2))
    assert closest[0] >= MIN_DELTA_E, f"{closest[1]} and {closest[2]} look alike ({simulation}): ΔE {closest[0]:.1f}"


def test_compared_segments_differ_in_shape_when_colour_is_gone():
    # In grey-scale two colours can share a grey (orange and sky blue do); symbols never repeat among
    # the segments shown at once, and each (symbol, dash) pair is unique.
    styles = [segment_style(i) for i in range(SEGMENT_LIMIT)]
    assert len({s.symbol for s in styles}) == SEGMENT_LIMIT
    assert len({(s.symbol, s.dash) for s in styles}) == SEGMENT_LIMIT
    assert min(delta_e(a, b, None) for a, b in itertools.combinations(SEGMENT_COLOURS, 2)) > 0


def test_segment_colours_stand_out_on_white():
    # Okabe–Ito yellow (1.3:1) would vanish; the lightest colour kept is orange/sky blue at about 2.2:1,
    # drawn as 2.5 px lines and 8 px markers.
    assert min(contrast_on_white(colour) for colour in SEGMENT_COLOURS) >= 2.2


@pytest.mark.parametrize("simulation", [None, *SIMULATIONS])
def test_main_chart_layers_differ_for_every_reader(simulation):
    # Median line, point cloud, sweet-spot band, trend, the ER distribution's mean, and the benchmarks.
    layers = {"median": MEDIAN_COLOUR, "points": POINT_COLOUR, "band": BAND_COLOUR, "trend": TREND_COLOUR,
              **{f"benchmark {i}": colour for i, (colour, _) in enumerate(BENCHMARK_STYLES)}}
    closest = min((delta_e(a, b, simulation), x, y)
                  for (x, a), (y, b) in itertools.combinations(layers.items(), 2))
    assert closest[0] >= MIN_DELTA_E, f"{closest[1]} and {closest[2]} look alike ({simulation}): ΔE {closest[0]:.1f}"
    assert delta_e(MEAN_COLOUR, MEDIAN_COLOUR, simulation) >= MIN_DELTA_E
