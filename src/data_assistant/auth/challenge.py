"""RFC 6750 challenges: the `WWW-Authenticate` header of a 401 or 403 answer."""

from __future__ import annotations

import re

from data_assistant.errors import Unauthorized

DEFAULT_REALM = "data-assistant"
# RFC 6750 allows only these characters in error_description (no quote, no backslash).
_UNSAFE = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")


def bearer_challenge(
    *,
    realm: str = DEFAULT_REALM,
    error: str | None = None,
    description: str | None = None,
    scope: str | None = None,
    resource_metadata: str | None = None,
) -> str:
    """`Bearer realm="...", error="...", error_description="..."` with unsafe characters dropped;
    `resource_metadata` (RFC 9728) tells an OAuth client where to learn how to get a token."""
    parts = [f'realm="{_clean(realm)}"']
    if resource_metadata:
        parts.append(f'resource_metadata="{_clean(resource_metadata)}"')
    if error:
        parts.append(f'error="{_clean(error)}"')
    if description:
        parts.append(f'error_description="{_clean(description)}"')
    if scope:
        parts.append(f'scope="{_clean(scope)}"')
    return "Bearer " + ", ".join(parts)


def unauthorized(
    reason: str,
    *,
    error: str | None = "invalid_token",
    realm: str = DEFAULT_REALM,
    resource_metadata: str | None = None,
    scope: str | None = None,
) -> Unauthorized:
    """A 401 carrying its challenge; `error=None` for a request that sent no credentials."""
    exc = Unauthorized(reason)
    exc.error = error  # type: ignore[attr-defined]
    exc.headers = {
        "WWW-Authenticate": bearer_challenge(
            realm=realm,
            error=error,
            description=reason if error else None,
            scope=scope,
            resource_metadata=resource_metadata,
        )
    }
    return exc


def _clean(text: str) -> str:
    return _UNSAFE.sub("", text.replace('"', "'"))[:200]
