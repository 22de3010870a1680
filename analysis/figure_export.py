"""Figures out to files: standalone HTML that works offline, PNG and SVG through the system Chromium.

Images are drawn by kaleido 1.x driving Debian's Chromium (``/usr/bin/chromium``, or
``$ATLAS_CHROMIUM``); nothing is ever downloaded. One browser is started on first use and kept
for later exports (starting it takes seconds; later exports pay only for drawing the figure),
shared by every thread behind a lock, and closed at interpreter exit.

kaleido's own ``start_sync_server()`` is not used: when the browser fails to start, its next
call waits forever (plotly/Kaleido#422). The exporter here keeps the same design (one
``kaleido.Kaleido`` on an event-loop thread) but bounds every wait and reports failures.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import html
import importlib.util
import os
import re
import threading
from collections.abc import Coroutine
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio

DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "PNG/SVG export needs Chromium: sudo apt-get install chromium"
START_TIMEOUT_S = 60.0
RENDER_TIMEOUT_S = 60.0
#: Beyond choreographer's own flags (it already passes --headless --no-sandbox --disable-gpu): the
#: page and the figure load from local files only, so no request may leave the machine.
OFFLINE_FLAGS = (
    "--disable-background-networking", "--disable-quic", "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)
#: The mode bar without its links out (the Plotly logo, "send to cloud").
OFFLINE_CONFIG = {"displaylogo": False, "showSendToCloud": False, "responsive": True}


class ImageExportError(RuntimeError):
    """A PNG/SVG export failed; the message says what to install or check."""


def figure_html(fig: go.Figure, *, title: str | None = None) -> str:
    """A complete HTML page showing ``fig`` interactively, with plotly.js inside: no network needed.

    ``title`` is the page's title (default: the figure's title without its markup, else "Figure").
    """
    page = str(pio.to_html(fig, include_plotlyjs=True, include_mathjax=False, full_html=True,
                       config=OFFLINE_CONFIG, validate=False))
    name = title if title is not None else re.sub(r"<[^>]*>", "", fig.layout.title.text or "") or "Figure"
    return page.replace("<head>", f"<head>\n<title>{html.escape(name)}</title>", 1)


def figure_image(fig: go.Figure, fmt: Literal["png", "svg"], *, width: int = 1200, height: int = 700,
                 scale: float = 2) -> bytes:
    """``fig`` as a PNG of ``width*scale`` × ``height*scale`` pixels, or an SVG laid out at ``width`` × ``height``.

    The first call starts Chromium (a few seconds); later calls reuse it. Raises
    :class:`ImageExportError` with an actionable message when Chromium is missing or fails, and
    ``ValueError`` for a format or size that makes no image.
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"image format must be 'png' or 'svg', not {fmt!r}")
    if width <= 0 or height <= 0 or scale <= 0:
        raise ValueError(f"width, height and scale must be positive (got {width}, {height}, {scale})")
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    return _EXPORTER.render(without_webgl(fig), opts)


