"""Library: the scenario files, upload a YAML, download the current state, save into scenarios/."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app.catalog.loader import evaluate_loaded, parse_scenario_text
from app.catalog.scenario_yaml import save_to_library, scenario_data
from app.errors import CapplanError
from app.settings import get_settings
from app.ui import common, data
from app.ui import scenario_state as state

UPLOAD_SEEN = "library_upload_seen"


def _open(name: str) -> None:
    loaded = data.library_scenario(name)
    if loaded is not None:
        state.replace_scenario(scenario_data(loaded.file), name)
        st.session_state["library_open_studio"] = True


def _library_table() -> None:
    st.subheader("Scenario library", anchor=False)
    rows = []
    store = state.memo()
    for name, path in data.library_paths().items():
        key = ("library", name, path.stat().st_mtime)
        try:
            if key not in store:
                loaded = data.library_scenario(name)
                if loaded is None:  # removed since the folder was listed
                    continue
                store[key] = (loaded, evaluate_loaded(loaded, data.price_book()))
            loaded, evaluation = store[key]
        except CapplanError as exc:
            common.show_error(exc, f"{name} does not pass validation")
            continue
        cheapest = min(evaluation.options, key=lambda r: r.monthly_cost)
        rows.append({
            "File": name,
            "Name": evaluation.scenario,
            "Description": loaded.scenario.description,
            "Options": ", ".join(r.name for r in evaluation.options),
            "Cheapest option": f"{cheapest.name} ({common.money(cheapest.monthly_cost, evaluation.currency)}/month)",
            "Recommended": evaluation.recommended or "none meets every constraint",
        })
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"Description": st.column_config.TextColumn(width="large")})
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        names = [row["File"] for row in rows]
        base = state.base_name()
        choice = left.selectbox("Open a scenario in the Studio", names,
                                index=names.index(base) if base in names else 0, key="library_open_choice")
        right.button("Open in Studio", on_click=_open, args=(choice,), icon=":material/open_in_new:",
                     type="primary")


def _upload() -> None:
    st.subheader("Upload a scenario", anchor=False)
    upload = st.file_uploader("Scenario YAML (the format of docs/scenarios.md; at most 1 MiB)", type=["yaml", "yml"],
                              key="library_upload", help="Validated like `capplan validate`: each problem names "
                                                         "the line and the field path.")
    if upload is None:
        return
    source = f"upload {re.sub(r'[^A-Za-z0-9_.-]', '_', upload.name)[:80]}"
    if st.session_state.get(UPLOAD_SEEN) == upload.file_id:
        st.caption(f"{common.plain(source)} is open in the Studio.")
        return
    try:
        loaded = parse_scenario_text(upload.getvalue(), source, data.price_book())
        evaluate_loaded(loaded, data.price_book())
    except CapplanError as exc:
        common.show_error(exc, f"{source} was not loaded:")
        return
    st.session_state[UPLOAD_SEEN] = upload.file_id
    state.replace_scenario(scenario_data(loaded.file), None)
    st.success(f"Loaded {common.plain(loaded.scenario.name)} from {common.plain(source)}.", icon=":material/check:")
    st.page_link("views/studio.py", label="Open it in the Studio", icon=":material/tune:")


def _current() -> None:
    st.subheader("The scenario you are working on", anchor=False)
    try:
        current = state.current()
    except CapplanError as exc:
        common.show_error(exc, "The current scenario does not pass validation:")
        return
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", current.loaded.scenario.name).strip("-").lower()[:60] or "scenario"
    st.markdown(f"**{common.plain(current.loaded.scenario.name)}**, {len(current.evaluation.options)} options.")
    st.download_button("Download as YAML", current.text, file_name=f"{slug}.yaml", mime="application/x-yaml",
                       icon=":material/download:", key="library_download",
                       help="Upload it again (here or with `capplan evaluate`) to get the same numbers.")
    settings = get_settings()
    if not settings.library_writable:
        st.caption("Saving into scenarios/ is off on this server (set CAPPLAN_LIBRARY_WRITABLE=1 to allow it).")
        return
    with st.form("library_save"):
        stem = st.text_input("File name in scenarios/", value=state.base_name() or slug, max_chars=100)
        overwrite = st.checkbox("Replace the file if it exists")
        if st.form_submit_button("Save to library", icon=":material/save:"):
            try:
                path = save_to_library(current.loaded.file, stem.strip(), settings.scenarios_dir, overwrite)
            except CapplanError as exc:
                common.show_error(exc)
            else:
                st.success(f"Saved {common.plain(path.name)} in the library.")


def render() -> None:
    if st.session_state.pop("library_open_studio", False):
        st.switch_page("views/studio.py")
    st.title("Library", anchor=False)
    _library_table()
    if not common.presenting():
        left, right = st.columns(2, gap="large")
        with left:
            _upload()
        with right:
            _current()
    state.sync_link()


with common.page_guard("the Library page"):
    render()
