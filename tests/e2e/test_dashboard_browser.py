"""The dashboard in Debian's Chromium: embed mode, a slider, shared links, uploads, bad links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

COST = '[data-testid="stMetricValue"]'


def _metric(page, label: str):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator(COST)


def test_embedded_studio_slider_recomputes_and_the_link_reproduces_it(page, base_url, browser):
    page.goto(f"{base_url}/?embed=true")
    expect(_metric(page, "Monthly cost")).to_have_text("$8,181.25")  # Data Zone Standard (EU residency)
    page.locator(".js-plotly-plot .trace").first.wait_for()
    assert page.locator('[data-testid="stToolbar"]').count() == 0 or not page.locator(
        '[data-testid="stToolbar"]').is_visible()
    slider = page.get_by_role("slider", name="Prompt-cache hit rate (share of prompt tokens)")
    slider.focus()
    page.keyboard.press("Home")  # 0.00: no prompt cache
    # Data Zone Standard: 1M · 1500 · 2.75 / 1M + 1M · 500 · 11 / 1M = 4,125 + 5,500
    expect(_metric(page, "Monthly cost")).to_have_text("$9,625.00")
    expect(page).to_have_url(re.compile(r"[?&]prompt_cache=0(&|$)"))
    shared = page.url
    assert "embed=true" in shared and "scenario=rag-knowledge-base" in shared
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(shared)
    expect(_metric(other, "Monthly cost")).to_have_text("$9,625.00")
    expect(_metric(other, "Recommended")).to_have_text("Data Zone Standard")
    other.context.close()


def test_a_path_in_the_scenario_parameter_gives_a_message(page, base_url):
    page.goto(f"{base_url}/?scenario=..%2F..%2Fpricing%2Fazure-openai")
    expect(page.get_by_text("not in the library").first).to_be_visible()
    expect(_metric(page, "Monthly cost")).to_have_text("$8,181.25")


def test_uploading_a_malformed_yaml_shows_the_error(page, base_url, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: Broken\nworkload:\n  requests_per_month: -3\noptions:\n"
                   "  - {name: A, kind: aoai-standard, model: gpt-9}\n")
    page.goto(f"{base_url}/library")
    page.get_by_text("Upload a scenario").wait_for()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    expect(page.get_by_text("upload broken.yaml was not loaded")).to_be_visible()
    expect(page.get_by_text("workload.requests_per_month").first).to_be_visible()


def test_download_then_upload_round_trips(page, base_url, tmp_path):
    page.goto(f"{base_url}/library?scenario=steady-ptu-sizing&requests=20000000")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as YAML").click()
    saved = tmp_path / "download.yaml"
    info.value.save_as(saved)
    page.goto(f"{base_url}/?scenario=steady-ptu-sizing&requests=20000000")
    expected = _metric(page, "Monthly cost")
    expected.wait_for()
    before = expected.inner_text()
    page.goto(f"{base_url}/library")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(saved))
    expect(page.get_by_text("Loaded Steady high-volume PTU sizing")).to_be_visible()
    page.get_by_role("link", name="Open it in the Studio").click()
    expect(_metric(page, "Monthly cost")).to_have_text(before)


@pytest.mark.parametrize("path", ["", "explore", "library", "prices"])
@pytest.mark.parametrize("mode", ["normal", "embed", "present"])
def test_every_page_renders_and_is_screenshotted(page, base_url, screenshots, path, mode):
    query = {"normal": "", "embed": "?embed=true", "present": "?present=1"}[mode]
    page.set_viewport_size({"width": 1400, "height": 2300})  # Streamlit scrolls inside its main area
    page.goto(f"{base_url}/{path}{query}")
    wait_for = {"": "Monthly cost", "explore": "Break-even", "library": "Scenario library", "prices": "Azure OpenAI"}[path]
    page.get_by_text(wait_for).first.wait_for()
    # prices: Azure OpenAI tokens, PTU rates, PTU parameters, compute SKUs, and the sheet versions of the
    # price-refresh panel
    tables = {"": 0, "explore": 0, "library": 1, "prices": 5}[path]  # data grids
    static_tables = {"": 1, "explore": 0, "library": 0, "prices": 0}[path]  # the Studio's options table
    charts = {"": 1, "explore": 4, "library": 0, "prices": 0}[path]
    if tables:
        expect(page.locator('[data-testid="stDataFrame"] canvas').first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(tables)
    expect(page.locator('[data-testid="stTable"]')).to_have_count(static_tables)
    expect(page.locator(".js-plotly-plot")).to_have_count(charts)
    for index in range(charts):
        page.locator(".js-plotly-plot").nth(index).locator(".trace").first.wait_for()
    if path == "library" and mode != "present":
        page.get_by_role("button", name="Download as YAML").wait_for()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    page.screenshot(path=str(screenshots / f"{path or 'studio'}-{mode}.png"), full_page=True)


def test_editor_tabs_keep_edits_and_the_link(page, base_url):
    """Only the open editor tab is drawn; an edit made in one tab survives a visit to the others."""
    page.goto(f"{base_url}/?scenario=rag-knowledge-base")
    expect(_metric(page, "Monthly cost")).to_have_text("$8,181.25")
    requests = page.get_by_role("spinbutton", name="Requests per month")
    requests.fill("2000000")
    requests.press("Enter")
    expect(_metric(page, "Monthly cost")).to_have_text("$16,362.50")  # twice the figure: linear in volume
    page.get_by_role("tab", name="Latency & constraints").click()
    expect(page.get_by_role("spinbutton", name="Latency SLO, p95 (ms)")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Requests per month")).to_have_count(0)
    page.get_by_role("tab", name="Options").click()
    expect(page.get_by_role("button", name="Add option")).to_be_visible()
    page.get_by_role("tab", name="Traffic & tokens").click()
    expect(page.get_by_role("spinbutton", name="Requests per month")).to_have_value("2000000")
    expect(_metric(page, "Monthly cost")).to_have_text("$16,362.50")
    expect(page).to_have_url(re.compile(r"[?&]requests=2000000(&|$)"))


def test_charts_draw_with_the_vendored_bundle_loaded_once_per_page(page, base_url):
    """No Streamlit PlotlyChart chunk; the basic bundle comes once from static serving for four charts;
    a rerun redraws a chart in place; charts fill the width at their layout's height and answer hovers."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base_url}/explore")
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(4)
    for index in range(4):
        charts.nth(index).locator(".trace").first.wait_for()
    tornado = charts.filter(has_text="Sensitivity of")
    expect(tornado.locator(".gtitle")).to_have_text("Sensitivity of Data Zone Standard to ±20% on each input")
    tornado.evaluate("div => { div.dataset.before = 'yes'; }")
    choice = page.get_by_role("combobox", name="Option")
    choice.scroll_into_view_if_needed()  # a click while Streamlit's main area scrolls does not open the list
    choice.click()
    page.locator("[role=option]").filter(has_text="Global Batch").click()
    expect(tornado.locator(".gtitle")).to_have_text("Sensitivity of Global Batch to ±20% on each input")
    assert tornado.get_attribute("data-before") == "yes"  # the same plot, updated by Plotly.react
    bundles = [url for url in requests if url.endswith("/app/static/plotly-basic.min.js")]
    assert bundles == [f"{base_url}/app/static/plotly-basic.min.js"]
    assert not [url for url in requests if "PlotlyChart" in url]
    first = charts.first
    box = first.bounding_box()
    assert box is not None and box["height"] == pytest.approx(430, abs=2) and box["width"] > 800
    first.scroll_into_view_if_needed()
    point = first.locator(".trace .point").nth(20).bounding_box()  # a point of the break-even chart
    assert point is not None
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)  # plotly's drag layer is on top
    expect(first.locator(".hoverlayer .hovertext").first).to_be_visible()
