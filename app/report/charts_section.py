"""Charts: the dashboard's chart definitions, rendered with matplotlib as vector graphics."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from app.report.context import ReportContext
from app.report.styles import styles


def charts(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    return [Paragraph("Charts", s.h1)]
