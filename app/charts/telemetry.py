"""Telemetry time-series charts: plain series in, a plotly figure out (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class Trace:
    name: str
    times: Sequence[Any]  # datetimes (UTC)
    values: Sequence[float]  # NaN = no value (a gap in the line)


def time_series_figure(title: str, y_title: str, traces: Sequence[Trace], *, stacked: bool = False,
                       shade: tuple[Any, Any] | None = None) -> go.Figure:
    """One line (or stacked area) per trace; `shade` marks a time range, e.g. an incident."""
    figure = go.Figure()
    for trace in traces:
        figure.add_trace(go.Scatter(x=list(trace.times), y=list(trace.values), name=trace.name, mode="lines",
                                    stackgroup="one" if stacked else None, connectgaps=False))
    if shade is not None:
        figure.add_vrect(x0=shade[0], x1=shade[1], fillcolor="red", opacity=0.08, line_width=0)
    figure.update_layout(title=title, yaxis_title=y_title, height=320, margin={"l": 40, "r": 10, "t": 40, "b": 30},
                         legend={"orientation": "h", "y": -0.2}, hovermode="x unified")
    return figure
