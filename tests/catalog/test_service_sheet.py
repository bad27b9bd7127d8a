"""The `azure-openai-service` sheet (latency figures, quotas) and the scenario keys that use it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.catalog.loader import load_price_book, parse_price_sheet, parse_scenario_text, validate_file
from app.catalog.yaml_source import parse_yaml
from app.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "pricing" / "azure-openai-service.yaml"
MINIMAL = """kind: azure-openai-service
region: global
as_of: 2026-11-28
source: "test"
latency:
  spread:
    standard: {ttft_sigma: 0.5, speed_sigma: 0.25, source: "s", checked: 2026-11-28}
  above_usage_tier: {factor: 2, source: "s", checked: 2026-11-28}
  provisioned_load: {knee_utilization: 0.7, source: "s", checked: 2026-11-28}
  models:
    gpt-4o:
      median: {ttft_ms: 500, tokens_per_second: 100, source: "s", checked: 2026-11-28}
"""


def _issues(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_price_sheet(parse_yaml(text, "svc.yaml"))
    return [str(issue) for issue in caught.value.issues]


def test_the_bundled_sheet_validates_and_every_entry_names_its_source():
    assert validate_file(SHEET) == "azure-openai-service"
    facts = load_price_book(ROOT / "pricing").service
    assert facts is not None and facts.ref.path.endswith("azure-openai-service.yaml")
    for name, model in facts.latency.items():
        for entry in (model.median, model.provisioned_target, model.priority_target):
            if entry is not None:
                assert entry.provenance.source and entry.provenance.checked == "2026-11-28", name
    for quotas in facts.quotas.values():
        assert "learn.microsoft.com" in quotas.provenance.source
    # Learn's tier table, spot checks: gpt-4.1 Global tier 1 and 6; gpt-4o Data Zone "300 / 10s" per minute
    assert facts.standard_quota("gpt-4.1", "global", 1).tokens_per_minute == 1_000_000
    assert facts.standard_quota("gpt-4.1", "global", 6).tokens_per_minute == 45_000_000
    assert facts.standard_quota("gpt-4o", "data-zone", 1).requests_per_minute == 1_800
    assert facts.batch_quota("gpt-4o", "global").default == 200_000_000


@pytest.mark.parametrize(("change", "says"), [
    (("ttft_ms: 500", "ttft_ms: 500, p99: 9"), "svc.yaml:12: latency.models.gpt-4o.median.p99: unknown key"),
    ((', checked: 2026-11-28}\n  above', '}\n  above'), "svc.yaml:7: latency.spread.standard.checked: required field"),
    (("standard: {ttft", "priority: {ttft"), "svc.yaml:6: latency.spread: needs a standard entry"),
    (("tokens_per_second: 100", "tokens_per_second: -1"), "latency.models.gpt-4o.median.tokens_per_second"),
])
def test_malformed_sheet_entries_name_the_field(change, says):
    issues = _issues(MINIMAL.replace(*change))
    assert any(says in issue for issue in issues), issues


def test_quota_tiers_are_one_to_six():
    text = MINIMAL + """quotas:
  standard:
    gpt-4o:
      source: "s"
      checked: 2026-11-28
      global:
        7: {tpm: 1000, rpm: 1}
"""
    assert any("quota tiers are 1 to 6, got [7]" in issue for issue in _issues(text))


def test_a_price_folder_without_the_sheet_uses_the_bundled_one(tmp_path):
    for name in ("azure-openai.yaml", "azure-ml.yaml"):
        shutil.copy(ROOT / "pricing" / name, tmp_path / name)
    book = load_price_book(tmp_path)
    assert book.service is not None and book.service.ref.path.endswith("pricing/azure-openai-service.yaml")
    (tmp_path / "azure-openai-service.yaml").write_text(MINIMAL)
    own = load_price_book(tmp_path)
    assert own.service is not None and own.service.model_latency("gpt-4o").median.ttft_ms == 500


SCENARIO = """name: T
workload:
  requests_per_month: 1000000
  tokens: {prompt: 1500, completion: 500}
  latency_slo_ms: 10000
  ttft_slo_ms: 2000
  data_residency: data-zone
options:
  - {name: Std, kind: aoai-standard, model: gpt-4o, deployment: data-zone, quota_tier: 2, tpm_quota: 500000,
     latency: {ttft_ms: 400, tokens_per_second: 90}}
  - {name: PTU, kind: aoai-provisioned, model: gpt-4o, deployment: data-zone, ptu_quota: 300,
     latency: {ttft_ms: 300, tokens_per_second: 120}}
  - {name: Batch, kind: aoai-batch, model: gpt-4o, deployment: data-zone, enqueued_token_quota: 500000000}
"""


def test_scenario_keys_reach_the_engine():
    loaded = parse_scenario_text(SCENARIO, "s.yaml", load_price_book(ROOT / "pricing"))
    w = loaded.scenario.workload
    assert (w.ttft_slo_ms, w.data_residency) == (2000, "data-zone")
    std, ptu, batch = loaded.scenario.options
    assert (std.quota_tier, std.tpm_quota, std.latency.ttft_ms, std.latency.tokens_per_second) == (2, 500000, 400, 90)
    assert (ptu.ptu_quota, ptu.latency.tokens_per_second) == (300, 120)
    assert batch.enqueued_token_quota == 500_000_000


@pytest.mark.parametrize(("change", "says"), [
    (("data_residency: data-zone", "data_residency: eu"),
     "s.yaml:7: workload.data_residency: expected one of 'none', 'data-zone' or 'region', got 'eu'"),
    (("quota_tier: 2", "quota_tier: 7"), "s.yaml:9: options[0].quota_tier: expected a number ≤ 6, got 7"),
    (("ttft_ms: 400, ", ""), "s.yaml:10: options[0].latency.ttft_ms: required field is missing"),
    (("ttft_slo_ms: 2000", "ttft_slo_ms: 0"), "s.yaml:6: workload.ttft_slo_ms: expected a number > 0.0, got 0"),
    (("enqueued_token_quota: 500000000", "enqueued_tokens: 5"), "s.yaml:13: options[2].enqueued_tokens: unknown key"),
])
def test_bad_scenario_keys_get_a_message(change, says):
    with pytest.raises(InputError) as caught:
        parse_scenario_text(SCENARIO.replace(*change), "s.yaml", load_price_book(ROOT / "pricing"))
    issues = [str(i) for i in caught.value.issues]
    assert any(says in issue for issue in issues), issues
