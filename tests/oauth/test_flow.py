"""The whole authorization-code flow over real HTTP (uvicorn on loopback): sign-in form with
its CSRF token, consent, the redirect, the code exchange, a question asked of a real SQLite
database with the token, refresh rotation and reuse detection."""

from __future__ import annotations

import secrets

import httpx
import jwt

from tests.oauth.conftest import (
    CALLBACK,
    Flow,
    bearer,
    callback_query,
    confidential_client,
    public_client,
)


def ask(http: httpx.Client, token: str) -> httpx.Response:
    return http.post(
        "/api/v1/query/sql",
        json={"database": "shop", "question": "how many customers"},
        headers=bearer(token),
    )


def test_a_public_client_signs_in_with_pkce_and_asks_a_question(live, llm) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False) as http:
        flow = Flow(http, public_client(live.app), verifier=secrets.token_urlsafe(48))
        consent = flow.consent("alice")
        assert consent.status_code == 303
        query = callback_query(consent.headers["location"], CALLBACK)
        assert query["state"] == flow.state
        assert query["iss"] == live.url  # RFC 9207

        answer = flow.exchange(query["code"])
        assert answer.status_code == 200, answer.text
        token = answer.json()
        assert token["token_type"] == "Bearer"
        assert token["scope"] == "read:data"
        assert answer.headers["cache-control"] == "no-store"
        claims = jwt.decode(token["access_token"], options={"verify_signature": False})
        assert claims["iss"] == live.url
        assert claims["aud"] == live.url
        assert claims["sub"] == "alice"
        assert claims["databases"] == ["shop"]
        assert claims["region"] == "EMEA"  # the user's policy claims ride along

        llm.sql("SELECT COUNT(*) AS n FROM customers")
        result = ask(http, token["access_token"])
        assert result.status_code == 200, result.text
        assert result.json()["results"] == [{"n": 3}]


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(live, llm) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False) as http:
        flow = Flow(http, public_client(live.app), verifier=secrets.token_urlsafe(48))
        first = flow.exchange(flow.code()).json()

        second = flow.refresh(first["refresh_token"])
        assert second.status_code == 200, second.text
        second = second.json()
        assert second["refresh_token"] != first["refresh_token"]
        assert second["access_token"] != first["access_token"]
        llm.sql("SELECT COUNT(*) AS n FROM orders")
        assert ask(http, second["access_token"]).status_code == 200

        reused = flow.refresh(first["refresh_token"])
        assert reused.status_code == 400
        assert reused.json()["error"] == "invalid_grant"
        # The reuse revoked everything issued from this sign-in, the newest tokens too.
        denied = ask(http, second["access_token"])
        assert denied.status_code == 401
        assert "revoked" in denied.json()["detail"]
        assert flow.refresh(second["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_confidential_client_authenticates_with_basic_and_with_post(live) -> None:
    client_id, secret = confidential_client(live.app)
    with httpx.Client(base_url=live.url, follow_redirects=False) as http:
        # A GPT Action: no PKCE, the secret in the Authorization header...
        flow = Flow(http, client_id)
        basic = flow.exchange(flow.code(), auth=(client_id, secret), client_id=None)
        assert basic.status_code == 200, basic.text
        # ...or in the form (the GPT editor's default).
        flow = Flow(http, client_id)
        post = flow.exchange(flow.code(), client_secret=secret)
        assert post.status_code == 200, post.text
        refreshed = flow.refresh(post.json()["refresh_token"], client_secret=secret)
        assert refreshed.status_code == 200, refreshed.text

        flow = Flow(http, client_id)
        wrong = flow.exchange(flow.code(), auth=(client_id, secret + "x"), client_id=None)
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_client"
        flow = Flow(http, client_id)
        missing = flow.exchange(flow.code())
        assert missing.status_code in (400, 401)
        assert missing.json()["error"] == "invalid_client"


def test_revoking_a_refresh_token_stops_its_access_tokens(live, llm) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False) as http:
        flow = Flow(http, public_client(live.app), verifier=secrets.token_urlsafe(48))
        token = flow.exchange(flow.code()).json()
        revoked = http.post(
            "/oauth/revoke",
            data={"token": token["refresh_token"], "client_id": flow.client_id},
        )
        assert revoked.status_code == 200
        assert ask(http, token["access_token"]).status_code == 401
        assert flow.refresh(token["refresh_token"]).json()["error"] == "invalid_grant"


def test_revoking_an_access_token_stops_only_it(live, llm) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False) as http:
        flow = Flow(http, public_client(live.app), verifier=secrets.token_urlsafe(48))
        token = flow.exchange(flow.code()).json()
        revoked = http.post(
            "/oauth/revoke",
            data={"token": token["access_token"], "client_id": flow.client_id},
        )
        assert revoked.status_code == 200
        assert ask(http, token["access_token"]).status_code == 401
        fresh = flow.refresh(token["refresh_token"]).json()
        llm.sql("SELECT 1 AS one")
        assert ask(http, fresh["access_token"]).status_code == 200
