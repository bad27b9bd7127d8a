"""Text for the terminal: what the CLI prints never carries a control character from user data.

A name with `\\x1b[2J` would clear the user's terminal, one with `\\n` could forge an "error:"
line, a bidirectional override could reorder what is read. The scenario schema refuses such names,
but price sheets, recordings, stored benchmark runs, model files and API pages are read too, so
every table cell and message the CLI prints from data goes through `safe()`: each control
character is shown as its escape (`\\x1b`, `\\n`), visibly and harmlessly. `--json` output is
`json_text()`: control characters escaped by JSON itself, and never a non-standard `NaN` or
`Infinity` (a non-finite number becomes null).
"""

from __future__ import annotations

import json
import math
from typing import Any

from app.safe_text import visible_controls


def safe(text: object) -> str:
    """One line of text for the terminal: control characters shown as escapes."""
    return visible_controls(text)


def safe_lines(text: object) -> str:
    """Text of several lines (a message listing issues): each line made safe, the line breaks kept."""
    return "\n".join(safe(line) for line in str(text).split("\n"))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_text(data: Any, **options: Any) -> str:
    """Standard JSON (RFC 8259): a non-finite number becomes null, never `NaN` or `Infinity`."""
    return json.dumps(_finite(data), allow_nan=False, **options)
