"""Per-operator time breakdown from ONNX Runtime's profiler (Chrome-trace JSON, summed by op type)."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

from app.bench.harness import Feeds
from app.bench.session import Knobs, create_session


def operator_breakdown(trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Kernel time per operator type, largest first: [{op, total_ms, calls, share}]."""
    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for event in trace:
        if event.get("cat") == "Node" and str(event.get("name", "")).endswith("_kernel_time"):
            op = str(event.get("args", {}).get("op_name", "?"))
            totals[op] += float(event.get("dur", 0)) / 1000.0
            calls[op] += 1
    grand = sum(totals.values()) or 1.0
    return [{"op": op, "total_ms": round(ms, 3), "calls": calls[op], "share": round(ms / grand, 4)}
            for op, ms in sorted(totals.items(), key=lambda kv: -kv[1])]


def profile_model(path: Path, knobs: Knobs, feeds: Feeds, runs: int, scratch: Path,
                  stop: threading.Event) -> list[dict[str, Any]]:
    """Run `runs` times with profiling on; return the breakdown and delete the trace file."""
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        session = create_session(path, knobs, profile_prefix=Path(folder) / "ort_profile")
        for _ in range(runs):
            if stop.is_set():
                break
            session.run(None, feeds)
        trace_file = session.end_profiling()
        try:
            with open(trace_file, encoding="utf-8") as handle:
                trace = json.load(handle)
        finally:
            if os.path.exists(trace_file):
                os.unlink(trace_file)
    return operator_breakdown(trace)
