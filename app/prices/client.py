"""HTTP client of the Azure Retail Prices API (docs/sources.md, "Azure Retail Prices API").

`GET {endpoint}?api-version=...&currencyCode='USD'&$filter=...`, no authentication. Pages carry
`{BillingCurrency, CustomerEntityId, CustomerEntityType, Items[], NextPageLink, Count}`; the client
follows `NextPageLink` until it is null. Only the query string of a next link is used, on the
configured endpoint: a page cannot send the client to another host, and a recording replayed on a
local server pages like the real API.

429 and 5xx are retried with exponential backoff, honouring Retry-After, up to a cap; connection
errors get one clear "no network?" message; a page that is not the API's envelope is an error that
names its URL. Limits a hostile or broken mirror cannot pass: a page is at most 8 MiB (the API's
pages of 100 items are ~60 KB), arrives within 60 s from the request to its last byte, and a
redirect is followed only on the endpoint's own origin (scheme, host and port), at most 3 times.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

import requests
import urllib3

from app.errors import CapplanError

DEFAULT_ENDPOINT = "https://prices.azure.com/api/retail/prices"
API_VERSION = "2023-01-01-preview"  # filter values are case-sensitive from this version on
REQUIRED_ITEM_FIELDS = ("currencyCode", "retailPrice", "unitOfMeasure", "meterName", "skuName", "productName",
                        "serviceName", "armRegionName", "type")
MAX_PAGES_PER_QUERY = 200  # 20,000 items at 100 a page: far beyond any narrowed query; stops a link loop
MAX_PAGE_BYTES = 8 * 1024 * 1024
PAGE_DEADLINE_SECONDS = 60.0  # from the request to the page's last byte (a slow drip cannot hold it)
MAX_REDIRECTS = 3  # same origin only
CHUNK_BYTES = 64 * 1024


class PriceApiError(CapplanError):
    """The API answered with something we cannot use; the message names the URL."""


class EndpointUnreachableError(PriceApiError):
    """No connection to the endpoint at all."""


class RefreshStopped(CapplanError):
    """The user stopped the refresh; nothing was written."""


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    backoff_seconds: float = 1.0  # 1, 2, 4, 8 ... seconds
    max_wait_seconds: float = 60.0  # cap on any single wait, Retry-After included
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # the longest silence on the socket
    page_deadline: float = PAGE_DEADLINE_SECONDS


@dataclass(frozen=True)
class PageEvent:
    """Progress: one page fetched (or one wait before a retry)."""

    url: str
    page: int
    items: int
    retry_in_seconds: float | None = None
    status: int | None = None


ProgressCallback = Callable[[PageEvent], None]
StopCheck = Callable[[], bool]


def retry_after_seconds(header: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds, or an HTTP date (RFC 9110 section 10.2.3)."""
    if not header:
        return None
    text = header.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetailPricesClient:
    """Fetches every item of a `$filter` query, page by page."""

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, currency: str = "USD", policy: RetryPolicy | None = None,
                 session: requests.Session | None = None, on_page: ProgressCallback | None = None,
                 should_stop: StopCheck | None = None):
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PriceApiError(f"--endpoint {endpoint!r} is not an http(s) URL; "
                                f"the public API is {DEFAULT_ENDPOINT}")
        self.endpoint = f"{parts.scheme}://{parts.netloc}{parts.path}"
        self.currency = currency
        self.policy = policy or RetryPolicy()
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "capplan-price-refresh")
        self.on_page = on_page or (lambda event: None)
        self.should_stop = should_stop or (lambda: False)

    def first_url(self, odata_filter: str) -> str:
        query = {"api-version": API_VERSION, "currencyCode": f"'{self.currency}'", "$filter": odata_filter}
        encoded = urlencode(query, safe="'$", quote_via=quote)
        return f"{self.endpoint}?{encoded}"

    def next_url(self, next_page_link: str) -> str:
        """The next page on *our* endpoint: only the query string of NextPageLink is kept."""
        query = urlsplit(next_page_link).query
        if not query:
            raise PriceApiError(f"NextPageLink {next_page_link!r} has no query string; cannot page on")
        return f"{self.endpoint}?{query}"

    def items(self, odata_filter: str) -> Iterator[dict[str, Any]]:
        """Every item of the query, following NextPageLink until it is null."""
        url: str | None = self.first_url(odata_filter)
        page = 0
        seen: set[str] = set()
        while url is not None:
            if url in seen or page >= MAX_PAGES_PER_QUERY:
                raise PriceApiError(f"paging does not end (page {page + 1} at {url}); the API returned a loop")
            seen.add(url)
            page += 1
            body = self._get_json(url, page)
            items = _checked_items(body, url)
            self.on_page(PageEvent(url=url, page=page, items=len(items)))
            yield from items
            link = body.get("NextPageLink")
            url = self.next_url(link) if link else None

    def _get_json(self, url: str, page: int) -> dict[str, Any]:
        attempt = 0
        while True:
            self._check_stop()
            try:
                response, content = self._fetch(url)
            except requests.exceptions.ConnectionError as exc:
                raise EndpointUnreachableError(
                    f"cannot reach {self.endpoint} ({_short(exc)}). No network? The refresh needs outbound "
                    f"HTTPS to prices.azure.com; run it where that is allowed, or pass --endpoint with a "
                    f"reachable mirror. The current sheets are unchanged.") from None
            except requests.exceptions.Timeout:
                if attempt >= self.policy.max_retries:
                    raise PriceApiError(f"no answer from {url} within {self.policy.read_timeout:g} s after "
                                        f"{attempt + 1} tries; try again later") from None
                self._wait(self._backoff(attempt), url, page, None)
                attempt += 1
                continue
            if response.status_code == 429 or response.status_code >= 500:
                if attempt >= self.policy.max_retries:
                    raise PriceApiError(f"HTTP {response.status_code} from {url} after {attempt + 1} tries; "
                                        "the API is busy or failing: try again later")
                hinted = retry_after_seconds(response.headers.get("Retry-After"))
                wait = self._backoff(attempt) if hinted is None else min(hinted, self.policy.max_wait_seconds)
                self._wait(wait, url, page, response.status_code)
                attempt += 1
                continue
            text = content.decode("utf-8", errors="replace")
            if response.status_code != 200:
                raise PriceApiError(f"HTTP {response.status_code} from {url}: {_short(text)}")
            try:
                body = json.loads(content)
            except (ValueError, RecursionError):
                raise PriceApiError(f"malformed page at {url}: not JSON ({_short(text)!r})") from None
            if not isinstance(body, dict):
                raise PriceApiError(f"malformed page at {url}: expected a JSON object with Items and NextPageLink")
            return body

    def _fetch(self, url: str) -> tuple[requests.Response, bytes]:
        """One GET with its limits: same-origin redirects only, the page size and the page deadline."""
        deadline = time.monotonic() + self.policy.page_deadline
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.get(url, timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                                        allow_redirects=False, stream=True)
            with response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("Location", ""))
                    if _origin(target) != _origin(self.endpoint):
                        raise PriceApiError(f"{url} redirects to another host ({_short(target)}); the refresh "
                                            f"reads only {_origin(self.endpoint)} and follows no redirect elsewhere")
                    url = target
                    continue
                return response, self._read_limited(response, url, deadline)
        raise PriceApiError(f"{url} redirects more than {MAX_REDIRECTS} times; the refresh gives up")

    def _read_limited(self, response: requests.Response, url: str, deadline: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
            raise PriceApiError(f"the page at {url} is {int(declared):,} bytes; a page of the API is at most "
                                f"{MAX_PAGE_BYTES:,} bytes (is the endpoint a price API?)")
        chunks, size = [], 0
        try:
            for chunk in _pieces(response):
                size += len(chunk)
                if size > MAX_PAGE_BYTES:
                    raise PriceApiError(f"the page at {url} is larger than {MAX_PAGE_BYTES:,} bytes; a page of the "
                                        "API is far smaller (is the endpoint a price API?)")
                if time.monotonic() > deadline:
                    raise PriceApiError(f"the page at {url} did not arrive within {self.policy.page_deadline:g} s; "
                                        "the endpoint is too slow: try again later")
                self._check_stop()
                chunks.append(chunk)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise PriceApiError(f"the page at {url} broke off or stalled ({_short(exc)}); try again later") from None
        return b"".join(chunks)

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.backoff_seconds * math.pow(2, attempt), self.policy.max_wait_seconds)

    def _wait(self, seconds: float, url: str, page: int, status: int | None) -> None:
        self.on_page(PageEvent(url=url, page=page, items=0, retry_in_seconds=seconds, status=status))
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._check_stop()
            time.sleep(min(left, 0.2))

    def _check_stop(self) -> None:
        if self.should_stop():
            raise RefreshStopped("price refresh stopped; nothing was written")


