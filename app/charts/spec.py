"""A renderer-neutral chart: what to draw, not how. Plain frozen dataclasses, no plotting library.

The dashboard renders a `Chart` with plotly (`app/charts/plotly_render.py`), the PDF with
matplotlib; both read only these fields, so the two views of one chart cannot drift.

Conventions for renderers:
- `Axis.format` says how to print tick values: "money" (currency of the chart, e.g. "$1,234"),
  "percent" (a share 0.25 → "25%"), "integer", "number" (plain), "ms", "time" (x values are
  timezone-aware UTC datetimes, drawn on a date axis).
- Series of kind "stacked-bar" stack on each other in the order given; "bar" series sit side by
  side (or alone). "line" draws a line through (x, y) skipping None (a gap, never a zero), with
  point markers unless `Series.markers` is False (long time series); "scatter" draws markers only.
  "histogram" bins the raw values in x (y is empty) into `Series.bins` equal-width bars and counts
  them: the renderer bins, the numbers are the samples themselves.
- `Series.axis == "y2"` plots against the secondary (right-hand) y axis, `Chart.y2`.
- `Chart.orientation == "h"`: bars are horizontal; x holds the values and y the categories, and
  `Series.base` (when given) is where each bar starts and x is the bar's signed length; bars of
  different series at one category overlap (a tornado chart). Categories run top to bottom in the
  order given.
- `Series.dash` draws a dashed line; `Series.color` is a "#rrggbb" colour both renderers use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SeriesKind = Literal["bar", "stacked-bar", "line", "scatter", "histogram"]
AxisFormat = Literal["money", "percent", "integer", "number", "ms", "time"]
AxisName = Literal["y", "y2"]

Value = float | int | str | datetime


@dataclass(frozen=True)
class Axis:
    title: str  # with the unit: "Monthly cost (USD)", "Requests per month"
    format: AxisFormat = "number"
    log: bool = False
    start_at_zero: bool = False


@dataclass(frozen=True)
class Series:
    name: str
    kind: SeriesKind
    x: tuple[Value | None, ...]  # None: no value at that point (horizontal bars: a side not evaluated)
    y: tuple[Value | None, ...]
    axis: AxisName = "y"
    color: str | None = None
    dash: bool = False
    base: tuple[float, ...] | None = None  # bar start (horizontal bars only)
    hover: tuple[str, ...] | None = None  # one line of text per point (plotly hover; the PDF ignores it)
    show_in_legend: bool = True
    markers: bool = True  # point markers on a line
    bins: int = 60  # histogram only


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal (value on a y axis) or vertical (value on the x axis) line with a label."""

    value: float
    label: str
    orientation: Literal["h", "v"] = "h"
    axis: AxisName = "y"  # for horizontal lines
    color: str = "#b03a2e"
    dash: bool = True


@dataclass(frozen=True)
class Marker:
    """A labelled point: a crossover, an optimum, the recommended option."""

    x: Value
    y: float
    label: str
    axis: AxisName = "y"
    color: str = "#111111"
    symbol: Literal["circle", "diamond", "star", "x"] = "diamond"


@dataclass(frozen=True)
class Chart:
    chart_id: str  # stable name, e.g. "cost_by_option" (used as a key and in file names)
    title: str
    x: Axis
    y: Axis
    series: tuple[Series, ...]
    y2: Axis | None = None
    currency: str = "USD"
    orientation: Literal["v", "h"] = "v"
    lines: tuple[ReferenceLine, ...] = ()
    markers: tuple[Marker, ...] = ()
    caption: str = ""  # provenance and reading notes shown under the chart
    empty_message: str = ""  # when set, the chart has nothing to draw; show this text instead
    notes: tuple[str, ...] = field(default_factory=tuple)  # short facts for a text summary (PDF)

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_message) or not self.series
