"""Chargeback on the demo recording: it reconciles with the engine's bill of the same deployments and window."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from app.catalog.loader import load_price_book
from app.catalog.scenario_schema import ScenarioFile
from app.cli.main import cli
from app.engine.comparison import evaluate
from app.telemetry.costing import ChargebackUnavailable, chargeback
from app.telemetry.sources import DEMO_DIR, replay_demo

HOURS_PER_MONTH = 730


@pytest.fixture(scope="module")
def demo():
    return replay_demo()


@pytest.fixture(scope="module")
def prices():
    return load_price_book()


def modelled_bill(data, prices) -> float:
    """The engine's cost of each configured deployment, from the gateway's per-deployment hourly totals
    (the cached_tokens query, not the per-consumer one), for a month of 730 h at the window's rate,
    scaled to the window's hours."""
    window = data.window_hours
    totals = data.logs["cached_tokens"].groupby("Deployment")[["Requests", "PromptTokens", "CompletionTokens",
                                                               "CachedTokens"]].sum()
    bill = 0.0
    for account in data.config.groups[0].openai_accounts:
        for name, entry in account.deployments.items():
            row = totals.loc[name]
            requests = float(row["Requests"])
            option = ({"name": name, "kind": "aoai-provisioned", "model": entry.model, "deployment": entry.level,
                       "ptu": entry.ptu, "billing": entry.billing, "spillover": False}
                      if entry.type == "provisioned" else
                      {"name": name, "kind": "aoai-standard", "model": entry.model, "deployment": entry.level})
            scenario = ScenarioFile.model_validate({
                "name": name, "hours_per_month": HOURS_PER_MONTH,
                "workload": {"requests_per_month": requests * HOURS_PER_MONTH / window,
                             "tokens": {"prompt": row["PromptTokens"] / requests,
                                        "completion": row["CompletionTokens"] / requests},
                             "caching": {"prompt_cache_hit_rate": row["CachedTokens"] / row["PromptTokens"]}},
                "options": [option]})
            bill += evaluate(scenario.to_engine(), prices).options[0].monthly_cost * window / HOURS_PER_MONTH
    return bill


def test_the_demo_chargeback_total_equals_the_modelled_bill_of_the_window(demo, prices):
    result = chargeback(demo, prices)
    listed, effective = result.totals
    assert effective == pytest.approx(modelled_bill(demo, prices), rel=1e-9)
    table = result.table()
    total = table.iloc[-1]
    assert total["Consumer"] == "Total"
    cur = result.currency
    assert total[f"Effective cost ({cur})"] == round(effective, 2)
    assert round(table[f"Effective cost ({cur})"][:-1].sum(), 2) == total[f"Effective cost ({cur})"]  # cents add up
    assert total[f"List cost ({cur})"] == round(listed, 2) and listed > effective  # the reservation's discount


def test_ptu_cost_is_shared_and_standard_tokens_priced_at_their_rates(demo, prices):
    result = chargeback(demo, prices)
    ptu = [(line, entry) for line, entry in result.lines if line.pricing == "provisioned"]
    assert {line.usage.deployment for line, _ in ptu} == {"rag-gpt4o-ptu"}
    assert sum(line.ptu_share for line, _ in ptu) == pytest.approx(1.0)
    params, rate = prices.provisioned("gpt-4o", "global")
    weights = {line.usage.consumer: (line.usage.prompt_tokens - line.usage.cached_tokens)
               + params.output_token_weight * line.usage.completion_tokens for line, _ in ptu}
    for line, _ in ptu:
        assert line.ptu_share == pytest.approx(weights[line.usage.consumer] / sum(weights.values()))
    amortized = 50 * rate.monthly * result.window_hours / HOURS_PER_MONTH
    assert sum(line.effective_cost for line, _ in ptu) == pytest.approx(amortized)
    assert sum(line.list_cost for line, _ in ptu) == pytest.approx(50 * rate.hourly * result.window_hours)
    standard = prices.standard_rates("gpt-4o", "global")
    for line, _ in result.lines:
        if line.pricing == "standard":
            u = line.usage
            expected = ((u.prompt_tokens - u.cached_tokens) * standard.input + u.cached_tokens * standard.effective_cached_input
                        + u.completion_tokens * standard.output) / 1e6
            assert line.effective_cost == pytest.approx(expected)
            assert line.token_costs["input"] == pytest.approx((u.prompt_tokens - u.cached_tokens) * standard.input / 1e6)


def test_the_csv_carries_the_window_the_sheet_date_integer_counts_and_labelled_columns(prices):
    result = CliRunner().invoke(cli, ["telemetry", "chargeback", "--replay", str(DEMO_DIR)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = list(rows[0])
    assert header[:3] == ["Charge period start (UTC)", "Charge period end (UTC)", "Consumer"]
    assert {"List cost (USD)", "Effective cost (USD)", "PTU capacity share (%)", "Price sheet as of"} <= set(header)
    assert all("_" not in column for column in header)
    assert {r["Charge period start (UTC)"] for r in rows} == {"2026-10-05T00:00:00Z"}
    assert {r["Charge period end (UTC)"] for r in rows} == {"2026-10-19T00:00:00Z"}
    assert {r["Price sheet as of"] for r in rows} == {prices.sheet_for("azure-openai").as_of}
    for r in rows:
        for column in ("Requests", "Prompt tokens", "Cached prompt tokens", "Completion tokens"):
            assert r[column].isdigit(), (column, r[column])
        assert r["Effective cost (USD)"].count(".") == 1 and len(r["Effective cost (USD)"].split(".")[1]) == 2
    assert rows[-1]["Consumer"] == "Total" and len(rows) == 9  # 4 teams x 2 deployments + the total
    assert int(rows[-1]["Requests"]) == sum(int(r["Requests"]) for r in rows[:-1])
    assert "None" not in result.stdout and "nan" not in result.stdout


def test_a_provisioned_deployment_without_ptu_is_an_error_not_a_zero(demo, prices):
    broken = demo.between(demo.start, demo.end)
    raw = broken.config.model_dump()
    raw["groups"][0]["openai_accounts"][0]["deployments"]["rag-gpt4o-ptu"]["ptu"] = None
    broken.config = type(broken.config).model_validate(raw)
    with pytest.raises(ChargebackUnavailable, match="rag-gpt4o-ptu is provisioned but the telemetry configuration "
                                                    "gives no ptu"):
        chargeback(broken, prices)
