"""`capplan prices refresh` end to end over the replay server: expected sheets, diff, report, library."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import AS_OF, EXPECTED
from replay_server import ReplayServer

from app.catalog.loader import evaluate_loaded, library_names, load_price_book, load_scenario
from app.cli.main import cli
from app.settings import PROJECT_ROOT

SHEETS = ("azure-openai.yaml", "azure-ml.yaml")
COMPARED = (*SHEETS, "price-diff.txt", "price-diff.json")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def refresh(replay: ReplayServer, *extra: str) -> tuple[int, str, str]:
    return run("prices", "refresh", "--endpoint", replay.url, "--as-of", AS_OF, *extra)


def normalized(path: Path, endpoint: str) -> str:
    return path.read_text(encoding="utf-8").replace(endpoint, "<endpoint>")


def test_refresh_produces_the_expected_sheets_and_diff(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "new"
    code, stdout, stderr = refresh(replay, "--out", str(out))
    assert code == 0, stderr
    if os.environ.get("UPDATE_EXPECTED"):
        EXPECTED.mkdir(exist_ok=True)
        for name in COMPARED:
            (EXPECTED / name).write_text(normalized(out / name, replay.url), encoding="utf-8")
    for name in COMPARED:
        assert normalized(out / name, replay.url) == (EXPECTED / name).read_text(encoding="utf-8"), name
    # printed: the readable diff and the report
    assert "azure-openai ptu_rates.regional.yearly" in stdout and "2916 -> 2652" in stdout and "-9.1%" in stdout
    assert "Unmapped meters (1)" in stdout and "'o3 deep research 0626 Glbl Tokens'" in stdout
    assert "models.gpt-4.1-nano.tokens.data-zone.output" in stdout
    assert "[1/11] Azure OpenAI" in stderr and "HTTP 429: retrying page 2 in 1.0 s" in stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(COMPARED)  # no temporary files left


def test_refreshed_sheets_price_what_the_api_listed(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "new"
    assert refresh(replay, "--out", str(out))[0] == 0
    sheet = yaml.safe_load((out / "azure-openai.yaml").read_text())
    assert sheet["as_of"].isoformat() == AS_OF and sheet["region"] == "eastus"
    assert "productName eq 'Azure OpenAI GPT5'" in sheet["source"]
    gpt4o = sheet["models"]["gpt-4o"]
    assert gpt4o["tokens"]["regional"] == {"input": 2.75, "cached_input": 1.375, "output": 11.0}  # 0513 ignored
    assert gpt4o["provisioned"]["input_tpm_per_ptu"] == 2500  # carried
    assert sheet["ptu_rates"]["regional"] == {"hourly": 2.0, "monthly": 260.0, "yearly": 2652.0}  # whole-term
    # not listed: the old price stays, flagged with the old sheet's date
    dz_batch = sheet["models"]["gpt-4o-mini"]["batch"]["data-zone"]
    assert dz_batch["input"] == 0.0825 and "input, output not listed by the API" in dz_batch["note"]
    assert "kept from the sheet of 2026-11-01" in dz_batch["note"]
    # ambiguous: neither meter's price is used; the old one is kept and flagged; never a 0
    nano = sheet["models"]["gpt-4.1-nano"]["tokens"]["data-zone"]
    assert nano["output"] == 0.44 and "ambiguous in the API" in nano["note"]
    assert "gpt-5.4" not in sheet["models"] and "o1" not in sheet["models"]
    compute = yaml.safe_load((out / "azure-ml.yaml").read_text())
    assert compute["skus"]["Standard_DS3_v2"]["low_priority_hourly"] == 0.0458
    assert compute["skus"]["Standard_NC24ads_A100_v4"]["skip_quota_reserve"] is True
    assert "low_priority_hourly" not in compute["skus"]["Standard_NC24ads_A100_v4"]
    record = json.loads((out / "price-diff.json").read_text())
    assert [u["meter"] for u in record["unmapped"]] == ["o3 deep research 0626 Glbl Tokens"]


def test_library_evaluates_on_refreshed_sheets(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "new"
    assert refresh(replay, "--out", str(out))[0] == 0
    prices = load_price_book(out)
    assert prices.openai is not None and prices.openai.ref.as_of == AS_OF
    names = library_names()
    assert len(names) >= 6
    for name in names:
        evaluation = evaluate_loaded(load_scenario(name, prices), prices)
        assert evaluation.options and all(o.monthly_cost > 0 for o in evaluation.options), name
    code, stdout, _ = run("evaluate", "nightly-document-classification", "--prices", str(out), "--json")
    assert code == 0 and json.loads(stdout)["prices"][0]["as_of"] == AS_OF


def test_default_output_is_a_new_versioned_folder(replay: ReplayServer, data_dir: Path) -> None:
    before = (PROJECT_ROOT / "pricing" / "azure-openai.yaml").read_text()
    assert refresh(replay)[0] == 0
    assert refresh(replay)[0] == 0
    folders = sorted(p.name for p in (data_dir / "pricing").iterdir())
    assert folders == [AS_OF, f"{AS_OF}-2"]
    assert (PROJECT_ROOT / "pricing" / "azure-openai.yaml").read_text() == before  # nothing overwritten


def test_out_replaces_existing_sheets(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "pricing"
    shutil.copytree(PROJECT_ROOT / "pricing", target)
    code, _, stderr = refresh(replay, "--base", str(target), "--out", str(target))
    assert code == 0, stderr
    assert yaml.safe_load((target / "azure-ml.yaml").read_text())["as_of"].isoformat() == AS_OF
    # the service sheet (latency figures and quotas, not prices) is left as it was
    assert sorted(p.name for p in target.iterdir()) == sorted([*COMPARED, "azure-openai-service.yaml"])
    assert (target / "azure-openai-service.yaml").read_text() == \
        (PROJECT_ROOT / "pricing" / "azure-openai-service.yaml").read_text()


def test_model_no_longer_listed_keeps_price_and_date(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(PROJECT_ROOT / "pricing", base)
    text = (base / "azure-openai.yaml").read_text()
    text += ("  gpt-35-turbo:\n    tokens:\n      regional: {input: 0.5, cached_input: null, output: 1.5}\n")
    (base / "azure-openai.yaml").write_text(text)
    out = tmp_path / "new"
    code, stdout, stderr = refresh(replay, "--base", str(base), "--out", str(out))
    assert code == 0, stderr
    model = yaml.safe_load((out / "azure-openai.yaml").read_text())["models"]["gpt-35-turbo"]
    assert model["tokens"]["regional"] == {"input": 0.5, "cached_input": None, "output": 1.5}
    assert model["note"].startswith("not listed by the Retail Prices API on 2026-12-01: every price kept from the "
                                    "sheet of 2026-11-01")
    assert "models.gpt-35-turbo.tokens.regional.input = 0.5: model not listed by the API" in stdout
    load_price_book(out)


def test_malformed_page_fails_with_url_and_writes_nothing(replay: ReplayServer, data_dir: Path,
                                                          tmp_path: Path) -> None:
    from app.prices.queries import vm_queries
    bad = vm_queries("eastus", ["Standard_E4s_v3"])[0].odata_filter
    replay.replace(bad, 0, {"status": 200, "text": "<html>Service Unavailable</html>",
                            "content_type": "text/html"})
    out = tmp_path / "new"
    code, _, stderr = refresh(replay, "--out", str(out))
    assert code == 2
    assert "error: malformed page at http://127.0.0.1:" in stderr and "Standard_E4s_v3" in stderr
    assert "Traceback" not in stderr
    assert not out.exists() and not (data_dir / "pricing").exists()


def test_unreachable_endpoint_is_a_clear_error(data_dir: Path) -> None:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, stderr = run("prices", "refresh", "--endpoint", f"http://127.0.0.1:{port}/api/retail/prices")
    assert code == 2
    assert "cannot reach" in stderr and "No network?" in stderr and "unchanged" in stderr


def test_prices_diff_command(replay: ReplayServer, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "new"
    assert refresh(replay, "--out", str(out))[0] == 0
    code, stdout, _ = run("prices", "diff", str(PROJECT_ROOT / "pricing"), str(out))
    assert code == 0
    assert "skus.Standard_F4s_v2.low_priority_hourly" in stdout and "(new)" in stdout
    assert "3 changed, 3 added, 0 removed, 150 unchanged" in stdout


@pytest.mark.parametrize("args", [("prices", "refresh", "--help"), ("prices", "diff", "--help")])
def test_help(args: tuple[str, ...]) -> None:
    code, stdout, _ = run(*args)
    assert code == 0 and "Usage:" in stdout


def test_ctrl_c_stops_with_nothing_written(replay: ReplayServer, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    env = dict(os.environ, CAPPLAN_DATA_DIR=str(tmp_path / "data"))
    env.pop("CAPPLAN_PRICING_DIR", None)
    command = [sys.executable, "-c", "from app.cli.main import cli; cli()", "prices", "refresh", "--endpoint", replay.url]
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    assert process.stderr is not None
    for line in process.stderr:  # wait until it sits in the Retry-After wait, then press Ctrl-C
        if "HTTP 429" in line:
            process.send_signal(signal.SIGINT)
            break
    rest = process.stderr.read()
    assert process.wait(timeout=30) == 130
    assert "stopped: nothing was written" in rest and "Traceback" not in rest
    assert not (tmp_path / "data").exists()


def test_other_region_carries_nothing(data_dir: Path) -> None:
    import datetime as dt

    from app.prices.mapping import Candidate
    from app.prices.sheets import build_compute_sheet
    old = yaml.safe_load((PROJECT_ROOT / "pricing" / "azure-ml.yaml").read_text())
    prices = {("skus", "Standard_DS3_v2", "hourly"): Candidate(0.27, "D3 v2/DS3 v2", "Virtual Machines DSv2 Series")}
    outcome = build_compute_sheet(old, "pricing/azure-ml.yaml", prices, {}, region="westeurope", currency="USD",
                                  as_of=dt.date(2026, 12, 1), source="test")
    assert outcome.data["skus"] == {"Standard_DS3_v2": {"vcpus": 4, "memory_gib": 14, "gpus": 0, "hourly": 0.27}}
    assert outcome.kept == [] and len(outcome.dropped) == 5  # eastus prices never reach a westeurope sheet
    assert "Standard_F4s_v2: hourly not listed by the API in this region/currency; SKU left out" in outcome.dropped[0]
