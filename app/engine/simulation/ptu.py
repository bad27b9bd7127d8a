"""A provisioned (PTU) deployment step by step: leaky-bucket admission, spillover or HTTP 429.

Source: Microsoft Learn, "Provisioned throughput concepts" (calls are admitted while utilization is
below 100%, else 429; utilization "is decremented at a continuous rate based on the number of PTU
deployed"; cached tokens are deducted 100% from utilization) and "Manage traffic with spillover"
(spillover to a Standard deployment on 429, billed at its token rates); docs/sources.md.

Token units are input-token equivalents: a request costs u = P·(1 − h) + w·C (w = output-token
weight). With K = PTU · input_tpm_per_ptu tokens per minute:

    level   = max(0, level − K·Δt/60)                 the bucket leaks continuously
    room    = max(0, K − level)                       100% utilization = one minute of capacity
    admitted_k = min(arrivals_k, room / u)            requests admitted while below 100%
    level  += admitted_k · u
    rejected_k = arrivals_k − admitted_k              → spilled (spillover) or throttled (429)

Utilization of a minute = tokens admitted in it / K (the Provisioned-Managed Utilization metric
at 1-minute grain). Retries of throttled requests are not modelled (each 429 is counted once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.simulation.settings import PtuSystem

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PtuTrace:
    step_s: int
    arrivals: FloatArray
    admitted: FloatArray
    rejected: FloatArray  # spilled when the system spills over, else throttled (429)
    bucket_level: FloatArray  # tokens at the end of the step
    tokens_per_minute_capacity: float


def run_ptu(arrivals: FloatArray, step_s: int, system: PtuSystem) -> PtuTrace:
    if system.ptu < 1 or system.input_tpm_per_ptu <= 0:
        raise ModelInputError("a PTU deployment needs at least 1 PTU and a positive input TPM per PTU")
    capacity = system.ptu * system.input_tpm_per_ptu
    leak = capacity * step_s / 60.0
    unit = system.weighted_tokens_per_request
    steps = len(arrivals)
    if unit <= 0:  # nothing counts against the bucket (e.g. fully cached prompts and no output)
        zeros = np.zeros(steps)
        return PtuTrace(step_s, np.asarray(arrivals, dtype=np.float64), np.asarray(arrivals, dtype=np.float64),
                        zeros, zeros, capacity)
    arrivals_list = arrivals.tolist()
    admitted = [0.0] * steps
    level_end = [0.0] * steps
    level = 0.0
    for k in range(steps):
        level -= leak
        if level < 0.0:
            level = 0.0
        a = arrivals_list[k]
        room = (capacity - level) / unit
        take = a if a <= room else (room if room > 0.0 else 0.0)
        admitted[k] = take
        level += take * unit
        level_end[k] = level
    arr = np.asarray(arrivals, dtype=np.float64)
    adm = np.asarray(admitted)
    return PtuTrace(step_s, arr, adm, arr - adm, np.asarray(level_end), capacity)
