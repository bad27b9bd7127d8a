"""Scenario names in Norwegian and Swedish (and Greek and Cyrillic text) render with their glyphs."""

from __future__ import annotations

import io

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics

from app.report import build_pdf
from app.report.fonts import BOLD, REGULAR, register_fonts
from tests.report.conftest import FIXED_TIME, ink_fraction, pdf_text, render_pages, scenario_from_text

SCENARIO = """\
name: "{name}"
description: "{description}"
workload:
  requests_per_month: 250000
  traffic: {{shape: business_hours, peak_to_average: 2.0}}
  tokens: {{prompt: 800, completion: 300}}
  latency_slo_ms: 2000
options:
  - {{name: "{option}", kind: aoai-standard, model: gpt-4o-mini, deployment: data-zone}}
  - {{name: PTU, kind: aoai-provisioned, model: gpt-4o-mini, deployment: data-zone, ptu: auto, billing: monthly}}
"""

CASES = [
    ("Søknadsbehandling for kommunen", "Saksbehandling av søknader i Bærum og Tromsø: æøå ÆØÅ.",
     "Data Zone Standard (Norge, Sverige)"),
    ("Ärendehantering för Försäkringskassan", "Handläggning av ärenden: åäö ÅÄÖ, Ελληνικά, Русский текст.",
     "Dataområde Standard (Sverige)"),
]


@pytest.mark.parametrize(("name", "description", "option"), CASES)
def test_nordic_scenario_names_render_with_their_glyphs(name, description, option, prices):
    loaded = scenario_from_text(SCENARIO.format(name=name, description=description, option=option), prices)
    data = build_pdf(loaded, prices, "a4", generated_at=FIXED_TIME)

    text = pdf_text(data)
    for expected in (name, description, option):
        assert expected in text  # extracted through the embedded font's ToUnicode map

    register_fonts()
    for font in (REGULAR, BOLD):
        glyphs = pdfmetrics.getFont(font).face.charToGlyph
        missing = {ch for ch in name + description + option if ch.strip() and ord(ch) not in glyphs}
        assert not missing, f"{font} lacks {missing}"

    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all("DejaVu" in font for font in fonts), fonts  # embedded TTF only, no base-14 font

    cover = render_pages(data, scale=1.0)[0]
    assert ink_fraction(cover) > 0.01
