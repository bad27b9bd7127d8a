import math

import pytest

from app.engine.queueing import erlang_c, mean_conditional_wait, response_time_percentiles


def test_erlang_c_by_hand():
    # c = 2, a = 1: B(1) = 1/(1+1) = 0.5; B(2) = 1*0.5/(2 + 0.5) = 0.2; C = 0.2/(1 - 0.5*0.8) = 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # c = 1: C = rho
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert erlang_c(4, 0.0) == 0.0
    assert erlang_c(2, 2.5) == 1.0


def test_conditional_wait_by_hand():
    # M/M/2, lambda = 10, S = 0.1: 1/(c*mu - lambda) = 1/(20 - 10) = 0.1 s; C_s = 0.5 scales by (1 + 0.25)/2
    assert mean_conditional_wait(2, 10, 0.1, 1.0) == pytest.approx(0.1)
    assert mean_conditional_wait(2, 10, 0.1, 0.5) == pytest.approx(0.1 * 0.625)


def test_mm1_percentiles_are_exact():
    # M/M/1, lambda = 0.9, S = 1: R ~ Exp(0.1): p50 = 10 ln 2, p95 = 10 ln 20, p99 = 10 ln 100
    p50, p95, p99 = response_time_percentiles(0.9, 1.0, 1.0, 1)
    assert p50 == pytest.approx(10 * math.log(2), rel=1e-3)
    assert p95 == pytest.approx(10 * math.log(20), rel=1e-3)
    assert p99 == pytest.approx(10 * math.log(100), rel=1e-3)


def test_md1_percentiles_by_hand():
    # Deterministic S = 1, one server, rho = 0.5: P_W = 0.5, m = (1 + 0)/2 * 1/(1 - 0.5) = 1
    # p50 = S (half of the requests do not wait); p95 = 1 + 1 * ln(0.5/0.05) = 1 + ln 10
    p50, p95 = response_time_percentiles(0.5, 1.0, 0.0, 1, (0.5, 0.95))
    assert p50 == pytest.approx(1.0)
    assert p95 == pytest.approx(1 + math.log(10))


def test_unstable_queue_has_no_percentiles():
    assert response_time_percentiles(1.0, 1.0, 1.0, 1) is None
    assert response_time_percentiles(8.5, 1.0, 0.3, 8) is None


def test_no_traffic_is_just_the_service_time():
    p50, p95, _ = response_time_percentiles(0.0, 0.2, 1.0, 1)
    assert p50 == pytest.approx(0.2 * math.log(2), rel=1e-3)  # exponential service alone
    assert p95 == pytest.approx(0.2 * math.log(20), rel=1e-3)
