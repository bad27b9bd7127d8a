"""The words every surface uses for the engine's figures: labels, verdicts and units.

The dashboard, the scenario PDF and the CLI all read these, so an option's capacity, its cost
components and its verdicts are worded the same in a table on screen, in a customer's PDF and in a
terminal. Pure data and string formatting; no figure is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.engine.option_fields import CapacityField, CostComponent

# --- verdicts on the stated constraints (OptionResult.meets_slo / meets_deadline) -------------------
MEETS = "meets"
FAILS = "fails"
NOT_JUDGED = "not judged"


def verdict(value: bool | None) -> str:
    """'meets', 'fails', or 'not judged' (the constraint was not stated or does not apply)."""
    return NOT_JUDGED if value is None else (MEETS if value else FAILS)


# --- column and figure labels ------------------------------------------------------------------------
OPTION = "Option"
KIND = "Kind"
MONTHLY_COST = "Monthly cost"
PER_1K_REQUESTS = "Per 1k requests"
P95_LATENCY = "p95 latency"
LATENCY_SLO = "Latency SLO"
DEADLINE = "Deadline"
CAPACITY = "Capacity"
WARNINGS = "Warnings"
RECOMMENDED = "Recommended"
NO_CAPACITY = "managed by Azure"  # options without capacity figures (pay-per-token, Batch API)
NOT_AVAILABLE = "–"  # a figure the model does not give (e.g. latency of a token-billed option)

# --- units -------------------------------------------------------------------------------------------
MS = "ms"
HOURS = "h"
PTU = "PTU"
VCPUS = "vCPUs"

# --- cost components (keys of OptionResult.cost_breakdown) --------------------------------------------
COST_COMPONENTS: dict[str, CostComponent] = {c.key: c for c in (
    CostComponent("input", "Input tokens (uncached)"),
    CostComponent("cached_input", "Cached input tokens"),
    CostComponent("output", "Output tokens"),
    CostComponent("ptu", "Provisioned throughput (PTU)"),
    CostComponent("spillover", "Spillover at Standard rates"),
    CostComponent("compute", "Compute (instance-hours)"),
)}

# --- capacity figures (keys of OptionResult.capacity) ---------------------------------------------------
CAPACITY_FIELDS: dict[str, CapacityField] = {f.key: f for f in (
    CapacityField("ptu", "deployed", PTU, "count"),
    CapacityField("ptu_required_at_peak", "needed at the busiest hour", PTU, "count"),
    CapacityField("utilization", "mean utilization", "", "share", note="of deployed PTU"),
    CapacityField("spillover_share", "spilled to Standard", "", "share", hide_zero=True, note="of token demand"),
    CapacityField("throttled_share", "throttled (HTTP 429)", "", "share", hide_zero=True, note="of token demand"),
    CapacityField("instances_min_used", "fewest instances", "", "count", note="quietest hour"),
    CapacityField("instances_peak", "most instances", "", "count", note="busiest hour"),
    CapacityField("instance_hours", "instance-hours", "", "count", note="a month"),
    CapacityField("utilization_peak", "peak utilization", "", "share", note="of capacity"),
    CapacityField("node_hours", "node-hours", "", "hours", note="a month"),
    CapacityField("job_duration_hours", "job duration", HOURS, "hours", note="per job"),
    CapacityField("quota_vcpus", "quota", VCPUS, "count"),
)}

# --- workload words -------------------------------------------------------------------------------------
TRAFFIC_SHAPES: dict[str, str] = {
    "flat": "flat (the same every hour)",
    "business_hours": "business hours (Mon–Fri 08:00–18:00 busy)",
    "diurnal": "diurnal (daily curve peaking at 14:00)",
}


def capacity_number(field: CapacityField, value: float | int, share_decimals: int = 1) -> str:
    """The value alone: '1,234', '45.0%', '12.50'."""
    if field.format == "share":
        return f"{float(value) * 100:.{share_decimals}f}%"
    if field.format == "count":
        return f"{int(value):,}"
    if field.format == "hours":
        return f"{float(value):,.2f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def capacity_value(field: CapacityField, value: float | int, share_decimals: int = 1) -> str:
    """The value with its unit: '70 PTU', '45.0%', '1.25 h'."""
    number = capacity_number(field, value, share_decimals)
    return f"{number} {field.unit}" if field.unit else number


def capacity_label(field: CapacityField) -> str:
    """The label as a heading or a table row: first letter upper case."""
    return field.label[:1].upper() + field.label[1:]


def capacity_unit_note(field: CapacityField) -> str:
    """The unit and what it is measured against, for a table's unit column: 'h per job'."""
    return " ".join(part for part in (field.unit, field.note) if part)


def capacity_summary(fields: Iterable[CapacityField], capacity: Mapping[str, float | int],
                     share_decimals: int = 1) -> str:
    """One line: 'deployed 70 PTU, mean utilization 45.0%' (zero shares marked hide_zero left
    out); keys without a field are shown by their key, so nothing the engine reports is hidden."""
    known = {f.key: f for f in fields}
    parts = []
    for key, value in capacity.items():
        field = known.get(key) or CAPACITY_FIELDS.get(key) or CapacityField(key, key.replace("_", " "), "", "number")
        if field.hide_zero and not value:
            continue
        parts.append(f"{field.label} {capacity_value(field, value, share_decimals)}")
    return ", ".join(parts) or NO_CAPACITY
