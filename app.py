"""Entry point: the shared sidebar, then the page the address names.

Run with ``streamlit run app.py`` (``make run``). The pages live in ``pages/``;
:data:`ui.sidebar.PAGES` lists them with their labels and URL paths.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import APP_TITLE, navigation, render_sidebar, serving

page = navigation()
st.set_page_config(page_title=f"{page.title} · {APP_TITLE}", page_icon=":material/monitoring:", layout="wide")
view = render_sidebar()
with serving(view):
    page.run()
