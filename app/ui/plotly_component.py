"""Draw a plotly figure in the browser with the vendored plotly.js basic bundle.

`st.plotly_chart` makes every page load Streamlit's 4.7 MB plotly chunk before the first chart
appears; this Streamlit Components v2 element loads `static/plotly-basic.min.js` (1.2 MB, see
`static/README.md`) once per page and draws with `Plotly.react`, so a rerun updates a chart in place.

- `plotly_chart(figure, key=...)`: draw a figure dict (`app.charts.plotly_render.to_plotly_dict`),
  full container width, the height its layout asks for.
- `figure_json(figure)`: the figure as strict JSON (NaN and infinities become null, numpy scalars
  and arrays plain numbers, datetimes ISO text). Tests read it back from the element's proto.

The server must serve `app/ui/static/` (`server.enableStaticServing = true`: `.streamlit/config.toml`,
`capplan serve` and the e2e server all set it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from streamlit.components import v2 as components

BUNDLE = "app/static/plotly-basic.min.js"  # relative: works under a server.baseUrlPath too

# Sent with every chart on every rerun, so it stays small. `window.__capplanPlotly` memoizes the one
# script load per page; `div.__capplanCall` numbers the draws so a slow earlier call neither draws
# over a newer figure nor purges it (Streamlit runs a superseded call's cleanup when it resolves).
JS = """
function plotly() {
  if (!window.__capplanPlotly) {
    window.__capplanPlotly = window.Plotly ? Promise.resolve(window.Plotly) : new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "__BUNDLE__";
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { window.__capplanPlotly = null; reject(new Error("could not load " + script.src)); };
      document.head.appendChild(script);
    });
  }
  return window.__capplanPlotly;
}
export default async function ({ data, parentElement }) {
  let div = parentElement.querySelector(":scope > .capplan-chart");
  if (!div) {
    div = document.createElement("div");
    div.className = "capplan-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
  }
  const call = (div.__capplanCall = (div.__capplanCall || 0) + 1);
  const figure = JSON.parse(data);
  const Plotly = await plotly();
  if (div.__capplanCall !== call) return () => {};
  await Plotly.react(div, figure.data, figure.layout, { displaylogo: false, responsive: true });
  return () => { if (div.__capplanCall === call) Plotly.purge(div); };
}
""".replace("__BUNDLE__", BUNDLE)

NAME = "capplan_plotly_chart"
_chart = components.component(NAME, js=JS, isolate_styles=False)


def _plain(value: Any) -> Any:
    """JSON-safe data: what `json.dumps(..., allow_nan=False)` accepts, with no value lost."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays (the UI does not import numpy)
        return _plain(value.tolist())
    raise TypeError(f"a chart figure cannot hold {type(value).__name__}")


def figure_json(figure: Mapping[str, Any]) -> str:
    """The figure as strict JSON text (JavaScript's JSON.parse rejects NaN and Infinity)."""
    return json.dumps(_plain(figure), allow_nan=False, separators=(",", ":"))


def plotly_chart(figure: Mapping[str, Any], *, key: str) -> None:
    """Draw `figure` (data + layout) at full width and its layout's height; `key` keeps it across reruns."""
    height = int(figure.get("layout", {}).get("height", 450))
    _chart(data=figure_json(figure), key=key, width="stretch", height=height)
