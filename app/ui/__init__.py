"""The Streamlit dashboard: thin pages over the engine (see docs/architecture.md)."""
