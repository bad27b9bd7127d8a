"""`capplan telemetry summary` as text: the page's tables (app.telemetry.summary_table) for a terminal.

A table with many figures per resource is printed with the figures down the side and one column per
resource (wrapped into blocks that fit the width); a narrow table (the consumers) keeps one row per
entry. Labels carry their units; a missing value prints as "—".
"""

from __future__ import annotations

import shutil
import textwrap

import pandas as pd

from app.safe_text import visible_controls
from app.telemetry.data import TelemetryData
from app.telemetry.summary_table import SummaryTable, summary_tables

SOURCE_LABELS = {"demo": "Demo data", "recording": "Recording", "live": "Live"}
WIDE = 6  # tables with more columns than this are printed transposed
GAP = "  "


def _width() -> int:
    return max(60, min(160, shutil.get_terminal_size((100, 24)).columns))


def _is_number(text: str) -> bool:
    return text.replace(",", "").replace(".", "", 1).replace("-", "", 1).isdigit()


def _rows(header: list[str], body: list[list[str]]) -> list[str]:
    """Aligned lines: the first column left, numbers right."""
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return GAP.join(c.rjust(widths[i]) if i and (_is_number(c) or c == "—") else c.ljust(widths[i])
                        for i, c in enumerate(cells)).rstrip()
    return [line(header), line(["-" * w for w in widths]), *[line(r) for r in body]]


def _visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The table's text for a terminal: names from Azure or a recording with their control characters
    shown as escapes (a `\\x1b[2J` would clear the screen, a `\\n` forge a line), before widths are measured."""
    out = frame.map(lambda value: visible_controls(value) if isinstance(value, str) else value)
    out.columns = pd.Index([visible_controls(c) for c in frame.columns])
    out.index = pd.Index([visible_controls(i) for i in frame.index])
    return out


def _transposed(table: SummaryTable, width: int) -> list[str]:
    """Figures down the side, one column per resource, in blocks that fit `width`."""
    shown = _visible(table.transposed())
    label_width = max(len(str(f)) for f in shown.index)
    out: list[str] = []
    block: list[int] = []
    used = label_width
    for i, head in enumerate(shown.columns):
        column = max(len(str(head)), *(len(str(v)) for v in shown.iloc[:, i]))
        if block and used + len(GAP) + column > width:
            out += [*_block(shown, block), ""]
            block, used = [], label_width
        block.append(i)
        used += len(GAP) + column
    return out + _block(shown, block)


def _block(shown: pd.DataFrame, block: list[int]) -> list[str]:
    header = ["", *(str(shown.columns[i]) for i in block)]
    body = [[str(figure), *(str(shown.iloc[row, i]) for i in block)] for row, figure in enumerate(shown.index)]
    return _rows(header, body)


def table_text(table: SummaryTable, width: int | None = None) -> list[str]:
    shown = _visible(table.display())
    lines = [visible_controls(table.title)]
    if len(shown.columns) > WIDE:
        lines += _transposed(table, width or _width())
    else:
        lines += _rows(list(shown.columns), [[str(v) for v in row] for row in shown.itertuples(index=False)])
    if table.not_observed:
        lines.append(visible_controls("Not observed in this window: " + ", ".join(table.not_observed) + "."))
    return lines


def summary_text(data: TelemetryData, width: int | None = None) -> str:
    """The whole summary: source and window, then one table per resource kind and the consumers."""
    out = [f"{SOURCE_LABELS[data.source]}: {visible_controls(data.describe_window())}"]
    tables = [t for t in summary_tables(data) if not t.frame.empty]
    if not tables:
        out += ["", "No series arrived for any resource; see the warnings."]
    for table in tables:
        out += ["", *table_text(table, width)]
    note = ("Azure ML latency: the request-weighted mean of each interval's percentile. Azure OpenAI time to first "
            "token: request-weighted percentiles of the interval means (AzureOpenAITimeToResponse); output tokens "
            "per second from the time between tokens. — means no value observed.")
    out += ["", *textwrap.wrap(note, width or _width())]
    return "\n".join(out)
