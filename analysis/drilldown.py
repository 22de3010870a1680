"""A chart selection as a group of creators: what was picked, in a form a link can carry.

A :class:`Selection` is one of

``bin``
    a log follower bin of the main chart, numbered like
    :func:`analysis.summary.log_bin_edges` numbers them: bin ``k`` holds
    ``10^(k/per_decade) <= followers < 10^((k+1)/per_decade)``; the number
    does not change when filters change, so a link stays valid;
``tier``
    a tier of the view's scheme, by name;
``box``
    a rectangle of followers × engagement rate: every creator of the view
    inside it, not only the sampled points drawn there;
``creators``
    creators picked point by point, by handle.

:meth:`Selection.to_param` and :func:`parse_selection` turn it into the URL
text (``bin:17``, ``tier:micro``, ``box:1000-5000,0.01-0.05``,
``creators:ana,bo``) and back; :func:`select_creators` finds its creators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.format import compact, follower_range, percent
from analysis.tiers import assign_tiers, get_scheme

KINDS = ("bin", "tier", "box", "creators")
#: Most creators a point-by-point selection keeps (a link must stay short).
MAX_PICKED = 200


@dataclass(frozen=True)
class Selection:
    """What was selected on a chart (see the module docstring); build with the ``of_*`` helpers."""

    kind: str
    bin: int = 0
    per_decade: int = 4
    tier: str = ""
    followers: tuple[float, float] = (0.0, math.inf)
    er: tuple[float, float] = (-math.inf, math.inf)
    handles: tuple[str, ...] = ()

    def to_param(self) -> str:
        """The URL text for this selection (see :func:`parse_selection`)."""
        if self.kind == "bin":
            return f"bin:{self.bin}"
        if self.kind == "tier":
            return f"tier:{self.tier}"
        if self.kind == "box":
            (f0, f1), (e0, e1) = self.followers, self.er
            return f"box:{f0:.6g}-{f1:.6g},{e0:.6g}-{e1:.6g}"
        return "creators:" + ",".join(quote(h, safe="") for h in self.handles)

    def describe(self) -> str:
        """A title for the selection, e.g. "bin 17.8K–31.6K followers"."""
        if self.kind == "bin":
            return f"follower bin {follower_range(*self.bin_edges())}"
        if self.kind == "tier":
            return f"tier {self.tier}"
        if self.kind == "box":
            (f0, f1), (e0, e1) = self.followers, self.er
            return f"box {compact(f0)}–{compact(f1)} followers, ER {percent(e0)}–{percent(e1)}"
        shown = ", ".join(self.handles[:3]) + (f" and {len(self.handles) - 3} more" if len(self.handles) > 3 else "")
        return f"{len(self.handles)} picked creator{'s' if len(self.handles) != 1 else ''}: {shown}"

    def bin_edges(self) -> tuple[float, float]:
        """Follower edges ``[low, high)`` of a ``bin`` selection, computed as the chart's bins are."""
        low, high = 10.0 ** (np.array([self.bin, self.bin + 1], dtype="float64") / self.per_decade)
        return float(low), float(high)


def of_bin(bin_low: float, per_decade: int = 4) -> Selection:
    """The bin whose lower edge is ``bin_low`` (an edge from :func:`analysis.summary.log_bin_edges`)."""
    return Selection("bin", bin=round(math.log10(bin_low) * per_decade), per_decade=per_decade)


def of_box(followers: tuple[float, float], er: tuple[float, float]) -> Selection:
    """A rectangle; each pair is put in order."""
    return Selection("box", followers=(min(followers), max(followers)), er=(min(er), max(er)))


def of_creators(handles: list[str]) -> Selection:
    """Creators picked by handle (first :data:`MAX_PICKED`, duplicates once)."""
    return Selection("creators", handles=tuple(dict.fromkeys(str(h) for h in handles))[:MAX_PICKED])


