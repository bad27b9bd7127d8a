"""Shared fixtures: the bundled price sheets and small hand-made price books."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.prices import (
    ComputePriceSheet,
    ComputeSku,
    ModelPrices,
    OpenAIPriceSheet,
    PriceBook,
    ProvisionedParams,
    PtuRate,
    SheetRef,
    TokenRates,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled_prices() -> PriceBook:
    from app.catalog.loader import load_price_book

    return load_price_book(ROOT / "pricing")


def spec_price_book() -> PriceBook:
    """The price sheets of SPEC section 2.1, verbatim."""
    openai = OpenAIPriceSheet(
        ref=SheetRef("azure-openai", "eastus", "2026-11-01", "test", "pricing/azure-openai.yaml"),
        currency="USD",
        ptu_rates={"global": PtuRate(1.00, 260, 2652), "data-zone": PtuRate(1.10, 286, 2916),
                   "regional": PtuRate(2.00, 286, 2916)},
        models={"gpt-4o": ModelPrices(
            standard={"global": TokenRates(2.50, 1.25, 10.00), "data-zone": TokenRates(2.75, 1.375, 11.00),
                      "regional": TokenRates(2.75, 1.375, 11.00)},
            batch={"global": TokenRates(1.25, None, 5.00)},
            provisioned=ProvisionedParams(2500, 3, {"global": 15, "data-zone": 15, "regional": 50},
                                          {"global": 5, "data-zone": 5, "regional": 50}),
        )},
    )
    compute = ComputePriceSheet(
        ref=SheetRef("azure-ml-compute", "eastus", "2026-11-01", "test", "pricing/azure-ml.yaml"),
        currency="USD", quota_reserve=0.20,
        skus={"Standard_DS3_v2": ComputeSku("Standard_DS3_v2", 4, 14, 0, 0.229, 0.046),
              "Standard_NC24ads_A100_v4": ComputeSku("Standard_NC24ads_A100_v4", 24, 220, 1, 3.673, None,
                                                     "A100-80GB", skip_quota_reserve=True)},
    )
    return PriceBook(openai=openai, compute=compute)


@pytest.fixture()
def spec_prices() -> PriceBook:
    return spec_price_book()
