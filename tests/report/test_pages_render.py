"""Every page renders (PDFium) with content on it, on A4 and Letter, with a header, footer and page numbers."""

from __future__ import annotations

import io

import pypdf
import pytest

from app.catalog.loader import library_names, load_scenario
from app.report import build_pdf
from tests.report.conftest import FIXED_TIME, ink_fraction, pdf_text, render_pages

A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)


@pytest.mark.parametrize("name", library_names())
def test_every_page_renders_and_is_not_blank(name, library_pdf):
    pages = render_pages(library_pdf(name))
    assert len(pages) >= 4
    for number, image in enumerate(pages, start=1):
        assert ink_fraction(image) > 0.01, f"page {number} of {name} looks blank"


@pytest.mark.parametrize(("paper", "size"), [("a4", A4_POINTS), ("letter", LETTER_POINTS)])
def test_paper_sizes(paper, size, prices):
    data = build_pdf(load_scenario("rag-knowledge-base", prices), prices, paper, generated_at=FIXED_TIME)
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.1)
    assert all(ink_fraction(image) > 0.01 for image in render_pages(data))


def test_header_footer_and_page_numbers_on_every_page(library_pdf):
    data = library_pdf("rag-knowledge-base")
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert "Prepared 2 November 2026" in text
        if number > 1:
            assert "RAG knowledge-base chatbot" in text and "Inference cost & capacity plan" in text


def test_sections_are_all_there(library_pdf):
    text = pdf_text(library_pdf("onnx-cpu-vs-gpu"))
    for heading in ("Executive summary", "Assumptions", "Options", "Charts", "Method", "Appendix: price lines used"):
        assert heading in text
    # the queueing model is named in the method for online endpoints, with its source
    assert "Erlang C" in text and "Kleinrock" in text
    assert "skus.Standard_F4s_v2.hourly" in text.replace("\u200b", "")


def test_unknown_paper_is_refused(prices):
    with pytest.raises(ValueError, match="paper must be one of a4, letter"):
        build_pdf(load_scenario("rag-knowledge-base", prices), prices, "a5")
