"""The summary as tables per resource kind: labels with units, formatted numbers, "—" where missing."""

from __future__ import annotations

import pytest

from app.telemetry.sources import replay_demo
from app.telemetry.summary import summary_rows
from app.telemetry.summary_table import MISSING, summary_tables


@pytest.fixture(scope="module")
def demo():
    return replay_demo()


def test_one_table_per_kind_in_a_stable_order(demo):
    tables = summary_tables(demo)
    assert [t.kind for t in tables] == ["aml-endpoint", "aml-deployment", "openai", "consumers"]
    assert [t.title for t in tables][:3] == ["Azure ML endpoints", "Azure ML deployments", "Azure OpenAI deployments"]


def test_values_are_the_engine_summary_labelled_and_formatted(demo):
    rows = {(r["kind"], r["resource"], r["deployment"]): r for r in summary_rows(demo)}
    openai = next(t for t in summary_tables(demo) if t.kind == "openai")
    shown = openai.display().set_index("Deployment")
    ptu = rows[("openai", "contoso-openai-eastus", "rag-gpt4o-ptu")]
    standard = rows[("openai", "contoso-openai-eastus", "chat-gpt4o")]
    # a share 0.0251 is "2.5" under "429 share (%)"; counts get thousands separators
    assert shown.loc["rag-gpt4o-ptu", "429 share (%)"] == f"{ptu['throttled_429_share'] * 100:.1f}"
    assert shown.loc["rag-gpt4o-ptu", "Prompt tokens"] == f"{ptu['prompt_tokens']:,.0f}"
    assert shown.loc["rag-gpt4o-ptu", "PTU utilization p95 (%)"] == f"{ptu['ptu_utilization_p95_pct']:.1f}"
    # a Standard deployment has no PTU utilization: a dash, never "None" or 0
    assert standard["ptu_utilization_p95_pct"] is None
    assert shown.loc["chat-gpt4o", "PTU utilization p95 (%)"] == MISSING
    every_cell = [v for t in summary_tables(demo) for v in t.display().to_numpy().ravel()]
    assert "None" not in every_cell and "nan" not in every_cell


def test_a_column_with_no_value_in_any_row_is_left_out_and_named(demo):
    cpu_only = demo.between(demo.start, demo.end)
    cpu_only.series = [s for s in cpu_only.series if s.deployment != "t4"]  # drop the GPU deployment
    deployments = next(t for t in summary_tables(cpu_only) if t.kind == "aml-deployment")
    assert "GPU utilization mean (%)" not in deployments.frame.columns
    assert deployments.not_observed == ("GPU utilization mean (%)", "GPU utilization peak (%)")
    assert list(deployments.frame["Deployment"]) == ["blue"]


def test_select_keeps_the_chosen_resources(demo):
    openai = next(t for t in summary_tables(demo) if t.kind == "openai")
    chosen = openai.select({"contoso-openai-eastus/chat-gpt4o"})
    assert list(chosen.frame["Deployment"]) == ["chat-gpt4o"] and chosen.labels == ("contoso-openai-eastus/chat-gpt4o",)
