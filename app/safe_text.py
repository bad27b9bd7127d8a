"""Checks that keep user text plain text (no control characters in names), and the terminal's escape.

A scenario or option name is printed in a terminal, drawn in charts and the PDF and shown to every
visitor of a shared link. Control characters (ESC sequences that clear a terminal, a newline that
forges an "error:" line, bidirectional overrides that reorder what a reader sees) have no place in
a name, so the schemas refuse them with a message that says where they are. Each output surface
also escapes what it shows (app/ui/common.py `plain` for Streamlit's Markdown,
app/charts/plotly_render.py for plotly's HTML labels, app/cli/terminal.py for the terminal
(`visible_controls` below, also used by the telemetry summary text the CLI prints),
app/charts/matplotlib_render.py for matplotlib's mathtext).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode bidirectional embeddings, overrides and isolates.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: object) -> str:
    """Text for a terminal: each control character shown as its escape (`\\x1b`, `\\n`), visibly and
    harmlessly (app/cli/terminal.py `safe`; also the telemetry summary that CLI prints)."""
    return CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), str(text))


def _check(text: str, pattern: re.Pattern[str], what: str) -> str:
    found = pattern.search(text)
    if found:
        raise ValueError(f"must not contain control characters ({what}); found {found.group()!r} at "
                         f"position {found.start() + 1}")
    return text


def no_control_characters(text: str) -> str:
    """A one-line name: refuse every control character (pydantic AfterValidator)."""
    return _check(text, CONTROL, "a name is one line of plain text")


def no_control_characters_but_lines(text: str) -> str:
    """A description: line breaks and tabs are fine, other control characters are refused."""
    return _check(text, CONTROL_BUT_LINES, "line breaks and tabs are fine")
