"""Builds the recorded Retail Prices API pages the price-refresh tests replay.

Run `python tests/prices/make_recording.py` to rewrite `recordings/eastus.json` (review the diff).

These pages are crafted, not captured (the build machines have no network): the envelope and item
fields are those of the API (pricing-capacity.md section 7), the meter names follow the naming
variations the reference lists, and prices come from its tables (sections 2, 3, 6) in the units the
API uses (1K tokens for 4o/4.1/o-series/embeddings, 1M for GPT5, 1/Hour for PTU, whole-term for
reservations). Deliberate differences from pricing/ so the diff and report have something to show:
Regional PTU reservations at the lower quotes (260 / 2652), DS3_v2 low priority 0.0458 (the sheet
rounds to 0.046), low-priority rows for three more SKUs, gpt-4o-mini Data Zone Batch absent, two
disagreeing gpt-4.1-nano Data Zone output meters, one meter with no direction word, and models the
sheet does not track (o1, o3-mini, gpt-5.1, gpt-5.4, ada-002). The Azure OpenAI query pages at 40
items and its second page first answers 429 with Retry-After: 1.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.prices.client import API_VERSION
from app.prices.queries import openai_queries, vm_queries

REGION = "eastus"
OUT = Path(__file__).with_name("recordings") / "eastus.json"
PAGE_SIZE = 40
EFFECTIVE = "2026-11-01T00:00:00Z"
SERVICE_IDS = {"Foundry Models": "DZH3180HX10K", "Virtual Machines": "DZH313Z7MMC8"}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def item(meter: str, price: float, unit: str, product: str, *, sku: str | None = None, service: str = "Foundry Models",
         kind: str = "Consumption", term: str | None = None, arm_sku: str = "", primary: bool = True) -> dict[str, Any]:
    sku = sku if sku is not None else meter.removesuffix(" 1M Tokens").removesuffix(" Tokens")
    product_id = "DZH" + _id(product)[:9].upper().replace("-", "0")
    record: dict[str, Any] = {
        "currencyCode": "USD", "tierMinimumUnits": 0.0,
    }
    if term:
        record["reservationTerm"] = term
    record.update({
        "retailPrice": price, "unitPrice": price, "armRegionName": REGION, "location": "US East",
        "effectiveStartDate": EFFECTIVE, "meterId": _id(product, sku, meter, kind, term or ""),
        "meterName": meter, "productId": product_id, "skuId": f"{product_id}/{_id(sku)[:4].upper()}",
        "productName": product, "skuName": sku, "serviceName": service,
        "serviceId": SERVICE_IDS.get(service, "DZH3180HX10K"),
        "serviceFamily": "Compute" if service == "Virtual Machines" else "AI + Machine Learning",
        "unitOfMeasure": unit, "type": kind, "isPrimaryMeterRegion": primary, "armSkuName": arm_sku,
    })
    if service == "Virtual Machines" and kind == "Consumption" and "Spot" not in meter and "Low Priority" not in meter:
        record["savingsPlan"] = [{"unitPrice": round(price * 0.65, 4), "retailPrice": round(price * 0.65, 4),
                                  "term": "1 Year"},
                                 {"unitPrice": round(price * 0.48, 4), "retailPrice": round(price * 0.48, 4),
                                  "term": "3 Years"}]
    return record


def per_1k(per_1m: float) -> float:
    return round(per_1m / 1000, 9)


AOAI = "Azure OpenAI"


def k_tokens(names: dict[str, str], prices: dict[str, float], product: str = AOAI) -> list[dict[str, Any]]:
    """names: slot -> meter name; prices: slot -> USD per 1M; unit 1K."""
    return [item(meter, per_1k(prices[slot]), "1K", product) for slot, meter in names.items()]


def chat_prices(inp: float, cached: float, out: float) -> dict[str, float]:
    """Global prices; Data Zone and Regional x 1.10; Batch 50% (pricing-capacity.md section 2)."""
    dz = {"in": inp * 1.1, "cd": cached * 1.1, "out": out * 1.1}
    return {"g_in": inp, "g_cd": cached, "g_out": out, "dz_in": dz["in"], "dz_cd": dz["cd"], "dz_out": dz["out"],
            "r_in": dz["in"], "r_cd": dz["cd"], "r_out": dz["out"], "bg_in": inp / 2, "bg_out": out / 2,
            "bdz_in": dz["in"] / 2, "bdz_out": dz["out"] / 2}


def rounded(prices: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 6) for k, v in prices.items()}


def azure_openai_items() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    p4o = rounded(chat_prices(2.50, 1.25, 10.00))
    rows += k_tokens({
        "g_in": "gpt-4o-0806-Inp-glbl Tokens", "g_out": "gpt-4o-0806-Outp-glbl Tokens",
        "g_cd": "gpt 4o 0806 cached Inp glbl Tokens", "dz_in": "gpt 4o 0806 Inp Data Zone Tokens",
        "dz_out": "gpt 4o 0806 Outp Data Zone Tokens", "dz_cd": "gpt 4o 0806 cached Inp Data Zone Tokens",
        "r_in": "gpt-4o-0806-Inp-regnl Tokens", "r_out": "gpt-4o-0806-Outp-regnl Tokens",
        "r_cd": "gpt-4o-0806-cached-Inp-regnl Tokens", "bg_in": "gpt-4o-0806-Batch-Inp-glbl Tokens",
        "bg_out": "gpt-4o-0806-Batch-Outp-glbl Tokens", "bdz_in": "gpt 4o 0806 Batch Inp Data Zone Tokens",
        "bdz_out": "gpt 4o 0806 Batch Outp Data Zone Tokens"}, p4o)
    rows += k_tokens({"g_in": "gpt-4o-1120-Inp-glbl Tokens", "g_out": "gpt-4o-1120-Outp-glbl Tokens",
                      "g_cd": "gpt 4o 1120 cached Inp glbl Tokens", "dz_in": "gpt 4o 1120 Inp Data Zone Tokens",
                      "dz_out": "gpt 4o 1120 Outp Data Zone Tokens"}, p4o)
    rows += k_tokens({"r_in": "gpt-4o-0513-Inp-regnl Tokens", "r_out": "gpt-4o-0513-Outp-regnl Tokens"},
                     {"r_in": 5.00, "r_out": 15.00})
    mini = rounded(chat_prices(0.15, 0.075, 0.60))
    rows += k_tokens({
        "g_in": "gpt-4o-mini-0718-Inp-glbl Tokens", "g_out": "gpt-4o-mini-0718-Outp-glbl Tokens",
        "g_cd": "gpt 4o mini 0718 cached Inp glbl Tokens", "dz_in": "gpt-4o-mini-0718-Inp-DZone Tokens",
        "dz_out": "gpt-4o-mini-0718-Outp-DZone Tokens", "dz_cd": "gpt-4o-mini-0718-cchd-Inp-DZone Tokens",
        "r_in": "gpt-4o-mini-0718-Inp-rgnl Tokens", "r_out": "gpt-4o-mini-0718-Outp-rgnl Tokens",
        "r_cd": "gpt-4o-mini-0718-cached-Inp-rgnl Tokens", "bg_in": "gpt-4o-mini-0718-Batch-Inp-glbl Tokens",
        "bg_out": "gpt-4o-mini-0718-Batch-Outp-glbl Tokens"}, mini)  # no Data Zone Batch rows: kept, flagged
    for model, (inp, cd, out), style in (("4.1", (2.00, 0.50, 8.00), "space"), ("4.1 mini", (0.40, 0.10, 1.60), "space"),
                                         ("4.1-nano", (0.10, 0.025, 0.40), "dash")):
        p = rounded(chat_prices(inp, cd, out))
        if style == "space":
            cached_word = "cchd" if "mini" in model else "cached"
            names = {"g_in": f"gpt {model} Inp glbl Tokens", "g_out": f"gpt {model} Outp glbl Tokens",
                     "g_cd": f"gpt {model} {cached_word} Inp glbl Tokens", "dz_in": f"gpt {model} Inp Data Zone Tokens",
                     "dz_out": f"gpt {model} Outp Data Zone Tokens", "dz_cd": f"gpt {model} cached Inp Data Zone Tokens",
                     "r_in": f"gpt {model} Inp regnl Tokens", "r_out": f"gpt {model} Outp regnl Tokens",
                     "r_cd": f"gpt {model} cached Inp regnl Tokens", "bg_in": f"gpt {model} Batch Inp glbl Tokens",
                     "bg_out": f"gpt {model} Batch Outp glbl Tokens", "bdz_in": f"gpt {model} Batch Inp Data Zone Tokens",
                     "bdz_out": f"gpt {model} Batch Outp Data Zone Tokens"}
        else:
            names = {"g_in": f"gpt-{model}-Inp-glbl Tokens", "g_out": f"gpt-{model}-Outp-glbl Tokens",
                     "g_cd": f"gpt-{model}-cached-Inp-glbl Tokens", "dz_in": f"gpt-{model}-Inp-DZone Tokens",
                     "dz_out": f"gpt-{model}-Outp-DZone Tokens", "dz_cd": f"gpt-{model}-cached-Inp-DZone Tokens",
                     "r_in": f"gpt-{model}-Inp-regnl Tokens", "r_out": f"gpt-{model}-Outp-regnl Tokens",
                     "r_cd": f"gpt-{model}-cached-Inp-regnl Tokens", "bg_in": f"gpt-{model}-Batch-Inp-glbl Tokens",
                     "bg_out": f"gpt-{model}-Batch-Outp-glbl Tokens", "bdz_in": f"gpt-{model}-Batch-Inp-DZone Tokens",
                     "bdz_out": f"gpt-{model}-Batch-Outp-DZone Tokens"}
        rows += k_tokens(names, p)
    # A second Data Zone output meter for gpt-4.1-nano that disagrees: the price is ambiguous.
    rows.append(item("gpt 4.1 nano Outp Data Zone Tokens", per_1k(0.48), "1K", AOAI))
    o3 = rounded(chat_prices(2.00, 0.50, 8.00))
    rows += k_tokens({
        "g_in": "o3 0416 Inp glbl Tokens", "g_out": "o3 0416 Outp glbl Tokens", "g_cd": "o3 0416 cached Inp glbl Tokens",
        "dz_in": "o3 0416 Inp DZ Tokens", "dz_out": "o3 0416 Outp DZ Tokens", "dz_cd": "o3 0416 cached Inp DZ Tokens",
        "r_in": "o3 0416 Inp regnl Tokens", "r_out": "o3 0416 Outp regnl Tokens", "r_cd": "o3 0416 cached Inp regnl Tokens",
        "bg_in": "o3 0416 Batch Inp glbl Tokens", "bg_out": "o3 0416 Batch Outp glbl Tokens",
        "bdz_in": "o3 0416 Batch Inp DZ Tokens", "bdz_out": "o3 0416 Batch Outp DZ Tokens"}, o3)
    rows += k_tokens({"g_in": "o1 1217 Inp glbl Tokens", "g_out": "o1 1217 Outp glbl Tokens",
                      "g_cd": "o1 1217 cached Inp glbl Tokens"}, {"g_in": 15.0, "g_out": 60.0, "g_cd": 7.5})
    rows += k_tokens({"g_in": "o3 mini 0131 input glbl", "g_out": "o3 mini 0131 output glbl",
                      "g_cd": "o3 mini 0131 cached input glbl"}, {"g_in": 1.10, "g_out": 4.40, "g_cd": 0.55})
    for level, price in (("Global", 1.0), ("Data Zone", 1.1), ("Regional", 2.0)):
        rows.append(item(f"Provisioned Managed {level} Unit", price, "1/Hour", AOAI, sku=f"Provisioned Managed {level}"))
    return rows


def gpt5_items() -> list[dict[str, Any]]:
    product = "Azure OpenAI GPT5"
    rows: list[dict[str, Any]] = []
    for name, (inp, cd, out), out_word in (("GPT 5", (1.25, 0.125, 10.00), "outpt"), ("GPT 5 Mini", (0.25, 0.025, 2.00), "outpt"),
                                           ("GPT 5 Nano", (0.05, 0.005, 0.40), "opt")):
        p = rounded(chat_prices(inp, cd, out))
        names = {"g_in": f"{name} Inpt Glbl", "g_out": f"{name} {out_word} Glbl", "g_cd": f"{name} cd Inpt Glbl",
                 "dz_in": f"{name} Inpt Dz", "dz_out": f"{name} {out_word} Dz", "dz_cd": f"{name} cd Inpt Dz",
                 "r_in": f"{name} Inpt Rgnl", "r_out": f"{name} {out_word} Rgnl", "r_cd": f"{name} cd Inpt Rgnl",
                 "bg_in": f"{name} Batch Inpt Glbl", "bg_out": f"{name} Batch {out_word} Glbl",
                 "bdz_in": f"{name} Batch Inpt Dz", "bdz_out": f"{name} Batch {out_word} Dz"}
        rows += [item(f"{meter} 1M Tokens", p[slot], "1M", product) for slot, meter in names.items()]
    rows.append(item("GPT 5 pp inp Gl 1M Tokens", 2.50, "1M", product))
    rows += [item("5.1 inp Gl 1M Tokens", 1.25, "1M", product), item("5.1 opt Gl 1M Tokens", 10.0, "1M", product),
             item("5.4 cd inp Gl 1M Tokens", 0.25, "1M", product), item("5.4 LongCo inp Gl 1M Tokens", 5.0, "1M", product)]
    return rows


def reasoning_items() -> list[dict[str, Any]]:
    product = "Azure OpenAI Reasoning"
    p = rounded(chat_prices(1.10, 0.275, 4.40))
    names = {"g_in": "o4-mini 0416 Inp glbl", "g_out": "o4-mini 0416 Outp glbl", "g_cd": "o4-mini 0416 cached Inp glbl",
             "dz_in": "o4 mini 0416 Inp Dz", "dz_out": "o4 mini 0416 Outp Dz", "dz_cd": "o4 mini 0416 cd Inp Dz",
             "r_in": "o4-mini 0416 Inp rgnl", "r_out": "o4-mini 0416 Outp rgnl", "r_cd": "o4-mini 0416 cached Inp rgnl",
             "bg_in": "o4-mini 0416 Batch Inp glbl", "bg_out": "o4-mini 0416 Batch Outp glbl",
             "bdz_in": "o4 mini 0416 Batch Inp Dz", "bdz_out": "o4 mini 0416 Batch Outp Dz"}
    rows = k_tokens(names, p, product)
    rows.append(item("o3 deep research 0626 Glbl Tokens", per_1k(10.0), "1K", product))  # no direction: unmapped
    return rows


def embedding_items() -> list[dict[str, Any]]:
    product = "Azure OpenAI Embedding"
    rows = []
    for size, price in (("small", 0.02), ("large", 0.13)):
        rows += [item(f"text-embedding-3-{size}-glbl Tokens", per_1k(price), "1K", product),
                 item(f"text embedding 3 {size} DZ", per_1k(round(price * 1.1, 6)), "1K", product),
                 item(f"Az-Text-Embedding-3-{size.title()}-regnl Tokens", per_1k(price), "1K", product)]
    rows.append(item("text-embedding-ada-002-regnl Tokens", per_1k(0.10), "1K", product))
    return rows


def reservation_items() -> list[dict[str, Any]]:
    product = "Azure AI Foundry Provisioned Throughput Reservation"
    rows = []
    for level, month, year in (("Global", 260.0, 2652.0), ("Data Zone", 286.0, 2916.0), ("Regional", 260.0, 2652.0)):
        for term, price in (("1 Month", month), ("1 Year", year)):
            rows.append(item(f"Provisioned Managed {level} Unit", price, "1 Hour", product,
                             sku=f"Provisioned Managed {level}", kind="Reservation", term=term))
    return rows


VMS = {  # armSkuName: (product series, skuName, meterName, Linux hourly, low priority or None, Spot, Windows hourly)
    "Standard_DS3_v2": ("DSv2", "DS3 v2", "D3 v2/DS3 v2", 0.229, 0.0458, 0.0343, 0.4),
    "Standard_F4s_v2": ("FSv2", "F4s v2", "F4s v2", 0.169, 0.0338, 0.0207, 0.353),
    "Standard_E4s_v3": ("Esv3", "E4s v3", "E4s v3", 0.252, 0.0504, 0.0302, 0.436),
    "Standard_NC4as_T4_v3": ("NCasT4 v3", "NC4as T4 v3", "NC4as T4 v3", 0.526, 0.1052, 0.0789, 0.71),
    "Standard_NC6s_v3": ("NCSv3", "NC6s v3", "NC6s v3", 3.06, 0.612, 0.459, 3.24),
    "Standard_NC24ads_A100_v4": ("NCads A100 v4", "NC24ads A100 v4", "NC24ads A100 v4", 3.673, None, 0.7345, 3.857),
}


def vm_items(arm_sku: str) -> list[dict[str, Any]]:
    series, sku, meter, hourly, low, spot, windows = VMS[arm_sku]
    product = f"Virtual Machines {series} Series"
    vm = {"service": "Virtual Machines", "arm_sku": arm_sku}
    rows = [item(meter, hourly, "1 Hour", product, sku=sku, **vm),
            item(f"{meter} Spot", spot, "1 Hour", product, sku=f"{sku} Spot", **vm),
            item(meter, windows, "1 Hour", f"{product} Windows", sku=sku, **vm)]
    if low is not None:
        rows.append(item(f"{meter} Low Priority", low, "1 Hour", product, sku=f"{sku} Low Priority", **vm))
    return rows


def _url(odata_filter: str, skip: int | None) -> str:
    query = {"currencyCode": "'USD'", "api-version": API_VERSION, "$filter": odata_filter}
    if skip:
        query["$skip"] = str(skip)
    return "https://prices.azure.com:443/api/retail/prices?" + urlencode(query, safe="'$", quote_via=quote)


def pages(odata_filter: str, items: list[dict[str, Any]], page_size: int = 100) -> list[dict[str, Any]]:
    out = []
    starts = list(range(0, len(items), page_size)) or [0]
    for number, start in enumerate(starts):
        chunk = items[start:start + page_size]
        last = number == len(starts) - 1
        out.append({"filter": odata_filter, "skip": start, "status": 200, "headers": {}, "body": {
            "BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
            "Items": chunk, "NextPageLink": None if last else _url(odata_filter, start + page_size),
            "Count": len(chunk)}})
    return out


def build() -> dict[str, Any]:
    queries = openai_queries(REGION)
    by_label = {"Azure OpenAI": azure_openai_items(), "Azure OpenAI GPT5": gpt5_items(),
                "Azure OpenAI Reasoning": reasoning_items(), "Azure OpenAI Embedding": embedding_items(),
                "PTU reservations": reservation_items()}
    responses: list[dict[str, Any]] = []
    for query in queries:
        found = pages(query.odata_filter, by_label[query.label], PAGE_SIZE if query.label == "Azure OpenAI" else 100)
        if query.label == "Azure OpenAI":
            throttled = {"filter": query.odata_filter, "skip": PAGE_SIZE, "status": 429, "headers": {"Retry-After": "1"},
                         "body": {"error": {"code": "TooManyRequests", "message": "Rate limit is exceeded. Try again in 1 seconds."}}}
            found.insert(1, throttled)
        responses += found
    for query in vm_queries(REGION, list(VMS)):
        responses += pages(query.odata_filter, vm_items(query.label))
    return {"description": __doc__.strip().splitlines()[0] + " See make_recording.py for what differs from pricing/.",
            "region": REGION, "responses": responses}


if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
