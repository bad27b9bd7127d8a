"""Azure Monitor autoscale, worked by hand minute by minute.

Common setup: 60-second steps (one step per minute), service time 1 s, one request per instance,
so one instance serves 60 requests a minute and CPU % = served / (60 · ready instances) · 100.
Traffic has no noise. The wait limit is large (10 min) so nothing is dropped unless stated.
"""

from __future__ import annotations

import numpy as np

from app.engine.simulation.online import run_online
from app.engine.simulation.settings import (
    AutoscaleRule,
    MonitorAutoscale,
    OnlineSystem,
    ServiceTimes,
)

OUT_70 = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 70, "Increase", 1, time_window_minutes=3,
                       cooldown_minutes=5)
IN_30 = AutoscaleRule("CpuUtilizationPercentage", "LessThan", 30, "Decrease", 1, time_window_minutes=3,
                      cooldown_minutes=5)


def system(rules: tuple[AutoscaleRule, ...], minimum: int = 1, maximum: int = 5, default: int = 1,
           delay_s: float = 120.0) -> OnlineSystem:
    return OnlineSystem(scaler=MonitorAutoscale(minimum, maximum, default, rules), concurrency=1,
                        service=ServiceTimes(1000.0, "deterministic"), instance_hourly_cost=1.0,
                        max_queue_wait_ms=600_000.0, provisioning_delay_s=delay_s)


def test_step_change_adds_and_removes_instances_at_the_worked_minutes() -> None:
    # 30/min for minutes 0–9 (CPU 50%), 90/min for 10–29, 30/min from 30 on.
    arrivals = np.array([30.0] * 10 + [90.0] * 20 + [30.0] * 20)
    trace = run_online(arrivals, 60, system((OUT_70, IN_30)))
    # m10: 90 arrive, 60 served, backlog 30, CPU 100.  End of m10 (t=11): window m8–10 = (50+50+100)/3 = 66.7 ≤ 70.
    # m11: backlog 60, CPU 100. t=12: window m9–11 = (50+100+100)/3 = 83.3 > 70 → 1→2 at minute 12,
    #      ready after 120 s = at minute 14. Cooldown 5 min: next action no earlier than minute 17.
    # m12, m13: backlog 90, 120. m14 (2 ready): work 210, served 120, backlog 90; m15: 60; m16: 30; m17: 0.
    # t=17: window m14–16 = 100 > 70 → 2→3 at minute 17, ready at 19. m19–29: 90/180 = CPU 50 → nothing.
    # m30: 30/min → CPU 16.7. t=31: window m28–30 = (50+50+16.7)/3 = 38.9 ≥ 30. t=32: (50+16.7+16.7)/3 = 27.8 < 30;
    #      flapping check: 27.8·3/2 = 41.7 ≤ 70 → 3→2 at minute 32. With 2: CPU 25.
    # t=37 (cooldown over): window m34–36 = 25 < 30; projected 25·2/1 = 50 ≤ 70 → 2→1 at minute 37.
    assert [(e.time_s / 60, e.action, e.from_count, e.to_count) for e in trace.events] == [
        (12, "scale-out", 1, 2), (17, "scale-out", 2, 3), (32, "scale-in", 3, 2), (37, "scale-in", 2, 1)]
    expected_ready = [1] * 14 + [2] * 5 + [3] * 13 + [2] * 5 + [1] * 13
    assert trace.ready.tolist() == expected_ready
    expected_billed = [1] * 12 + [2] * 5 + [3] * 15 + [2] * 5 + [1] * 13  # billed from the request
    assert trace.billed.tolist() == expected_billed
    assert trace.backlog[10:18].tolist() == [30, 60, 90, 120, 90, 60, 30, 0]
    assert trace.dropped.sum() == 0


def test_cooldown_spaces_scale_outs() -> None:
    # Constant overload (1000/min), rule: CPU (1-minute window) > 70 → +1, cooldown 5 min, max 4.
    fast = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 70, "Increase", 1, time_window_minutes=1,
                         cooldown_minutes=5)
    trace = run_online(np.full(20, 1000.0), 60, system((fast,), maximum=4, delay_s=0))
    # t=1: 1→2; cooldown until t=6: 2→3; t=11: 3→4; then at the maximum.
    assert [(e.time_s / 60, e.from_count, e.to_count) for e in trace.events] == [(1, 1, 2), (6, 2, 3), (11, 3, 4)]
    quick = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 70, "Increase", 1, time_window_minutes=1,
                          cooldown_minutes=1)
    trace = run_online(np.full(20, 1000.0), 60, system((quick,), maximum=4, delay_s=0))
    assert [(e.time_s / 60, e.from_count, e.to_count) for e in trace.events] == [(1, 1, 2), (2, 2, 3), (3, 3, 4)]


