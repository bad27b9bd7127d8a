"""Malformed scenarios and price sheets, each with the exact message a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog.loader import load_price_book, parse_scenario_text
from app.catalog.yaml_source import MAX_BYTES, read_yaml_file
from app.errors import InputError

ROOT = Path(__file__).resolve().parents[2]

BASE = """name: T
workload:
  requests_per_month: 1000000
  traffic: {shape: business_hours, peak_to_average: 3.0}
  tokens: {prompt: 1500, completion: 500}
  caching: {prompt_cache_hit_rate: 0.7}
  service_time_ms: 25
options:
  - {name: Std, kind: aoai-standard, model: gpt-4o, deployment: global}
  - {name: Online, kind: aml-online, sku: Standard_DS3_v2, instances: 3}
"""
STD = "kind: aoai-standard, model: gpt-4o, deployment: global"
ONLINE = "{name: Online, kind: aml-online, sku: Standard_DS3_v2, instances: 3}"
TYPO = "unknown key (check its spelling; a typo must not silently change a plan)"

SCENARIOS = [
    ("unknown top-level key", BASE + "budget: 100\n", f"s.yaml:11: budget: {TYPO}"),
    ("unknown option key", BASE.replace("deployment: global}", "deployment: global, spilover: true}"),
     f"s.yaml:9: options[0].spilover: {TYPO}"),
    ("unknown kind", BASE.replace("kind: aoai-standard", "kind: aoai-ptu"),
     "s.yaml:9: options[0]: unknown kind 'aoai-ptu'; expected one of: 'aoai-standard', 'aoai-batch', "
     "'aoai-provisioned', 'aml-online', 'aml-batch'"),
    ("missing kind", BASE.replace("kind: aoai-standard, ", ""),
     "s.yaml:9: options[0]: missing 'kind': it says which type this entry is"),
    ("missing workload", "name: T\noptions:\n  - {name: Std, kind: aoai-standard, model: gpt-4o}\n",
     "s.yaml:1: workload: required field is missing"),
    ("hit rate above 1", BASE.replace("prompt_cache_hit_rate: 0.7", "prompt_cache_hit_rate: 70"),
     "s.yaml:6: workload.caching.prompt_cache_hit_rate: expected a number ≤ 1.0, got 70"),
    ("negative volume", BASE.replace("requests_per_month: 1000000", "requests_per_month: -5"),
     "s.yaml:3: workload.requests_per_month: expected a number ≥ 1.0, got -5"),
    ("word for a number", BASE.replace("requests_per_month: 1000000", "requests_per_month: lots"),
     "s.yaml:3: workload.requests_per_month: expected a number, got 'lots'"),
    ("unknown shape", BASE.replace("shape: business_hours", "shape: weekly"),
     "s.yaml:4: workload.traffic.shape: expected one of 'flat', 'business_hours' or 'diurnal', got 'weekly'"),
    ("unreachable peak", BASE.replace("peak_to_average: 3.0", "peak_to_average: 6"),
     "s.yaml:4: workload.traffic.peak_to_average: a business_hours traffic shape reaches at most peak_to_average "
     "3.29 over 730 hours (its quiet hours would need negative traffic); got 6.0. Lower it or choose another shape"),
    ("flat with a peak", BASE.replace("shape: business_hours", "shape: flat"),
     "s.yaml:4: workload.traffic.peak_to_average: a flat traffic shape has peak_to_average 1, got 3.0; "
     "use business_hours or diurnal for a peak"),
    ("autoscale min above max", BASE.replace("instances: 3", "autoscale: {min: 5, max: 2}"),
     "s.yaml:10: options[1].autoscale: min (5) must not exceed max (2)"),
    ("instances and autoscale", BASE.replace("instances: 3", "instances: 3, autoscale: {min: 1, max: 2}"),
     "s.yaml:10: options[1]: give either instances (a fixed count) or autoscale: {min, max, target_utilization}, "
     "not both"),
    ("unknown model", BASE.replace("model: gpt-4o", "model: gpt-9"),
     "s.yaml:9: options[0].model: gpt-9 is not in pricing/azure-openai.yaml (as_of 2026-11-01); known models: "
     "gpt-4.1, gpt-4.1-mini, gpt-4.1-nano, gpt-4o, gpt-4o-mini, gpt-5, gpt-5-mini, gpt-5-nano, o3, o4-mini, "
     "text-embedding-3-large, text-embedding-3-small"),
    ("regional batch", BASE.replace(STD, "kind: aoai-batch, model: gpt-4o, deployment: regional"),
     "s.yaml:9: options[0].deployment: expected one of 'global' or 'data-zone', got 'regional'"),
    ("unknown SKU", BASE.replace("sku: Standard_DS3_v2", "sku: Standard_D2_v9"),
     "s.yaml:10: options[1].sku: Standard_D2_v9 is not in pricing/azure-ml.yaml (as_of 2026-11-01); known SKUs: "
     "Standard_DS3_v2, Standard_E4s_v3, Standard_F4s_v2, Standard_NC24ads_A100_v4, Standard_NC4as_T4_v3, "
     "Standard_NC6s_v3"),
    ("PTU below the minimum", BASE.replace(STD, "kind: aoai-provisioned, model: gpt-4o, ptu: 12"),
     "s.yaml:9: options[0].ptu: gpt-4o global: 12 PTU is below the minimum deployment of 15 PTU"),
    ("PTU off the increment", BASE.replace(STD, "kind: aoai-provisioned, model: gpt-4o, ptu: 22"),
     "s.yaml:9: options[0].ptu: gpt-4o global: 22 PTU is not a multiple of the 5-PTU increment (try 20 or 25)"),
    ("PTU as a word", BASE.replace(STD, "kind: aoai-provisioned, model: gpt-4o, ptu: lots"),
     "s.yaml:9: options[0].ptu: expected one of 'auto' or a whole number, got 'lots'"),
    ("model without PTU", BASE.replace(STD, "kind: aoai-provisioned, model: gpt-5-nano"),
     "s.yaml:9: options[0].deployment: gpt-5-nano has no global provisioned (PTU) parameters in "
     "pricing/azure-openai.yaml (as_of 2026-11-01)"),
    ("low priority without a price", BASE.replace(ONLINE, "{name: B, kind: aml-batch, sku: Standard_F4s_v2, low_priority: true}"),
     "s.yaml:10: options[1].low_priority: Standard_F4s_v2 has no low-priority price in pricing/azure-ml.yaml "
     "(as_of 2026-11-01)"),
    ("no service time", BASE.replace("  service_time_ms: 25\n", ""),
     "s.yaml:2: workload.service_time_ms: required by option 'Online' (aml-online): the mean time of one request "
     "on one instance"),
    ("embeddings with completion tokens", BASE.replace("model: gpt-4o", "model: text-embedding-3-small"),
     "s.yaml:9: options[0].model: text-embedding-3-small has no output-token price in pricing/azure-openai.yaml "
     "(as_of 2026-11-01) (an embeddings model?); set workload.tokens.completion to 0 or choose a chat model"),
    ("duplicate option name", BASE.replace("name: Online", "name: Std"),
     "s.yaml:10: options[1].name: option name 'Std' is already used by options[0]; names must be unique"),
    ("duplicate key", BASE.replace("  service_time_ms: 25\n", "  service_time_ms: 25\n  service_time_ms: 30\n"),
     "s.yaml:8: workload.service_time_ms: this key appears twice in the same block; keep one"),
    ("true as a count", BASE.replace("instances: 3", "instances: true"),
     "s.yaml:10: options[1].instances: expected a whole number, got True"),
    ("invalid YAML", BASE.replace("traffic: {shape", "traffic: {shape: [}"),
     "s.yaml:4: invalid YAML: expected the node content, but found '}'"),
    ("a list, not a mapping", "- just\n- a list\n", "s.yaml:1: expected a mapping with name, workload and options"),
    ("empty file", "", "s.yaml: expected one YAML document (a mapping of keys), found empty"),
    ("no options", BASE.split("options:")[0] + "options: []\n", "s.yaml:8: options: must not be empty, got []"),
    ("hours out of range", BASE + "hours_per_month: 1000\n", "s.yaml:11: hours_per_month: expected a number ≤ 744, got 1000"),
    ("alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
     "s.yaml: more than 100,000 values (are YAML aliases repeating a block?); write the file out plainly"),
    ("python object tag", "name: !!python/object/apply:os.system [echo hi]\n",
     "s.yaml:1: name: unsupported YAML tag !!python/object/apply:os.system; write plain values"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in SCENARIOS], ids=[c[0] for c in SCENARIOS])
def test_malformed_scenario_message(bundled_prices, text, expected):
    with pytest.raises(InputError) as caught:
        parse_scenario_text(text, "s.yaml", bundled_prices)
    assert [str(i) for i in caught.value.issues] == [expected]


def test_several_problems_are_reported_together(bundled_prices):
    text = BASE.replace("requests_per_month: 1000000", "requests_per_month: -5").replace("instances: 3", "instances: 0")
    with pytest.raises(InputError) as caught:
        parse_scenario_text(text, "s.yaml", bundled_prices)
    assert [str(i) for i in caught.value.issues] == [
        "s.yaml:3: workload.requests_per_month: expected a number ≥ 1.0, got -5",
        "s.yaml:10: options[1].instances: expected a number ≥ 1, got 0",
    ]


SHEET = (ROOT / "pricing" / "azure-ml.yaml").read_text()
OPENAI = (ROOT / "pricing" / "azure-openai.yaml").read_text()
SHEETS = [
    ("unknown sheet kind", SHEET.replace("kind: azure-ml-compute", "kind: azure-vm"),
     "azure-ml.yaml:3: kind: expected one of azure-openai, azure-ml-compute, azure-openai-service, got 'azure-vm'"),
    ("missing as_of", SHEET.replace("as_of: 2026-11-01\n", ""), "azure-ml.yaml:3: as_of: required field is missing"),
    ("bad date", SHEET.replace("as_of: 2026-11-01", "as_of: last week"),
     "azure-ml.yaml:6: as_of: expected a date (YYYY-MM-DD), got 'last week'"),
    ("negative price", SHEET.replace("hourly: 0.169", "hourly: -0.169"),
     "azure-ml.yaml:14: skus.Standard_F4s_v2.hourly: expected a number ≥ 0.0, got -0.169"),
    ("unknown SKU key", SHEET.replace("hourly: 0.169", "hourly: 0.169, spot: 0.03"),
     f"azure-ml.yaml:14: skus.Standard_F4s_v2.spot: {TYPO}"),
    ("quota reserve above 1", SHEET.replace("quota_reserve: 0.20", "quota_reserve: 20"),
     "azure-ml.yaml:9: quota_reserve: expected a number ≤ 1.0, got 20"),
    ("lower-case currency", SHEET.replace("currency: USD", "currency: usd"),
     "azure-ml.yaml:4: currency: expected text matching ^[A-Z]{3}$, got 'usd'"),
    ("token price as text", OPENAI.replace("global:    {input: 2.5, cached_input: 1.25", "global:    {input: cheap, cached_input: 1.25"),
     "azure-openai.yaml:20: models.gpt-4o.tokens.global.input: expected a number, got 'cheap'"),
    ("PTU minimum of zero", OPENAI.replace("minimum:   {global: 15, data-zone: 15, regional: 50}",
                                           "minimum:   {global: 0, data-zone: 15, regional: 50}", 1),
     "azure-openai.yaml:26: models.gpt-4o.provisioned: minimum.global must be a whole number ≥ 1, got 0"),
]


@pytest.mark.parametrize("name,text,expected", SHEETS, ids=[s[0] for s in SHEETS])
def test_malformed_price_sheet_message(tmp_path, monkeypatch, name, text, expected):
    file = "azure-openai.yaml" if "models:" in text else "azure-ml.yaml"
    (tmp_path / file).write_text(text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_price_book(tmp_path)
    assert [str(i) for i in caught.value.issues] == [expected]


def test_a_second_sheet_of_the_same_kind_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(SHEET)
    (tmp_path / "b.yaml").write_text(SHEET)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_price_book(tmp_path)
    assert str(caught.value) == "b.yaml:1: kind: a second azure-ml-compute sheet (the first is a.yaml); keep one per folder"


def test_files_over_1_mib_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_BYTES + "\n")
    with pytest.raises(InputError, match=r"big.yaml: file is 1,048,579 bytes; the limit is 1,048,576 \(1 MiB\)"):
        read_yaml_file(big, "big.yaml")


def test_binary_file_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(InputError, match=r"bad\.yaml: not UTF-8 text"):
        read_yaml_file(bad, "bad.yaml")


def test_spec_example_message_for_a_missing_batch_level(tmp_path, monkeypatch):
    """SPEC's own example: a sheet with only a global batch price and a data-zone batch option."""
    sheet = OPENAI.replace("      data-zone: {input: 1.375, cached_input: null, output: 5.5, note: \"derived: 50% of Data Zone Standard\"}\n", "", 1)
    (tmp_path / "azure-openai.yaml").write_text(sheet)
    (tmp_path / "azure-ml.yaml").write_text(SHEET)
    monkeypatch.chdir(tmp_path)
    prices = load_price_book(tmp_path)
    text = BASE.replace(STD, "kind: aoai-batch, model: gpt-4o, deployment: data-zone")
    with pytest.raises(InputError) as caught:
        parse_scenario_text(text, "s.yaml", prices)
    assert str(caught.value) == ("s.yaml:9: options[0].deployment: gpt-4o has no data-zone batch price in "
                                 "azure-openai.yaml (as_of 2026-11-01)")
