"""Assumptions: every workload input with its unit, and each option's settings as entered."""

from __future__ import annotations

import dataclasses

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from app.engine.vocabulary import TRAFFIC_SHAPES
from app.engine.workload import Workload
from app.report.context import ReportContext, esc
from app.report.formatting import number, percent, plain
from app.report.styles import styles, table_style


def workload_rows(w: Workload, hours_per_month: int) -> list[tuple[str, str, str]]:
    """(input, value, unit) for every workload input; absent optional inputs say so."""
    rows = [
        ("Requests per month", plain(w.requests_per_month), "requests/month"),
        ("Hours per month", plain(hours_per_month), "h"),
        ("Traffic shape", TRAFFIC_SHAPES.get(w.traffic.shape, w.traffic.shape), "–"),
        ("Peak hour to average", plain(w.traffic.peak_to_average), "× mean hourly rate"),
        ("Prompt tokens", plain(w.prompt_tokens), "tokens/request (mean)"),
        ("Completion tokens", plain(w.completion_tokens), "tokens/request (mean)"),
        ("Prompt cache hit rate", percent(w.prompt_cache_hit_rate, 1), "of prompt tokens"),
        ("Result cache hit rate", percent(w.result_cache_hit_rate, 1), "of requests (answered by a gateway cache)"),
        ("Requests reaching the model", number(w.model_requests_per_month), "requests/month"),
        ("Service time", "not set" if w.service_time_ms is None else plain(w.service_time_ms),
         "ms per request on one instance (mean)"),
        ("Service time variability", plain(w.service_time_cv), "coefficient of variation (1 = exponential)"),
        ("Latency SLO", "none" if w.latency_slo_ms is None else plain(w.latency_slo_ms), "ms, p95 at the busiest hour"),
        ("Deadline", "none" if w.deadline_hours is None else plain(w.deadline_hours), "h for batch results"),
    ]
    return rows


def _setting(value: object) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ", ".join(f"{f.name.replace('_', ' ')} {_setting(getattr(value, f.name))}"
                         for f in dataclasses.fields(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return plain(value)
    return str(value)


def option_settings(spec: object) -> str:
    """The option's settings as entered (every field but name and kind), generic over kinds."""
    if not dataclasses.is_dataclass(spec):
        return ""
    parts = []
    for field in dataclasses.fields(spec):
        if field.name in ("name", "kind"):
            continue
        value = getattr(spec, field.name)
        if value is None:
            continue
        parts.append(f"{field.name.replace('_', ' ')}: {_setting(value)}")
    return "; ".join(parts)


def assumptions(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [Paragraph("Assumptions", s.h1), Paragraph(
        "The workload below drives every option. Traffic is spread over the month's hours along the shape, "
        "with the busiest hour at the stated multiple of the average.", s.body)]
    rows: list[list[object]] = [[Paragraph(h, s.cell_head) for h in ("Input", "Value", "Unit")]]
    for label, value, unit in workload_rows(ctx.scenario.workload, ctx.scenario.hours_per_month):
        rows.append([Paragraph(esc(label), s.cell), Paragraph(esc(value), s.cell), Paragraph(esc(unit), s.cell)])
    story.append(Table(rows, colWidths=[width * 0.32, width * 0.28, width * 0.40], style=table_style(), repeatRows=1))
    rows = [[Paragraph(h, s.cell_head) for h in ("Option", "Kind", "Settings")]]
    for spec in ctx.scenario.options:
        rows.append([Paragraph(esc(spec.name), s.cell), Paragraph(esc(ctx.kind_title(spec.kind)), s.cell),
                     Paragraph(esc(option_settings(spec)), s.cell)])
    table = Table(rows, colWidths=[width * 0.25, width * 0.30, width * 0.45], style=table_style(), repeatRows=1)
    story.append(KeepTogether([Paragraph("Options as configured", s.h2), table]))
    return story
