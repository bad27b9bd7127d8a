"""Hostile names reach every page as text: no Markdown link, image, HTML or style built from them.

The dashboard runs through Streamlit's AppTest (the real page scripts) in a capped child; every
text Streamlit would render as Markdown (titles, metrics, alerts, captions, table cells) is put
through a CommonMark + GFM renderer (markdown-it-py) and must produce no <a>, <img> or raw HTML. The
plotly figures must carry the names HTML-escaped. The real browser checks the same in
test_hostile_browser.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from app.ui.scenario_state import encode_state
from tests.security.conftest import HUGE_NAME, LINK_NAME, MARKDOWN_NAME, ROOT, capped
from tests.ui.charts import figures

MAIN = str(ROOT / "app" / "ui" / "main.py")
RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # raw HTML on, as a hostile page would want


@pytest.fixture(scope="module", autouse=True)
def warm_imports() -> None:
    """Run the pages once in this process before any case forks: the libraries a page imports on first
    use (pandas' table code, plotly's JSON) are then loaded, and each capped child's budget measures
    what the case itself allocates."""
    for page in (None, "views/explore.py", "views/benchmark.py"):
        page_report(page, {"scenario": "rag-knowledge-base"})


def hostile_scenario(name: str = MARKDOWN_NAME) -> dict[str, Any]:
    return {
        "name": name,
        "description": "Described as ![x](http://127.0.0.1:1/d.png) <img src=x onerror=alert(1)> $5k to $8k",
        "workload": {"requests_per_month": 1_000_000, "traffic": {"shape": "business_hours", "peak_to_average": 3.0},
                     "tokens": {"prompt": 1500, "completion": 500}, "caching": {"prompt_cache_hit_rate": 0.7},
                     "service_time_ms": 25, "latency_slo_ms": 2000},
        "options": [
            {"name": MARKDOWN_NAME, "kind": "aoai-standard", "model": "gpt-4o", "deployment": "global"},
            {"name": LINK_NAME, "kind": "aoai-provisioned", "model": "gpt-4o", "deployment": "global",
             "ptu": "auto", "billing": "monthly", "spillover": True},
            {"name": HUGE_NAME, "kind": "aml-online", "sku": "Standard_DS3_v2",
             "autoscale": {"min": 1, "max": 10, "target_utilization": 0.7}, "concurrency": 4},
            {"name": "Budget $5k to $8k :red[alert] :smile:", "kind": "aoai-batch", "model": "gpt-4o"},
        ],
    }


def state_link(scenario: dict[str, Any]) -> str:
    return encode_state(yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True))


def markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
        texts += [str(e.value) for e in at.get(kind)]
    for metric in at.metric:
        texts += [str(metric.label), str(metric.value)]
    for table in at.table:
        frame = table.value
        texts += [str(v) for v in frame.index] + [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return texts


def page_report(page: str | None, params: dict[str, str]) -> dict[str, Any]:
    """Run one page with link parameters; what a visitor's browser would get from it."""
    at = AppTest.from_file(MAIN, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    at.run()
    texts = markdown_texts(at)
    html = [RENDER.render(t) for t in texts]
    return {"exception": [str(e.value) for e in at.exception], "texts": texts, "html": html,
            "figures": json.dumps(figures(at))}


BUILT_FROM_NAMES = ("<a ", "<img", "<span", "<script", "<iframe", "<style", "<h1", "<h2", "<table")


def assert_shown_as_text(report: dict[str, Any]) -> None:
    assert report["exception"] == [], report["exception"]
    for text, html in zip(report["texts"], report["html"], strict=True):
        for tag in BUILT_FROM_NAMES:
            assert tag not in html, (tag, text, html)
    joined = "\n".join(report["texts"])
    assert "Traceback" not in joined and "Something went wrong" not in joined
    figures_json = report["figures"]  # raw tags never reach plotly.js: the names arrive HTML-escaped
    assert "<a " not in figures_json and "<span" not in figures_json and "<img" not in figures_json


@pytest.mark.parametrize("page", [None, "views/explore.py", "views/library.py"])
def test_a_hostile_state_link_is_shown_as_text(sandbox, page):
    report = capped(page_report, page, {"state": state_link(hostile_scenario())}, memory_mb=600, timeout_s=120)
    assert_shown_as_text(report)
    joined = "\n".join(report["texts"])
    assert "could not be used" not in joined  # the link was valid: it is shown, as text
    if page is None:  # the Studio: the names are there, as text
        assert any(t.startswith("\\!\\[b\\]\\(http") for t in report["texts"]), report["texts"][:5]
        assert "&lt;a href=&#x27;" in report["figures"] or "&lt;a href='http" in report["figures"]


def test_a_hostile_library_upload_is_shown_as_text(sandbox):
    upload = yaml.safe_dump(hostile_scenario(LINK_NAME), sort_keys=False).encode()

    def run() -> dict[str, Any]:
        from app.catalog.loader import parse_scenario_text
        from app.ui import data

        # the Library's upload path: the same parse and the same hand-over to the Studio
        loaded = parse_scenario_text(upload, "upload hostile.yaml", data.price_book())
        from app.catalog.scenario_yaml import scenario_data

        return page_report(None, {"state": state_link(scenario_data(loaded.file))})

    assert_shown_as_text(capped(run, memory_mb=600, timeout_s=120))


def test_a_planted_benchmark_record_with_hostile_names_is_shown_as_text(sandbox):
    """ONNX input names and model names reach the Benchmark page's captions and alerts."""
    from app.bench.store import ResultStore, new_run_id

    tmp_path = sandbox.data
    summary = {"count": 3, "mean": 2.0, "stdev": 1.0, "cv": 0.5, "min": 1.0, "max": 3.0, "p50": 2.0, "p90": 2.8,
               "p95": 2.9, "p99": 2.98, "p999": 2.998}
    run_id = new_run_id("file")
    ResultStore(tmp_path / "bench" / "runs").save({
        "run_id": run_id, "status": "complete", "mode": "single", "created_at": MARKDOWN_NAME,
        "model": {"name": MARKDOWN_NAME, "input_shapes": {MARKDOWN_NAME: [1, 4], LINK_NAME: [1]}, "opsets": {}},
        "runtime": {"knobs": {"intra_op_threads": 1}},
        "machine": {"cpu_model": HUGE_NAME, "cores": 2, "load_average_at_start": [0.1, 0.1, 0.1]},
        "note": LINK_NAME,
        "results": {"single_stream": {"batch_size": 1, "throughput_per_s": 500.0, "summary": summary,
                                      "samples_ms": [1.0, 2.0, 3.0]}}})
    report = capped(page_report, "views/benchmark.py", {}, memory_mb=600, timeout_s=120)
    assert_shown_as_text(report)
    assert any("**\\!\\[b\\]\\(http" in t for t in report["texts"]), report["texts"]  # shown, escaped


def test_a_planted_record_of_the_wrong_shape_gets_a_message_on_the_page(sandbox):
    """Valid JSON, wrong shape: the page says the run is unreadable instead of failing."""
    from app.bench.store import new_run_id

    runs = sandbox.data / "bench" / "runs"
    runs.mkdir(parents=True)
    run_id = new_run_id("magika")
    (runs / f"{run_id}.json").write_text(json.dumps({"run_id": run_id, "status": "complete", "mode": "single",
                                                     "model": "not a mapping", "results": []}))
    report = capped(page_report, "views/benchmark.py", {}, memory_mb=600, timeout_s=120)
    assert report["exception"] == []
    joined = "\n".join(report["texts"]).replace("\\", "")
    assert f"the stored run {run_id} is not a benchmark record this version can show" in joined
    assert "delete it" in joined and "Something went wrong" not in joined


def test_link_volumes_beyond_the_bounds_are_not_applied(sandbox):
    """`requests=1e13` (4.46 GB of PTU sizing arrays before) and `requests=5e-324` are refused."""
    for value, says in (("1e13", "expected a number ≤ 1000000000000.0"), ("5e-324", "expected a number ≥ 1.0")):
        report = capped(page_report, None, {"scenario": "rag-knowledge-base", "requests": value, "prompt": "30000"},
                        memory_mb=400, timeout_s=120)
        joined = "\n".join(report["texts"]).replace("\\", "")
        assert report["exception"] == []
        assert "were out of range and were not applied" in joined and says in joined, joined
        assert "Infinity" not in joined and "$inf" not in joined


def test_the_largest_link_evaluates_within_the_session_bound(sandbox):
    """At the bounds (1e12 requests, 2M-token prompts) the Studio evaluates within the documented bound."""
    report = capped(page_report, None, {"scenario": "rag-knowledge-base", "requests": "1e12", "prompt": "2000000"},
                    memory_mb=400, timeout_s=120)
    joined = "\n".join(report["texts"]).replace("\\", "")
    assert report["exception"] == [] and "not applied" not in joined, joined
    assert "Something went wrong" not in joined, joined
    # evaluated: a recommendation with its cost, or (at these volumes every option fails its quota) the reasons
    assert "Monthly cost" in report["texts"] or "No option is feasible" in joined, joined


def test_the_prices_page_lists_a_version_holding_an_alias_bomb(sandbox):
    from tests.security.test_hostile_mirror import ALIAS_BOMB

    version = sandbox.data / "pricing" / "2026-12-01"
    version.mkdir(parents=True)
    (version / "azure-openai.yaml").write_text(ALIAS_BOMB)
    report = capped(page_report, "views/prices.py", {}, memory_mb=300, timeout_s=120)
    assert_shown_as_text(report)
    assert "Price sheet versions" in "\n".join(report["texts"])
