"""Descriptors an option kind gives of itself: its capacity figures, its cost components and the
fields of its editor. Pure data: the dashboard, the PDF and the CLI read them, so a kind is
described once (in its module in app/engine/kinds/) and shown the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

CapacityFormat = Literal["count", "share", "hours", "number"]
Widget = Literal["model", "level", "sku", "choice", "integer", "number", "toggle", "ptu", "scale"]
PriceTable = Literal["standard", "batch", "provisioned"]


@dataclass(frozen=True)
class CapacityField:
    """One key of OptionResult.capacity: how people read it.

    `label` is the one wording (it reads as "<label> <value> <unit>", e.g. "deployed 15 PTU"), `unit`
    follows the value ("" for shares, which show as percents), `note` says what it is measured
    against where the PDF's tables have room ("of the token demand"). `format` says how the value
    is written: a whole number, a share (percent), hours (two decimals) or any number. `hide_zero`:
    left out of the compact one-line summaries (Studio table, CLI) when it is 0, e.g. no spillover.
    """

    key: str
    label: str
    unit: str
    format: CapacityFormat
    hide_zero: bool = False
    note: str = ""


@dataclass(frozen=True)
class CostComponent:
    """One key of OptionResult.cost_breakdown and how people read it."""

    key: str
    label: str


@dataclass(frozen=True)
class EditorField:
    """One widget of the Studio's option editor, bound to one key of the option's YAML mapping.

    Widgets (drawn by app/ui/option_editors.py, one implementation each):
    - "model": a model from the Azure OpenAI sheet that has a `price_table` entry;
    - "level": a deployment level the chosen model has in `price_table`;
    - "sku": a VM size of the compute sheet;
    - "choice": one of `choices`; "toggle": true or false;
    - "integer" / "number": within [minimum, maximum] in steps of `step`;
    - "ptu": a PTU count or "auto" (a toggle and a number);
    - "scale": Azure ML scaling, either `instances` (fixed) or `autoscale: {min, max,
      target_utilization}` (writes both keys, one of them absent).
    `default` is used when the option lacks the key.
    """

    key: str
    label: str
    widget: Widget
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    default: Any = None
    price_table: PriceTable | None = None


def template_copy(template: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of an option template (nested mappings included), safe to edit."""
    return {key: template_copy(value) if isinstance(value, Mapping) else value for key, value in template.items()}


# --- fields several kinds share ---------------------------------------------------------------------
LEARN = "https://learn.microsoft.com/azure"
DEPLOYMENT_TYPES_URL = f"{LEARN}/ai-foundry/foundry-models/concepts/deployment-types"
PTU_ONBOARDING_URL = f"{LEARN}/ai-foundry/openai/how-to/provisioned-throughput-onboarding"
SPILLOVER_URL = f"{LEARN}/ai-foundry/openai/how-to/spillover-traffic-management"
BATCH_URL = f"{LEARN}/ai-foundry/openai/how-to/batch"
AML_SKU_LIST_URL = f"{LEARN}/machine-learning/reference-managed-online-endpoints-vm-sku-list"
AML_AUTOSCALE_URL = f"{LEARN}/machine-learning/how-to-autoscale-endpoints"
AML_BATCH_URL = f"{LEARN}/machine-learning/concept-endpoints-batch"
AML_LOW_PRIORITY_URL = f"{LEARN}/machine-learning/how-to-use-low-priority-batch"


def model_field(table: PriceTable) -> EditorField:
    """The Azure OpenAI model, among those the sheet prices in `table`."""
    return EditorField("model", "Model", "model", price_table=table,
                       help="Models the Azure OpenAI price sheet prices for this kind of deployment.")


def deployment_field(table: PriceTable) -> EditorField:
    """The deployment level, among those the sheet prices the chosen model at in `table`."""
    return EditorField("deployment", "Deployment level", "level", price_table=table, default="global",
                       help="Global processes requests in any Azure region; Data Zone within the US or EU data "
                            "zone; Regional in the resource's region. Data Zone and Regional list about 10% above "
                            f"Global in East US. Source: {DEPLOYMENT_TYPES_URL}")


def sku_field(help: str) -> EditorField:
    return EditorField("sku", "VM size (SKU)", "sku", help=help)


def concurrency_field(label: str) -> EditorField:
    return EditorField("concurrency", label, "integer", minimum=1, maximum=1024, step=1, default=1,
                       help="Requests one instance serves in parallel (workers × batch), e.g. from the "
                            "Benchmark lab.")
