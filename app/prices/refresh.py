"""`capplan prices refresh`: query, map, build, check, diff and write, in that order.

Nothing is written until every page has been read, both sheets pass the same validation as
`load_price_book`, and the diff is ready; so a stop (Ctrl-C, the Stop button) or an API error leaves
every existing file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.catalog.loader import display_path, parse_price_sheet
from app.catalog.yaml_source import parse_yaml, read_yaml_file
from app.errors import InputError, InputIssue
from app.prices.client import DEFAULT_ENDPOINT, PageEvent, RetailPricesClient, RetryPolicy, StopCheck
from app.prices.diff import PriceChange, diff_sheets, format_diff
from app.prices.mapping import ItemMapper, MappedItems
from app.prices.output import DIFF_JSON, DIFF_TEXT, sheet_yaml, versioned_folder, write_atomically
from app.prices.queries import Query, openai_queries, vm_queries
from app.prices.sheets import SheetOutcome, build_compute_sheet, build_openai_sheet
from app.settings import get_settings

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RefreshOptions:
    region: str = "eastus"
    currency: str = "USD"
    endpoint: str = DEFAULT_ENDPOINT
    out: Path | None = None  # None: a new versioned folder under <data_dir>/pricing/
    base: Path | None = None  # the current sheets; None: the pricing folder in use
    as_of: dt.date | None = None  # None: today (UTC)
    policy: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class RefreshResult:
    folder: Path
    files: list[Path]
    changes: list[PriceChange]
    diff_text: str
    report_text: str
    record: dict[str, Any]


@dataclass(frozen=True)
class _OldSheet:
    path: Path
    data: dict[str, Any]


def _current_sheets(base: Path) -> dict[str, _OldSheet]:
    if not base.is_dir():
        raise InputError(InputIssue(display_path(base), None, "", "price folder not found (the current sheets "
                                    "the refresh carries PTU parameters and SKU specs from)"))
    found: dict[str, _OldSheet] = {}
    for path in sorted(base.glob("*.yaml")):
        doc = read_yaml_file(path, display_path(path))
        sheet = parse_price_sheet(doc)  # the same validation as load_price_book
        found.setdefault(sheet.kind, _OldSheet(path, doc.data))
    if not found:
        raise InputError(InputIssue(display_path(base), None, "", "no price sheets (*.yaml) to refresh"))
    return found


def _source(endpoint: str, queries: list[Query], currency: str) -> str:
    where = "Azure Retail Prices API" + ("" if endpoint == DEFAULT_ENDPOINT else f" at {endpoint}")
    filters = " | ".join(dict.fromkeys(q.odata_filter for q in queries))
    return f"{where}, list prices in {currency}, $filter: {filters}"


def _vm_source_queries(queries: list[Query]) -> list[Query]:
    """One representative VM filter for the source line (one query per SKU differs only in armSkuName)."""
    if not queries:
        return []
    first = queries[0]
    return [Query(first.kind, "VMs", first.odata_filter.replace(f"'{first.label}'", "'<each SKU of the sheet>'"))]


def _report(mapped: MappedItems, ambiguous: dict[Any, Any], outcomes: dict[str, SheetOutcome]) -> list[str]:
    lines: list[str] = []
    if mapped.unmapped:
        lines.append(f"Unmapped meters ({len(mapped.unmapped)}): not priced; their prices were not used")
        lines += [f"  {u.meter!r} ({u.product}): {u.reason}" for u in mapped.unmapped]
    if ambiguous:
        lines.append(f"Ambiguous prices ({len(ambiguous)}): the meters disagree; the previous price is kept")
        for slot, found in ambiguous.items():
            offers = ", ".join(f"{c.meter!r} = {c.value:g}" for c in found)
            lines.append(f"  {'.'.join(slot)}: {offers}")
    kept = [(kind, k) for kind, o in outcomes.items() for k in o.kept]
    if kept:
        lines.append(f"Kept from the previous sheet ({len(kept)}), flagged in the notes:")
        lines += [f"  {kind} {'.'.join(k.slot)} = {k.value:g}: {k.reason}" for kind, k in kept]
    dropped = [d for o in outcomes.values() for d in o.dropped]
    if dropped:
        lines.append(f"Left out ({len(dropped)}):")
        lines += [f"  {d}" for d in dropped]
    if mapped.skipped:
        reasons = Counter(s.reason for s in mapped.skipped)
        lines.append(f"Skipped by design ({len(mapped.skipped)} meters):")
        lines += [f"  {count} x {reason}" for reason, count in sorted(reasons.items())]
    return lines


def refresh_prices(options: RefreshOptions, progress: Progress | None = None,
                   should_stop: StopCheck | None = None) -> RefreshResult:
    """Build, check and write new sheets; return where they went and the diff."""
    say = progress or (lambda line: None)
    settings = get_settings()
    base = options.base or settings.pricing_dir
    as_of = options.as_of or dt.datetime.now(dt.UTC).date()
    old = _current_sheets(base)
    queries: list[Query] = []
    if "azure-openai" in old:
        queries += openai_queries(options.region)
    sku_queries = vm_queries(options.region, list(old["azure-ml-compute"].data.get("skus") or {})
                             if "azure-ml-compute" in old else [])
    queries += sku_queries

    def on_page(event: PageEvent) -> None:
        if event.retry_in_seconds is not None:
            say(f"    HTTP {event.status or 'timeout'}: retrying page {event.page} in {event.retry_in_seconds:.1f} s")
        else:
            say(f"    page {event.page}: {event.items} items")

    client = RetailPricesClient(options.endpoint, options.currency, options.policy, on_page=on_page,
                                should_stop=should_stop)
    models = set(old["azure-openai"].data.get("models") or {}) if "azure-openai" in old else set()
    mapper = ItemMapper(options.region, options.currency, models, {q.label for q in sku_queries})
    for number, query in enumerate(queries, 1):
        say(f"[{number}/{len(queries)}] {query.label}")
        for item in client.items(query.odata_filter):
            mapper.add(query, item)
    prices, ambiguous = mapper.result.resolve()

    outcomes: dict[str, SheetOutcome] = {}
    if "azure-openai" in old:
        sheet = old["azure-openai"]
        source = _source(options.endpoint, [q for q in queries if q.kind != "vm"], options.currency)
        outcomes["azure-openai"] = build_openai_sheet(sheet.data, display_path(sheet.path), prices, ambiguous,
                                                      region=options.region, currency=options.currency,
                                                      as_of=as_of, source=source)
    if "azure-ml-compute" in old:
        sheet = old["azure-ml-compute"]
        source = _source(options.endpoint, _vm_source_queries(sku_queries), options.currency)
        outcomes["azure-ml-compute"] = build_compute_sheet(sheet.data, display_path(sheet.path), prices, ambiguous,
                                                           region=options.region, currency=options.currency,
                                                           as_of=as_of, source=source)

    header = (f"Generated by `capplan prices refresh` on {as_of.isoformat()} ({options.region}, {options.currency}).\n"
              f"Old -> new prices and the refresh report: {DIFF_TEXT} beside this file.")
    files: dict[str, str] = {}
    changes: list[PriceChange] = []
    for kind, outcome in outcomes.items():
        name = old[kind].path.name
        text = sheet_yaml(outcome.data, header)
        parse_price_sheet(parse_yaml(text, f"refreshed {name}"))  # never write a sheet the loader refuses
        files[name] = text
        changes += diff_sheets(old[kind].data, outcome.data)

    old_label = display_path(base)
    report = _report(mapper.result, ambiguous, outcomes)
    diff_text = format_diff(changes, old_label, f"refresh of {as_of.isoformat()}")
    text = diff_text + ("\n\n" + "\n".join(report) if report else "") + "\n"
    record = {
        "as_of": as_of.isoformat(), "region": options.region, "currency": options.currency,
        "base": old_label, "queries": [q.odata_filter for q in queries],
        "changes": [c.to_dict() for c in changes],
        "unmapped": [vars(u) for u in mapper.result.unmapped],
        "ambiguous": [{"price": ".".join(s), "meters": [vars(c) for c in found]} for s, found in ambiguous.items()],
        "kept": [{"sheet": kind, "price": ".".join(k.slot), "value": k.value, "reason": k.reason}
                 for kind, o in outcomes.items() for k in o.kept],
        "left_out": [d for o in outcomes.values() for d in o.dropped],
        "skipped": len(mapper.result.skipped),
    }
    files[DIFF_TEXT] = text
    files[DIFF_JSON] = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    folder = options.out if options.out is not None else versioned_folder(settings.data_dir / "pricing", as_of)
    written = write_atomically(folder, files)
    return RefreshResult(folder=folder, files=written, changes=changes, diff_text=diff_text,
                         report_text="\n".join(report), record=record)