def _checked_items(body: dict[str, Any], url: str) -> list[dict[str, Any]]:
    items = body.get("Items")
    if not isinstance(items, list):
        raise PriceApiError(f"malformed page at {url}: no Items list (keys: {', '.join(sorted(body)) or 'none'})")
    link = body.get("NextPageLink")
    if link is not None and not isinstance(link, str):
        raise PriceApiError(f"malformed page at {url}: NextPageLink is {type(link).__name__}, expected a URL or null")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PriceApiError(f"malformed page at {url}: Items[{index}] is not an object")
        missing = [f for f in REQUIRED_ITEM_FIELDS if f not in item]
        if missing:
            raise PriceApiError(f"malformed page at {url}: Items[{index}] lacks {', '.join(missing)}")
        price = item["retailPrice"]
        if isinstance(price, bool) or not isinstance(price, int | float) or not math.isfinite(price) or price < 0:
            raise PriceApiError(f"malformed page at {url}: Items[{index}] ({item['meterName']!r}) has retailPrice "
                                f"{price!r}, expected a number ≥ 0")
    return items


def _pieces(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: each piece is what one read of the socket gave (urllib3's read1), so a
    server that drips a byte at a time meets the page deadline instead of filling a 64 KiB read."""
    raw = response.raw
    if not hasattr(raw, "read1"):  # urllib3 1.x
        yield from response.iter_content(CHUNK_BYTES)
        return
    while piece := raw.read1(CHUNK_BYTES, decode_content=True):
        yield piece


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _short(value: object, limit: int = 160) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
