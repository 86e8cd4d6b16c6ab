"""Each way a client or a token can be wrong is refused with the right error, and nothing is
ever redirected to a URI the client did not register."""

from __future__ import annotations

import secrets
import time
from urllib.parse import quote

import jwt
import pytest

from tests.oauth.conftest import (
    CALLBACK,
    PASSWORDS,
    Flow,
    bearer,
    callback_query,
    hidden,
    public_client,
)

API = "/api/v1/sources"


@pytest.fixture
def client(app_client):
    return app_client()


def pkce_flow(client, **kwargs) -> Flow:
    return Flow(client, public_client(client.app), verifier=secrets.token_urlsafe(48), **kwargs)


def sign(client, **overrides) -> str:
    """A token signed with the server's own current key, with claims overridden."""
    now = int(time.time())
    claims = {
        "iss": str(client.base_url).rstrip("/"),
        "aud": str(client.base_url).rstrip("/"),
        "sub": "alice",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": secrets.token_hex(8),
        "scope": "read:data",
        "databases": ["shop"],
    }
    claims.update(overrides)
    return client.app.state.oauth.keys.current().sign(claims, typ="at+jwt")


# --- tokens at the resource ---------------------------------------------------------------


def test_a_request_without_a_token_is_told_where_the_metadata_is(client) -> None:
    answer = client.get(API)
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'resource_metadata="http://127.0.0.1:8765/.well-known/oauth-protected-resource"' in (
        challenge
    )
    assert 'scope="read:data"' in challenge
    assert "error=" not in challenge  # RFC 6750 §3.1: no error code without credentials


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "http://127.0.0.1:8765/mcp"}, "another audience"),
        ({"aud": "https://other.example"}, "another audience"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"iss": "https://evil.example"}, "issuer"),
    ],
    ids=["token-for-mcp", "token-for-another-server", "expired", "foreign-issuer"],
)
def test_a_token_that_is_not_for_this_resource_is_refused(client, overrides, reason) -> None:
    answer = client.get(API, headers=bearer(sign(client, **overrides)))
    assert answer.status_code == 401
    assert reason in answer.json()["detail"]
    challenge = answer.headers["www-authenticate"]
    assert 'error="invalid_token"' in challenge
    assert "resource_metadata=" in challenge


def test_a_token_signed_by_another_key_is_refused(client) -> None:
    from data_assistant.auth.oauth.keys import _load, new_key

    stranger = _load(new_key("RS256", after="x", now=time.time()))
    now = int(time.time())
    token = stranger.sign(
        {
            "iss": "http://127.0.0.1:8765",
            "aud": "http://127.0.0.1:8765",
            "sub": "alice",
            "iat": now,
            "exp": now + 60,
            "jti": "j",
            "scope": "read:data",
        }
    )
    assert client.get(API, headers=bearer(token)).status_code == 401


def test_a_token_without_the_scope_gets_insufficient_scope(client) -> None:
    answer = client.get(API, headers=bearer(sign(client, scope="profile")))
    assert answer.status_code == 403
    challenge = answer.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="read:data"' in challenge
    assert "resource_metadata=" in challenge


def test_a_user_who_may_grant_no_scope_gets_a_token_that_is_refused(client) -> None:
    flow = pkce_flow(client)
    page = flow.sign_in("nobody")
    assert "may not grant" in page.text
    decided = client.post(
        "/oauth/authorize",
        data={
            "txn": hidden(page.text, "txn"),
            "csrf": hidden(page.text, "csrf"),
            "step": "consent",
            "decision": "deny",
        },
    )
    assert callback_query(decided.headers["location"], CALLBACK)["error"] == "access_denied"


def test_a_token_in_the_query_string_is_refused(client) -> None:
    answer = client.get(API, params={"access_token": sign(client)})
    assert answer.status_code == 401
    assert 'error="invalid_request"' in answer.headers["www-authenticate"]


def test_a_token_for_mcp_is_accepted_by_the_mcp_resource_only(client) -> None:
    from starlette.requests import Request

    token = sign(client, aud="http://127.0.0.1:8765/mcp")
    mcp = client.app.state.oauth.resource("mcp")
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/mcp",
        "query_string": b"",
        "headers": [(b"authorization", f"Bearer {token}".encode())],
        "app": client.app,
    }
    assert mcp(Request(scope)).subject == "alice"
    assert client.get(API, headers=bearer(token)).status_code == 401


# --- the authorization endpoint -----------------------------------------------------------


