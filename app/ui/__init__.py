"""The Streamlit dashboard: thin pages over the engine (see ARCHITECTURE.md)."""
