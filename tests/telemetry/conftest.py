"""Fixtures: the real SDK clients over a scripted Azure Monitor (the demo estate plus crafted failures)."""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3
from azure.core.credentials import AccessToken
from requests.adapters import BaseAdapter, HTTPAdapter

from app.telemetry.config import TelemetryConfig
from app.telemetry.demo import DemoAzureMonitor
from app.telemetry.demo_world import build_world, demo_config
from app.telemetry.transport import _transport

SECRET = "s3cr3t-signature-never-shown"


def fake_jwt(tenant: str = "tenant-a", principal: str = "principal-a") -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none'})}.{part({'tid': tenant, 'oid': principal})}.{SECRET}"


class JwtCredential:
    def __init__(self, tenant: str = "tenant-a", principal: str = "principal-a"):
        self.token = fake_jwt(tenant, principal)

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(self.token, int(time.time()) + 3600)


Reply = tuple[int, Any, dict[str, str]] | str  # (status, json body, headers) or "timeout"


class ScriptedAzure(BaseAdapter):
    """The demo estate, except that requests whose URL (or body) contains a needle get scripted replies first."""

    def __init__(self, world: Any, script: list[tuple[str, list[Reply]]] | None = None,
                 transform: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None):
        super().__init__()
        self.demo = DemoAzureMonitor(world)
        self.script = [(needle, list(replies)) for needle, replies in (script or [])]
        self.transform = transform
        self.calls: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.calls.append(request)
        text = (request.url or "") + " " + (request.body.decode() if isinstance(request.body, bytes) else str(request.body or ""))
        for needle, replies in self.script:
            if needle in text and replies:
                reply = replies.pop(0)
                if reply == "timeout":
                    raise requests.exceptions.ReadTimeout("read timed out", request=request)
                status, body, headers = reply  # type: ignore[misc]
                data = json.dumps(body).encode()
                raw = urllib3.HTTPResponse(body=io.BytesIO(data), status=status, preload_content=False,
                                           headers={"Content-Type": "application/json", **headers})
                return HTTPAdapter().build_response(request, raw)
        response = self.demo.send(request)
        if self.transform is not None:
            body = self.transform(request.url or "", response.json())
            data = json.dumps(body).encode()
            raw = urllib3.HTTPResponse(body=io.BytesIO(data), status=200, preload_content=False,
                                       headers={"Content-Type": "application/json"})
            return HTTPAdapter().build_response(request, raw)
        return response

    def close(self) -> None:
        pass


TEST_DAYS = 2


@pytest.fixture(scope="session")
def world() -> Any:
    return build_world(TEST_DAYS)


@pytest.fixture()
def config() -> TelemetryConfig:
    return TelemetryConfig.model_validate(demo_config())


def factory(adapter: BaseAdapter) -> Callable[[], Any]:
    return lambda: _transport(adapter)


# Responses Azure and Microsoft published (../shared/realdata/README.md): read in place, never copied.
REALDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"
REAL_BODIES = REALDATA / "azure-monitor"
REAL_RECORDINGS = REALDATA / "recordings"


@pytest.fixture(scope="session")
def realdata() -> Path:
    assert REAL_BODIES.is_dir() and REAL_RECORDINGS.is_dir(), (
        f"{REALDATA} is missing: the published Azure Monitor bodies live in ../shared/realdata beside the clone")
    return REALDATA


class ServeRealBodies(BaseAdapter):
    """The demo estate, except that a request whose URL (or body) contains a needle gets a published
    Azure body byte for byte, with its status."""

    def __init__(self, world: Any, routes: list[tuple[str, int, Path]]):
        super().__init__()
        self.demo = DemoAzureMonitor(world)
        self.routes = routes
        self.served: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        text = (request.url or "") + " " + (request.body.decode() if isinstance(request.body, bytes) else str(request.body or ""))
        for needle, status, path in self.routes:
            if needle in text:
                data = path.read_bytes()
                self.served.append(path.name)
                raw = urllib3.HTTPResponse(body=io.BytesIO(data), status=status, preload_content=False,
                                           headers={"Content-Type": "application/json; charset=utf-8",
                                                    "Content-Length": str(len(data))})
                return HTTPAdapter().build_response(request, raw)
        return self.demo.send(request)

    def close(self) -> None:
        pass
