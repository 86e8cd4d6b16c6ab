"""Class 6: DNS rebinding, Host and Origin. `data-assistant serve --db FILE` listens on
loopback with auth off, so a web page the user visits must not be able to reach it: a
request naming a foreign Host (a rebound DNS name) or coming from a cross-site Origin is
refused; loopback names and same-origin requests still answer."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.adversarial.harness import hole_marks
from tests.adversarial.markers import Markers
from tests.adversarial.served import serve_command
from tests.llm_stub import ChatStub

C = "host-origin"


@dataclass
class Local:
    url: str
    port: int
    stub: ChatStub
    markers: Markers


@pytest.fixture(scope="module")
def local(redteam_stub: ChatStub, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Local]:
    """The CLI's own `serve --db FILE` (auth mode none, loopback) as a child process."""
    markers = Markers()
    folder = tmp_path_factory.mktemp("local")
    path = folder / "mine.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO products VALUES (1, ?)", (markers.new("a local row"),))
        conn.commit()
    env = {
        "OPENAI_BASE_URL": redteam_stub.url,
        "OPENAI_API_KEY": "test-key",
        "DATA_ASSISTANT_MODEL": "stub",
    }
    with serve_command(["--db", str(path)], env, Path(folder)) as url:
        yield Local(url, int(url.rsplit(":", 1)[1]), redteam_stub, markers)


@dataclass(frozen=True)
class Request:
    """One request to the local server: headers given as templates ({port})."""

    name: str
    method: str = "POST"
    path: str = "/api/v1/query/sql"
    headers: dict[str, str] = field(default_factory=dict)
    allowed: bool = False
    hole: str | None = None
    content: str | None = None


def refused(name: str, hole: str | None = None, **kw: Any) -> Request:
    return Request(name, hole=hole, **kw)


def allowed(name: str, **kw: Any) -> Request:
    return Request(name, allowed=True, **kw)


REQUESTS = [
    refused("foreign-host", headers={"host": "attacker.example"}),
    refused("foreign-host-with-port", headers={"host": "attacker.example:{port}"}),
    refused("rebinding-name-that-embeds-loopback", headers={"host": "127.0.0.1.nip.io:{port}"}),
    refused("loopback-subdomain-of-attacker", headers={"host": "localhost.attacker.example"}),
    refused("unspecified-address-host", headers={"host": "0.0.0.0:{port}"}),
    refused(
        "foreign-host-on-sources-list",
        method="GET",
        path="/api/v1/sources",
        headers={"host": "attacker.example:{port}"},
    ),
    refused(
        "foreign-host-on-readiness",
        method="GET",
        path="/readyz",
        headers={"host": "attacker.example:{port}"},
    ),
    refused(
        "foreign-host-and-matching-origin",
        headers={"host": "attacker.example:{port}", "origin": "http://attacker.example:{port}"},
    ),
    refused("cross-site-origin", headers={"origin": "https://attacker.example"}),
    refused("null-origin", headers={"origin": "null"}),
    refused(
        "origin-that-embeds-loopback",
        headers={"origin": "http://127.0.0.1.attacker.example"},
    ),
    refused(
        "cross-site-origin-plain-text-body",
        headers={"origin": "https://attacker.example", "content-type": "text/plain"},
    ),
    refused("plain-text-body-is-not-json", headers={"content-type": "text/plain"}),
    refused(
        "form-body-is-not-json",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    allowed("loopback-address", headers={"host": "127.0.0.1:{port}"}),
    allowed("localhost-name", headers={"host": "localhost:{port}"}),
    allowed("localhost-without-port", headers={"host": "localhost"}),
    allowed("localhost-in-capitals", headers={"host": "LOCALHOST:{port}"}),
    allowed("ipv6-loopback", headers={"host": "[::1]:{port}"}),
    allowed("same-origin", headers={"origin": "http://127.0.0.1:{port}"}),
    allowed(
        "same-origin-by-name",
        headers={"host": "localhost:{port}", "origin": "http://localhost:{port}"},
    ),
    allowed("no-origin-as-curl-sends", headers={}),
]


def params() -> list[Any]:
    out = []
    for r in REQUESTS:
        out.append(pytest.param(r, id=f"local-{C}-{r.name}", marks=hole_marks(C, r.hole)))
    return out


@pytest.mark.parametrize("request_", params())
def test_only_loopback_hosts_and_same_origin_reach_a_server_without_auth(local, request_):
    stub = local.stub
    stub.replies.clear()
    stub.requests.clear()
    stub.sql("SELECT id, name FROM products")
    headers = {k: v.format(port=local.port) for k, v in request_.headers.items()}
    body = request_.content or '{"database": "mine", "question": "list the products"}'
    if request_.method == "POST":
        headers.setdefault("content-type", "application/json")
    with httpx.Client(timeout=60) as client:
        response = client.request(
            request_.method,
            local.url + request_.path,
            headers=headers,
            content=body if request_.method == "POST" else None,
        )
    shown = local.markers.find(response.text + str(response.headers))
    if request_.allowed:
        assert response.status_code == 200, response.text
        if request_.method == "POST":
            assert shown, "the allowed request should have shown the local row"
    else:
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
        assert not shown, shown
        assert not stub.requests, "a refused request still reached the LLM"
    stub.replies.clear()


def test_a_cross_site_preflight_is_not_granted(local):
    response = httpx.options(
        local.url + "/api/v1/query/sql",
        headers={
            "origin": "https://attacker.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
        timeout=30,
    )
    granted = response.headers.get("access-control-allow-origin")
    assert granted not in ("*", "https://attacker.example"), response.headers
