"""Who is asking: the tenant and principal of a credential, for cache keys. Never the token itself."""

from __future__ import annotations

import base64
import json
import threading
from collections import OrderedDict
from typing import Any

from app.telemetry.failures import redact

METRICS_SCOPE = "https://metrics.monitor.azure.com/.default"


def identity_from_token(token: str) -> str | None:
    """'tenant/principal' from a JWT's claims (tid and oid, or appid); None when it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, json.JSONDecodeError):
        return None
    if not isinstance(claims, dict):
        return None
    tenant = claims.get("tid")
    principal = claims.get("oid") or claims.get("appid") or claims.get("azp")
    if not isinstance(tenant, str) or not isinstance(principal, str):
        return None
    return f"{tenant}/{principal}"


class QueryCache:
    """Results of queries keyed by identity, resource, metric, window and granularity.

    An entry is only ever looked up with the identity that stored it; without a known identity
    nothing is cached, so results are never served across identities.
    """

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, identity: str | None, key: tuple[Any, ...]) -> Any | None:
        if identity is None:
            return None
        with self._lock:
            full = (identity, *key)
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                return self._entries[full]
        return None

    def put(self, identity: str | None, key: tuple[Any, ...], value: Any) -> None:
        if identity is None:
            return
        with self._lock:
            self._entries[(identity, *key)] = value
            self._entries.move_to_end((identity, *key))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return redact(f"QueryCache({len(self)} entries)")
