"""Azure failures turned into messages a user can act on, retries with backoff, and token hygiene.

Retries are ours (the SDK clients run with retry_total=0) so that every status is handled the same
way: a 429/529/5xx or a timeout is retried after the server's Retry-After when it gives one,
otherwise after an exponential backoff with full jitter and a cap (AWS Architecture Blog,
"Exponential Backoff And Jitter", 2015). Messages never carry a token: `redact` removes bearer
tokens and anything shaped like a JWT before text reaches a log, an exception or the page.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)

from app.errors import CapplanError
from app.telemetry.advice import (
    azure_words,
    error_chain,
    log_query_advice,
    request_advice,
    unresolved_name,
)
from app.telemetry.advice import redact as redact  # re-exported: the telemetry modules import it from here

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504, 529})


class TelemetryError(CapplanError):
    """A pull that cannot go on at all (no credential, authentication refused)."""


def quiet_azure_logging() -> None:
    """The `azure` logger stays at WARNING: at DEBUG with logging_enable it would print headers."""
    logging.getLogger("azure").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries in all, the first included
    base_seconds: float = 1.0
    cap_seconds: float = 60.0
    max_retry_after_seconds: float = 300.0


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds the server asks us to wait: retry-after-ms, x-ms-retry-after-ms, or Retry-After (seconds or date)."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("x-ms-retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if scale == 1.0 else None
            if parsed is not None:
                return max(0.0, parsed.timestamp() - time.time())
    return None


def backoff_seconds(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Full jitter: uniform in [0, min(cap, base·2^attempt)] for retry number `attempt` (0-based)."""
    return rng.uniform(0.0, min(policy.cap_seconds, policy.base_seconds * 2.0 ** attempt))


def _status(exc: BaseException) -> int | None:
    return getattr(exc, "status_code", None) if isinstance(exc, HttpResponseError) else None


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, ClientAuthenticationError):
        return False
    status = _status(exc)
    if status is not None:
        return status in RETRYABLE_STATUS
    return isinstance(exc, ServiceRequestError | ServiceResponseError)


def call_with_retries(call: Callable[[], T], policy: RetryPolicy, *, sleep: Callable[[float], None] = time.sleep,
                      rng: random.Random | None = None, should_stop: Callable[[], bool] | None = None,
                      on_retry: Callable[[str], None] | None = None) -> tuple[T, int]:
    """Run `call`, retrying what is worth retrying; returns (result, attempts used)."""
    rng = rng or random.Random()
    for attempt in range(policy.attempts):
        try:
            return call(), attempt + 1
        except Exception as exc:
            if not is_retryable(exc) or attempt + 1 >= policy.attempts or (should_stop and should_stop()):
                exc.capplan_attempts = attempt + 1  # type: ignore[attr-defined]
                raise
            response = getattr(exc, "response", None)
            asked = retry_after_seconds(getattr(response, "headers", None))
            delay = min(asked, policy.max_retry_after_seconds) if asked is not None else backoff_seconds(attempt, policy, rng)
            if on_retry:
                status = _status(exc)
                what = f"HTTP {status}" if status else type(exc).__name__
                on_retry(f"{what}; retrying in {delay:.1f} s ({'Retry-After' if asked is not None else 'backoff'})")
            sleep(delay)
    raise AssertionError("unreachable")


def _azure_chain(exc: BaseException) -> list[tuple[str, str]]:
    """Azure's error codes and messages for a failed request, outermost first (inner errors included)."""
    chain = error_chain(getattr(exc, "error", None))
    if not chain:
        text = str(getattr(exc, "message", "") or exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        chain = [("", first)]
    return chain


def describe_failure(exc: BaseException, what: str, logs: bool = False, preset: str | None = None,
                     custom_query: bool = False) -> str:
    """One message for the user: what failed, Azure's own words (inner errors included), and what to do.

    `logs`: a Log Analytics query (else a metrics call); `preset`/`custom_query` say which queries ran,
    so a missing table is explained by the diagnostic setting that fills it."""
    attempts = getattr(exc, "capplan_attempts", 1)
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    role = "Log Analytics Reader on the workspace" if logs else "Monitoring Reader on the subscription"
    status = _status(exc)
    chain = _azure_chain(exc)
    codes = {code for code, _ in chain}
    words = azure_words(chain)
    said = f" Azure: {words}." if words else ""
    if isinstance(exc, ClientAuthenticationError) and status in (None, 401):
        return (f"{what}: authentication failed.{said} Sign in again (`az login`) or check the service principal "
                f"settings; the identity needs {role}.")
    if status == 403:
        return (f"{what}: access denied (HTTP 403).{said} Give the identity {role}"
                + ("" if logs else ", and check that the Microsoft.Insights resource provider is registered") + ".")
    if "NotInRecording" in codes:
        return f"{what}: not in the recording (it was recorded with another configuration or window)."
    if isinstance(exc, ResourceNotFoundError) or status == 404 or any("notfound" in c.lower() for c in codes):
        target = "workspace" if logs else "resource"
        return (f"{what}: unknown {target} (HTTP {status or 404}).{said} Check the "
                + ("workspace ID" if logs else "resource ID and its region group") + " in the telemetry configuration.")
    if status in (429, 529):
        return (f"{what}: Azure Monitor is throttling requests (HTTP {status}){tries}.{said} Wait a few minutes and "
                "pull again, or pull fewer resources at once.")
    if status is not None and status >= 500:
        return f"{what}: Azure Monitor service error (HTTP {status}){tries}.{said} Try again later."
    if status is not None:
        advice = log_query_advice(chain, preset, custom_query) if logs else request_advice(status, chain, logs)
        missing = unresolved_name(chain) if logs else None
        head = f"the workspace has no table or column named '{missing}'" if missing else "request refused"
        return f"{what}: {head} (HTTP {status}).{said} {advice}"
    if isinstance(exc, ServiceResponseError | ServiceRequestError):
        kind = "timed out" if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower() else \
            "could not reach Azure Monitor"
        return f"{what}: {kind}{tries}. Check the network or proxy and try again."
    return f"{what}: {type(exc).__name__}: {words}"
