"""Hostile links in Debian's Chromium: option names that are Markdown images and links, HTML anchors and
styles are shown as text on every page; no <img>/<a> is built from a name, the visitor's browser
requests nothing from the address in a name, no JavaScript error or stack trace, and the server's
memory stays bounded for the worst link (issue 19; the non-browser cases are in tests/security/)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from app.ui.scenario_state import encode_state
from tests.bench.tiny_models import write_scale_model
from tests.e2e.dashboard_server import MAIN, streamlit_server

pytestmark = pytest.mark.e2e

TRAP = "127.0.0.1:1"  # nothing listens there; a request to it means a name was turned into a link or an image
MARKDOWN_NAME = f"![b](http://{TRAP}/x.png) [phish](http://{TRAP}/p)"
LINK_NAME = f"<a href='http://{TRAP}/p'>click</a>"
HUGE_NAME = "<span style='font-size:200px'>huge</span>"
METRIC = '[data-testid="stMetric"]'
SERVER_GROWTH_BOUND_MB = 100  # docs/dashboard.md "Hostile input": a session costs the server at most this (measured ~10 MB)


def hostile_link(online_options: int = 0) -> str:
    options: list[dict[str, Any]] = [
        {"name": MARKDOWN_NAME, "kind": "aoai-standard", "model": "gpt-5-mini", "deployment": "global"},
        {"name": LINK_NAME, "kind": "aoai-provisioned", "model": "gpt-5-mini", "deployment": "global", "ptu": "auto",
         "spillover": True},
        {"name": HUGE_NAME, "kind": "aoai-batch", "model": "gpt-5-mini"},
    ]
    options += [{"name": f"Online {i}", "kind": "aml-online", "sku": "Standard_DS3_v2", "concurrency": 1024,
                 "autoscale": {"min": 1, "max": 10000, "target_utilization": 0.7}} for i in range(online_options)]
    scenario = {"name": MARKDOWN_NAME, "description": f"{LINK_NAME} {HUGE_NAME} Budget $5k to $8k",
                "hours_per_month": 744,
                "workload": {"requests_per_month": 1e12 if online_options else 1e6,
                             "traffic": {"shape": "diurnal", "peak_to_average": 2.0},
                             "tokens": {"prompt": 2_000_000 if online_options else 1500, "completion": 500},
                             "service_time_ms": 3_600_000 if online_options else 25,
                             # results may wait a day: the Batch API (the tag-named option) is eligible and cheapest
                             "deadline_hours": 24},
                "options": options}
    return "state=" + encode_state(yaml.safe_dump(scenario, sort_keys=False))


def shown(text: str) -> str:
    """Visible text: without the zero-width spaces that keep Streamlit from auto-linking addresses."""
    return text.replace("\u200b", "")


def rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, value = line.split(":")
            fields[name] = int(value.split()[0]) / 1024
    return fields


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data = tmp_path_factory.mktemp("hostile-data")
    with streamlit_server(MAIN, {"CAPPLAN_DATA_DIR": str(data)}) as (base, process):
        yield base, process.pid


@pytest.fixture
def visitor(browser):  # type: ignore[no-untyped-def]
    """A page that records every request, every JavaScript error and every console error."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    page = context.new_page()
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "failed": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("response", lambda response: seen["failed"].append(response.url) if response.status >= 400 else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
    yield page, seen
    context.close()


def assert_nothing_built_from_names(page, seen: dict[str, list[str]]) -> None:  # type: ignore[no-untyped-def]
    assert page.locator(f'img[src*="{TRAP}"]').count() == 0
    assert page.locator(f'a[href*="{TRAP}"]').count() == 0
    assert page.locator('[style*="font-size:200px"], [style*="font-size: 200px"]').count() == 0
    assert [url for url in seen["requests"] if TRAP in url] == []
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Something went wrong" not in body
    # Streamlit itself probes <page>/_stcore/health and host-config on a page's own path (404, on any link)
    assert [e for e in seen["errors"] if "WebSocket" not in e and "Failed to load resource" not in e] == [], seen["errors"]
    assert [url for url in seen["failed"] if "/_stcore/" not in url] == [], seen["failed"]


def test_a_hostile_link_shows_names_as_text_in_the_studio(server, visitor):
    base, _pid = server
    page, seen = visitor
    page.goto(f"{base}/?{hostile_link()}")
    expect(page.locator(METRIC).filter(has_text="Monthly cost")).to_be_visible()
    page.locator(".js-plotly-plot .trace").first.wait_for()
    assert shown(page.locator("h1").first.inner_text()) == MARKDOWN_NAME  # the characters, not an image and a link
    expect(page.locator(METRIC).filter(has_text="Recommended")).to_contain_text(HUGE_NAME)  # the tag, as text
    plot = page.locator(".js-plotly-plot").first
    assert LINK_NAME in plot.inner_text() or "<a href=" in plot.text_content()  # the tag, shown as text
    assert plot.locator("a").count() == 0
    assert_nothing_built_from_names(page, seen)


def test_a_hostile_link_shows_names_as_text_in_explore(server, visitor):
    base, _pid = server
    page, seen = visitor
    page.goto(f"{base}/explore?{hostile_link()}")
    page.get_by_text("Break-even: which option is cheapest at which volume").wait_for()
    page.locator(".js-plotly-plot .trace").first.wait_for()
    page.locator("h1").first.wait_for()
    assert shown(page.locator("h1").first.inner_text()) == f"Explore: {MARKDOWN_NAME}"
    assert_nothing_built_from_names(page, seen)


def test_hostile_onnx_input_names_are_shown_as_text(server, visitor, tmp_path):
    base, _pid = server
    page, seen = visitor
    model = write_scale_model(tmp_path / "hostile.onnx", dims=("batch", "seq"))
    import onnx

    proto = onnx.load(str(model))
    proto.graph.input[0].name = MARKDOWN_NAME
    proto.graph.node[0].input[0] = MARKDOWN_NAME
    onnx.save_model(proto, str(model))
    page.goto(f"{base}/benchmark")
    page.get_by_text("Your own model (.onnx, up to 1 GB)").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(model))
    page.get_by_role("button", name="Check and keep this model").click()
    expect(page.get_by_text("Kept hostile.onnx")).to_be_visible()
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    assert f"{MARKDOWN_NAME} float32[batch, seq]" in shown(success.inner_text())
    assert_nothing_built_from_names(page, seen)


