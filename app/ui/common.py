"""Shared dashboard helpers every page may use: errors, display modes, charts, money, safe text.

- `page_guard()`: wrap a page body; a CapplanError shows its message, anything else a short note
  (never a traceback).
- `show_error(exc)`: an InputError as a list of issues (file:line, field path, what to do).
- `presenting()` / `presentation_toggle()` / `apply_display_mode()`: the workshop mode (larger
  type, editing hidden), on by the sidebar toggle or `?present=1` in the link. Streamlit's own
  `?embed=true` hides its toolbar and menu; pages work the same in it.
- `show_chart(chart)`: render a chart spec from `app.charts.definitions` with plotly.js
  (`app/ui/plotly_component.py`).
- `plain(text)`: user text (scenario names, option names, file names, ONNX input names, telemetry
  names, messages that quote them) shown as text wherever Streamlit reads Markdown: st.markdown,
  titles, headers, captions, metric labels and values, alerts, progress text, tab and expander
  labels, help tooltips. `plain_table(frame)`: the same for every text cell and index label of a
  table given to st.table (which reads Markdown in cells). st.dataframe, selectbox options and
  text inputs show text as it is and need neither.
- `money`, `money_short`, `percent`, `count_short`: re-exported from `app.charts.format`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
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
    "plain_table",
    "presentation_toggle",
    "presenting",
    "show_chart",
    "show_error",
]

log = logging.getLogger(__name__)
PRESENT_KEY = "capplan_presentation"
# Every ASCII punctuation character CommonMark lets a backslash escape that means something in
# GitHub-flavoured Markdown, Streamlit's directives (:red[...], :material/icon:) or its math ($).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=^\"'])")
# Replaced in the text after Markdown is parsed (escapes no longer count): :smile: and :material/x:
# shortcodes, and GFM's literal autolinks (http://..., www...., name@host). A zero-width space breaks each.
_SHORTCODE = re.compile(r":(?=[\w/+-]+:)")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|www)(?=[:.])|(@)")

PRESENTATION_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.4rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem; }
</style>
"""


def plain(text: object) -> str:
    """User text shown as text where Streamlit reads Markdown: no link, image, HTML, heading, list,
    table, emphasis, math, colour directive or icon can be built from it.

    Markdown specials get a backslash. Streamlit also turns text into emoji, icons and links *after*
    Markdown's escapes are undone (shortcodes, GFM's literal autolinks of `http://...`, `www.` and
    e-mail addresses), so a zero-width space goes after the colon of a shortcode, after the scheme or
    `www` of an address and after an `@`: invisible, and no longer a link. Line breaks stay line
    breaks, other control characters are dropped.
    """
    value = "".join(ch for ch in str(text) if ch in "\n\t" or not (ord(ch) < 32 or 127 <= ord(ch) < 160))
    value = _SHORTCODE.sub(":\u200b", value)
    value = _AUTOLINK.sub(lambda found: found.group() + "\u200b", value)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", value)


def plain_table(frame: Any, header: bool = False) -> Any:
    """A copy of a pandas DataFrame for st.table: every text cell and index label through `plain`
    (numbers, dates and missing values untouched). Column labels are the page's own words, kept as
    they are (a Styler's formats are keyed on them) unless `header` says they are user text too
    (a transposed table headed by resource names)."""
    def cell(value: object) -> object:
        return plain(value) if isinstance(value, str) else value

    out = frame.map(cell)
    if not isinstance(out.index, pd.RangeIndex):  # a default index stays one: st.table hides only that
        out.index = out.index.map(cell)
    if header:
        out.columns = out.columns.map(cell)
    return out.rename_axis(index=frame.index.name)


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
