"""Calibration, chargeback and observed-series formulas, with the arithmetic written out."""

import math

import numpy as np
import pytest

from app.engine import observed as ob
from app.engine.calibration import (
    cache_hit_rate,
    fit_traffic_shape,
    mean_per_request,
    observed_peak_to_average,
    requests_per_month,
    service_time_at_low_load,
)
from app.engine.chargeback import ConsumerUsage, standard_line
from app.engine.errors import ModelInputError
from app.engine.prices import TokenRates
from app.engine.traffic import hourly_shape, max_peak_to_average

NAN = float("nan")


def test_requests_per_month_extrapolates_the_window():
    # 14 days = 336 h; 1,000,000 requests -> 1e6 * 730 / 336 = 2,172,619.05
    assert requests_per_month(1_000_000, 336, 730) == pytest.approx(2_172_619.0476, rel=1e-9)
    with pytest.raises(ModelInputError):
        requests_per_month(1, 0, 730)


def test_peak_to_average_and_token_means():
    assert observed_peak_to_average(np.array([1.0, 2.0, 3.0, 6.0])) == pytest.approx(6 / 3)  # mean 3, max 6
    assert mean_per_request(3_000_000, 2_000) == 1500.0
    assert mean_per_request(5, 0) == 0.0
    assert cache_hit_rate(700, 1000) == 0.7 and cache_hit_rate(1200, 1000) == 1.0 and cache_hit_rate(1, 0) == 0.0


def test_fit_recovers_an_engine_shape_and_its_ratio():
    # two weeks of the engine's own business_hours shape at p = 2.5, starting Monday 00:00
    truth = hourly_shape("business_hours", 2.5, 730)[:336] * 1000
    fit = fit_traffic_shape(truth, 0, 730)
    # over two whole weeks the mean differs slightly from the 730-hour month's (which ends on a
    # Monday-Tuesday), so the ratio observed is max/mean of these 336 hours, about 2.535
    assert fit.shape == "business_hours"
    assert fit.peak_to_average == round(float(truth.max() / truth.mean()), 3) == pytest.approx(2.535, abs=0.001)
    assert fit.rmse["business_hours"] < 0.05 < fit.rmse["flat"]


def test_fit_caps_the_ratio_at_what_the_shape_reaches():
    hours = np.ones(336)
    hours[14::24] = 30.0  # one very sharp afternoon hour per day
    fit = fit_traffic_shape(hours, 0, 730)
    assert fit.observed_peak_to_average > max_peak_to_average(fit.shape, 730) >= fit.peak_to_average
    hourly_shape(fit.shape, fit.peak_to_average, 730)  # the engine accepts it


def test_flat_traffic_fits_flat_and_empty_traffic_is_an_error():
    assert fit_traffic_shape(np.full(48, 10.0), 5, 730).shape == "flat"
    with pytest.raises(ModelInputError, match="no requests"):
        fit_traffic_shape(np.zeros(48), 0, 730)


def test_service_time_is_the_median_p50_of_the_quietest_quarter():
    rpm = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, NAN, 0.0])
    p50 = np.array([25.0, 27.0, 40.0, 45.0, 50.0, 60.0, 80.0, 95.0, 20.0, 5.0])
    # load > 0 and observed: 8 intervals; 25th percentile of 10..80 = 27.5 -> rpm 10, 20 -> median(25, 27) = 26
    assert service_time_at_low_load(p50, rpm) == 26.0
    assert service_time_at_low_load(np.array([NAN]), np.array([NAN])) is None


def test_observed_reductions_skip_gaps():
    values = np.array([1.0, NAN, 3.0])
    assert ob.total(values) == 4.0 and ob.mean(values) == 2.0 and ob.peak(values) == 3.0 and ob.low(values) == 1.0
    assert ob.total(np.array([NAN])) is None and ob.count_gaps(values) == 1
    # p95 weighted by requests: (100*10 + 300*30) / 40 = 250
    assert ob.weighted_mean(np.array([100.0, 300.0, NAN]), np.array([10.0, 30.0, 5.0])) == 250.0
    assert ob.percentile(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 50) == 3.0
    assert list(ob.requests_from_rate(np.array([12.0, NAN]), 5)[:1]) == [60.0]
    assert ob.share(5, 100) == 0.05 and ob.share(1, 0) is None


def test_chargeback_prices_tokens_with_the_cache_discount():
    # gpt-4o global: input 2.50, cached 1.25, output 10.00 per 1M
    usage = ConsumerUsage("team-a", "chat", 1000, prompt_tokens=2_000_000, completion_tokens=500_000,
                          cached_tokens=500_000)
    billed = standard_line(usage, TokenRates(2.5, 1.25, 10.0), "gpt-4o")
    # input (2e6 - 5e5) * 2.5 / 1e6 = 3.75; cached 5e5 * 1.25 / 1e6 = 0.625; output 5e5 * 10 / 1e6 = 5.0
    assert billed.token_costs == pytest.approx({"input": 3.75, "cached_input": 0.625, "output": 5.0})
    assert math.isclose(billed.effective_cost, 9.375) and billed.list_cost == billed.effective_cost
