"""The M/G/c model against a discrete-event simulation of the same queue (issue 2 quality bar):
p95 within 10% for utilization 0.3-0.9 and 1, 2 and 8 servers."""

import numpy as np
import pytest

from app.engine.queueing import response_time_percentiles
from tests.engine.des import simulate_response_times

UTILIZATIONS = [0.3, 0.5, 0.7, 0.9]
SERVERS = [1, 2, 8]


@pytest.mark.parametrize("servers", SERVERS)
@pytest.mark.parametrize("utilization", UTILIZATIONS)
@pytest.mark.parametrize("service_cv", [1.0, 0.5])
def test_p95_within_10_percent_of_simulation(servers, utilization, service_cv):
    service = 0.05
    rate = utilization * servers / service
    # More requests where the tail converges slowly (high utilization, one server).
    n = 300_000 if utilization >= 0.9 else 120_000
    simulated = simulate_response_times(rate, service, service_cv, servers, n, seed=servers * 100 + int(utilization * 10))
    measured_p95 = float(np.percentile(simulated, 95))
    _, predicted_p95 = response_time_percentiles(rate, service, service_cv, servers, (0.5, 0.95))
    error = predicted_p95 / measured_p95 - 1
    assert abs(error) <= 0.10, f"p95 predicted {predicted_p95*1000:.1f} ms vs simulated {measured_p95*1000:.1f} ms ({error:+.1%})"
