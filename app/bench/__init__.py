"""The local ONNX Runtime benchmark lab: models, harness (single-stream, offline, server), results store.

All I/O of the lab lives here; the arithmetic on its measurements lives in `app.engine.benchmark`.
"""
