"""The readable table `capplan evaluate` prints."""

from __future__ import annotations

from app.cli.terminal import safe
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario


def _verdict(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def _capacity(result: OptionResult) -> str:
    c = result.capacity
    if result.kind == "aoai-provisioned":
        text = f"{c['ptu']} PTU (peak needs {c['ptu_required_at_peak']}), util {c['utilization']:.0%}"
        if c["spillover_share"]:
            text += f", spill {c['spillover_share']:.1%}"
        if c["throttled_share"]:
            text += f", 429 {c['throttled_share']:.1%}"
        return text
    if result.kind == "aml-online":
        return (f"{c['instances_min_used']}-{c['instances_peak']} inst, {c['instance_hours']:,} inst-h, "
                f"peak util {c['utilization_peak']:.0%}, quota {c['quota_vcpus']} vCPU")
    if result.kind == "aml-batch":
        return f"{c['node_hours']:,.1f} node-h, job {c['job_duration_hours']:.2f} h, quota {c['quota_vcpus']} vCPU"
    return ", ".join(f"{k} {v}" for k, v in c.items())


def evaluation_table(evaluation: Evaluation, scenario: Scenario) -> str:
    cur = evaluation.currency
    header = ["option", "kind", f"monthly {cur}", f"per 1k req {cur}", "p95 ms", "SLO", "deadline", "capacity"]
    rows = []
    for r in evaluation.options:
        rows.append([
            safe(r.name) + (" *" if r.name == evaluation.recommended else ""),
            r.kind,
            f"{r.monthly_cost:,.2f}",
            f"{r.cost_per_1k_requests:,.4f}",
            "-" if r.latency_ms is None else f"{r.latency_ms.p95:,.0f}",
            _verdict(r.meets_slo),
            _verdict(r.meets_deadline),
            _capacity(r),
        ])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    right = {2, 3, 4}

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    w = scenario.workload
    out = [
        safe(evaluation.scenario),
        f"{w.requests_per_month:,.0f} requests/month, {w.traffic.shape} traffic (peak {w.traffic.peak_to_average:g}x mean), "
        f"{evaluation.hours_per_month} h/month",
        "prices: " + safe("; ".join(f"{p.kind} {p.region} as_of {p.as_of}" for p in evaluation.prices)),
        "",
        line(header),
        line(["-" * n for n in widths]),
        *[line(r) for r in rows],
        "",
        f"recommended (*): {safe(evaluation.recommended or 'none - every option fails a stated constraint')}",
    ]
    warned = [(r.name, msg) for r in evaluation.options for msg in r.warnings]
    if warned:
        out += ["", "warnings:"] + [f"  {safe(name)}: {safe(msg)}" for name, msg in warned]
    return "\n".join(out)
