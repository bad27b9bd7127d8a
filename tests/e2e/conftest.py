"""Fixtures for browser tests: one dashboard server and one Chromium for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.dashboard_server import ROOT, dashboard, launch_chromium

SCREENSHOTS = ROOT / "screenshots" / "dashboard"
expect.set_options(timeout=60_000)  # the first render imports plotly and pandas on a busy 2-core machine


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with dashboard() as url:
        yield url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
