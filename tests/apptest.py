"""Helpers for the AppTest layer (one test file per page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # the first run of a session generates/loads the 205K demo and computes intervals


ROUTER = "app.py"
HOME = "pages/1_Overview.py"


class _RoutedPagesManager(PagesManager):
    """Runs like a server that has run ``app.py`` once: ``app.py`` routes, ``pages/`` is not the page list.

    A fresh server takes a ``pages/`` folder beside the entry script for the page list until
    ``app.py`` first calls ``st.navigation`` (``ui.sidebar.page_view`` handles that first visit;
    a browser test covers it). AppTest resets that state before every run, so every run would be
    such a first visit and would run the page without ``app.py``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


setattr(app_test_module, "PagesManager", _RoutedPagesManager)  # noqa: B010 - AppTest builds its manager from this name


def page(script: str, **params: str | list[str]) -> AppTest:
    """An AppTest of the app opened on page ``script`` (``app.py``: the home page), with URL parameters set.

    The app runs as in a browser: ``app.py`` draws the shared sidebar, then the page.
    """
    at = AppTest.from_file(str(ROOT / ROUTER), default_timeout=TIMEOUT)
    if script != ROUTER:
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def warnings_text(at: AppTest) -> str:
    return "\n".join(str(w.value) for w in at.warning)
