"""capplan: the Inference Cost & Capacity Planner for AI inference on Azure."""

import os as _os

__version__ = "0.1.0"

# capplan makes no outbound calls of its own accord. ONNX Runtime (1.32) otherwise queues telemetry
# events (a device id, CPU, memory, the Python path) in ~/.cache/Microsoft/DeveloperTools/.onnxruntime/
# and sends them to mobile.events.data.microsoft.com. The variable must be set before onnxruntime is
# first imported, by us or by magika, so it is set here, when any part of capplan is imported;
# app.bench.ort also calls onnxruntime.disable_telemetry_events(). Child processes inherit it.
_os.environ["ORT_DISABLE_TELEMETRY"] = "1"
