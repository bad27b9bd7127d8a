"""Build simulated systems from plain settings, the workload and the price book.

The option kinds call these from their `simulation` hook (app/engine/kinds/), so this module knows
no kind:

- Online endpoint → OnlineSystem: slots = instances × concurrency, service time from the workload
  (mean `service_time_ms`; distribution exponential for CV 1, deterministic for CV 0, gamma
  otherwise, as app/engine/queueing.py), hourly price of the SKU. `how_to_rules` gives the Azure
  Monitor rules of the Azure ML autoscale how-to's example (Microsoft Learn, "Autoscale online
  endpoints"): +2 instances when average CPU over 5 minutes exceeds the target utilization (70% in
  the doc), −1 when it falls below 30%, cooldown 5 minutes (the `az monitor autoscale rule
  create` default), capacity min / max / default = min.
- Provisioned deployment → PtuSystem: u = P·(1 − h) + w·C input-token equivalents per request
  (cached tokens deducted; app/engine/provisioned.py), PTU cost per hour = cost per PTU-month
  (hourly·H, monthly, or yearly/12) / H · PTU, spillover at the Standard token cost of one request.
"""

from __future__ import annotations

from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook, PtuBilling
from app.engine.provisioned import weighted_tokens_per_request
from app.engine.simulation.settings import (
    DEFAULT_MAX_QUEUE_WAIT_MS,
    DEFAULT_PROVISIONING_DELAY_S,
    AutoscaleRule,
    MonitorAutoscale,
    OnlineSystem,
    PtuSystem,
    Scaler,
    ServiceDistribution,
    ServiceTimes,
)
from app.engine.token_billing import token_cost_per_request
from app.engine.workload import Workload

DOC_SCALE_IN_CPU_PERCENT = 30.0
DOC_SCALE_OUT_STEP = 2
DOC_WINDOW_MINUTES = 5
DOC_COOLDOWN_MINUTES = 5


def how_to_rules(minimum: int, maximum: int, target_utilization: float) -> MonitorAutoscale:
    """Azure Monitor rules after the Azure ML autoscale how-to, scaling out above `target_utilization`."""
    rules = (
        AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", round(target_utilization * 100.0, 6), "Increase",
                      DOC_SCALE_OUT_STEP, time_window_minutes=DOC_WINDOW_MINUTES, cooldown_minutes=DOC_COOLDOWN_MINUTES),
        AutoscaleRule("CpuUtilizationPercentage", "LessThan", DOC_SCALE_IN_CPU_PERCENT, "Decrease", 1,
                      time_window_minutes=DOC_WINDOW_MINUTES, cooldown_minutes=DOC_COOLDOWN_MINUTES),
    )
    return MonitorAutoscale(minimum=minimum, maximum=maximum, default=minimum, rules=rules)


def service_times(workload: Workload, distribution: ServiceDistribution | None = None,
                  samples_ms: tuple[float, ...] = ()) -> ServiceTimes:
    if workload.service_time_ms is None:
        raise ModelInputError("simulating an online endpoint needs workload.service_time_ms")
    if distribution is None:
        cv = workload.service_time_cv
        distribution = "exponential" if cv == 1.0 else "deterministic" if cv == 0.0 else "gamma"
    mean = workload.service_time_ms
    if distribution == "samples":
        if len(samples_ms) < 2:
            raise ModelInputError("service distribution 'samples' needs at least two samples_ms")
        mean = sum(samples_ms) / len(samples_ms)
    return ServiceTimes(mean_ms=mean, distribution=distribution, samples_ms=tuple(samples_ms),
                        cv=workload.service_time_cv)


def online_system(scaler: Scaler, concurrency: int, sku: str, prices: PriceBook, service: ServiceTimes,
                  max_queue_wait_ms: float | None = None, provisioning_delay_s: float | None = None) -> OnlineSystem:
    """Instances of `sku` (concurrency slots each) behind one queue, scaled by `scaler`."""
    return OnlineSystem(
        scaler=scaler, concurrency=concurrency, service=service, instance_hourly_cost=prices.instance_hourly(sku),
        max_queue_wait_ms=DEFAULT_MAX_QUEUE_WAIT_MS if max_queue_wait_ms is None else max_queue_wait_ms,
        provisioning_delay_s=DEFAULT_PROVISIONING_DELAY_S if provisioning_delay_s is None else provisioning_delay_s)


def ptu_system(model: str, deployment: str, billing: PtuBilling, spillover: bool, workload: Workload,
               prices: PriceBook, ptu: int, hours_per_month: int) -> PtuSystem:
    """`ptu` PTUs of `model` at `deployment`, billed by `billing`, spilling to Standard or throttling."""
    params, rate = prices.provisioned(model, deployment)
    per_ptu_month = rate.per_month(billing, hours_per_month)
    spill = 0.0
    if deployment in prices.model(model).standard:
        standard = prices.standard_rates(model, deployment)
        spill = token_cost_per_request(workload.prompt_tokens, workload.completion_tokens,
                                       workload.prompt_cache_hit_rate, standard, model)
    elif spillover:
        raise ModelInputError(f"{model} has no {deployment} Standard price for spillover")
    return PtuSystem(ptu=ptu, input_tpm_per_ptu=params.input_tpm_per_ptu,
                     weighted_tokens_per_request=weighted_tokens_per_request(
                         workload.prompt_tokens, workload.completion_tokens, workload.prompt_cache_hit_rate,
                         params.output_token_weight),
                     ptu_hourly_cost=per_ptu_month / hours_per_month * ptu, spillover=spillover,
                     spill_cost_per_request=spill)
