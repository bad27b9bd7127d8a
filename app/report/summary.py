"""Executive summary: the recommendation in plain words, the comparison and the constraints."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.engine import vocabulary as words
from app.engine.explore import savings_against_alternatives
from app.engine.results import OptionResult
from app.report.context import ReportContext, esc, names
from app.report.formatting import money, money_per_1k, number, percent
from app.report.styles import BAD, GOOD, MUTED, styles, table_style


def constraint_status(result: OptionResult, constraints_stated: bool = True) -> str:
    """Met or failed constraints in words (from the engine's verdicts, nothing recomputed)."""
    failed = []
    throttled = float(result.capacity.get("throttled_share", 0.0))
    if throttled > 0:
        failed.append(f"throttles {percent(throttled)} of demand (HTTP 429)")
    elif result.meets_slo is False:
        failed.append("fails the latency SLO")
    if result.meets_deadline is False:
        failed.append("misses the deadline")
    if failed:
        return "; ".join(failed)
    met = []
    if result.meets_slo:
        met.append("meets the latency SLO")
    if result.meets_deadline:
        met.append("meets the deadline")
    if met:
        return "; ".join(met)
    return words.NOT_JUDGED if constraints_stated else "no constraint stated"


def _hex(color: Color) -> str:
    return "#" + color.hexval()[2:]


def constraints_sentence(ctx: ReportContext) -> str:
    w = ctx.scenario.workload
    parts = []
    if w.latency_slo_ms is not None:
        parts.append(f"a p95 latency of at most {w.latency_slo_ms:,g} ms at the busiest hour (online options)")
    if w.deadline_hours is not None:
        parts.append(f"batch results within {w.deadline_hours:,g} hours")
    if not parts:
        return ("The scenario states no latency target and no deadline, so the options are compared on cost; "
                "provisioned options must still not throttle requests.")
    return "The scenario requires " + " and ".join(parts) + "; provisioned options must not throttle requests."


def _stated(ctx: ReportContext) -> bool:
    w = ctx.scenario.workload
    return w.latency_slo_ms is not None or w.deadline_hours is not None


def _recommendation(ctx: ReportContext) -> list[str]:
    cur = ctx.currency
    options = ctx.evaluation.options
    rec = ctx.recommended
    if rec is None:
        cheapest = min(options, key=lambda r: r.monthly_cost)
        return [
            f"<b>No option meets every stated constraint.</b> Of the {len(options)} options compared, the cheapest "
            f"is {names([cheapest.name])} at {money(cheapest.monthly_cost, cur)} a month, but it "
            f"{esc(constraint_status(cheapest))}. Relax a constraint or add capacity, then compare again; the "
            "warnings under Options say what fails and by how much.",
        ]
    others = [r for r in options if r.name != rec.name]
    status = constraint_status(rec, _stated(ctx))
    if status.startswith("meets"):
        verdict = f" It {esc(status)}."
    elif _stated(ctx):
        verdict = " The stated constraints are not judged for this kind of option (see the note under the table)."
    else:
        verdict = ""
    text = [
        f"<b>We recommend {names([rec.name])}</b>: {esc(ctx.kind_title(rec.kind))}. It costs "
        f"<b>{money(rec.monthly_cost, cur)} a month</b>, {money_per_1k(rec.cost_per_1k_requests, cur)} per 1,000 "
        f"requests.{verdict}",
    ]
    if not others:
        text.append("It is the only option in the scenario.")
        return text
    savings = {saving.option: saving for saving in savings_against_alternatives(ctx.evaluation)}
    pricier = sorted((r for r in others if savings[r.name].monthly_saving >= 0), key=lambda r: r.monthly_cost)
    cheaper_failing = [r for r in others if savings[r.name].monthly_saving < 0]
    if not cheaper_failing:
        text.append(f"It is the cheapest of the {len(options)} options compared.")
    else:
        text.append("It is the cheapest option that meets every stated constraint. Cheaper options fail one: "
                    + "; ".join(f"{names([r.name])} {esc(constraint_status(r))}" for r in cheaper_failing) + ".")
    if pricier:
        parts = []
        for r in pricier:
            saving = savings[r.name]
            share = "" if saving.share is None else f" ({percent(saving.share, 1)})"
            parts.append(f"{money(saving.monthly_saving, cur)} a month{share} against {names([r.name])}")
        text.append("Against the alternatives it saves " + "; ".join(parts) + ".")
    return text


def summary(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    cur = ctx.currency
    story: list[Flowable] = [Paragraph("Executive summary", s.h1)]
    story += [Paragraph(t, s.body) for t in _recommendation(ctx)]
    story.append(Paragraph(esc(constraints_sentence(ctx)), s.body))
    w = ctx.scenario.workload
    story.append(Paragraph(
        f"Workload: {w.requests_per_month:,.0f} requests a month"
        + (f", {number(w.prompt_tokens)} prompt and {number(w.completion_tokens)} completion tokens per request"
           if w.prompt_tokens or w.completion_tokens else "")
        + (f", {w.service_time_ms:,g} ms of model time per request" if w.service_time_ms is not None else "")
        + f", peak hour {w.traffic.peak_to_average:g}× the average.", s.body))

    head = ["Option", f"Monthly ({cur})", f"Per 1k requests ({cur})", f"Difference ({cur})", "p95 latency",
            "Constraints"]
    rows: list[list[object]] = [[Paragraph(h, s.cell_head_right if 0 < i < 5 else s.cell_head)
                                 for i, h in enumerate(head)]]
    rec = ctx.recommended
    savings = {saving.option: saving.monthly_saving for saving in savings_against_alternatives(ctx.evaluation)}
    marks: list[tuple[object, ...]] = []
    for i, r in enumerate(ctx.evaluation.options, start=1):
        is_rec = rec is not None and r.name == rec.name
        delta = "–" if r.name not in savings else f"{savings[r.name]:+,.2f}".replace("-", "−")
        latency = "–" if r.latency_ms is None else f"{r.latency_ms.p95:,.0f} ms"
        status = constraint_status(r, _stated(ctx))
        failing = r.fails_a_constraint or float(r.capacity.get("throttled_share", 0.0)) > 0
        rows.append([
            Paragraph(f"<b>{esc(r.name)}</b><br/><font size=7 color='#1e7b34'>recommended</font>" if is_rec
                      else esc(r.name), s.cell),
            Paragraph(money(r.monthly_cost), s.cell_right),
            Paragraph(money_per_1k(r.cost_per_1k_requests), s.cell_right),
            Paragraph(delta, s.cell_right),
            Paragraph(latency, s.cell_right),
            Paragraph(f"<font color='{_hex(BAD if failing else GOOD if status.startswith('meets') else MUTED)}'>"
                      f"{esc(status)}</font>", s.cell),
        ])
        if is_rec:
            marks.append(("BACKGROUND", (0, i), (-1, i), "#e8f1fb"))
    fractions = (0.24, 0.12, 0.12, 0.13, 0.10, 0.29)
    table = Table(rows, colWidths=[width * f for f in fractions], style=table_style(marks), repeatRows=1)
    story.append(KeepTogether([Paragraph("Options compared", s.h2), table, Spacer(1, 4), Paragraph(
        f"Difference: each option's monthly cost minus the recommended option's, in {esc(cur)}. "
        f"p95 latency at the busiest hour, where the model gives one (Azure ML online endpoints). “{words.NOT_JUDGED}”: "
        "the planner has no latency model for Azure OpenAI pay-per-token and provisioned deployments (Microsoft "
        "publishes none), and a deadline applies to batch options only.", s.muted)]))
    return story
