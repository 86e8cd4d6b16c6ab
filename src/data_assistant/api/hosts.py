"""Host and Origin checks: a web page elsewhere must not reach this server through the browser.

With auth off the server trusts whoever can connect, which on a loopback address means the
user's own programs — and any web page they visit, if that page's host name is made to
resolve to 127.0.0.1 (DNS rebinding) or it posts across origins. So:

- the `Host` header must name this server: by default, with auth off, only loopback names
  (plus the host of `base_url` and a listening address that is not a wildcard); with auth
  on, any host unless `server.allowed_hosts` lists them. Otherwise 421.
- a request that could change something (any method but GET, HEAD, OPTIONS) and carries an
  `Origin` (browsers add it to every POST) must come from this server's own origin or one
  in `server.allowed_origins`; `Origin: null` (what a page with `Referrer-Policy:
  no-referrer` sends even to its own server, and what sandboxed frames send) passes only
  when the browser's `Sec-Fetch-Site` says same-origin. Otherwise 403. Programs that send
  no Origin (curl, SDKs, ChatGPT's servers) pass. Endpoints meant to be called across
  origins (OAuth token, revocation, registration: they answer CORS themselves) are exempt.

This is a plain ASGI middleware: it runs before routing and costs a header look-up.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from data_assistant.api.problems import problem
from data_assistant.settings import Settings

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")


def allowed_origins(settings: Settings) -> tuple[str, ...]:
    """Origins besides the request's own: the configured ones and that of `base_url`
    (behind a TLS-terminating proxy the server sees http for an https page)."""
    origins = list(settings.server.allowed_origins)
    if settings.base_url:
        parts = urlsplit(settings.base_url)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def allowed_hosts(settings: Settings) -> tuple[str, ...] | None:
    """Host names (patterns such as `*.example.com` allowed) the server answers to; None
    for any."""
    if settings.server.allowed_hosts is not None:
        return tuple(h.lower() for h in settings.server.allowed_hosts)
    if settings.auth.mode != "none":
        return None
    names = set(LOOPBACK_NAMES)
    if settings.server.host not in _WILDCARD_ADDRESSES:
        names.add(settings.server.host.lower())
    if settings.base_url:
        names.add((urlsplit(settings.base_url).hostname or "").lower())
    return tuple(sorted(n for n in names if n))


class HostGuard:
    """Refuse requests whose Host is not this server's or whose Origin is foreign."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: Iterable[str] | None,
        origins: Iterable[str] = (),
        cross_origin_paths: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.hosts = None if hosts is None else tuple(hosts)
        self.origins = {o.rstrip("/").lower() for o in origins}
        self.cross_origin_paths = frozenset(cross_origin_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.hosts is not None and not self._host_allowed(host):
            response = problem(
                421,
                "Misdirected request",
                "This server does not answer to that host name; it may be listed in "
                "server.allowed_hosts.",
                slug="misdirected-request",
            )
            await response(scope, receive, send)
            return
        origin = headers.get("origin")
        if (
            origin is not None
            and scope.get("method", "GET") not in SAFE_METHODS
            and scope.get("path") not in self.cross_origin_paths
            and not self._origin_allowed(origin, host, scope, headers.get("sec-fetch-site"))
        ):
            response = problem(
                403,
                "Forbidden origin",
                "Requests from another web origin are not accepted; it may be listed in "
                "server.allowed_origins.",
                slug="forbidden-origin",
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _host_allowed(self, host: str) -> bool:
        name = _host_name(host)
        assert self.hosts is not None
        return bool(name) and any(fnmatch.fnmatchcase(name, pattern) for pattern in self.hosts)

    def _origin_allowed(self, origin: str, host: str, scope: Scope, fetch_site: str | None) -> bool:
        origin = origin.rstrip("/").lower()
        if origin in self.origins:
            return True
        if origin == "null":
            return fetch_site == "same-origin"
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # `null` (sandboxed frames, file: pages) and other schemes are never this server.
            return False
        scheme = scope.get("scheme", "http")
        default_port = 443 if scheme == "https" else 80
        own = (scheme, _host_name(host), _port(host) or default_port)
        theirs_default = 443 if parts.scheme == "https" else 80
        return own == (parts.scheme, parts.hostname, parts.port or theirs_default)


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _port(host: str) -> int | None:
    host = host.strip()
    tail = host.rsplit("]", 1)[-1] if host.startswith("[") else host
    if tail.count(":") == 1:
        port = tail.rsplit(":", 1)[1]
        return int(port) if port.isdigit() else None
    return None
