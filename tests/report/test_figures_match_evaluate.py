"""Every figure in the PDF equals `capplan evaluate --json` (Evaluation.to_dict()) for that scenario."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.catalog.loader import library_names
from app.cli.main import cli
from tests.report.conftest import pdf_text

SHARE_KEYS = {"utilization", "spillover_share", "throttled_share", "utilization_peak"}
HOUR_KEYS = {"node_hours", "job_duration_hours"}


def evaluate_json(name: str) -> dict:
    result = CliRunner().invoke(cli, ["evaluate", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected_figures(data: dict) -> list[str]:
    """The figures as the report must write them, derived from the JSON here, independently."""
    out = [data["scenario"]]
    out += [f"as of {p['as_of']}" for p in data["prices"]]
    for option in data["options"]:
        out.append(option["name"])
        out.append(f"{option['monthly_cost']:,.2f}")
        out.append(f"{option['cost_per_1k_requests']:,.4f}")
        out += [f"{v:,.2f}" for v in option["cost_breakdown"].values()]
        for key, value in option["capacity"].items():
            if key in SHARE_KEYS:
                out.append(f"{value * 100:.2f}%")
            elif key in HOUR_KEYS:
                out.append(f"{value:,.2f}")
            else:
                out.append(f"{value:,}")
        if option["latency_ms"]:
            out += [f"{option['latency_ms'][p]:,.1f}" for p in ("p50", "p95", "p99")]
        out += option["warnings"]
    return out


@pytest.mark.parametrize("name", library_names())
def test_every_figure_of_evaluate_json_is_in_the_pdf(name, library_pdf):
    data = evaluate_json(name)
    text = pdf_text(library_pdf(name))
    missing = [figure for figure in expected_figures(data) if " ".join(figure.split()) not in text]
    assert not missing, f"not in the PDF of {name}: {missing}"


@pytest.mark.parametrize("name", library_names())
def test_the_summary_names_the_recommendation_and_its_cost(name, library_pdf):
    data = evaluate_json(name)
    text = pdf_text(library_pdf(name))
    if data["recommended"] is None:
        assert "No option meets every stated constraint" in text
        return
    rec = next(o for o in data["options"] if o["name"] == data["recommended"])
    assert f"We recommend “{rec['name']}”" in text
    assert f"USD {rec['monthly_cost']:,.2f} a month" in text
    assert f"USD {rec['cost_per_1k_requests']:,.4f} per 1,000 requests" in text


def test_a_known_scenario_shows_the_hand_checked_spec_figures(library_pdf):
    # SPEC section 4: Global Standard for 1M requests, 1,500/500 tokens, 70 % cached, gpt-4o global:
    # input 1M·1500·0.3·2.50/1M = 1,125.00; cached 1M·1500·0.7·1.25/1M = 1,312.50; output 1M·500·10/1M = 5,000.00
    text = pdf_text(library_pdf("rag-knowledge-base"))
    for figure in ("1,125.00", "1,312.50", "5,000.00", "7,437.50", "7.4375"):
        assert figure in text
