"""Appendix: every price line the options were priced from, with its sheet and date."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.engine.registry import spec_kind
from app.report.context import ReportContext, esc
from app.report.styles import BAND, styles, table_style

FRACTIONS = (0.50, 0.16, 0.34)


def _breakable(key: str) -> str:
    """A key path that may wrap after its dots (a zero-width space after each)."""
    return esc(key).replace(".", ".\u200b")


def appendix(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [Paragraph("Appendix: price lines used", s.h1), Paragraph(
        "The entries of the price sheets each option was priced from. Key paths are as written in the sheet "
        "files; the dates are the sheets' as_of dates.", s.body)]
    col_widths = [width * f for f in FRACTIONS]
    for index, spec in enumerate(ctx.scenario.options):
        lines = spec_kind(spec).price_lines(spec, ctx.prices)
        sheets = sorted({(line.sheet.path, line.sheet.as_of) for line in lines})
        where = "; ".join(f"{esc(path)} (as of {esc(as_of)})" for path, as_of in sheets)
        title = f"<b>{esc(spec.name)}</b>" + (f" — {where}" if where else "")
        rows: list[list[object]] = [[Paragraph(title, s.cell), "", ""],
                                    [Paragraph("Price line", s.cell_head), Paragraph("Value", s.cell_head_right), Paragraph("Unit", s.cell_head)]]
        if not lines:
            rows.append([Paragraph("no price lines for this kind of option; its sheets are listed on the cover",
                                   s.cell), "", ""])
        for line in lines:
            rows.append([Paragraph(_breakable(line.key), s.cell), Paragraph(esc(line.value), s.cell_right),
                         Paragraph(esc(line.unit), s.cell)])
        table = Table(rows, colWidths=col_widths, style=table_style(
            [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), "#dfe7f1"),
             ("BACKGROUND", (0, 1), (-1, 1), BAND)], header_rows=0), repeatRows=2)
        # The gap goes before a table, not after: a gap after the last one could spill onto a page of its own.
        story += ([Spacer(1, 6)] if index else []) + [KeepTogether([table])]
    return story
