from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli
from app.errors import InputError
from app.telemetry.config import APIM_CACHED_TOKENS_KQL, load_telemetry_config, parse_telemetry_config

GOOD = """\
window_days: 7
granularity: PT5M
groups:
  - region: eastus
    aml_endpoints:
      - resource_id: /subscriptions/3f2a9c1e-5b7d-4e2a-9c8f-0d1e2f3a4b5c/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/onlineEndpoints/ep
        deployments: [blue]
        sku: Standard_DS3_v2
    openai_accounts:
      - resource_id: /subscriptions/3f2a9c1e-5b7d-4e2a-9c8f-0d1e2f3a4b5c/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai
        deployments:
          chat: {model: gpt-4o, level: global}
log_analytics:
  workspace_id: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a
"""


def test_valid_config_uses_the_apim_defaults():
    config = parse_telemetry_config(GOOD, "telemetry.yaml")
    assert config.granularity_minutes == 5 and config.log_analytics.cached_kql == APIM_CACHED_TOKENS_KQL


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("granularity: PT5M", "granularity: PT7M", "telemetry.yaml:2: granularity: expected one of PT1M"),
    ("region: eastus", "region: East US", "telemetry.yaml:4: groups[0].region: expected an Azure region name"),
    ("        sku: Standard_DS3_v2", "        skew: Standard_DS3_v2", "telemetry.yaml:8: groups[0].aml_endpoints[0].skew: unknown key"),
    ("/accounts/aoai", "/accounts/aoai/deployments/x", "telemetry.yaml:10: groups[0].openai_accounts[0].resource_id: expected an Azure OpenAI"),
    ("level: global", "level: worldwide", "telemetry.yaml:12: groups[0].openai_accounts[0].deployments.chat.level: expected one of"),
    ("workspace_id: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "workspace_id: my-workspace", "telemetry.yaml:14: log_analytics.workspace_id: expected the workspace ID"),
])
def test_errors_name_file_line_and_field(old, new, expected):
    with pytest.raises(InputError) as err:
        parse_telemetry_config(GOOD.replace(old, new), "telemetry.yaml")
    assert str(err.value).startswith(expected), str(err.value)


def test_cli_reports_bad_config_with_exit_2(tmp_path: Path):
    path = tmp_path / "telemetry.yaml"
    path.write_text(GOOD.replace("window_days: 7", "window_days: 400"))
    result = CliRunner().invoke(cli, ["telemetry", "summary", "--config", str(path)])
    assert result.exit_code == 2 and "window_days: expected a number ≤ 93" in result.output
    with pytest.raises(InputError, match="no such file"):
        load_telemetry_config(tmp_path / "missing.yaml")
