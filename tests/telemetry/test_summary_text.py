"""`capplan telemetry summary`: readable tables with units, JSON on request, Azure's warnings on stderr."""

from __future__ import annotations

import json

from click.testing import CliRunner

from app.cli.main import cli
from app.telemetry.sources import DEMO_DIR, replay_demo
from app.telemetry.summary import summary_rows
from app.telemetry.summary_text import summary_text
from tests.telemetry.conftest import REAL_RECORDINGS


def test_the_summary_is_a_table_per_kind_with_units():
    result = CliRunner().invoke(cli, ["telemetry", "summary", "--replay", str(DEMO_DIR)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Demo data: 2026-10-05 00:00 to 2026-10-19 00:00 UTC (14.0 days, 5-minute grain)")
    for title in ("Azure ML endpoints", "Azure ML deployments", "Azure OpenAI deployments",
                  "Consumers (APIM subscriptions)"):
        assert f"\n{title}\n" in out
    for label in ("Latency p95 (ms)", "CPU utilization peak (%)", "Time to first token p50 (ms)",
                  "Time to first token p95 (ms)", "Output tokens per second", "PTU utilization p95 (%)",
                  "Cache hit rate (%)", "429 share (%)"):
        assert label in out
    assert "=" not in out and "None" not in out and "nan" not in out and "_" not in out.replace("-", "")
    # the figures are the summary's, formatted: thousands separators, one decimal
    rows = {(r["kind"], r["resource"], r["deployment"]): r for r in summary_rows(replay_demo())}
    ptu = rows[("openai", "contoso-openai-eastus", "rag-gpt4o-ptu")]
    line = next(row for row in out.splitlines() if row.startswith("Prompt tokens"))
    assert f"{ptu['prompt_tokens']:,.0f}" in line
    line = next(row for row in out.splitlines() if row.startswith("Output tokens per second"))
    assert f"{ptu['output_tokens_per_second']:,.1f}" in line


def test_narrow_terminals_wrap_the_resources_into_blocks():
    text = summary_text(replay_demo(), width=70)
    openai = text[text.index("Azure OpenAI deployments"):text.index("Consumers (APIM subscriptions)")]
    assert max(len(line) for line in openai.splitlines()) <= 70
    assert openai.count("Time to first token p50 (ms)") == 2  # one block per deployment
    footnote = text[text.index("Azure ML latency:"):]
    assert max(len(line) for line in footnote.splitlines()) <= 70


def test_json_keeps_units_in_the_keys():
    result = CliRunner().invoke(cli, ["telemetry", "summary", "--replay", str(DEMO_DIR), "--json"])
    summary = json.loads(result.stdout)
    openai = next(r for r in summary["rows"] if r["deployment"] == "chat-gpt4o")
    assert {"ttft_p50_ms", "ttft_p95_ms", "output_tokens_per_second", "prompt_tokens"} <= set(openai)


def test_warnings_go_to_stderr_in_azures_words(realdata):
    result = CliRunner().invoke(cli, ["telemetry", "summary", "--replay", str(REAL_RECORDINGS / "t2_metric_error_code")])
    assert result.exit_code == 0
    assert "warning: Azure OpenAI account contoso-ptu: Azure Monitor could not return" in result.stderr
    assert "InvalidSamplingType" in result.stderr and "InvalidSamplingType" not in result.stdout
    assert "Azure OpenAI deployments" in result.stdout
