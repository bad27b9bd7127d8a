"""Azure Monitor autoscale rules, evaluated as Azure evaluates them (managed online endpoints).

Sources (our reading; docs/sources.md, "Azure Monitor autoscale", holds the Azure ML specifics):

- Metric rules read 1-minute metric points (time grain PT1M), aggregate the points of the last
  `timeWindow` with `timeAggregation` (Average, Minimum, Maximum, Total, Last, Count) and compare
  the result to `threshold` with `operator`. CPU % is an average across instances ("all thresholds
  are calculated at an instance level": learn.microsoft.com, "Best practices for Autoscale").
  `dividePerInstance` divides a total metric (here RequestsPerMinute) by the instance count
  (ARM `MetricTrigger.dividePerInstance`).
- Scale-out runs if ANY scale-out rule is met; scale-in only if ALL scale-in rules are met
  (learn.microsoft.com, "Understand autoscale settings", section on evaluation; also quoted in the
  "Best practices" page). When several rules qualify, the one giving the LARGEST capacity wins
  (for scale-out the biggest increase, for scale-in the smallest decrease). Scale-out wins over
  scale-in.
- Actions: ChangeCount ±value, PercentChangeCount ±ceil(capacity·value/100) (at least one
  instance; Azure does not document the rounding, we round the change up), ExactCount = value;
  the result is clamped to [minimum, maximum].
- Cooldown (`ScaleAction.cooldown`, default 5 min in `az monitor autoscale rule create`, ISO-8601
  between 1 minute and 1 week): a rule can act only when at least its cooldown has passed since
  the last scale action of either direction.
- Flapping (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-flapping): before a
  scale-in from n to n' instances, autoscale projects each per-instance metric to the new count,
  value·n/n', and does not scale in if that projection would trigger a scale-out rule; it may
  instead scale in by less (it tries the counts between the target and the current count). It
  never defers a scale-out. Metrics that are not per instance (RequestsPerMinute without
  dividePerInstance, RequestLatency) are projected unchanged.
- The engine runs every 30–60 s; we evaluate once per simulated minute, at its end, on complete
  1-minute points (optionally `metric_delay_minutes` old: ingestion delay).
"""

from __future__ import annotations

import math
import operator

from app.engine.simulation.events import ScaleAction, ScaleEvent
from app.engine.simulation.settings import AutoscaleRule, MonitorAutoscale

_COMPARE = {
    "GreaterThan": operator.gt,
    "GreaterThanOrEqual": operator.ge,
    "LessThan": operator.lt,
    "LessThanOrEqual": operator.le,
    "Equals": operator.eq,
    "NotEquals": operator.ne,
}


def aggregate(points: list[float], how: str) -> float:
    """timeAggregation over the window's 1-minute points."""
    if how == "Average":
        return sum(points) / len(points)
    if how == "Minimum":
        return min(points)
    if how == "Maximum":
        return max(points)
    if how == "Total":
        return sum(points)
    if how == "Last":
        return points[-1]
    return float(len(points))  # Count


def rule_target(rule: AutoscaleRule, capacity: int) -> int:
    """The capacity a rule's scale action asks for (before min/max clamping)."""
    if rule.action == "ExactCount":
        return int(rule.value)
    if rule.action == "PercentChangeCount":
        change = max(1, math.ceil(capacity * rule.value / 100.0 - 1e-9))
    else:
        change = int(rule.value)
    return capacity + change if rule.direction == "Increase" else capacity - change


def is_per_instance(rule: AutoscaleRule) -> bool:
    """Metrics whose value depends on the instance count (projected n/n' by the flapping check)."""
    return rule.metric == "CpuUtilizationPercentage" or (rule.metric == "RequestsPerMinute" and rule.divide_per_instance)


