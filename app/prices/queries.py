"""What the refresh asks the Retail Prices API: narrow `$filter` queries.

Azure OpenAI meters are always filtered by productName: an unfiltered Foundry Models query returns
hundreds of meters (docs/sources.md, "Azure Retail Prices API"). Token and PTU-hourly meters come
from the Foundry Models products; PTU reservations are matched on their skuName (sources disagree
on whether the reservation product sits under serviceName or productName); VM prices come one SKU
at a time from 'Virtual Machines'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FOUNDRY_SERVICE = "Foundry Models"
FOUNDRY_PRODUCTS = ("Azure OpenAI", "Azure OpenAI GPT5", "Azure OpenAI Reasoning", "Azure OpenAI Embedding")
VM_SERVICE = "Virtual Machines"

QueryKind = Literal["tokens", "ptu-reservation", "vm"]


@dataclass(frozen=True)
class Query:
    kind: QueryKind
    label: str  # for progress lines
    odata_filter: str


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def openai_queries(region: str) -> list[Query]:
    """One query per Foundry Models product (Consumption), plus the PTU reservations."""
    queries = [
        Query("tokens", product,
              f"serviceName eq {_quoted(FOUNDRY_SERVICE)} and productName eq {_quoted(product)} "
              f"and armRegionName eq {_quoted(region)} and priceType eq 'Consumption'")
        for product in FOUNDRY_PRODUCTS
    ]
    queries.append(Query("ptu-reservation", "PTU reservations",
                         f"armRegionName eq {_quoted(region)} and priceType eq 'Reservation' "
                         "and contains(skuName, 'Provisioned Managed')"))
    return queries


def vm_queries(region: str, sku_names: list[str]) -> list[Query]:
    """One query per VM SKU of the compute sheet; Linux, Windows, Spot and Low Priority rows come back."""
    return [Query("vm", sku, f"serviceName eq {_quoted(VM_SERVICE)} and armSkuName eq {_quoted(sku)} "
                             f"and armRegionName eq {_quoted(region)} and priceType eq 'Consumption'")
            for sku in sku_names]
