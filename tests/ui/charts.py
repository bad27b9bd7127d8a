"""Read the dashboard's charts from an AppTest run: the figures `app/ui/plotly_component.py` sent."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from app.ui.plotly_component import NAME


def figures(at: AppTest) -> list[dict[str, Any]]:
    """Every chart on the page, in order, as the plotly figure dict (data, layout) the browser draws."""
    found = []
    for element in at.get("bidi_component"):
        if element.proto.component_name == NAME:
            text = json.loads(element.proto.json)  # the element's data: our figure's JSON text
            found.append(json.loads(text))
    return found
