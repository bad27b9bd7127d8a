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


# --- constraints an option can fail (ConstraintFailure.constraint), in plain words --------------------
CONSTRAINT_LATENCY_SLO = "latency SLO"
CONSTRAINT_TTFT = "time to first token"
CONSTRAINT_DEADLINE = "deadline"
CONSTRAINT_INTERACTIVE = "interactive use"  # a batch option without a stated deadline
CONSTRAINT_STABILITY = "stability"  # utilization reaches 100%
CONSTRAINT_THROTTLING = "throttling"  # HTTP 429 from provisioned throughput without spillover
CONSTRAINT_QUOTA = "quota"
CONSTRAINT_RESIDENCY = "data residency"
CONSTRAINT_JOB_SCHEDULE = "job schedule"  # batch endpoint jobs that do not fit in the month

# How a sentence says that an option fails each (the PDF's summary: "Global Batch cannot answer ...").
CONSTRAINT_PHRASES: dict[str, str] = {
    CONSTRAINT_LATENCY_SLO: "fails the latency SLO",
    CONSTRAINT_TTFT: "fails the time-to-first-token target",
    CONSTRAINT_DEADLINE: "misses the deadline",
    CONSTRAINT_INTERACTIVE: "cannot answer interactive requests (no deadline stated)",
    CONSTRAINT_STABILITY: "cannot carry the load (utilization reaches 100%)",
    CONSTRAINT_THROTTLING: "throttles requests (HTTP 429)",
    CONSTRAINT_QUOTA: "exceeds its quota (HTTP 429)",
    CONSTRAINT_RESIDENCY: "fails the data-residency requirement",
    CONSTRAINT_JOB_SCHEDULE: "its jobs do not fit in the month",
}
MET_LATENCY = "latency"  # "meets latency and deadline": the latency targets (SLO, time to first token)


def constraint_phrase(constraint: str) -> str:
    """'fails the data-residency requirement' (or 'fails <constraint>' for a name not listed above)."""
    return CONSTRAINT_PHRASES.get(constraint, f"{FAILS} {constraint}")


def failed_constraints(constraints: Iterable[str], meets_slo: bool | None, meets_deadline: bool | None) -> list[str]:
    """The constraints an option fails, each once: the names of its failures, or, for an evaluator that
    reports none of its own, the failed latency and deadline verdicts."""
    names = list(dict.fromkeys(constraints))
    if not names:
        names = [name for name, value in ((CONSTRAINT_LATENCY_SLO, meets_slo), (CONSTRAINT_DEADLINE, meets_deadline))
                 if value is False]
    return names


def constraints_verdict(constraints: Iterable[str], meets_slo: bool | None,
                        meets_deadline: bool | None) -> tuple[bool | None, str]:
    """One cell for every constraint: (False, 'quota, data residency'), (True, 'meets latency and
    deadline'), or (None, '–') when nothing failed and no target was stated."""
    failed = failed_constraints(constraints, meets_slo, meets_deadline)
    if failed:
        return False, ", ".join(failed)
    met = [name for name, value in ((MET_LATENCY, meets_slo), (CONSTRAINT_DEADLINE, meets_deadline)) if value]
    return (True, f"{MEETS} " + " and ".join(met)) if met else (None, NOT_AVAILABLE)


# --- data residency (workload.data_residency) and where each deployment level processes requests ------
DATA_RESIDENCY: dict[str, str] = {  # the requirement as a choice (Studio) and an assumption (PDF)
    "none": "none (any Azure region)",
    "data-zone": "within the data zone (US or EU)",
    "region": "in the resource's region",
}
RESIDENCY_REQUIRES: dict[str, str] = {  # "the workload requires processing <words>"
    "data-zone": "within the data zone",
    "region": "in the resource's region",
}
RESIDENCY_RULES_OUT: dict[str, str] = {"data-zone": "no Global deployments", "region": "no Global or Data Zone deployments"}
LEVEL_REACH: dict[str, str] = {  # "<deployment type> may process requests in <words>"
    "regional": "the resource's region",
    "data-zone": "the data zone (US or EU)",
    "global": "any Azure region",
}
# Azure's names of the deployment types at each level (Microsoft Learn, deployment types).
STANDARD_TYPES: dict[str, str] = {"global": "Global Standard", "data-zone": "Data Zone Standard",
                                  "regional": "Standard (regional)"}
PROVISIONED_TYPES: dict[str, str] = {"global": "Global Provisioned", "data-zone": "Data Zone Provisioned",
                                     "regional": "Regional Provisioned"}
BATCH_TYPES: dict[str, str] = {"global": "Global Batch", "data-zone": "Data Zone Batch"}

# --- column and figure labels ------------------------------------------------------------------------
OPTION = "Option"
KIND = "Kind"
MONTHLY_COST = "Monthly cost"
PER_1K_REQUESTS = "Per 1k requests"
P95_LATENCY = "p95 latency"
P95_FIRST_TOKEN = "p95 first token"
CONSTRAINTS = "Constraints"
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
        return f"{round(float(value)):,}"
    if field.format == "hours":
        return f"{float(value):,.2f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def capacity_value(field: CapacityField, value: float | int, share_decimals: int = 1) -> str:
    """The value with its unit: '70 PTU', '45.0%', '1.25 h'."""
    number = capacity_number(field, value, share_decimals)
    return f"{number} {field.unit}" if field.unit else number


def sentence_case(text: str) -> str:
    """First letter upper case: a label as a heading, a table row or a choice."""
    return text[:1].upper() + text[1:]


def capacity_label(field: CapacityField) -> str:
    """The label as a heading or a table row: first letter upper case."""
    return sentence_case(field.label)


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
