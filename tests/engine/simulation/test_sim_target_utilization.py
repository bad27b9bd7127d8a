"""azureml-fe target utilization, worked by hand second by second.

Setup: 1-second steps, polling every second, service time 1 s, one request per replica, target
50%, no provisioning delay, no noise. desired = ceil((in service + queued) / (1 · 0.5)).
"""

from __future__ import annotations

import numpy as np

from app.engine.simulation.online import run_online
from app.engine.simulation.settings import OnlineSystem, ServiceTimes, TargetUtilization


def test_eager_scale_up_and_twenty_times_slower_scale_down() -> None:
    scaler = TargetUtilization(minimum=1, maximum=10, target_utilization=0.5, polling_interval_s=1, scale_down_factor=20)
    system = OnlineSystem(scaler=scaler, concurrency=1, service=ServiceTimes(1000.0, "deterministic"),
                          instance_hourly_cost=1.0, max_queue_wait_ms=60_000.0, provisioning_delay_s=0.0)
    arrivals = np.array([2.0] * 60 + [0.5] * 60)
    trace = run_online(arrivals, 1, system)
    # s0: 1 replica serves 1, queue 1 → in flight 2 → desired 4: 1→4 at t=1 s.
    # s1: 4 replicas, work 1+2 = 3, all served → in flight 3 → desired 6: 4→6 at t=2 s.
    # s2…: in flight 2 → desired 4. Scale-down checks every 20 polls (after s19, s39, …):
    #   s0–s19 saw desired 6 → stay 6; s20–s39 saw 4 → 6→4 at t=40 s; s40–s59 saw 4 → stay;
    #   s60–s79 (0.5/s, desired 1) → 4→1 at t=80 s.
    assert [(e.time_s, e.action, e.from_count, e.to_count) for e in trace.events] == [
        (1.0, "scale-out", 1, 4), (2.0, "scale-out", 4, 6), (40.0, "scale-in", 6, 4), (80.0, "scale-in", 4, 1)]
    assert trace.ready.tolist() == [1] + [4] + [6] * 38 + [4] * 40 + [1] * 40
    assert trace.backlog[:3].tolist() == [1.0, 0.0, 0.0]


def test_minimum_and_maximum_bound_the_replicas() -> None:
    scaler = TargetUtilization(minimum=2, maximum=3, target_utilization=0.7)
    system = OnlineSystem(scaler=scaler, concurrency=1, service=ServiceTimes(1000.0), instance_hourly_cost=1.0,
                          provisioning_delay_s=0.0)
    trace = run_online(np.full(120, 50.0), 1, system)
    assert trace.ready.min() == 2 and trace.ready.max() == 3
    trace = run_online(np.zeros(120), 1, system)
    assert set(trace.ready.tolist()) == {2}
