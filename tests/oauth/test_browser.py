"""The sign-in page in a real browser: headless Chromium (Debian's) driven by Playwright signs
in, allows, and lands on the client's callback, a loopback HTTP server."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.oauth.conftest import PASSWORDS, Flow, pkce_challenge, public_client
from tests.servers import REQUIRE_SERVERS_ENV, require_module, servers_required

CHROMIUM = Path(os.environ.get("DATA_ASSISTANT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if servers_required():
            pytest.fail(f"{message} ({REQUIRE_SERVERS_ENV}=1)", pytrace=False)
        pytest.skip(message)
    sync_api = require_module("playwright.sync_api", "playwright")
    with sync_api.sync_playwright() as playwright:
        # Debian's Chromium; Playwright never downloads a browser of its own here.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


class Callback:
    """A client's redirect endpoint on loopback: records what the browser brought back."""

    def __init__(self) -> None:
        self.hits: list[dict[str, str]] = []
        self.arrived = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != "/callback":  # the browser also asks for /favicon.ico
                    self.send_error(404)
                    return
                owner.hits.append({k: v[0] for k, v in parse_qs(parts.query).items()})
                body = b"<!doctype html><title>Connected</title><p>You can close this tab."
                self.send_response(200)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                owner.arrived.set()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def callback() -> Iterator[Callback]:
    made = Callback()
    yield made
    made.close()


def test_a_person_signs_in_with_chromium_and_lands_on_the_callback(browser, live, callback) -> None:
    client_id = public_client(live.app, redirect_uris=(callback.url,))
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(8)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": callback.url,
            "scope": "read:data",
            "state": state,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    page = browser.new_page()
    try:
        page.goto(f"{live.url}/oauth/authorize?{query}")
        assert "Sign in" in page.title()
        # Found by their labels, as a screen reader announces them.
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Password").fill(PASSWORDS["alice"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("text=It will be able to")
        assert "read:data" in page.content()
        page.get_by_role("button", name="Allow").click()
        page.wait_for_url(callback.url + "?*")
        assert "Connected" in page.title()
    finally:
        page.close()
    assert callback.arrived.wait(5)
    hit = callback.hits[-1]
    assert hit["state"] == state and hit["iss"] == live.url
    with httpx.Client(base_url=live.url) as http:
        flow = Flow(http, client_id, redirect_uri=callback.url, verifier=verifier)
        assert flow.exchange(hit["code"]).status_code == 200


def test_a_wrong_password_is_announced_in_the_browser(browser, live, callback) -> None:
    client_id = public_client(live.app, redirect_uris=(callback.url,))
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": callback.url,
            "scope": "read:data",
            "state": "s",
            "code_challenge_method": "S256",
            "code_challenge": pkce_challenge(secrets.token_urlsafe(48)),
        }
    )
    page = browser.new_page()
    try:
        page.goto(f"{live.url}/oauth/authorize?{query}")
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        alert = page.get_by_role("alert")
        assert "not right" in alert.inner_text()
        assert not callback.hits
    finally:
        page.close()
