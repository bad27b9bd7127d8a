"""Loaded price sheets and scenario library for the dashboard, cached across sessions.

Only immutable inputs are cached (st.cache_data hands every caller its own copy), keyed by the
files' modification times so an edited sheet or a saved scenario shows on the next rerun. Nothing
here depends on what a user typed except through `library_path`, which accepts only the names
listed in the scenarios folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from app.catalog.loader import SCENARIO_NAME, YAML_SUFFIXES, LoadedScenario, load_price_book, load_scenario
from app.engine.prices import PriceBook
from app.settings import get_settings

SESSION_PRICES = "capplan_prices"


def _folder_stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.iterdir()
                        if p.suffix in YAML_SUFFIXES and p.is_file()))


@st.cache_data(show_spinner=False, max_entries=4)
def _price_book(folder: str, stamp: tuple[tuple[str, float], ...]) -> PriceBook:
    return load_price_book(Path(folder))


def price_book() -> PriceBook:
    """The price sheets in force (CAPPLAN_PRICING_DIR or pricing/). Raises InputError when broken.

    The shared cache hands out copies; each session keeps its own copy for as long as the files
    are unchanged (a rerun then costs no unpickling)."""
    folder = get_settings().pricing_dir
    stamp = (str(folder), _folder_stamp(folder))
    mine = st.session_state.get(SESSION_PRICES)
    if mine is None or mine[0] != stamp:
        mine = (stamp, _price_book(*stamp))
        st.session_state[SESSION_PRICES] = mine
    book: PriceBook = mine[1]
    return book


def library_paths() -> dict[str, Path]:
    """Scenario library: file stem -> path, only well-formed names directly in the scenarios folder.

    One directory read (os.scandir knows regular files without a stat each): it runs on every rerun."""
    folder = get_settings().scenarios_dir
    try:
        with os.scandir(folder) as entries:
            files = sorted(entry.name for entry in entries if entry.is_file())
    except OSError:  # missing, or not a folder
        return {}
    found: dict[str, Path] = {}
    for file_name in files:
        stem, dot, suffix = file_name.rpartition(".")
        if dot and f".{suffix}" in YAML_SUFFIXES and SCENARIO_NAME.match(stem):
            found.setdefault(stem, folder / file_name)
    return found


def library_stamp(name: str) -> int | None:
    """The modification time of library file `name` (None when there is none): a memo key part."""
    path = library_path(name)
    try:
        return path.stat().st_mtime_ns if path is not None else None
    except OSError:
        return None


def library_path(name: str) -> Path | None:
    """The library file called `name`, or None. Never builds a path from the text itself."""
    return library_paths().get(name)


@st.cache_data(show_spinner=False, max_entries=64)
def _library_scenario(path: str, mtime: float, prices_stamp: tuple[tuple[str, float], ...]) -> LoadedScenario:
    return load_scenario(Path(path), price_book())


def library_scenario(name: str) -> LoadedScenario | None:
    """A library scenario validated against the price sheets (InputError when it does not pass)."""
    path = library_path(name)
    if path is None:
        return None
    return _library_scenario(str(path), path.stat().st_mtime, _folder_stamp(get_settings().pricing_dir))


def default_scenario_name() -> str | None:
    names = list(library_paths())
    if not names:
        return None
    return "rag-knowledge-base" if "rag-knowledge-base" in names else names[0]
