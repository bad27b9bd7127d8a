"""Render a `Chart` spec as a plotly figure (plain data) for the dashboard.

Only presentation lives here (fonts, colours, hover, legend placement); what is drawn comes from the
spec. The browser draws the figure with plotly.js (`app/ui/plotly_component.py`); plotly's Python
package is not needed at run time (`tests/charts` validates every figure with it).

plotly.js reads HTML in every text it draws (trace names, category labels, hover text, titles,
annotations): `<a href=...>` in an option name would become a link, `<span style=...>` would
restyle the chart. Every text of the spec therefore goes through `label()` (HTML-escaped: plotly
shows the entities as the characters) on its way into the figure; this is the one place charts
become plotly JSON.
"""

from __future__ import annotations

import html
import math
from typing import Any

from app.charts.format import CURRENCY_SYMBOLS, count_short
from app.charts.spec import Axis, Chart, Series

PLOTLY_SYMBOLS = {"circle": "circle", "diamond": "diamond", "star": "star", "x": "x"}
# The dashboard's look, close to Streamlit's own plotly theme (which `st.plotly_chart` applied) with
# darker axis text for shared screens. Streamlit's page font; plotly.js falls back to sans-serif.
FONT = '"Source Sans", "Source Sans Pro", "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
TEXT = "#31333f"  # Streamlit's text colour: titles, legend, hover
MUTED = "#555867"  # ticks and axis titles (Streamlit's #808495 fades on a projector)
GRID = "#e6eaf1"


def label(text: object) -> str:
    """Text plotly.js draws as text: &, < and > escaped, so no tag can be built from it."""
    return html.escape(str(text), quote=False)


def _values(values: tuple[Any, ...]) -> list[Any]:
    """A series' x or y values; text values (category labels) escaped."""
    return [label(v) if isinstance(v, str) else v for v in values]


def _template(font_size: int) -> dict[str, Any]:
    """Defaults every chart shares; what a chart sets itself (colours of series, lines) wins."""
    axis = {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID, "tickcolor": GRID, "automargin": True,
            "tickfont": {"size": font_size - 1, "color": MUTED},
            "title": {"font": {"size": font_size, "color": MUTED}, "standoff": 12}}
    return {"layout": {
        "font": {"family": FONT, "size": font_size, "color": MUTED},
        "title": {"font": {"size": font_size + 3, "color": TEXT, "weight": 600}, "x": 0, "xanchor": "left",
                  "pad": {"l": 4}},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a"],
        "legend": {"font": {"size": font_size - 1, "color": TEXT}},
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#d5d8de", "font": {"family": FONT, "size": font_size - 1,
                                                                                "color": TEXT}},
        "xaxis": {**axis, "showgrid": False, "zeroline": False},
        "yaxis": axis,
    }}


def _axis_layout(axis: Axis, currency: str, values: list[float] | None = None) -> dict[str, Any]:
    layout: dict[str, Any] = {"title": {"text": label(axis.title)}, "automargin": True}
    if axis.log:
        layout["type"] = "log"
    if axis.format == "money":
        symbol = CURRENCY_SYMBOLS.get(currency, "")
        layout["tickprefix"] = symbol
        layout["tickformat"] = "~s" if axis.log else ",.0f"
        if not symbol:
            layout["ticksuffix"] = f" {currency}"
    elif axis.format == "percent":
        layout["tickformat"] = ".0%"
    elif axis.format == "integer":
        layout["tickformat"] = ",d"
    elif axis.format == "time":
        layout["type"] = "date"
    elif axis.format == "ms":
        layout["tickformat"] = ",~r" if axis.log else ",.0f"
        layout["ticksuffix"] = " ms"
    if axis.log and axis.format in ("number", "integer") and values:
        low, high = min(values), max(values)
        decades = [10.0 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
        layout.update(tickmode="array", tickvals=decades, ticktext=[label(count_short(v)) for v in decades])
    if axis.start_at_zero and not axis.log:
        layout["rangemode"] = "tozero"
    return layout


def _position(value: object, axis: Axis | None) -> object:
    """Plotly places annotations on a log axis by log10 of the value (shapes take the value itself)."""
    if axis is not None and axis.log and isinstance(value, int | float) and value > 0:
        return math.log10(value)
    return value


def _numbers(chart: Chart, which: str) -> list[float]:
    """Positive numbers on one axis of the chart (for log-axis ticks)."""
    found = []
    for series in chart.series:
        for value in series.x if which == "x" else series.y:
            if isinstance(value, int | float) and value > 0:
                found.append(float(value))
    return found


def _bins(values: list[float], bins: int) -> tuple[list[float], list[int], float]:
    """Equal-width bins over [min, max] (the last bin closed), as bar centres, counts and width: the
    browser's plotly.js bundle (basic) draws bars, not histograms."""
    if not values:
        return [], [], 1.0
    low, high = min(values), max(values)
    bins = max(1, bins) if high > low else 1
    width = (high - low) / bins if high > low else max(abs(low) * 0.1, 1.0)
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1) if high > low else 0] += 1
    return [low + (i + 0.5) * width for i in range(bins)], counts, width


