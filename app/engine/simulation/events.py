"""Scale events of a simulated run: what the scaler did, when, from how many instances to how many."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ScaleAction = Literal["scale-out", "scale-in", "scale-in-reduced", "flapping-deferred", "limits"]


@dataclass(frozen=True)
class ScaleEvent:
    """At `time_s` seconds from the run's start the scaler did `action`, `from_count` → `to_count`.

    - scale-out / scale-in: a rule (or azureml-fe) changed the instance count;
    - scale-in-reduced: Azure Monitor scaled in by less than the rule asked (flapping check);
    - flapping-deferred: a scale-in was held back because it would trigger a scale-out;
    - limits: the count was brought back within the profile's minimum and maximum.
    """

    time_s: float
    action: ScaleAction
    from_count: int
    to_count: int
