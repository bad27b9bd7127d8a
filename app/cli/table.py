"""The readable table `capplan evaluate` prints, worded like the dashboard and the PDF."""

from __future__ import annotations

from app.cli.terminal import safe
from app.engine import vocabulary as words
from app.engine.comparison import no_recommendation_reasons
from app.engine.registry import option_kind
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario


def _capacity(result: OptionResult) -> str:
    return words.capacity_summary(option_kind(result.kind).capacity_fields, result.capacity)


def evaluation_table(evaluation: Evaluation, scenario: Scenario) -> str:
    cur = evaluation.currency
    header = [words.OPTION, words.KIND, f"{words.MONTHLY_COST} {cur}", f"{words.PER_1K_REQUESTS} {cur}",
              f"p95 {words.MS}", f"{words.P95_FIRST_TOKEN} {words.MS}", words.LATENCY_SLO, words.DEADLINE,
              words.CAPACITY]
    rows = []
    for r in evaluation.options:
        rows.append([
            safe(r.name) + (" *" if r.name == evaluation.recommended else ""),
            r.kind,
            f"{r.monthly_cost:,.2f}",
            f"{r.cost_per_1k_requests:,.4f}",
            words.NOT_AVAILABLE if r.latency_ms is None else f"{r.latency_ms.p95:,.0f}",
            words.NOT_AVAILABLE if r.ttft_ms is None else f"{r.ttft_ms.p95:,.0f}",
            words.verdict(r.meets_slo),
            words.verdict(r.meets_deadline),
            safe(_capacity(r)),
        ])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    right = {2, 3, 4, 5}

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
    ]
    if evaluation.recommended is not None:
        out.append(f"recommended (*): {safe(evaluation.recommended)}")
    else:
        out.append("recommended: none - no option is feasible:")
        out += [f"  {safe(line)}" for line in no_recommendation_reasons(evaluation)]
    failed = [(r.name, f) for r in evaluation.options for f in r.constraints_failed]
    if failed:
        out += ["", "constraints failed:"] + [f"  {safe(name)}: {f.constraint}: {safe(f.message)}" for name, f in failed]
    warned = [(r.name, msg) for r in evaluation.options for msg in r.warnings]
    if warned:
        out += ["", "warnings:"] + [f"  {safe(name)}: {safe(msg)}" for name, msg in warned]
    if evaluation.notes:
        out += ["", "notes:"] + [f"  {safe(note)}" for note in evaluation.notes]
    return "\n".join(out)