def without_webgl(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` with every ``scattergl`` trace drawn as plain ``scatter``.

    WebGL makes a browser fast with many points; in a headless export it is drawn in software
    (slow) and lands in an SVG as one embedded bitmap. The dashboard's clouds are bounded (a few
    thousand points), so plain SVG markers cost little and stay vectors. ``fig`` is not changed.
    """
    if not any(trace.type == "scattergl" for trace in fig.data):
        return fig
    spec = fig.to_plotly_json()
    for trace in spec["data"]:
        if trace.get("type") == "scattergl":
            trace["type"] = "scatter"
    return go.Figure(spec, skip_invalid=True)


def image_export_available() -> bool:
    """Whether PNG/SVG export can run here: kaleido installed, Chromium present and not known to fail.

    Cheap (no browser is started): a page may call it on every rerun.
    """
    path = chromium_path()
    return (importlib.util.find_spec("kaleido") is not None and _is_executable(path)
            and path not in _EXPORTER.failures)


def shutdown_image_export() -> None:
    """Close the browser kept for image export and forget failed starts; the next export starts afresh."""
    _EXPORTER.close()


def chromium_path() -> str:
    """The Chromium executable used for images: ``$ATLAS_CHROMIUM``, else Debian's."""
    return os.environ.get("ATLAS_CHROMIUM", DEFAULT_CHROMIUM)


class _Exporter:
    """One kaleido browser on its own event-loop thread; every wait bounded in time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None
        #: Why starting the browser at a path failed, by path (cleared by a successful start).
        self.failures: dict[str, str] = {}

    def render(self, fig: go.Figure, opts: dict[str, Any]) -> bytes:
        with self._lock:  # kaleido serves one caller at a time; Streamlit sessions are threads
            loop, browser = self._loop, self._kaleido
            if loop is None or browser is None:
                loop, browser = self._start()
            try:
                data = _wait(loop, browser.calc_fig(fig, opts=opts), RENDER_TIMEOUT_S)
            except Exception as error:  # any failure: report it, and start afresh next time
                self._stop()
                raise ImageExportError(f"Chromium could not draw the figure ({_describe(error)}). "
                                       f"Try again; if it keeps failing, check: {INSTALL_HINT}") from error
            return bytes(data)

    def close(self) -> None:
        with self._lock:
            self._stop()
            self.failures.clear()

    def _start(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        path = chromium_path()
        if not _is_executable(path):
            raise ImageExportError(f"{INSTALL_HINT} (no browser at {path}; set ATLAS_CHROMIUM to use another)")
        self._loop = loop = asyncio.new_event_loop()
        threading.Thread(target=_serve, args=(loop,), name="figure-export", daemon=True).start()
        try:
            self._kaleido = _wait(loop, _open_kaleido(path), START_TIMEOUT_S)
        except Exception as error:  # ImportError, browser failures, timeouts alike
            self._stop()
            self.failures[path] = _describe(error)
            raise ImageExportError(f"{INSTALL_HINT} (starting {path} failed: {self.failures[path]})") from error
        self.failures.pop(path, None)
        return loop, self._kaleido

    def _stop(self) -> None:
        loop, browser, self._loop, self._kaleido = self._loop, self._kaleido, None, None
        if loop is not None:
            with contextlib.suppress(Exception):  # closing a broken browser: nothing more to do
                _wait(loop, _shutdown(browser), START_TIMEOUT_S)
            loop.call_soon_threadsafe(loop.stop)


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()
    loop.close()


def _wait(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, Any], timeout: float) -> Any:
    """Run ``work`` on the exporter's loop; ``TimeoutError`` (the work cancelled) after ``timeout`` s."""
    future = asyncio.run_coroutine_threadsafe(work, loop)
    try:
        return future.result(timeout)
    except FutureTimeoutError:
        future.cancel()
        raise TimeoutError(f"no answer from Chromium within {timeout:.0f} s") from None


async def _shutdown(browser: Any) -> None:
    """Close the browser, then cancel whatever is left (a start cut short closes its own browser)."""
    if browser is not None:
        await browser.close()
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


async def _open_kaleido(path: str) -> Any:
    import kaleido  # imported on first export: notebook users of `analysis` do not pay for it

    browser = kaleido.Kaleido(path=path, browser_cls=_offline_chromium(), mathjax=False, timeout=RENDER_TIMEOUT_S)
    try:
        await browser.open()
    except BaseException:  # a failed or cancelled start must not leave a Chromium behind
        with contextlib.suppress(Exception):
            await browser.close()
        raise
    return browser


@functools.cache
def _offline_chromium() -> type[Any]:
    """choreographer's Chromium launcher with :data:`OFFLINE_FLAGS` added to its command line."""
    from choreographer.browsers import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self) -> list[str]:
            return [*super().get_cli(), *OFFLINE_FLAGS]

    return OfflineChromium


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _describe(error: BaseException) -> str:
    """The error's type and first line: choreographer's later lines suggest downloading Chrome."""
    text = str(error.args[0]).splitlines()[0] if error.args and str(error.args[0]) else ""
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__


_EXPORTER = _Exporter()
atexit.register(_EXPORTER.close)