def _trace(series: Series, chart: Chart) -> dict[str, Any]:
    trace: dict[str, Any] = {"name": label(series.name), "showlegend": series.show_in_legend}
    if series.hover is not None:
        trace["hovertext"] = [label(h) for h in series.hover]
        trace["hoverinfo"] = "text"
    if series.kind == "histogram":
        centers, counts, width = _bins([float(v) for v in series.x if isinstance(v, int | float)], series.bins)
        trace.update(type="bar", x=centers, y=counts, width=width, opacity=0.75)
        if series.color:
            trace["marker"] = {"color": series.color}
        if series.axis == "y2":
            trace["yaxis"] = "y2"
        return trace
    if series.kind in ("bar", "stacked-bar"):
        trace.update(type="bar", x=_values(series.x), y=_values(series.y))
        if series.color:
            trace["marker"] = {"color": series.color}
        if chart.orientation == "h":
            trace["orientation"] = "h"
            if series.base is not None:
                trace["base"] = list(series.base)
        elif series.axis == "y2":
            trace["yaxis"] = "y2"
        return trace
    line: dict[str, Any] = {"color": series.color} if series.color else {}
    if series.dash:
        line["dash"] = "dash"
    mode = "markers" if series.kind == "scatter" else ("lines+markers" if series.markers else "lines")
    trace.update(type="scatter", x=_values(series.x), y=_values(series.y), line=line, marker={"size": 5}, mode=mode,
                 connectgaps=False)
    if series.axis == "y2":
        trace["yaxis"] = "y2"
    return trace


def to_plotly_dict(chart: Chart, *, font_size: int = 13, height: int = 420) -> dict[str, Any]:
    """The plotly figure as plain data (traces, layout, shapes, annotations)."""
    data = [_trace(series, chart) for series in chart.series]
    stacked = any(s.kind == "stacked-bar" for s in chart.series)
    overlay = chart.orientation == "h" and any(s.base is not None for s in chart.series)
    small = {"size": font_size - 2}
    layout: dict[str, Any] = {
        "template": _template(font_size),
        "title": {"text": label(chart.title)},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10, "pad": 4},
        # the legend under the x-axis title at any height: the figure's bottom edge pushes the margin
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        "barmode": "stack" if stacked else ("overlay" if overlay else "group"),
        "hovermode": "closest",
        "xaxis": _axis_layout(chart.x, chart.currency, _numbers(chart, "x")),
        "yaxis": _axis_layout(chart.y, chart.currency),
    }
    if chart.orientation == "h":
        layout["yaxis"].update(autorange="reversed", type="category")  # categories top to bottom, as listed
    elif chart.series and all(isinstance(v, str) for s in chart.series for v in s.x):
        layout["xaxis"]["type"] = "category"
    if chart.y2 is not None:
        # tickmode "auto": its own round ticks (else the second axis's ticks follow the first's: 23%, 45%, …)
        layout["yaxis2"] = {**_axis_layout(chart.y2, chart.currency), "overlaying": "y", "side": "right",
                            "showgrid": False, "tickmode": "auto"}
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for ref in chart.lines:
        line = {"color": ref.color, "dash": "dash" if ref.dash else "solid", "width": 1.5}
        font = {**small, "color": ref.color}
        if ref.orientation == "v":
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": ref.value, "x1": ref.value, "y0": 0,
                           "y1": 1, "line": line})
            annotations.append({"x": _position(ref.value, chart.x), "xref": "x", "y": 1, "yref": "paper", "text": label(ref.label), "showarrow": False,
                                "xanchor": "left", "yanchor": "bottom", "font": font})
        else:
            yref = "y2" if ref.axis == "y2" else "y"
            shapes.append({"type": "line", "xref": "paper", "yref": yref, "x0": 0, "x1": 1, "y0": ref.value,
                           "y1": ref.value, "line": line})
            annotations.append({"x": 1, "xref": "paper", "y": _position(ref.value, chart.y2 if ref.axis == "y2" else chart.y),
                                "yref": yref, "text": label(ref.label), "showarrow": False,
                                "xanchor": "right", "yanchor": "bottom", "font": font})
    for marker in chart.markers:
        yref = "y2" if marker.axis == "y2" else "y"
        data.append({"type": "scatter", "x": _values((marker.x,)), "y": [marker.y], "mode": "markers", "yaxis": yref,
                     "marker": {"symbol": PLOTLY_SYMBOLS[marker.symbol], "size": 13, "color": marker.color,
                                "line": {"width": 1, "color": "#ffffff"}},
                     "name": label(marker.label), "hovertext": [label(marker.label)], "hoverinfo": "text",
                     "showlegend": False})
        annotations.append({"x": label(marker.x) if isinstance(marker.x, str) else _position(marker.x, chart.x), "y": _position(marker.y, chart.y2 if marker.axis == "y2"
                                                                                else chart.y),
                            "xref": "x", "yref": yref, "text": label(marker.label), "showarrow": True, "arrowhead": 0,
                            "ax": 0, "ay": -28, "font": small, "bgcolor": "rgba(255,255,255,0.8)"})
    if chart.is_empty:
        annotations.append({"text": label(chart.empty_message or "Nothing to draw"), "showarrow": False, "xref": "paper",
                            "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": font_size + 1}})
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    return {"data": data, "layout": layout}

