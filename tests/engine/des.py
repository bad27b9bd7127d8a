"""A discrete-event simulation of the FCFS M/G/c queue, the reference the queueing model is checked
against. Independent of app.engine.queueing: it only replays arrivals through c servers."""

from __future__ import annotations

import heapq

import numpy as np


def simulate_response_times(arrival_rate: float, service_time: float, service_cv: float, servers: int,
                            n_requests: int, seed: int, warmup: int = 20_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / arrival_rate, n_requests + warmup))
    if service_cv == 0:
        services = np.full(n_requests + warmup, service_time)
    else:
        shape = 1.0 / service_cv**2
        services = rng.gamma(shape, service_time / shape, n_requests + warmup)
    free_at = [0.0] * servers  # min-heap of the times each server becomes free
    responses = np.empty(n_requests + warmup)
    for i, (arrival, service) in enumerate(zip(arrivals.tolist(), services.tolist(), strict=True)):
        earliest = heapq.heappop(free_at)
        start = arrival if arrival > earliest else earliest
        done = start + service
        heapq.heappush(free_at, done)
        responses[i] = done - arrival
    return responses[warmup:]