def test_scale_in_that_would_trigger_scale_out_is_not_taken() -> None:
    # Azure's flapping example: out +1 when CPU > 50, in −1 when CPU < 30, 2 instances.
    out_50 = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 50, "Increase", 1, time_window_minutes=1)
    in_30 = AutoscaleRule("CpuUtilizationPercentage", "LessThan", 30, "Decrease", 1, time_window_minutes=1)
    # 33.6/min on 2 instances = 28% < 30, but on 1 instance 28·2/1 = 56% > 50: deferred every minute.
    trace = run_online(np.full(10, 33.6), 60, system((out_50, in_30), minimum=1, maximum=3, default=2))
    assert trace.billed.tolist() == [2] * 10
    assert {e.action for e in trace.events} == {"flapping-deferred"}
    assert len(trace.events) == 10
    # 24/min = 20% on 2 instances, projected 40% ≤ 50: the scale-in happens at the first evaluation (t=1).
    trace = run_online(np.full(10, 24.0), 60, system((out_50, in_30), minimum=1, maximum=3, default=2))
    assert [(e.time_s / 60, e.action, e.from_count, e.to_count) for e in trace.events] == [(1, "scale-in", 2, 1)]


def test_flapping_check_may_scale_in_by_less() -> None:
    # From 4 instances, a −3 rule (target 1) would flap; Azure tries the counts between: 2 does not.
    out_60 = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 60, "Increase", 1, time_window_minutes=1)
    in_3 = AutoscaleRule("CpuUtilizationPercentage", "LessThan", 30, "Decrease", 3, time_window_minutes=1)
    # 60/min on 4 instances = 25%; at 1 instance 100% > 60 (flap), at 2 instances 50% ≤ 60 → 4→2.
    trace = run_online(np.full(3, 60.0), 60, system((out_60, in_3), minimum=1, maximum=4, default=4))
    assert (trace.events[0].action, trace.events[0].from_count, trace.events[0].to_count) == ("scale-in-reduced", 4, 2)


def test_scale_in_needs_all_scale_in_rules_and_scale_out_any() -> None:
    cpu_in = AutoscaleRule("CpuUtilizationPercentage", "LessThan", 30, "Decrease", 1, time_window_minutes=1)
    rpm_in = AutoscaleRule("RequestsPerMinute", "LessThan", 5, "Decrease", 1, time_window_minutes=1)
    # 12/min on 2 instances: CPU 10% < 30 but 12 requests ≥ 5 → no scale-in.
    trace = run_online(np.full(5, 12.0), 60, system((cpu_in, rpm_in), minimum=1, maximum=3, default=2))
    assert trace.events == ()
    cpu_out = AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 90, "Increase", 1, time_window_minutes=1)
    rpm_out = AutoscaleRule("RequestsPerMinute", "GreaterThan", 10, "Increase", 2, time_window_minutes=1)
    # CPU 10% does not fire, 12 > 10 does: +2 (the largest resulting capacity wins).
    trace = run_online(np.full(2, 12.0), 60, system((cpu_out, rpm_out), minimum=1, maximum=5, default=2))
    assert (trace.events[0].action, trace.events[0].from_count, trace.events[0].to_count) == ("scale-out", 2, 4)


def test_percent_change_rounds_the_change_up() -> None:
    rule = AutoscaleRule("RequestsPerMinute", "GreaterThan", 0, "Increase", 50, action="PercentChangeCount",
                         time_window_minutes=1, cooldown_minutes=1)
    trace = run_online(np.full(3, 1.0), 60, system((rule,), minimum=1, maximum=10, default=3, delay_s=0))
    # 3 → 3 + ceil(1.5) = 5 → 5 + ceil(2.5) = 8 → 8 + 4 = 12, clamped to 10.
    assert [e.to_count for e in trace.events] == [5, 8, 10]
