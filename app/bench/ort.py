"""ONNX Runtime, imported with its telemetry off (see app/__init__.py for why and how).

Every module of the lab imports onnxruntime through `onnxruntime()`, so the switch is in one place.
"""

from __future__ import annotations

import os
from types import ModuleType


def onnxruntime() -> ModuleType:
    """The onnxruntime module with telemetry events disabled (environment variable and API)."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # app/__init__.py sets it first; kept here for clarity
    import onnxruntime as ort

    disable = getattr(ort, "disable_telemetry_events", None)
    if disable is not None:
        disable()
    return ort
