"""capplan is a real package: the wheel carries the price sheets and the scenario library.

Builds the wheel from this checkout, installs it (without dependencies, which the project's venv
already has) into a folder outside the checkout, and runs `capplan evaluate` and `capplan
validate` from a working directory outside the checkout, with the checkout's `app` made
unimportable, so every file the commands read comes from the installed package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Runs the installed CLI with nothing of the checkout on the import path: the editable install's
# finder and the checkout's folder are removed (the venv's other packages stay), and `app` must come
# from the install folder.
RUNNER = """
import sys
checkout, target = sys.argv[1], sys.argv[2]
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")
                    and "__editable__" not in getattr(f, "__name__", "")]
sys.path[:] = [p for p in sys.path if p and p.rstrip("/") != checkout]
import app
if not app.__file__.startswith(target):
    raise SystemExit(f"app imported from {app.__file__}, not from the installed wheel in {target}")
sys.argv = ["capplan", *sys.argv[3:]]
from app.cli.main import cli
cli()
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed into a folder outside it."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(work / "dist"), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("capplan-*.whl")
    target = work / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                           str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return target


def run_installed(target: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) \
        -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CAPPLAN_") and k != "PYTHONPATH"}
    clean.update({"PYTHONPATH": str(target), **(env or {})})
    return subprocess.run([sys.executable, "-c", RUNNER, str(ROOT), str(target), *args], capture_output=True,
                          text=True, cwd=cwd, env=clean, timeout=300)


def test_the_wheel_carries_the_sheets_and_the_library(installed: Path):
    for folder in ("pricing", "scenarios"):
        shipped = sorted(p.name for p in (installed / "app" / "bundled" / folder).glob("*.yaml"))
        assert shipped == sorted(p.name for p in (ROOT / folder).glob("*.yaml")), folder
    assert (installed / "app" / "ui" / "static" / "plotly-basic.min.js").is_file()
    assert (installed / "app" / "telemetry" / "demo" / "index.json").is_file()


def test_evaluate_a_library_scenario_outside_the_checkout(installed: Path, tmp_path: Path):
    result = run_installed(installed, "evaluate", "rag-knowledge-base", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = json.loads((ROOT / "tests" / "golden" / "evaluate" / "rag-knowledge-base.json").read_text())
    assert json.loads(result.stdout) == expected


def test_validate_outside_the_checkout(installed: Path, tmp_path: Path):
    mine = tmp_path / "mine.yaml"
    mine.write_text((ROOT / "scenarios" / "steady-ptu-sizing.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sheet = installed / "app" / "bundled" / "pricing" / "azure-ml.yaml"
    result = run_installed(installed, "validate", "mine.yaml", str(sheet), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ok: mine.yaml (scenario)" in result.stdout and "(azure-ml-compute)" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nworkload: {requests_per_month: 1000}\noptions:\n"
                      "  - {name: a, kind: aoai-standard, model: no-such-model}\n", encoding="utf-8")
    failed = run_installed(installed, "validate", "broken.yaml", cwd=tmp_path)
    assert failed.returncode == 2
    assert "broken.yaml:4: options[0].model: no-such-model is not in pricing/azure-openai.yaml" in failed.stderr


def test_the_capplan_folders_still_override_the_bundled_ones(installed: Path, tmp_path: Path):
    prices = tmp_path / "prices"
    prices.mkdir()
    for sheet in (installed / "app" / "bundled" / "pricing").glob("*.yaml"):
        (prices / sheet.name).write_text(sheet.read_text(encoding="utf-8").replace("as_of: 2026-11-01", "as_of: 2027-01-01"),
                                         encoding="utf-8")
    library = tmp_path / "library"
    library.mkdir()
    (library / "only-this.yaml").write_text((ROOT / "scenarios" / "rag-knowledge-base.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    env = {"CAPPLAN_PRICING_DIR": str(prices), "CAPPLAN_SCENARIOS_DIR": str(library)}
    result = run_installed(installed, "evaluate", "only-this", "--json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert {p["as_of"] for p in json.loads(result.stdout)["prices"]} == {"2027-01-01"}
    missing = run_installed(installed, "evaluate", "rag-knowledge-base", cwd=tmp_path, env=env)
    assert missing.returncode == 2 and "library: only-this" in missing.stderr