class MonitorAutoscaler:
    """Holds the minute metrics seen so far and the time of the last scale action.

    Kept lean: it runs once per simulated minute. Window averages and totals come from running
    prefix sums, so each evaluation is O(rules) (O(window) only for Minimum/Maximum/Last/Count).
    """

    step_hook = False

    def __init__(self, setting: MonitorAutoscale):
        self.setting = setting
        used = {r.metric for r in setting.rules}
        self.points: dict[str, list[float]] = {name: [] for name in used}
        self.prefix: dict[str, list[float]] = {name: [0.0] for name in used}
        self.last_action_minute: float = -math.inf
        self.scale_out_rules = [r for r in setting.rules if r.direction == "Increase"]
        self.scale_in_rules = [r for r in setting.rules if r.direction == "Decrease"]
        self._cpu = "CpuUtilizationPercentage" in used
        self._rpm = "RequestsPerMinute" in used
        self._lat = "RequestLatency" in used
        self.events: list[ScaleEvent] = []

    def initial(self) -> int:
        s = self.setting
        return min(max(s.default, s.minimum), s.maximum)

    def _value(self, rule: AutoscaleRule, visible: int, capacity: int) -> float | None:
        """The rule's metric aggregated over the last time_window_minutes visible 1-minute points."""
        points = self.points[rule.metric]
        end = visible if visible < len(points) else len(points)
        start = end - rule.time_window_minutes
        if start < 0:
            start = 0
        if end <= start:
            return None
        how = rule.time_aggregation
        if how == "Average" or how == "Total":
            prefix = self.prefix[rule.metric]
            value = prefix[end] - prefix[start]
            if how == "Average":
                value /= end - start
        else:
            value = aggregate(points[start:end], how)
        if rule.divide_per_instance and rule.metric == "RequestsPerMinute":
            value /= capacity if capacity > 0 else 1
        return value

    def on_step(self, step: int, in_flight: float, capacity: int) -> int:
        return capacity  # Azure Monitor acts on 1-minute metric points only

    def quiet_steps(self, first_step: int, count: int, max_in_flight: float, capacity: int) -> bool:
        return True

    def _record(self, name: str, value: float) -> None:
        self.points[name].append(value)
        prefix = self.prefix[name]
        prefix.append(prefix[-1] + value)

    def on_minute(self, minute: int, cpu_percent: float, requests: float, latency_ms: float, capacity: int) -> int:
        """Record minute `minute`'s metric points and evaluate at its end. Returns the new capacity."""
        if self._cpu:
            self._record("CpuUtilizationPercentage", cpu_percent)
        if self._rpm:
            self._record("RequestsPerMinute", requests)
        if self._lat:
            self._record("RequestLatency", latency_ms)
        new, reason = self.evaluate(minute, capacity)
        if reason:
            self.events.append(ScaleEvent((minute + 1) * 60.0, reason, capacity, new))
        if new != capacity:
            self.last_action_minute = minute + 1
        return new

    def evaluate(self, minute: int, capacity: int) -> tuple[int, ScaleAction | None]:
        """(new capacity, reason) at the end of `minute`; reason is None when nothing happens."""
        s = self.setting
        now = minute + 1
        if capacity < s.minimum or capacity > s.maximum:
            return min(max(capacity, s.minimum), s.maximum), "limits"
        visible = now - s.metric_delay_minutes
        since = now - self.last_action_minute
        target = 0
        for rule in self.scale_out_rules:
            if since < rule.cooldown_minutes - 1e-9:
                continue
            value = self._value(rule, visible, capacity)
            if value is not None and _COMPARE[rule.operator](value, rule.threshold):
                candidate = rule_target(rule, capacity)
                if candidate > target:
                    target = candidate
        if target:
            target = min(target, s.maximum)
            if target > capacity:
                return target, "scale-out"
        if not self.scale_in_rules:
            return capacity, None
        target = 0
        for rule in self.scale_in_rules:  # all must be met (and out of cooldown)
            if since < rule.cooldown_minutes - 1e-9:
                return capacity, None
            value = self._value(rule, visible, capacity)
            if value is None or not _COMPARE[rule.operator](value, rule.threshold):
                return capacity, None
            candidate = rule_target(rule, capacity)
            if candidate > target:
                target = candidate
        target = max(target, s.minimum)
        if target >= capacity:
            return capacity, None
        for candidate in range(target, capacity):
            if not self._would_flap(visible, capacity, candidate):
                return candidate, "scale-in" if candidate == target else "scale-in-reduced"
        return capacity, "flapping-deferred"

    def _would_flap(self, visible: int, capacity: int, candidate: int) -> bool:
        """Would any scale-out rule fire on its metric projected to `candidate` instances?"""
        for rule in self.scale_out_rules:
            value = self._value(rule, visible, capacity)
            if value is None:
                continue
            projected = value * capacity / candidate if is_per_instance(rule) else value
            if _COMPARE[rule.operator](projected, rule.threshold):
                return True
        return False
