"""The scenario PDF report (reportlab layout; charts from app.charts rendered with matplotlib).

    from app.report import build_pdf
    pdf_bytes = build_pdf(loaded_scenario, prices, paper="a4")   # or "letter"
"""

from app.report.builder import build_pdf, report_context, report_file_name, write_pdf

__all__ = ["build_pdf", "report_context", "report_file_name", "write_pdf"]
