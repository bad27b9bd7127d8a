"""Chart definitions of the Telemetry page: observed time series in, a renderer-neutral `Chart` out.

`app.telemetry.views` picks which Azure Monitor series go in which chart (plain names, UTC times
and values); this module only lays them out. NaN (Azure returned no value) becomes None, a gap
in the line, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from app.charts.definitions import option_color
from app.charts.spec import Axis, AxisFormat, Chart, Series

Unit = Literal["ms", "count", "percent", "share"]  # percent: 0–100 as Azure reports; share: 0–1
FORMATS: dict[Unit, AxisFormat] = {"ms": "ms", "count": "number", "percent": "number", "share": "percent"}


@dataclass(frozen=True)
class Trace:
    name: str
    times: Sequence[datetime]  # timezone-aware UTC
    values: Sequence[float]  # NaN = no value (a gap in the line)


def time_series(chart_id: str, title: str, y_title: str, unit: Unit, traces: Sequence[Trace],
                source: str = "") -> Chart:
    """One line per trace against UTC time; `source` names the metrics and the UTC window (the caption)."""
    series = tuple(
        Series(trace.name, "line", tuple(trace.times),
               tuple(None if v is None or math.isnan(v) else float(v) for v in trace.values),
               color=option_color(index), markers=False)
        for index, trace in enumerate(traces))
    return Chart(
        chart_id=chart_id,
        title=title,
        x=Axis("", "time"),  # dated ticks speak for themselves; a title would sit on the legend. UTC: caption
        y=Axis(y_title, FORMATS[unit], start_at_zero=True),
        series=series,
        caption=source,
        empty_message="" if series else "No series for the chosen resources.",
    )
