"""azureml-fe target-utilization autoscale (Kubernetes online endpoints) and fixed instance counts.

Source: Microsoft Learn, "How azureml-fe routes requests"
(learn.microsoft.com/azure/machine-learning/how-to-kubernetes-inference-routing-azureml-fe):

- utilization = (replicas busy processing a request + requests queued in azureml-fe) / replicas.
  With `concurrency` requests per replica we count requests in service, so the utilization is
  (in service + queued) / (replicas · concurrency); for concurrency 1 this is the doc's formula, and
  it matches the doc's sizing recipe replicas = concurrentRequests / (target · maxReqPerContainer).
- Above the target it adds replicas, eagerly: at each poll the desired count is
      desired = ceil((in service + queued) / (concurrency · target)),
  and a desired count above the current one is applied at once (clamped to max).
- Scale-down is conservative, about 20× the scale-up refresh interval: every
  `scale_down_factor` polls, the count drops to the largest desired count seen over those polls
  (clamped to min), if that is lower.
- Polling interval default 1 s; a poll happens at most once per simulation step.
"""

from __future__ import annotations

import math

from app.engine.simulation.events import ScaleEvent
from app.engine.simulation.settings import FixedInstances, TargetUtilization


class TargetUtilizationScaler:
    step_hook = True

    def __init__(self, setting: TargetUtilization, concurrency: int, step_s: float):
        self.setting = setting
        self.per_slot = 1.0 / (concurrency * setting.target_utilization)
        self.poll_every = max(1, round(setting.polling_interval_s / step_s))
        self.down_polls = max(1, setting.scale_down_factor)
        self.polls = 0
        self.max_desired = 0
        self.events: list[ScaleEvent] = []
        self.step_s = step_s

    def initial(self) -> int:
        return self.setting.minimum

    def on_step(self, step: int, in_flight: float, capacity: int) -> int:
        """Poll (every poll_every steps) with the requests in service plus queued at the step's end."""
        if step % self.poll_every:
            return capacity
        s = self.setting
        desired = math.ceil(in_flight * self.per_slot - 1e-9)
        new = capacity
        if desired > capacity and capacity < s.maximum:
            new = min(desired, s.maximum)
            self.events.append(ScaleEvent((step + 1) * self.step_s, "scale-out", capacity, new))
        self.polls += 1
        self.max_desired = max(self.max_desired, desired)
        if self.polls >= self.down_polls:
            floor = max(self.max_desired, s.minimum)
            if floor < new:
                self.events.append(ScaleEvent((step + 1) * self.step_s, "scale-in", new, floor))
                new = floor
            self.polls = 0
            self.max_desired = 0
        return new

    def quiet_steps(self, first_step: int, count: int, max_in_flight: float, capacity: int) -> bool:
        """Account for `count` steps whose in-flight requests never exceed `max_in_flight`, if no poll
        among them can change the capacity (no scale-out, no scale-down check). False: run them one by one."""
        every = self.poll_every
        polls = count if every == 1 else (first_step + count - 1) // every - (first_step - 1) // every
        if self.polls + polls >= self.down_polls:
            return False
        desired = math.ceil(max_in_flight * self.per_slot - 1e-9)
        if desired > capacity:
            return False
        if polls:
            self.polls += polls
            self.max_desired = max(self.max_desired, desired)
        return True

    def on_minute(self, minute: int, cpu_percent: float, requests: float, latency_ms: float, capacity: int) -> int:
        return capacity


class FixedScaler:
    step_hook = False

    def __init__(self, setting: FixedInstances):
        self.setting = setting
        self.events: list[ScaleEvent] = []

    def initial(self) -> int:
        return self.setting.instances

    def on_step(self, step: int, in_flight: float, capacity: int) -> int:
        return capacity

    def quiet_steps(self, first_step: int, count: int, max_in_flight: float, capacity: int) -> bool:
        return True

    def on_minute(self, minute: int, cpu_percent: float, requests: float, latency_ms: float, capacity: int) -> int:
        return capacity
