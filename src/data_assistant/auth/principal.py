"""Who asks: the Principal, and `authorize`, which decides whether it may query a source.

A source is queryable when the token grants it, the server configures it, and the principal
holds the query scope plus any scopes the source itself requires. Nothing widens access: a
missing claim grants nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from data_assistant.auth.challenge import DEFAULT_REALM, bearer_challenge
from data_assistant.errors import Forbidden
from data_assistant.settings import DEFAULT_SCOPE

ALL = "*"
_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    `sources` and `scopes` None mean every source and every scope (the anonymous principal of
    mode none); `claims` are the token's claims, which row policies read.
    """

    subject: str
    scopes: frozenset[str] | None = frozenset()
    sources: frozenset[str] | None = frozenset()
    claims: Mapping[str, Any] = field(default_factory=dict)
    method: str = "jwt"

    def __post_init__(self) -> None:
        # Policies read claims; a frozen view keeps one request from changing another's.
        object.__setattr__(self, "claims", MappingProxyType(dict(self.claims)))

    @property
    def anonymous(self) -> bool:
        return self.method == "none"

    def has_scope(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes

    def may_use(self, source: str) -> bool:
        """Whether the token grants `source` (the server's own list is checked elsewhere)."""
        return self.sources is None or source in self.sources


ANONYMOUS = Principal(subject="anonymous", scopes=None, sources=None, claims={}, method="none")


def claim_values(value: Any) -> list[str]:
    """A claim read as a list of strings: a list, or a space- or comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in _SPLIT.split(value) if part]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return [str(v).strip() for v in value if isinstance(v, (str, int)) and str(v).strip()]
    return []


def granted_sources(values: Iterable[str]) -> frozenset[str] | None:
    """The sources named by a claim; `*` among them grants every configured source."""
    names = frozenset(values)
    return None if ALL in names else names


def authorize(
    principal: Principal,
    source_name: str,
    *,
    required_scopes: Collection[str] = (),
    required_scope: str = DEFAULT_SCOPE,
    configured: Collection[str] | None = None,
    realm: str = DEFAULT_REALM,
) -> None:
    """Raise Forbidden unless `principal` may query `source_name`.

    `configured` is the server's own list of sources; a source outside it is refused here
    with the same message as one not granted, so that names cannot be probed.
    """
    if not principal.has_scope(required_scope):
        raise insufficient_scope(required_scope, realm=realm)
    if not principal.may_use(source_name) or (
        configured is not None and source_name not in configured
    ):
        raise Forbidden(f"Your credentials do not grant access to database '{source_name}'.")
    for scope in required_scopes:
        if not principal.has_scope(scope):
            raise insufficient_scope(scope, source_name, realm=realm)


def visible_sources(principal: Principal, names: Iterable[str]) -> list[str]:
    """The configured source names this principal may see, in their order."""
    return [name for name in names if principal.may_use(name)]


def insufficient_scope(
    scope: str,
    source: str | None = None,
    *,
    realm: str = DEFAULT_REALM,
    resource_metadata: str | None = None,
) -> Forbidden:
    """Forbidden with the RFC 6750 `insufficient_scope` challenge."""
    where = f" for database '{source}'" if source else ""
    exc = Forbidden(f"The request needs the scope '{scope}'{where}.")
    exc.headers = {
        "WWW-Authenticate": bearer_challenge(
            realm=realm,
            error="insufficient_scope",
            description=exc.reason,
            scope=scope,
            resource_metadata=resource_metadata,
        )
    }
    return exc
