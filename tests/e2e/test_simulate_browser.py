"""The Simulate page in Debian's Chromium, inside the whole dashboard: the default view renders its
totals and charts. Uses the session's one server and one browser (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.mark.e2e
def test_default_view_in_chromium(base_url: str, page, screenshots) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url.rstrip("/") + "/simulate", timeout=120_000)
    page.wait_for_selector("text=Slow rule as deployed: SLO-violating minutes", timeout=120_000)
    page.wait_for_selector(".js-plotly-plot .trace", timeout=120_000)
    assert page.locator(".js-plotly-plot").count() == 5
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(screenshots / "simulate.png"), full_page=True)
