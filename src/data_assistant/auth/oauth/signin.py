"""The interactive part of the authorization endpoint: sign-in, then consent, then the code.

A valid authorization request becomes a sign-in transaction in the store (ten minutes,
shared by every process). Each form carries the transaction id and a CSRF token, and the
browser that opened it carries a cookie whose hash the transaction keeps: a form posted
from another site, or from another browser, is refused. The consent step uses the
transaction up, so it cannot be replayed. Failed sign-ins are counted per user name, so a
password cannot be guessed faster than `max_failed_sign_ins` per 15 minutes.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.errors import OAuth2Error
from starlette.responses import HTMLResponse, RedirectResponse, Response

from data_assistant.auth.oauth import pages
from data_assistant.auth.oauth.issuance import SignedInUser, digest
from data_assistant.auth.oauth.metadata import AUTHORIZE_PATH
from data_assistant.auth.oauth.passwords import check_password
from data_assistant.auth.oauth.server import BuiltinAuthorizationServer, HttpRequest

TXN = "sign_in"
FAILURES = "sign_in_failures"
TXN_TTL_S = 600
FAILURE_WINDOW_S = 900
MAX_TRIES_PER_TXN = 5
COOKIE = "da_oauth_browser"
SERVICE = "Data Assistant"

Pairs = Sequence[tuple[str, str]]


class SignInFlow:
    """GET shows the sign-in page; POST signs in, then records the user's decision."""

    def __init__(self, server: BuiltinAuthorizationServer) -> None:
        self.server = server
        self.store = server.store
        self.secure = server.issuer_url.startswith("https://")

    # --- GET /oauth/authorize ---------------------------------------------------------------

    def start(self, query: Pairs, headers: Mapping[str, str], cookie: str | None) -> Response:
        """Check the authorization request and show the sign-in page."""
        request = self._oauth_request(query, headers)
        try:
            grant = self.server.get_consent_grant(request)
        except OAuth2Error as error:
            return self._error(request, error)
        except ValueError:
            # Authlib refuses to build an error description holding quotes or backslashes.
            return self._error(request, OAuth2Error(description="The request is malformed."))
        browser = cookie or secrets.token_urlsafe(24)
        txn, csrf = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        record = {"query": list(query), "browser": digest(browser), "csrf": csrf, "tries": 0}
        self.store.put(TXN, txn, record, TXN_TTL_S)
        response = self._sign_in(grant, txn, csrf)
        if cookie != browser:
            response.set_cookie(
                COOKIE,
                browser,
                max_age=86_400,
                path="/oauth",
                httponly=True,
                secure=self.secure,
                samesite="strict",
            )
        return response

    # --- POST /oauth/authorize --------------------------------------------------------------

    def post(
        self, form: Mapping[str, str], headers: Mapping[str, str], cookie: str | None
    ) -> Response:
        """A sign-in or consent form."""
        txn = form.get("txn", "")
        record = self.store.get(TXN, txn) if txn else None
        if record is None or not _same(cookie, record["browser"], hashed=True):
            return self._expired()
        if not _same(form.get("csrf"), record["csrf"]):
            return self._expired()
        request = self._oauth_request(record["query"], headers)
        if form.get("step") == "sign-in":
            return self._check_password(request, form, txn, record)
        if form.get("step") == "consent" and record.get("user"):
            return self._decide(request, form, txn, record)
        return self._expired()

    def _check_password(
        self, request: HttpRequest, form: Mapping[str, str], txn: str, record: dict[str, Any]
    ) -> Response:
        name = form.get("username", "").strip()[:128]
        try:
            grant = self.server.get_consent_grant(request)
        except OAuth2Error as error:
            return self._error(request, error)
        failures = self.store.get(FAILURES, name.lower()) or {"n": 0}
        if failures["n"] >= self.server.settings.max_failed_sign_ins:
            message = "Too many failed sign-ins for this user; wait 15 minutes and try again."
            return self._sign_in(grant, txn, record["csrf"], error=message, name=name, status=429)
        user = check_password(self.server.settings.users, name, form.get("password", ""))
        if user is None:
            self.store.incr(FAILURES, name.lower(), FAILURE_WINDOW_S)
            record["tries"] += 1
            if record["tries"] >= MAX_TRIES_PER_TXN:
                self.store.delete(TXN, txn)
                return self._expired()
            self.store.put(TXN, txn, record, TXN_TTL_S)
            message = "The user name or password is not right."
            return self._sign_in(grant, txn, record["csrf"], error=message, name=name, status=401)
        record.update(user=name, csrf=secrets.token_urlsafe(24))
        self.store.put(TXN, txn, record, TXN_TTL_S)
        signed_in = SignedInUser(name, user)
        scopes = signed_in.granted_scopes(grant.request.scope or "", self.server.scopes_supported)
        client = grant.request.client
        page = pages.consent_page(
            action=AUTHORIZE_PATH,
            fields={"txn": txn, "csrf": record["csrf"]},
            client_name=client.name,
            redirect_host=_host(grant.redirect_uri),
            service=SERVICE,
            user=name,
            scopes=scopes.split(),
            databases=user.databases,
            nonce=(nonce := _nonce()),
        )
        return _html(page, 200, nonce)

    def _decide(
        self, request: HttpRequest, form: Mapping[str, str], txn: str, record: dict[str, Any]
    ) -> Response:
        taken, _ = self.store.consume(TXN, txn, keep_s=1)
        user = self.server.user(record["user"])
        if taken is None or user is None:
            return self._expired()
        try:
            grant = self.server.get_consent_grant(request, end_user=user)
        except OAuth2Error as error:
            return self._error(request, error)
        allowed = form.get("decision") == "allow"
        reply = self.server.create_authorization_response(
            request, grant_user=user if allowed else None, grant=grant
        )
        if reply.location is None:
            return self._error(request, OAuth2Error(description="The request failed."))
        # 303: the browser follows with a GET, whatever the form's method was.
        return RedirectResponse(reply.location, status_code=303, headers=_NO_STORE)

    # --- pages ------------------------------------------------------------------------------

    def _sign_in(
        self,
        grant: Any,
        txn: str,
        csrf: str,
        *,
        error: str | None = None,
        name: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        nonce = _nonce()
        page = pages.sign_in_page(
            action=AUTHORIZE_PATH,
            fields={"txn": txn, "csrf": csrf},
            client_name=grant.request.client.name,
            redirect_host=_host(grant.redirect_uri),
            service=SERVICE,
            nonce=nonce,
            error=error,
            username=name,
        )
        return _html(page, status, nonce)

    def _expired(self) -> HTMLResponse:
        nonce = _nonce()
        page = pages.error_page(
            title="This page has expired",
            message="The sign-in was not started in this browser, took too long or was "
            "already used. Go back to the app and connect again.",
            nonce=nonce,
        )
        return _html(page, 403, nonce)

    def _error(self, request: HttpRequest, error: OAuth2Error) -> Response:
        if error.redirect_uri:
            # The redirect URI has been checked against the client's: the error goes back to
            # the app, with `iss` (RFC 9207) as on success.
            reply = self.server.handle_error_response(request, error)
            location = add_params_to_uri(reply.location, [("iss", self.server.issuer_url)])
            return RedirectResponse(location, status_code=303, headers=_NO_STORE)
        nonce = _nonce()
        page = pages.error_page(
            title="This app's request cannot be used",
            message=f"{error.description or error.error}",
            nonce=nonce,
        )
        return _html(page, 400, nonce)

    def _oauth_request(self, query: Pairs, headers: Mapping[str, str]) -> HttpRequest:
        # Pairs come back from the store as JSON lists.
        pairs = [(str(key), str(value)) for key, value in query]
        params: dict[str, list[str]] = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        uri = f"{self.server.issuer_url}{AUTHORIZE_PATH}?{urlencode(pairs)}"
        return HttpRequest("GET", uri, headers, params)


_NO_STORE = {"Cache-Control": "no-store"}


def _html(page: str, status: int, nonce: str) -> HTMLResponse:
    return HTMLResponse(
        page,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": (
                f"default-src 'none'; style-src 'nonce-{nonce}'; frame-ancestors 'none'; "
                "base-uri 'none'"
            ),
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _nonce() -> str:
    return secrets.token_urlsafe(16)


def _host(uri: str | None) -> str:
    parts = urlsplit(uri or "")
    if not parts.scheme:
        return "?"
    # A native app's private-use scheme has no host: show the scheme.
    return parts.netloc or f"{parts.scheme}:"


def _same(given: str | None, expected: str, *, hashed: bool = False) -> bool:
    if not given:
        return False
    value = digest(given) if hashed else given
    return hmac.compare_digest(value.encode(), expected.encode())
