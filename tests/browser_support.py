"""What every browser test module shares: Debian's Chromium and a live dashboard on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 60
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Nothing but the local server resolves: the tests cannot reach (or wait on) the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# The first run of a fresh server loads the 205K demo and computes every interval.
RENDER_TIMEOUT_MS = 90_000
MAIN_CHART = ".st-key-main_chart .js-plotly-plot"
# Done = the script run finished (not merely started) and either Plotly has laid the main chart
# out or the app raised (so a broken app fails at once with its traceback, not after a timeout).
APP_IDLE_WITH_CHART = """(selector) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const drawn = !!document.querySelector(selector)?._fullLayout?.xaxis;
    const raised = !!document.querySelector('[data-testid="stException"]');
    return app?.dataset.testScriptState === 'notRunning' && (drawn || raised);
}"""
# Done = the script run finished and `selector` is on the page, or the app raised (fail fast on a traceback).
APP_IDLE_WITH = """(selector) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const shown = !!document.querySelector(selector);
    const raised = !!document.querySelector('[data-testid="stException"]');
    return app?.dataset.testScriptState === 'notRunning' && (shown || raised);
}"""
# The grid's accessible body rows (those glide has laid out), each as its cells' text.
GRID_ROWS = """(frame) => [...frame.querySelectorAll('tbody tr[role="row"]')].map(
    (row) => [...row.querySelectorAll('[role="gridcell"]')].map((cell) => cell.textContent))"""

Ready = tuple[str, str]  # a predicate for page.wait_for_function and its argument
HOME_READY: Ready = (APP_IDLE_WITH_CHART, MAIN_CHART)
# The `open_page` fixture: (app path or full URL, ready=HOME_READY) -> a Page in a fresh context.
OpenPage = Callable[..., "Page"]


def shown(selector: str) -> Ready:
    """Ready once the run is over and ``selector`` is on the page."""
    return (APP_IDLE_WITH, selector)


def assert_no_exception(page: Page) -> None:
    errors = page.get_by_test_id("stException")
    if errors.count():
        pytest.fail(f"the app raised in the browser:\n{errors.first.inner_text()}")


def wait_ready(page: Page, ready: Ready = HOME_READY) -> None:
    """Wait for ``ready`` (the main chart laid out by default), then fail on any traceback shown."""
    page.wait_for_function(ready[0], arg=ready[1], timeout=RENDER_TIMEOUT_MS)
    assert_no_exception(page)


def open_fresh(browser: Browser, url: str, ready: Ready = HOME_READY) -> Page:
    """``url`` in a brand-new context (no cookies, storage or session, like a new browser), once ready."""
    page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
    page.goto(url)
    wait_ready(page, ready)
    return page


def chromium_executable() -> str:
    """Debian's Chromium (or $ATLAS_CHROMIUM); skip without it, fail under ATLAS_REQUIRE_BROWSER=1."""
    path = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    reason = f"no Chromium at {path}: install Debian's chromium or set ATLAS_CHROMIUM"
    if os.environ.get("ATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ATLAS_REQUIRE_BROWSER=1: browser tests may not be skipped)")
    pytest.skip(reason)


@contextmanager
def running_dashboard(log_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``app.py`` on a free local port (with extra environment ``env``) and yield its base URL."""
    port = _free_port()
    log = log_dir / "server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
        # Test one snapshot of the code: with the watcher on, an edit saved mid-run (app.py and the
        # module it newly imports from, written milliseconds apart) left the server raising
        # ImportError for every later session although the files on disk were consistent.
        "--server.fileWatcherType", "none",
    ]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=sink,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        _stop(server)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the health endpoint until it answers "ok"; fail fast if the server died."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)  # poll interval, not a synchronisation point
    pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{log.read_text()[-2000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    # Its own session, so the whole group (streamlit and anything it spawned) goes.
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