REGISTERED = "https://app.example.com/cb"
OPEN_REDIRECTS = [
    "https://evil.example/cb",
    "https://app.example.com/cb/../evil",
    "https://app.example.com/cbx",
    "https://app.example.com/cb/",
    "https://app.example.com/cb?next=https://evil.example",
    "https://app.example.com.evil.example/cb",
    "https://app.example.com@evil.example/cb",
    "https://evil.example@app.example.com/cb",
    "https://app.example.com/cb#@evil.example",
    "https://app.example.com%2F@evil.example/cb",
    "https://app.example.com%2Fcb",
    quote(REGISTERED, safe=""),
    "HTTPS://APP.EXAMPLE.COM/cb",
    "https://app.example.com:443/cb",
    "https://app.example.com\\@evil.example/cb",
    "//evil.example/cb",
    "http://app.example.com/cb",
    "javascript:alert(1)//https://app.example.com/cb",
]


@pytest.mark.parametrize("redirect_uri", OPEN_REDIRECTS)
def test_an_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(
    client, redirect_uri
) -> None:
    flow = Flow(
        client,
        public_client(client.app, redirect_uris=(REGISTERED,)),
        redirect_uri=redirect_uri,
        verifier=secrets.token_urlsafe(48),
    )
    answer = flow.open()
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "text/html" in answer.headers["content-type"]


def test_the_registered_uri_itself_is_accepted(client) -> None:
    flow = Flow(
        client,
        public_client(client.app, redirect_uris=(REGISTERED,)),
        redirect_uri=REGISTERED,
        verifier=secrets.token_urlsafe(48),
    )
    assert flow.open().status_code == 200


def test_a_loopback_redirect_may_use_any_port_but_nothing_else_may_change(client) -> None:
    client_id = public_client(client.app, redirect_uris=("http://127.0.0.1/callback",))
    ok = Flow(
        client,
        client_id,
        redirect_uri="http://127.0.0.1:53682/callback",
        verifier=secrets.token_urlsafe(48),
    )
    assert ok.open().status_code == 200
    for wrong in (
        "http://127.0.0.1:53682/other",
        "http://localhost:53682/callback",
        "http://127.0.0.1:53682@evil.example/callback",
    ):
        bad = Flow(client, client_id, redirect_uri=wrong, verifier=secrets.token_urlsafe(48))
        assert bad.open().status_code == 400, wrong


def test_an_unknown_client_gets_an_error_page(client) -> None:
    answer = Flow(client, "no-such-client", verifier=secrets.token_urlsafe(48)).open()
    assert answer.status_code == 400
    assert "location" not in answer.headers


def test_a_public_client_without_pkce_is_sent_back_with_invalid_request(client) -> None:
    flow = Flow(client, public_client(client.app))  # no verifier: no code_challenge
    answer = flow.open()
    assert answer.status_code == 303
    query = callback_query(answer.headers["location"], CALLBACK)
    assert query["error"] == "invalid_request"
    assert query["state"] == flow.state
    assert query["iss"] == "http://127.0.0.1:8765"


def test_plain_pkce_is_refused(client) -> None:
    flow = pkce_flow(client)
    answer = flow.open(code_challenge_method="plain", code_challenge=flow.verifier)
    assert callback_query(answer.headers["location"], CALLBACK)["error"] == "invalid_request"


def test_an_unknown_scope_is_refused(client) -> None:
    answer = pkce_flow(client).open(scope="read:data admin")
    assert callback_query(answer.headers["location"], CALLBACK)["error"] == "invalid_scope"


def test_a_resource_this_server_does_not_serve_is_refused(client) -> None:
    answer = pkce_flow(client).open(resource="https://other.example/api")
    assert callback_query(answer.headers["location"], CALLBACK)["error"] == "invalid_target"


def test_the_resource_asked_for_becomes_the_audience(client) -> None:
    flow = pkce_flow(client, extra={"resource": "http://127.0.0.1:8765/mcp"})
    token = flow.exchange(flow.code()).json()["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == (
        "http://127.0.0.1:8765/mcp"
    )


# --- the token endpoint -------------------------------------------------------------------


def test_a_wrong_pkce_verifier_is_refused(client) -> None:
    flow = pkce_flow(client)
    answer = flow.exchange(flow.code(), code_verifier=secrets.token_urlsafe(48))
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_a_missing_pkce_verifier_is_refused(client) -> None:
    flow = pkce_flow(client)
    answer = flow.exchange(flow.code(), code_verifier=None)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