def parse_selection(text: str, per_decade: int = 4) -> Selection:
    """The selection a URL parameter describes; ``ValueError`` saying what is wrong otherwise."""
    kind, _, body = text.partition(":")
    if kind not in KINDS or not body:
        raise ValueError(f"expected one of {', '.join(k + ':…' for k in KINDS)}, got {text[:40]!r}")
    if kind == "bin":
        if not body.lstrip("-").isdigit():
            raise ValueError(f"a bin is a whole number, got {body[:20]!r}")
        return Selection("bin", bin=int(body), per_decade=per_decade)
    if kind == "tier":
        return Selection("tier", tier=body)
    if kind == "creators":
        return of_creators([unquote(h) for h in body.split(",") if h])
    return _parse_box(body)


def _parse_box(body: str) -> Selection:
    try:
        (f0, f1), (e0, e1) = ([float(v) for v in part.split("-", 1)] for part in body.split(",", 1))
    except ValueError:
        raise ValueError(f"a box is 'followers_low-followers_high,er_low-er_high', got {body[:40]!r}") from None
    if not all(math.isfinite(v) for v in (f0, f1, e0, e1)) or f0 == f1:
        raise ValueError(f"a box needs finite, distinct follower edges, got {body[:40]!r}")
    return of_box((f0, f1), (e0, e1))


def select_creators(prepared: pd.DataFrame, selection: Selection, scheme: str = "seed") -> pd.DataFrame:
    """The rows of ``prepared`` (creators with ``followers`` and ``er``) the selection holds.

    A ``tier`` that the scheme does not have raises ``ValueError``.
    """
    followers = prepared[col.FOLLOWERS].to_numpy("float64")
    if selection.kind == "bin":
        low, high = selection.bin_edges()
        keep = (followers >= low) & (followers < high)
    elif selection.kind == "tier":
        tier_scheme = get_scheme(scheme)
        names = [t.name for t in tier_scheme.all_tiers()]
        if selection.tier not in names:
            raise ValueError(f"no tier {selection.tier!r} in scheme {scheme!r} (has {', '.join(names)})")
        keep = np.asarray(assign_tiers(prepared[col.FOLLOWERS], tier_scheme) == selection.tier)
    elif selection.kind == "box":
        er = prepared["er"].to_numpy("float64")
        keep = ((followers >= selection.followers[0]) & (followers <= selection.followers[1])
                & (er >= selection.er[0]) & (er <= selection.er[1]))
    else:
        keep = prepared[col.HANDLE].astype("string").isin(list(selection.handles)).fillna(False).to_numpy(bool)
    chosen: pd.DataFrame = prepared[keep]
    return chosen


def selection_from_event(event: Mapping[str, Any], layers: Sequence[str | None],
                         per_decade: int = 4) -> Selection | None:
    """The selection a chart event describes, or None when it selects nothing usable.

    ``event`` is the chart's selection state (``points`` with ``curve_number``,
    ``x``, ``customdata``; ``box`` with ``x`` and ``y`` ranges); ``layers``
    names each trace of the figure by its ``meta.layer`` (``medians``,
    ``tiers``, ``creators``). A box wins over the points inside it, then a
    tier, then a bin; points of the creator cloud are picked by handle.
    """
    boxes = list(event.get("box") or [])
    if boxes:
        box = boxes[-1]
        xs, ys = [float(v) for v in box["x"]], [float(v) for v in box["y"]]
        return of_box((xs[0], xs[1]), (ys[0], ys[1]))
    by_layer: dict[str | None, list[Mapping[str, Any]]] = {}
    for point in event.get("points") or []:
        index = point.get("curve_number")
        layer = layers[index] if isinstance(index, int) and 0 <= index < len(layers) else None
        by_layer.setdefault(layer, []).append(point)
    if by_layer.get("tiers"):
        return Selection("tier", tier=str(_custom(by_layer["tiers"][-1])))
    if by_layer.get("medians"):
        middle = float(by_layer["medians"][-1]["x"])
        return Selection("bin", bin=math.floor(math.log10(middle) * per_decade), per_decade=per_decade)
    handles = [str(_custom(p)) for p in by_layer.get("creators", []) if _custom(p) is not None]
    return of_creators(handles) if handles else None


def _custom(point: Mapping[str, Any]) -> Any:
    data = point.get("customdata")
    return data[0] if isinstance(data, list) and data else data
