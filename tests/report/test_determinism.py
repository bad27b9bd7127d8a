"""The same input gives the same bytes apart from the creation date; SOURCE_DATE_EPOCH fixes the date."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pypdf

from app.catalog.loader import load_scenario
from app.report import build_pdf

PDF_DATE = re.compile(rb"D:\d{14}\+00'00'")


def _build(prices, **kwargs) -> bytes:
    return build_pdf(load_scenario("consumer-chatbot-result-cache", prices), prices, "a4", **kwargs)


def test_same_input_same_bytes(prices):
    when = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert _build(prices, generated_at=when) == _build(prices, generated_at=when)


def test_only_the_creation_date_differs(prices, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    morning = _build(prices, generated_at=datetime(2026, 11, 2, 8, 0, 1, tzinfo=UTC))
    evening = _build(prices, generated_at=datetime(2026, 11, 2, 19, 59, 59, tzinfo=UTC))
    assert morning != evening
    assert PDF_DATE.sub(b"D:x", morning) == PDF_DATE.sub(b"D:x", evening)
    assert b"D:20261102080001+00'00'" in morning


def test_source_date_epoch_sets_the_date(prices, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01 00:00:00 UTC
    first = _build(prices)
    second = _build(prices, generated_at=datetime(2030, 1, 1, tzinfo=UTC))  # the environment wins
    assert first == second
    metadata = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert metadata["/CreationDate"].startswith("D:20261101000000")
    assert "Prepared 1 November 2026" in pypdf.PdfReader(io.BytesIO(first)).pages[0].extract_text()
