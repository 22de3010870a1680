"""Helpers for the AppTest layer (one test file per page)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # the first run of a session generates/loads the 205K demo and computes intervals


def page(script: str, **params: str | list[str]) -> AppTest:
    """An AppTest for ``script`` (relative to the project root) with URL parameters set."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def warnings_text(at: AppTest) -> str:
    return "\n".join(str(w.value) for w in at.warning)
