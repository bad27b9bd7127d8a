"""Shared dashboard helpers every page may use: errors, display modes, charts, money, safe text.

- `page_guard()`: wrap a page body; a CapplanError shows its message, anything else a short note
  (never a traceback).
- `show_error(exc)`: an InputError as a list of issues (file:line, field path, what to do).
- `presenting()` / `presentation_toggle()` / `apply_display_mode()`: the workshop mode (larger
  type, editing hidden), on by the sidebar toggle or `?present=1` in the link. Streamlit's own
  `?embed=true` hides its toolbar and menu; pages work the same in it.
- `show_chart(chart)`: render a chart spec from `app.charts.definitions` with plotly.js
  (`app/ui/plotly_component.py`).
- `plain(text)`: user text (scenario names, file names, messages) escaped for st.markdown.
- `money`, `money_short`, `percent`, `count_short`: re-exported from `app.charts.format`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from app.charts.format import count_short, money, money_short, percent
from app.charts.plotly_render import to_plotly_dict
from app.charts.spec import Chart
from app.errors import CapplanError, InputError
from app.ui.plotly_component import plotly_chart

__all__ = [
    "apply_display_mode",
    "count_short",
    "money",
    "money_short",
    "page_guard",
    "percent",
    "plain",
    "presentation_toggle",
    "presenting",
    "show_chart",
    "show_error",
]

log = logging.getLogger(__name__)
PRESENT_KEY = "capplan_presentation"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")

PRESENTATION_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.4rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem; }
</style>
"""


def plain(text: object) -> str:
    """Text safe to put inside st.markdown: markdown and HTML specials escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def show_error(exc: CapplanError, heading: str = "") -> None:
    """Show a user error: every issue on its own line with file:line and field path."""
    if isinstance(exc, InputError) and exc.issues:
        lines = [f"- {plain(issue)}" for issue in exc.issues]
        st.error((f"**{plain(heading)}**\n\n" if heading else "") + "\n".join(lines), icon=":material/error:")
    else:
        st.error((f"**{plain(heading)}**\n\n" if heading else "") + plain(exc), icon=":material/error:")


@contextmanager
def page_guard(what: str = "this page") -> Iterator[None]:
    """Catch errors at the page edge: user errors show their message, bugs a short note."""
    try:
        yield
    except CapplanError as exc:
        show_error(exc)
    except Exception as exc:  # the page edge: never show a traceback (st.stop/st.rerun are BaseExceptions)
        log.exception("unexpected error on %s", what)
        st.error(f"Something went wrong on {plain(what)} ({plain(type(exc).__name__)}). The details are in the "
                 "server log; please report it with the link to this view.", icon=":material/bug_report:")


def presenting() -> bool:
    """True in presentation mode (workshop screens): larger type, no editing widgets."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def presentation_toggle() -> None:
    """The sidebar toggle; `?present=1` in the link turns it on when the session starts."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get("present", "") in {"1", "true", "yes"}
    st.sidebar.toggle("Presentation mode", key=PRESENT_KEY,
                      help="Larger type and no editing widgets, for a shared screen or a workshop. "
                           "Add ?present=1 to a link to open it this way.")


def apply_display_mode() -> None:
    if presenting():
        st.html(PRESENTATION_CSS)


def show_chart(chart: Chart, key: str | None = None, caption: bool = True) -> None:
    """Draw a chart spec with plotly at the size of the current display mode, caption below."""
    large = presenting()
    figure = to_plotly_dict(chart, font_size=17 if large else 13, height=540 if large else 430)
    plotly_chart(figure, key=key or chart.chart_id)
    if caption and chart.caption:
        st.caption(plain(chart.caption))