def test_a_code_is_used_once_and_a_second_use_revokes_the_first_tokens(client) -> None:
    flow = pkce_flow(client)
    code = flow.code()
    first = flow.exchange(code)
    assert first.status_code == 200
    again = flow.exchange(code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert client.get(API, headers=bearer(first.json()["access_token"])).status_code == 401


def test_a_code_is_bound_to_its_client_and_redirect_uri(client) -> None:
    flow = pkce_flow(client)
    other = public_client(client.app)
    stolen = flow.exchange(flow.code(), client_id=other)
    assert stolen.json()["error"] == "invalid_grant"
    flow = pkce_flow(client)
    moved = flow.exchange(flow.code(), redirect_uri="http://127.0.0.1:9/other")
    assert moved.json()["error"] == "invalid_grant"


def test_an_unknown_client_at_the_token_endpoint_is_invalid_client(client) -> None:
    answer = client.post(
        "/oauth/token",
        data={"grant_type": "authorization_code", "code": "x", "client_id": "nobody-knows"},
    )
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"


# --- the sign-in form ---------------------------------------------------------------------


def test_a_wrong_password_shows_the_form_again_with_an_alert(client) -> None:
    answer = pkce_flow(client).sign_in("alice", password="wrong")
    assert answer.status_code == 401
    assert 'role="alert"' in answer.text
    assert "not right" in answer.text


def test_too_many_failed_sign_ins_make_the_user_wait(app_client) -> None:
    client = app_client(max_failed_sign_ins=3)
    for _ in range(3):
        assert pkce_flow(client).sign_in("alice", password="wrong").status_code == 401
    # Even the right password now waits: guessing cannot go faster than the limit.
    answer = pkce_flow(client).sign_in("alice")
    assert answer.status_code == 429


@pytest.mark.parametrize("tamper", ["no-cookie", "other-cookie", "wrong-csrf", "no-txn"])
def test_a_forged_sign_in_post_is_refused(client, tamper) -> None:
    page = pkce_flow(client).open()
    form = {
        "txn": hidden(page.text, "txn"),
        "csrf": hidden(page.text, "csrf"),
        "step": "sign-in",
        "username": "alice",
        "password": PASSWORDS["alice"],
    }
    if tamper == "no-cookie":
        client.cookies.clear()
    elif tamper == "other-cookie":
        client.cookies.clear()
        client.cookies.set("da_oauth_browser", "someone-else", path="/oauth")
    elif tamper == "wrong-csrf":
        form["csrf"] = "guessed"
    else:
        form["txn"] = "guessed"
    answer = client.post("/oauth/authorize", data=form)
    assert answer.status_code == 403
    assert "expired" in answer.text


def test_a_consent_form_cannot_be_replayed(client) -> None:
    flow = pkce_flow(client)
    page = flow.sign_in("alice")
    form = {
        "txn": hidden(page.text, "txn"),
        "csrf": hidden(page.text, "csrf"),
        "step": "consent",
        "decision": "allow",
    }
    assert client.post("/oauth/authorize", data=form).status_code == 303
    assert client.post("/oauth/authorize", data=form).status_code == 403


def test_consent_cannot_be_skipped_by_posting_it_before_signing_in(client) -> None:
    page = pkce_flow(client).open()
    answer = client.post(
        "/oauth/authorize",
        data={
            "txn": hidden(page.text, "txn"),
            "csrf": hidden(page.text, "csrf"),
            "step": "consent",
            "decision": "allow",
        },
    )
    assert answer.status_code == 403


def test_the_pages_forbid_framing_and_caching(client) -> None:
    page = pkce_flow(client).open()
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert '<label for="username">' in page.text and '<label for="password">' in page.text


@pytest.mark.parametrize("field", ["response_type", "scope", "state", "client_id"])
def test_quotes_and_backslashes_in_parameters_are_a_clean_400(client, field) -> None:
    flow = pkce_flow(client)
    answer = flow.open(**{field: 'x"y\\z'})
    # An opaque state may hold anything: the page is shown, with the value escaped.
    assert answer.status_code in ((200,) if field == "state" else (303, 400))
    assert 'x"y' not in answer.text
    if answer.status_code == 303:
        assert callback_query(answer.headers["location"], CALLBACK)["error"]
    token = client.post("/oauth/token", data={"grant_type": 'x"\\', "client_id": 'a"\\b'})
    assert token.status_code in (400, 401)
    assert token.json()["error"]
