"""Streamlit-aware helpers shared by the pages (state keys, sidebar, cached data, rendering)."""
