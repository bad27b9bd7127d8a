"""Build the simulated system of a scenario option from its spec, the workload and the price book.

- `aml-online` → OnlineSystem: slots = instances × concurrency, service time from the workload
  (mean `service_time_ms`; distribution exponential for CV 1, deterministic for CV 0, gamma
  otherwise, as app/engine/queueing.py), hourly price of the SKU. Without an explicit scaler, an
  autoscale option gets Azure Monitor rules after the Azure ML autoscale how-to's example
  (pricing-capacity.md 6.3): +2 instances when average CPU over 5 minutes exceeds the option's
  target utilization (70% in the doc), −1 when it falls below 30%, cooldown 5 minutes (the
  `az monitor autoscale rule create` default), capacity min / max / default = min. A fixed
  option keeps its instance count.
- `aoai-provisioned` → PtuSystem: u = P·(1 − h) + w·C input-token equivalents per request (cached
  tokens deducted, pricing-capacity.md 3.2), PTU cost per hour = cost per PTU-month (hourly·H,
  monthly, or yearly/12) / H · PTU, spillover at the Standard token cost of one request.
"""

from __future__ import annotations

from app.engine.errors import ModelInputError
from app.engine.kinds.aml_online import AmlOnlineSpec
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.prices import PriceBook
from app.engine.prompt_cache import cacheable_workload
from app.engine.simulation.settings import (
    AutoscaleRule,
    FixedInstances,
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


def default_scaler(spec: AmlOnlineSpec) -> Scaler:
    """The scaler an aml-online option implies when the simulation block names none."""
    if spec.autoscale is None:
        if spec.instances is None:
            raise ModelInputError(f"option '{spec.name}' needs either instances or autoscale")
        return FixedInstances(spec.instances)
    a = spec.autoscale
    rules = (
        AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", round(a.target_utilization * 100.0, 6), "Increase",
                      DOC_SCALE_OUT_STEP, time_window_minutes=5, cooldown_minutes=5),
        AutoscaleRule("CpuUtilizationPercentage", "LessThan", DOC_SCALE_IN_CPU_PERCENT, "Decrease", 1,
                      time_window_minutes=5, cooldown_minutes=5),
    )
    return MonitorAutoscale(minimum=a.min, maximum=a.max, default=a.min, rules=rules)


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


def online_system(spec: AmlOnlineSpec, workload: Workload, prices: PriceBook, scaler: Scaler | None = None,
                  service: ServiceTimes | None = None, max_queue_wait_ms: float = 500.0,
                  provisioning_delay_s: float = 300.0) -> OnlineSystem:
    return OnlineSystem(scaler=scaler or default_scaler(spec), concurrency=spec.concurrency,
                        service=service or service_times(workload),
                        instance_hourly_cost=prices.instance_hourly(spec.sku),
                        max_queue_wait_ms=max_queue_wait_ms, provisioning_delay_s=provisioning_delay_s)


def weighted_tokens_per_request(prompt: float, completion: float, cache_hit_rate: float, output_weight: float) -> float:
    """u = P·(1 − h) + w·C: what one request takes from the PTU bucket (cached tokens deducted)."""
    return prompt * (1.0 - cache_hit_rate) + output_weight * completion


def ptu_system(spec: AoaiProvisionedSpec, workload: Workload, prices: PriceBook, ptu: int, hours_per_month: int) -> PtuSystem:
    workload = cacheable_workload(workload)[0]  # prompts under 1,024 tokens are never cached
    params, rate = prices.provisioned(spec.model, spec.deployment)
    per_ptu_month = rate.per_month(spec.billing, hours_per_month)
    spill = 0.0
    if spec.deployment in prices.model(spec.model).standard:
        standard = prices.standard_rates(spec.model, spec.deployment)
        spill = token_cost_per_request(workload.prompt_tokens, workload.completion_tokens,
                                       workload.prompt_cache_hit_rate, standard, spec.model)
    elif spec.spillover:
        raise ModelInputError(f"{spec.model} has no {spec.deployment} Standard price for spillover")
    return PtuSystem(ptu=ptu, input_tpm_per_ptu=params.input_tpm_per_ptu,
                     weighted_tokens_per_request=weighted_tokens_per_request(
                         workload.prompt_tokens, workload.completion_tokens, workload.prompt_cache_hit_rate,
                         params.output_token_weight),
                     ptu_hourly_cost=per_ptu_month / hours_per_month * ptu, spillover=spec.spillover,
                     spill_cost_per_request=spill)