def test_the_worst_link_keeps_the_server_within_its_memory_bound(server, visitor, capsys):
    """The most expensive link the schema allows (20 options, 17 of them online endpoints autoscaling to
    10,000 instances × 1,024 concurrent requests, 1e12 requests of 2M-token prompts): Studio, then Explore."""
    base, pid = server
    page, seen = visitor
    page.goto(f"{base}/?scenario=rag-knowledge-base")  # a normal visit first: the server's imports are done
    expect(page.locator(METRIC).filter(has_text="Monthly cost")).to_be_visible()
    before = rss_mb(pid)
    link = hostile_link(online_options=17)
    page.goto(f"{base}/?{link}")
    expect(page.locator(METRIC).filter(has_text="Monthly cost")).to_be_visible()
    page.goto(f"{base}/explore?{link}")
    page.get_by_text("Online endpoint: instances against latency").wait_for()
    # the endpoint section says why it has no chart: no instance count keeps up with this link's peak
    expect(page.get_by_text("even 10000 instances cannot keep up with the peak hour")).to_be_visible(timeout=240_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(4)
    after = rss_mb(pid)
    with capsys.disabled():
        sys.stdout.write(f"\nserver RSS for the worst link: {json.dumps({'before': before, 'after': after})}\n")
    assert_nothing_built_from_names(page, seen)
    assert after["VmHWM"] - before["VmRSS"] < SERVER_GROWTH_BOUND_MB, (before, after)
