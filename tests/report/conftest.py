"""Shared helpers for the PDF tests: build real reports, read them back with pypdf and pypdfium2."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pypdf
import pypdfium2 as pdfium
import pytest

from app.catalog.loader import LoadedScenario, load_price_book, load_scenario, parse_scenario_text
from app.engine.prices import PriceBook
from app.report import build_pdf

FIXED_TIME = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def prices() -> PriceBook:
    return load_price_book()


@pytest.fixture(scope="session")
def library_pdf(prices: PriceBook) -> Callable[[str], bytes]:
    """PDF bytes of a library scenario (A4, fixed date), built once per session."""
    cache: dict[str, bytes] = {}

    def build(name: str) -> bytes:
        if name not in cache:
            cache[name] = build_pdf(load_scenario(name, prices), prices, "a4", generated_at=FIXED_TIME)
        return cache[name]

    return build


def scenario_from_text(text: str, prices: PriceBook) -> LoadedScenario:
    return parse_scenario_text(text, "upload", prices)


def pdf_text(data: bytes) -> str:
    """All text of the PDF, whitespace collapsed (table cells become space separated)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def render_pages(data: bytes, scale: float = 0.6) -> list[object]:
    """Every page rendered to a PIL image by PDFium."""
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=scale).to_pil() for page in document]
    finally:
        document.close()


def ink_fraction(image: object) -> float:
    """Share of pixels that are not near-white."""
    grey = image.convert("L")  # type: ignore[attr-defined]
    histogram = grey.histogram()
    dark = sum(histogram[:235])
    return dark / sum(histogram)
