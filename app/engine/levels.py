"""Azure OpenAI deployment levels: where a request may be processed (one type for every layer).

- global: in any Azure region; data-zone: within the US or EU data zone; regional: in the
  resource's region. Data at rest stays in the resource's geography in every case. The Batch API
  is sold at the global and data-zone levels only. Source: Microsoft Learn, "Deployment types for
  Azure AI Foundry Models" (see docs/sources.md).
"""

from __future__ import annotations

from typing import Literal, get_args

DeploymentLevel = Literal["global", "data-zone", "regional"]
BatchLevel = Literal["global", "data-zone"]

DEPLOYMENT_LEVELS: tuple[DeploymentLevel, ...] = get_args(DeploymentLevel)
BATCH_LEVELS: tuple[BatchLevel, ...] = get_args(BatchLevel)
