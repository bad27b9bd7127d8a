"""The real client against a real HTTP server on 127.0.0.1 replaying recorded API pages."""

from __future__ import annotations

import json
import socket

import pytest
from conftest import RECORDING
from replay_server import ReplayServer

from app.prices.client import (
    EndpointUnreachableError,
    PageEvent,
    PriceApiError,
    RefreshStopped,
    RetailPricesClient,
    RetryPolicy,
)
from app.prices.queries import openai_queries

AOAI_FILTER = openai_queries("eastus")[0].odata_filter  # recorded in 3 pages, the 2nd after a 429
GPT5_FILTER = openai_queries("eastus")[1].odata_filter
FAST = RetryPolicy(max_retries=2, backoff_seconds=0.05, max_wait_seconds=5)


def test_follows_next_page_links_and_honours_retry_after(replay: ReplayServer) -> None:
    events: list[PageEvent] = []
    client = RetailPricesClient(replay.url, on_page=events.append)
    items = list(client.items(AOAI_FILTER))
    assert len(items) == 93
    assert len({i["meterId"] for i in items}) == 93  # every item once
    # pages at $skip 0, 40 (429 then 200) and 80; the recorded links name prices.azure.com, yet every
    # request reached this server: only their query strings are followed
    assert [r[2] for r in replay.requests] == [0, 40, 40, 80]
    assert all(r[1] == AOAI_FILTER for r in replay.requests)
    waited = replay.requests[2][0] - replay.requests[1][0]
    assert waited >= 1.0  # Retry-After: 1
    retries = [e for e in events if e.retry_in_seconds is not None]
    assert [(e.status, e.retry_in_seconds, e.page) for e in retries] == [(429, 1.0, 2)]
    assert [e.items for e in events if e.retry_in_seconds is None] == [40, 40, 13]


def test_malformed_page_names_its_url(replay: ReplayServer) -> None:
    replay.replace(GPT5_FILTER, 0, {"status": 200, "text": '{"BillingCurrency": "USD", "Items": [{"meterN',
                                    "headers": {}})
    client = RetailPricesClient(replay.url)
    with pytest.raises(PriceApiError) as caught:
        list(client.items(GPT5_FILTER))
    message = str(caught.value)
    assert "malformed page at http://127.0.0.1:" in message
    assert "Azure%20OpenAI%20GPT5" in message and "not JSON" in message


@pytest.mark.parametrize(("body", "expected"), [
    ({"BillingCurrency": "USD", "Count": 0}, "no Items list"),
    ({"Items": [{"meterName": "x"}], "NextPageLink": None}, "Items[0] lacks currencyCode"),
    ({"Items": [], "NextPageLink": 7}, "NextPageLink is int"),
    ([1, 2], "expected a JSON object"),
])
def test_envelope_is_checked(replay: ReplayServer, body: object, expected: str) -> None:
    replay.replace(GPT5_FILTER, 0, {"status": 200, "body": body})
    with pytest.raises(PriceApiError, match=r"malformed page at http://127\.0\.0\.1") as caught:
        list(RetailPricesClient(replay.url).items(GPT5_FILTER))
    assert expected in str(caught.value)


def test_negative_price_is_malformed(replay: ReplayServer) -> None:
    page = next(r for r in json.loads(RECORDING.read_text())["responses"] if r["filter"] == GPT5_FILTER)
    page["body"]["Items"][3]["retailPrice"] = -1
    replay.replace(GPT5_FILTER, 0, {"status": 200, "body": page["body"]})
    with pytest.raises(PriceApiError, match=r"Items\[3\] .* has retailPrice -1"):
        list(RetailPricesClient(replay.url).items(GPT5_FILTER))


def test_5xx_retried_up_to_the_cap(replay: ReplayServer) -> None:
    replay.replace(GPT5_FILTER, 0, {"status": 503, "body": {"error": "busy"}})
    with pytest.raises(PriceApiError, match=r"HTTP 503 .* after 3 tries"):
        list(RetailPricesClient(replay.url, policy=FAST).items(GPT5_FILTER))
    assert len(replay.requests) == 3


def test_client_error_is_not_retried(replay: ReplayServer) -> None:
    with pytest.raises(PriceApiError, match=r"HTTP 400 from http://127\.0\.0\.1"):
        list(RetailPricesClient(replay.url, policy=FAST).items("serviceName eq 'Nothing recorded'"))
    assert len(replay.requests) == 1


def test_unreachable_endpoint_says_no_network() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = RetailPricesClient(f"http://127.0.0.1:{port}/api/retail/prices", policy=FAST)
    with pytest.raises(EndpointUnreachableError, match="No network"):
        list(client.items(GPT5_FILTER))


def test_stop_between_pages(replay: ReplayServer) -> None:
    pages: list[PageEvent] = []
    client = RetailPricesClient(replay.url, on_page=pages.append, should_stop=lambda: len(pages) >= 1)
    with pytest.raises(RefreshStopped, match="nothing was written"):
        list(client.items(AOAI_FILTER))
    assert len(replay.requests) == 1


def test_endpoint_must_be_http() -> None:
    with pytest.raises(PriceApiError, match="not an http"):
        RetailPricesClient("file:///etc/passwd")
