"""Entry point: the shared sidebar, then the page the address names.

Run with ``streamlit run app.py`` (``make run``). The pages live in ``pages/``;
:data:`ui.sidebar.PAGES` lists them with their labels and URL paths.
"""

from __future__ import annotations

from ui.sidebar import navigation, page_setup, render_sidebar, serving

page = navigation()
page_setup(page)
view = render_sidebar()
with serving(view):
    page.run()
