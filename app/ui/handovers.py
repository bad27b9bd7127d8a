"""What other pages hand to the Studio, and how the Studio takes it.

- Telemetry → "Calibrate scenario" leaves a ScenarioFile under PENDING_SCENARIO_KEY; the Studio
  opens it (its description records the telemetry window and resources).
- Benchmark lab → "Use in scenario" leaves the measured service time under BENCHMARK_KEY; the
  Studio sets workload.service_time_ms and service_time_cv, the concurrency of the options that run
  on that SKU (kinds with `uses_compute_sku`), or adds an interactive option of such a kind on it
  when the scenario has none on any SKU, and notes the run in the description so the numbers
  trace to it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.catalog.scenario_yaml import scenario_data
from app.engine.registry import option_kinds
from app.telemetry.calibrate import PENDING_SCENARIO_KEY
from app.ui import scenario_state as state
from app.ui.option_editors import new_option

BENCHMARK_KEY = "capplan.benchmark_service_time"
BENCHMARK_NOTE = "Service time from benchmark run"


def _compute_kinds() -> list[str]:
    """Kinds that run on a VM size of the compute sheet; interactive ones first."""
    kinds = [k for k in option_kinds().values() if k.uses_compute_sku]
    return [k.kind for k in sorted(kinds, key=lambda k: k.batch)]


def apply_benchmark(scenario: dict[str, Any], bench: dict[str, Any]) -> dict[str, Any]:
    """The scenario with the benchmark's service time, variability and per-instance concurrency."""
    workload = scenario.setdefault("workload", {})
    workload["service_time_ms"] = float(bench["service_time_ms"])
    workload["service_time_cv"] = float(bench["service_time_cv"])
    sku, concurrency = bench["sku"], int(bench["concurrency"])
    options = scenario.setdefault("options", [])
    compute_kinds = _compute_kinds()
    on_sku = [o for o in options if o.get("kind") in compute_kinds and o.get("sku") == sku]
    for option in on_sku:
        option["concurrency"] = concurrency
    if not on_sku and not any(o.get("kind") in compute_kinds for o in options) and compute_kinds:
        names = {o.get("name") for o in options}
        name = f"{sku} online endpoint"
        while name in names:
            name += " (benchmark)"
        options.append({**new_option(compute_kinds[0], name), "sku": sku, "concurrency": concurrency})
    note = (f"{BENCHMARK_NOTE} {bench['run_id']}: {bench.get('model', 'model')} on "
            f"{bench.get('machine') or 'this machine'}, {float(bench['local_service_time_ms']):.2f} ms locally with "
            f"{bench.get('threads_per_request', 1)} thread(s), scaled to {sku} (relative_core_speed "
            f"{float(bench.get('relative_core_speed', 1.0)):g}): {workload['service_time_ms']:.2f} ms, "
            f"CV {workload['service_time_cv']:.2f}, {concurrency} per instance.")
    kept = [line for line in str(scenario.get("description", "")).splitlines() if not line.startswith(BENCHMARK_NOTE)]
    scenario["description"] = "\n".join([*kept, note]).strip()[-4000:]
    return scenario


def take_handovers() -> list[str]:
    """Apply what other pages left for the Studio; returns what to tell the user."""
    told: list[str] = []
    pending = st.session_state.pop(PENDING_SCENARIO_KEY, None)
    if pending is not None:
        state.replace_scenario(scenario_data(pending), None)
        told.append("Opened the scenario calibrated from telemetry. Its description records the window, the "
                    "source and the resources it came from.")
    bench = st.session_state.pop(BENCHMARK_KEY, None)
    if bench:
        scenario = apply_benchmark(state.scenario_data_now(), dict(bench))
        state.replace_scenario(scenario, state.base_name())
        told.append(f"Azure ML options now use the service time measured in benchmark run {bench['run_id']} "
                    f"({float(bench['service_time_ms']):.2f} ms on {bench['sku']}); see the description.")
    return told
