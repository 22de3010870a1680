"""What every browser test module shares: Debian's Chromium and a live dashboard on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 60
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Nothing but the local server resolves: the tests cannot reach (or wait on) the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


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
