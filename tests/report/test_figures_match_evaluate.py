"""Every figure in the PDF equals `capplan evaluate --json` (Evaluation.to_dict()) for that scenario."""

from __future__ import annotations

import json
import re

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


NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*(?:\.(\d+))?(?![\d])")


def expected_texts(data: dict) -> list[str]:
    """Names, dates, integers and warnings: these appear verbatim."""
    out = [data["scenario"]]
    out += [f"as of {p['as_of']}" for p in data["prices"]]
    for option in data["options"]:
        out.append(option["name"])
        out += [f"{v:,}" for k, v in option["capacity"].items() if isinstance(v, int)]
        out += option["warnings"]
    return out


def expected_numbers(data: dict) -> list[tuple[str, float, int]]:
    """(what, value, decimals shown) for every JSON figure the report prints rounded."""
    out = []
    for option in data["options"]:
        name = option["name"]
        out.append((f"{name} monthly_cost", option["monthly_cost"], 2))
        out.append((f"{name} cost_per_1k_requests", option["cost_per_1k_requests"], 4))
        out += [(f"{name} cost_breakdown.{k}", v, 2) for k, v in option["cost_breakdown"].items()]
        for key, value in option["capacity"].items():
            if key in SHARE_KEYS:
                out.append((f"{name} capacity.{key} (percent)", value * 100, 2))
            elif key in HOUR_KEYS:
                out.append((f"{name} capacity.{key}", value, 2))
        if option["latency_ms"]:
            out += [(f"{name} latency_ms.{p}", option["latency_ms"][p], 1) for p in ("p50", "p95", "p99")]
    return out


def numbers_in(text: str) -> set[tuple[float, int]]:
    return {(float(m.group(0).replace(",", "")), len(m.group(1) or "")) for m in NUMBER.finditer(text)}


@pytest.mark.parametrize("name", library_names())
def test_every_figure_of_evaluate_json_is_in_the_pdf(name, library_pdf):
    data = evaluate_json(name)
    text = pdf_text(library_pdf(name))
    missing = [figure for figure in expected_texts(data) if " ".join(figure.split()) not in text]
    assert not missing, f"not in the PDF of {name}: {missing}"
    shown = numbers_in(text)
    # Equal to the precision shown: the JSON value rounds to a number printed with that many decimals
    # (half a unit in the last place, so 8.18125 may print as 8.1812 or 8.1813, never anything else).
    wrong = [(what, value) for what, value, decimals in expected_numbers(data)
             if not any(d == decimals and abs(v - value) <= 0.5 * 10 ** -decimals + 1e-9 for v, d in shown)]
    assert not wrong, f"figures of {name} missing or different in the PDF: {wrong}"


@pytest.mark.parametrize("name", library_names())
def test_the_summary_names_the_recommendation_and_its_cost(name, library_pdf):
    data = evaluate_json(name)
    text = pdf_text(library_pdf(name))
    if data["recommended"] is None:
        assert "No option is feasible" in text
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
