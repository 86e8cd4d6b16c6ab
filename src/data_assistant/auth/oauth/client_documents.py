"""Client ID Metadata Documents: a client whose id is an https URL serving its metadata.

The document is fetched with httpx, bounded in size and time, without redirects or proxies
from the environment. The host is resolved once, every address it resolves to must be a
public one (unless `allow_private_networks`), and the connection goes to that checked
address with the host name kept for TLS (SNI and certificate), so a DNS answer that changes
between the check and the fetch cannot send it to an internal address. Only public clients
(`token_endpoint_auth_method: none`) are accepted this way.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.oauth2.rfc6749.errors import InvalidClientError

from data_assistant.auth.oauth.clients import GRANT_TYPES, Client, check_redirect_uri
from data_assistant.settings.oauth import ClientDocumentSettings, is_loopback

log = logging.getLogger("data_assistant.auth")

MAX_URL_LENGTH = 2048
_CACHE_SIZE = 1000
_UNSAFE = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")
_DOT_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$)")

Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def looks_like_document_id(client_id: str) -> bool:
    """Whether a client id is a URL (and so names a metadata document)."""
    return client_id.startswith(("https://", "http://"))


class ClientDocuments:
    """Fetches, checks and caches metadata documents."""

    def __init__(
        self,
        settings: ClientDocumentSettings,
        *,
        resolver: Resolver = _resolve,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._resolve = resolver
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, Client]] = OrderedDict()
        self._lock = threading.Lock()

    def client(self, client_id: str) -> Client:
        """The client the document at `client_id` describes; InvalidClientError if none."""
        if not self.settings.enabled:
            raise _refuse("This server does not accept metadata document client ids.")
        now = self._clock()
        with self._lock:
            cached = self._cache.get(client_id)
            if cached and cached[0] > now:
                self._cache.move_to_end(client_id)
                return cached[1]
        target = self._check_url(client_id)
        document = self._fetch(client_id, target)
        client = self._check_document(client_id, document)
        with self._lock:
            self._cache[client_id] = (now + self.settings.cache_s, client)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return client

    def _check_url(self, url: str) -> tuple[str, str, int]:
        """(scheme, host, port) of an acceptable client id URL."""
        if len(url) > MAX_URL_LENGTH:
            raise _refuse("The client id URL is too long.")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise _refuse("The client id is not a valid URL.") from None
        host = parts.hostname or ""
        local_http = (
            parts.scheme == "http" and is_loopback(host) and self.settings.allow_private_networks
        )
        if parts.scheme != "https" and not local_http:
            raise _refuse("A client id URL must be https.")
        if not host or "@" in parts.netloc or parts.fragment or "#" in url:
            raise _refuse("A client id URL must not have user information or a fragment.")
        if parts.query:
            raise _refuse("A client id URL must not have a query.")
        if parts.path in ("", "/") or _DOT_SEGMENT.search(parts.path):
            raise _refuse("A client id URL must have a path without . or .. segments.")
        return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)

    def _address(self, host: str, port: int) -> str:
        try:
            addresses = self._resolve(host, port)
        except OSError:
            raise _refuse(f"The client's host {host} cannot be resolved.") from None
        checked = [_ip(a) for a in addresses]
        if not checked:
            raise _refuse(f"The client's host {host} cannot be resolved.")
        if not self.settings.allow_private_networks and not all(ip.is_global for ip in checked):
            raise _refuse(f"The client's host {host} is on a private network.")
        return str(checked[0])

    def _fetch(self, url: str, target: tuple[str, str, int]) -> Any:
        scheme, host, port = target
        address = self._address(host, port)
        literal = f"[{address}]" if ":" in address else address
        parts = urlsplit(url)
        pinned = f"{scheme}://{literal}:{port}{parts.path}"
        default_port = port == (443 if scheme == "https" else 80)
        headers = {
            "Host": host if default_port else f"{host}:{port}",
            "Accept": "application/json",
        }
        limit, deadline = self.settings.max_bytes, self._clock() + self.settings.timeout_s
        body = bytearray()
        try:
            with (
                httpx.Client(
                    timeout=self.settings.timeout_s, follow_redirects=False, trust_env=False
                ) as http,
                http.stream(
                    "GET", pinned, headers=headers, extensions={"sni_hostname": host}
                ) as response,
            ):
                if response.status_code != 200:
                    raise _refuse(
                        f"The client's metadata document answered HTTP {response.status_code}."
                    )
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise _refuse("The client's metadata document is too large.")
                    if self._clock() > deadline:
                        raise _refuse("The client's metadata document took too long.")
        except httpx.HTTPError as exc:
            log.info("client metadata document %s: %s", url, type(exc).__name__)
            raise _refuse("The client's metadata document cannot be fetched.") from None
        try:
            return json.loads(bytes(body))
        except ValueError:
            raise _refuse("The client's metadata document is not JSON.") from None

    @staticmethod
    def _check_document(url: str, document: Any) -> Client:
        if not isinstance(document, dict):
            raise _refuse("The client's metadata document is not a JSON object.")
        if document.get("client_id") != url:
            raise _refuse("The metadata document's client_id is not its own URL.")
        if "client_secret" in document or document.get(
            "token_endpoint_auth_method", "none"
        ) not in ("none",):
            raise _refuse("A metadata document client must be public (auth method none).")
        uris = document.get("redirect_uris")
        if not isinstance(uris, list) or not uris or len(uris) > 20:
            raise _refuse("The metadata document must list between 1 and 20 redirect_uris.")
        try:
            checked = tuple(check_redirect_uri(u) for u in uris)
        except ValueError as exc:
            raise _refuse(f"The metadata document: {exc}.") from None
        grants = document.get("grant_types", ["authorization_code"])
        if not isinstance(grants, list) or not set(grants) <= set(GRANT_TYPES):
            raise _refuse("The metadata document asks for grant types this server lacks.")
        if document.get("response_types", ["code"]) != ["code"]:
            raise _refuse("The metadata document asks for response types other than code.")
        name = document.get("client_name")
        scope = document.get("scope")
        return Client(
            client_id=url,
            name=name[:100] if isinstance(name, str) and name.strip() else urlsplit(url).netloc,
            redirect_uris=checked,
            confidential=False,
            scope=scope if isinstance(scope, str) and scope.strip() else None,
            origin="document",
        )


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(text.split("%", 1)[0])
    # An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _refuse(reason: str) -> InvalidClientError:
    # OAuth error descriptions allow printable ASCII without " and \ only.
    return InvalidClientError(description=_UNSAFE.sub("?", reason)[:300])
