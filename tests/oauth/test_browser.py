"""The sign-in page in a real browser (the shared `browser`, tests/conftest.py): it signs in,
allows, and lands on the client's callback, a loopback HTTP server; the web page signs in too."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.oauth.conftest import PASSWORDS, Flow, pkce_challenge, public_client


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


# --- the web page signs in through the built-in server --------------------------------------


def sign_in_on_the_page(page: Any, live: Any) -> None:
    """From `/`: Sign in, the sign-in form, consent, back to `/`."""
    page.goto(f"{live.url}/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live.url}/oauth/authorize?*")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill(PASSWORDS["alice"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live.url}/*")


def test_the_web_page_signs_in_through_the_built_in_server_and_asks(browser, live, llm) -> None:
    from tests.llm_stub import Reply

    llm.default = Reply(content="```sql\nSELECT name FROM regions ORDER BY name\n```")
    page = browser.new_page()
    try:
        sign_in_on_the_page(page, live)
        page.wait_for_selector("#source option[value=shop]", state="attached")
        assert "Signed in as alice" in page.inner_text("#who")
        # The code and state were taken out of the address bar at once.
        assert "code=" not in page.url and "state=" not in page.url
        page.fill("#question", "which regions are there?")
        page.press("#question", "Enter")
        page.wait_for_selector("#answer:not([hidden]) table")
        assert "EMEA" in page.inner_text("#answer")
        token = page.evaluate("sessionStorage.getItem('data-assistant.token')")
        assert token and token.count(".") == 2
        assert "token" not in page.url
        page.get_by_role("button", name="Forget the token").click()
        assert page.evaluate("sessionStorage.getItem('data-assistant.token')") is None
        assert "Not signed in" in page.inner_text("#who")
    finally:
        page.close()


def test_a_sign_in_answer_with_another_state_stores_no_token(browser, live) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{live.url}/")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live.url}/oauth/authorize?*")
        query = parse_qs(urlsplit(page.url).query)
        # An answer forged for this page: a code, but a state it never sent.
        page.goto(f"{live.url}/?code=forged&state=not-{query['state'][0]}")
        page.wait_for_selector("#error:not([hidden])")
        assert "does not match" in page.inner_text("#error")
        assert page.evaluate("sessionStorage.getItem('data-assistant.token')") is None
        assert "code=" not in page.url
    finally:
        page.close()


def test_the_page_offers_no_sign_in_when_registration_is_off(browser, make_live) -> None:
    live = make_live(dynamic_registration=False)
    page = browser.new_page()
    try:
        page.goto(f"{live.url}/")
        page.wait_for_selector("#token-form:not([hidden])")
        assert page.get_by_role("button", name="Sign in").is_hidden()
    finally:
        page.close()
