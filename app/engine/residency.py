"""Data residency: where a deployment may process requests, against where the workload allows it.

Source: Microsoft Learn, "Deployment types for Microsoft Foundry Models": data at rest stays in the
resource's geography for every type; what changes is where inference is processed. Global types
process requests in any Azure region; Data Zone types within the US or the EU data zone; Standard
(regional) and Regional Provisioned types in the resource's region. Azure ML endpoints run in the
workspace's region.

The workload's `data_residency` is the strictest place it allows processing:

    none       every deployment type passes
    data-zone  Global deployments fail (they may process outside the data zone)
    region     Global and Data Zone deployments fail (they may process outside the region)
"""

from __future__ import annotations

from app.engine import vocabulary as words
from app.engine.results import ConstraintFailure

# How far each deployment level may move a request: 0 the region, 1 the data zone, 2 anywhere.
REACH = {"regional": 0, "data-zone": 1, "global": 2}
ALLOWED = {"none": 2, "data-zone": 1, "region": 0}


def residency_failure(requirement: str, level: str, label: str) -> ConstraintFailure | None:
    """The failure of a `level` deployment (global, data-zone, regional) under `requirement`."""
    if REACH[level] <= ALLOWED[requirement]:
        return None
    return ConstraintFailure(
        words.CONSTRAINT_RESIDENCY,
        f"{label} may process requests in {words.LEVEL_REACH[level]}; the workload requires processing "
        f"{words.RESIDENCY_REQUIRES[requirement]} (data_residency: {requirement})")
