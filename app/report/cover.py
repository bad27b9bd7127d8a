"""The cover page: what was planned, when, and from which prices and data."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.report.context import ReportContext, esc
from app.report.formatting import long_date
from app.report.styles import styles, table_style

REPORT_TITLE = "Inference cost & capacity plan"


def cover(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        Spacer(1, 40),
        Paragraph(esc(REPORT_TITLE).upper(), s.muted),
        Spacer(1, 6),
        Paragraph(esc(ctx.scenario.name), s.title),
    ]
    if ctx.scenario.description.strip():
        story.append(Paragraph(esc(ctx.scenario.description.strip()), s.subtitle))
    story += [
        Paragraph(f"Prepared {esc(long_date(ctx.generated_at))} with capplan from {esc(ctx.source)}.", s.body),
        Spacer(1, 18),
        Paragraph("Price sheets", s.h2),
    ]
    rows: list[list[object]] = [[Paragraph(h, s.cell_head) for h in ("Sheet", "Region", "As of", "Source")]]
    for ref in ctx.sheets():
        rows.append([
            Paragraph(f"{esc(ref.kind)}<br/><font size=7>{esc(ref.path)}</font>", s.cell),
            Paragraph(esc(ref.region), s.cell),
            Paragraph(esc(ref.as_of), s.cell),
            Paragraph(esc(ref.source), s.cell),
        ])
    story.append(Table(rows, colWidths=[width * 0.24, width * 0.11, width * 0.13, width * 0.52],
                       style=table_style(), repeatRows=1))
    story += [Spacer(1, 12), Paragraph("Data sources", s.h2)]
    w = ctx.scenario.workload
    basis = (f"Workload figures as entered in the scenario ({esc(ctx.source)}): "
             f"{w.requests_per_month:,.0f} requests a month on a {esc(w.traffic.shape.replace('_', ' '))} traffic "
             f"shape over {ctx.scenario.hours_per_month} hours.")
    story.append(Paragraph(basis, s.bullet, bulletText="•"))
    for ref in ctx.sheets():
        if ref.kind == "azure-openai-service":
            story.append(Paragraph(
                f"Azure OpenAI latency figures and quotas from {esc(ref.path)}, as of {esc(ref.as_of)}: published "
                "latency targets and quotas (Microsoft Learn), measured medians of Azure endpoints (Artificial "
                "Analysis) and stated planning assumptions, each with its source in Method and under each option.",
                s.bullet, bulletText="•"))
    if ctx.data_sources:
        story += [Paragraph(esc(item), s.bullet, bulletText="•") for item in ctx.data_sources]
    else:
        story.append(Paragraph("No telemetry window or benchmark run was used: service times and traffic are "
                               "the planner's estimates.", s.bullet, bulletText="•"))
    story += [
        Spacer(1, 18),
        Paragraph("All amounts are list prices in " + esc(ctx.currency) + " per month unless stated otherwise; "
                  "every figure is computed by the capplan planning engine from the inputs and price lines listed "
                  "in this report (see Method and the appendix).", s.muted),
    ]
    return story
