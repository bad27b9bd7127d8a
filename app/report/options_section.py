"""Options in detail: cost breakdown, capacity, latency, SLO and deadline, warnings."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from app.engine import vocabulary as words
from app.engine.registry import capacity_field, cost_label, option_kind
from app.engine.results import OptionResult
from app.report.assumptions import option_settings
from app.report.context import ReportContext, esc
from app.report.fonts import REGULAR
from app.report.formatting import money, money_per_1k, percent
from app.report.styles import styles, table_style

SHARE_DECIMALS = 2  # the PDF prints every share of `capplan evaluate --json` to two decimals of a percent


def _breakdown_table(r: OptionResult, currency: str, width: float) -> Table:
    s = styles()
    rows: list[list[object]] = [[Paragraph("Cost component", s.cell_head),
                                 Paragraph(f"Monthly ({currency})", s.cell_head_right),
                                 Paragraph("Share", s.cell_head_right)]]
    for key, value in r.cost_breakdown.items():
        share = percent(value / r.monthly_cost, 1) if r.monthly_cost > 0 else "–"
        rows.append([Paragraph(esc(cost_label(key)), s.cell),
                     Paragraph(money(value), s.cell_right), Paragraph(share, s.cell_right)])
    rows.append([Paragraph("Total", s.cell_bold), Paragraph(f"<b>{money(r.monthly_cost)}</b>", s.cell_right),
                 Paragraph("", s.cell)])
    rows.append([Paragraph("Per 1,000 requests", s.cell), Paragraph(money_per_1k(r.cost_per_1k_requests), s.cell_right),
                 Paragraph("", s.cell)])
    return Table(rows, colWidths=[width * 0.52, width * 0.28, width * 0.20],
                 style=table_style([("LINEABOVE", (0, -2), (-1, -2), 0.5, "#c9d2dc")]))


def _facts_table(r: OptionResult, ctx: ReportContext, width: float) -> Table:
    s = styles()
    rows: list[list[object]] = [[Paragraph("Capacity and service", s.cell_head), Paragraph("Value", s.cell_head_right),
                                 Paragraph("Unit", s.cell_head)]]
    fields = {f.key: f for f in option_kind(r.kind).capacity_fields}
    for key, value in r.capacity.items():
        field = fields.get(key) or capacity_field(key)
        rows.append([Paragraph(esc(words.capacity_label(field)), s.cell),
                     Paragraph(words.capacity_number(field, value, SHARE_DECIMALS), s.cell_right),
                     Paragraph(esc(words.capacity_unit_note(field)), s.cell)])
    if r.latency_ms is not None:
        for name, value in (("p50", r.latency_ms.p50), ("p95", r.latency_ms.p95), ("p99", r.latency_ms.p99)):
            rows.append([Paragraph(f"Latency {name} (busiest hour)", s.cell), Paragraph(f"{value:,.1f}", s.cell_right),
                         Paragraph(words.MS, s.cell)])
    elif not r.capacity:
        rows.append([Paragraph(words.CAPACITY, s.cell), Paragraph(words.NO_CAPACITY, s.cell_right),
                     Paragraph("", s.cell)])
    w = ctx.scenario.workload
    slo_note = "" if w.latency_slo_ms is None else f" (p95 ≤ {w.latency_slo_ms:,g} ms)"
    deadline_note = "" if w.deadline_hours is None else f" (≤ {w.deadline_hours:,g} h)"
    rows.append([Paragraph(words.LATENCY_SLO + esc(slo_note), s.cell),
                 Paragraph(words.verdict(r.meets_slo), s.cell_right), Paragraph("", s.cell)])
    rows.append([Paragraph(words.DEADLINE + esc(deadline_note), s.cell),
                 Paragraph(words.verdict(r.meets_deadline), s.cell_right), Paragraph("", s.cell)])
    return Table(rows, colWidths=[width * 0.50, width * 0.20, width * 0.30], style=table_style())


def option_block(r: OptionResult, ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    is_rec = r.name == ctx.evaluation.recommended
    title = esc(r.name) + (" <font size=9 color='#1e7b34'>(recommended)</font>" if is_rec else "")
    settings = option_settings(ctx.spec(r.name))
    gap = 12
    left, right = (width - gap) * 0.42, (width - gap) * 0.58
    pair = Table([[_breakdown_table(r, ctx.currency, left), _facts_table(r, ctx, right)]],
                 colWidths=[left + gap, right],
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (0, 0), gap), ("RIGHTPADDING", (1, 0), (1, 0), 0)])
    head: list[Flowable] = [
        CondPageBreak(180),
        Paragraph(title, s.h2),
        Paragraph(esc(ctx.kind_title(r.kind)) + (" — " + esc(settings) if settings else ""), s.muted),
        pair,
    ]
    story: list[Flowable] = [KeepTogether(head)]
    if r.warnings:
        warn = [Paragraph("Warnings", s.cell_bold)]
        warn += [Paragraph(esc(msg), s.bullet, bulletText="⚠") for msg in r.warnings]
        story.append(KeepTogether(warn))
    story.append(Spacer(1, 4))
    return story


def options(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [Paragraph("Options", s.h1), Paragraph(
        "Each option's monthly cost by component, the capacity it needs, its latency where modelled, and how it "
        f"fares against the stated constraints. “{words.NOT_JUDGED}” means the constraint does not apply to that option "
        "or was not stated.", s.body)]
    for r in ctx.evaluation.options:
        story += option_block(r, ctx, width)
    return story
