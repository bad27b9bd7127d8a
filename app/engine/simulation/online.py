"""An online endpoint step by step: a count-based FCFS queue in front of autoscaled instances.

Per step k of Δt seconds (S = mean service time, slots = ready instances · concurrency):

    work      = backlog + arrivals_k
    served_k  = min(work, slots · Δt / S)            requests that start service in the step
    backlog'  = work − served_k
    drops_k   = max(0, backlog' − slots · max_wait / S)   (HTTP 503: they would wait > max wait)
    backlog'  = backlog' − drops_k

so arrivals_k + backlog = served_k + drops_k + backlog' exactly (nothing is lost). This is the
fluid (count) view of the queue: a backlog of B requests drains in B·S/slots seconds, FCFS, and a
request whose wait would exceed `max_queue_wait_ms` (azureml-fe `request_settings`, default 500 ms)
is dropped. Requests in service = served_k · S/Δt (≤ slots).

Scaling (sources in monitor_autoscale.py and target_utilization.py): the scaler sees the in-flight
requests each step (azureml-fe) or the 1-minute metric points (Azure Monitor). A scale-out adds
instances that become ready after `provisioning_delay_s` (rounded up to whole steps) and are billed
from the moment they are requested; a scale-in first cancels instances still provisioning, then
removes ready ones at once. Billing: instances (ready + provisioning) · hourly price · Δt/3600.

The loop is O(1) per step with plain Python floats (the per-step lists are turned into numpy
arrays at the end); 1-minute aggregates are formed once per minute. A quiet minute (no backlog,
every step within the slots, no instance arriving, no scaler poll that could act) is done in one
bulk assignment: all its requests are served at once and nothing waits, which is exactly what the
per-step recursion gives for it.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.simulation.events import ScaleEvent
from app.engine.simulation.latency import mean_latency_s, service_cv
from app.engine.simulation.monitor_autoscale import MonitorAutoscaler
from app.engine.simulation.settings import FixedInstances, MonitorAutoscale, OnlineSystem, TargetUtilization
from app.engine.simulation.target_utilization import FixedScaler, TargetUtilizationScaler

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SECONDS_PER_MINUTE = 60


@dataclass(frozen=True)
class OnlineTrace:
    """Per-step series of one run (length = steps) and the scaling events."""

    step_s: int
    arrivals: FloatArray
    served: FloatArray
    dropped: FloatArray
    backlog: FloatArray  # at the end of each step
    backlog_wait_s: FloatArray  # d_k
    ready: IntArray  # ready instances during the step
    billed: IntArray  # ready + provisioning instances during the step
    in_service: FloatArray
    concurrency: int
    events: tuple[ScaleEvent, ...]


class ScalerRun(Protocol):
    """What the loop needs from a scaler (one object per run; it keeps the scaler's state)."""

    step_hook: bool
    events: list[ScaleEvent]

    def initial(self) -> int: ...

    def on_step(self, step: int, in_flight: float, capacity: int) -> int: ...

    def quiet_steps(self, first_step: int, count: int, max_in_flight: float, capacity: int) -> bool: ...

    def on_minute(self, minute: int, cpu_percent: float, requests: float, latency_ms: float, capacity: int) -> int: ...


def make_scaler(system: OnlineSystem, step_s: int) -> ScalerRun:
    """Scaler kinds by type (a registry keyed by the settings class)."""
    factory = _SCALERS.get(type(system.scaler))
    if factory is None:
        raise ModelInputError(f"unknown scaler {type(system.scaler).__name__}")
    return factory(system, step_s)


_SCALERS: dict[type, Callable[[OnlineSystem, int], ScalerRun]] = {
    MonitorAutoscale: lambda s, dt: MonitorAutoscaler(s.scaler),  # type: ignore[arg-type]
    TargetUtilization: lambda s, dt: TargetUtilizationScaler(s.scaler, s.concurrency, dt),  # type: ignore[arg-type]
    FixedInstances: lambda s, dt: FixedScaler(s.scaler),  # type: ignore[arg-type]
}


def _needs_latency_metric(system: OnlineSystem) -> bool:
    scaler = system.scaler
    return isinstance(scaler, MonitorAutoscale) and any(r.metric == "RequestLatency" for r in scaler.rules)


def run_online(arrivals: FloatArray, step_s: int, system: OnlineSystem) -> OnlineTrace:
    """Simulate the queue and the scaler over `arrivals` (per step). See the module docstring."""
    if system.service.mean_ms <= 0:
        raise ModelInputError("the mean service time must be positive")
    per_minute = SECONDS_PER_MINUTE // step_s
    steps = len(arrivals)
    if steps % per_minute:
        raise ModelInputError("the arrivals series must cover whole minutes")
    service_s = system.service.mean_ms / 1000.0
    concurrency = system.concurrency
    starts_per_slot = step_s / service_s
    backlog_per_slot = system.max_queue_wait_ms / 1000.0 / service_s
    delay_steps = math.ceil(system.provisioning_delay_s / step_s - 1e-9)
    scaler = make_scaler(system, step_s)
    step_hook = scaler.step_hook
    latency_metric = _needs_latency_metric(system)
    cv = service_cv(system.service) if latency_metric else 1.0

    capacity = scaler.initial()
    ready = capacity
    pending: deque[list[int]] = deque()  # [ready_at_step, count], oldest first
    arrivals_list = arrivals.tolist()
    served = [0.0] * steps
    dropped = [0.0] * steps
    backlog_end = [0.0] * steps
    wait = [0.0] * steps
    ready_n = [0] * steps
    billed_n = [0] * steps
    backlog = 0.0

    def apply(new_capacity: int, step_next: int) -> None:
        nonlocal capacity, ready
        if new_capacity > capacity:
            pending.append([step_next + delay_steps, new_capacity - capacity])
        else:
            remove = capacity - new_capacity
            while remove and pending:
                take = min(remove, pending[-1][1])
                pending[-1][1] -= take
                remove -= take
                if pending[-1][1] == 0:
                    pending.pop()
            ready -= remove
        capacity = new_capacity

    shaped = np.asarray(arrivals, dtype=np.float64).reshape(-1, per_minute)
    minute_max = shaped.max(axis=1).tolist()
    minute_sum = shaped.sum(axis=1).tolist()
    t = 0
    for minute in range(steps // per_minute):
        slots = ready * concurrency
        limit = slots * starts_per_slot
        quiet = (backlog == 0.0 and minute_max[minute] <= limit
                 and (not pending or pending[0][0] >= t + per_minute))
        if quiet and step_hook:
            quiet = scaler.quiet_steps(t, per_minute, minute_max[minute] / starts_per_slot, capacity)
        if quiet:
            # Fast path: no backlog and every step fits in the slots: all served, nothing waits.
            end = t + per_minute
            served[t:end] = arrivals_list[t:end]
            ready_n[t:end] = [ready] * per_minute
            billed_n[t:end] = [capacity] * per_minute
            arrived = served_minute = minute_sum[minute]
            busy_sum = arrived / starts_per_slot
            slot_sum = slots * per_minute
            wait_weighted = 0.0
            t = end
        else:
            busy_sum = 0.0
            slot_sum = 0
            arrived = 0.0
            served_minute = 0.0
            wait_weighted = 0.0
            for _ in range(per_minute):
                while pending and pending[0][0] <= t:
                    ready += pending.popleft()[1]
                slots = ready * concurrency
                a = arrivals_list[t]
                work = backlog + a
                limit = slots * starts_per_slot
                if work <= limit:
                    s = work
                    new_backlog = 0.0
                else:
                    s = limit
                    new_backlog = work - limit
                    allowed = slots * backlog_per_slot
                    if new_backlog > allowed:
                        dropped[t] = new_backlog - allowed
                        new_backlog = allowed
                served[t] = s
                backlog_end[t] = new_backlog
                d = (backlog + new_backlog) * 0.5 * service_s / slots if slots else 0.0
                wait[t] = d
                ready_n[t] = ready
                billed_n[t] = capacity
                busy = s / starts_per_slot
                busy_sum += busy
                slot_sum += slots
                arrived += a
                served_minute += s
                wait_weighted += d * s
                backlog = new_backlog
                if step_hook:
                    desired = scaler.on_step(t, busy + new_backlog, capacity)
                    if desired != capacity:
                        apply(desired, t + 1)
                t += 1
        cpu = 100.0 * busy_sum / slot_sum if slot_sum else 0.0
        latency_ms = 0.0
        if latency_metric:
            mean_wait = wait_weighted / served_minute if served_minute else 0.0
            latency_ms = 1000.0 * mean_latency_s(mean_wait, served_minute / SECONDS_PER_MINUTE,
                                                 slot_sum // per_minute, system.service, cv)
        desired = scaler.on_minute(minute, cpu, arrived, latency_ms, capacity)
        if desired != capacity:
            apply(desired, t)
        while pending and pending[0][0] <= t:
            ready += pending.popleft()[1]

    served_arr = np.asarray(served)
    return OnlineTrace(
        step_s=step_s, arrivals=np.asarray(arrivals, dtype=np.float64), served=served_arr,
        dropped=np.asarray(dropped), backlog=np.asarray(backlog_end), backlog_wait_s=np.asarray(wait),
        ready=np.asarray(ready_n, dtype=np.int64), billed=np.asarray(billed_n, dtype=np.int64),
        in_service=served_arr / starts_per_slot, concurrency=concurrency, events=tuple(scaler.events),
    )
