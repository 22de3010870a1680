"""Helpers for the AppTest layer (one test file per page)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # the first run of a session generates/loads the 205K demo and computes intervals


ROUTER = "app.py"
HOME = "pages/1_Overview.py"


def page(script: str, **params: str | list[str]) -> AppTest:
    """An AppTest of the app opened on page ``script`` (``app.py``: the home page), with URL parameters set.

    The app runs as in a browser: ``app.py`` draws the shared sidebar, then the page. The page is
    named explicitly even for the home page: AppTest's first run otherwise carries the entry script's
    own page id, and the run after a widget change then still shows the previous view.
    """
    at = AppTest.from_file(str(ROOT / ROUTER), default_timeout=TIMEOUT)
    at.switch_page(HOME if script == ROUTER else script)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def warnings_text(at: AppTest) -> str:
    return "\n".join(str(w.value) for w in at.warning)
