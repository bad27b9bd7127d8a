"""AppTest helpers: run the real dashboard script (app/ui/main.py) in-process, one session each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.settings import get_settings

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "ui" / "main.py")


def open_app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)  # the session's first run is that page, as when a link to it is opened
    at.run()
    return at


def shown(text: object) -> object:
    """What a reader sees of Markdown that `app.ui.common.plain` escaped: backslash escapes and the
    zero-width spaces that break shortcodes removed (other values unchanged)."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def metrics(at: AppTest) -> dict[str, str]:
    return {str(shown(m.label)): str(shown(m.value)) for m in at.metric}


def option_rows(at: AppTest) -> list[dict[str, str]]:
    """The options table (Studio): one dict per option, "Option" first (as a reader sees the cells)."""
    rows = at.table[0].value.reset_index().to_dict("records")
    return [{str(shown(k)): shown(v) for k, v in row.items()} for row in rows]


def texts(at: AppTest) -> str:
    """Every message, caption and markdown text on the page, joined (markdown escapes removed)."""
    parts = [e.value for kind in (at.error, at.warning, at.info, at.success, at.caption, at.markdown) for e in kind]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u200b", "")


@pytest.fixture
def fresh_settings(monkeypatch) -> Iterator[pytest.MonkeyPatch]:
    """Change CAPPLAN_* variables for one test; settings are re-read before and after."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
