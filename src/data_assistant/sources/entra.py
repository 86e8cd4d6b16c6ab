"""Entra ID access tokens for SQL Server / Azure SQL, handed to the ODBC driver.

The ODBC driver takes the token through the SQL_COPT_SS_ACCESS_TOKEN connection attribute
as a length-prefixed UTF-16-LE buffer. Tokens are cached and a new one is fetched when the
cached one is within five minutes of expiry, so connections opened late in a token's life
never fail mid-login.
"""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

# The pre-connection attribute of the Microsoft ODBC driver that carries an access token.
SQL_COPT_SS_ACCESS_TOKEN = 1256
AZURE_SQL_SCOPE = "https://database.windows.net/.default"
REFRESH_MARGIN_S = 300.0


class TokenCredential(Protocol):
    """What azure-identity credentials offer: `get_token(*scopes)` with `.token`, `.expires_on`."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any: ...


class EntraTokenError(Exception):
    """No token could be had from the credential (not signed in, no managed identity...)."""


def token_struct(token: str) -> bytes:
    """The token in the form the ODBC driver expects: 4-byte length, then UTF-16-LE."""
    encoded = token.encode("utf-16-le")
    return struct.pack(f"<I{len(encoded)}s", len(encoded), encoded)


class AccessTokenCache:
    """One credential's token for one scope, fetched again near its expiry; thread-safe."""

    def __init__(
        self,
        credential: TokenCredential | None = None,
        *,
        scope: str = AZURE_SQL_SCOPE,
        refresh_margin_s: float = REFRESH_MARGIN_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._credential = credential
        self.scope = scope
        self.refresh_margin_s = refresh_margin_s
        self._clock = clock
        self._token: Any = None
        self._lock = threading.Lock()

    @property
    def credential(self) -> TokenCredential:
        """The credential, DefaultAzureCredential unless one was given."""
        if self._credential is None:
            from azure.identity import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return self._credential

    def token(self) -> str:
        """A token valid for at least `refresh_margin_s` more seconds."""
        with self._lock:
            cached = self._token
            if cached is None or cached.expires_on - self._clock() <= self.refresh_margin_s:
                try:
                    cached = self._token = self.credential.get_token(self.scope)
                except Exception as exc:
                    # azure-identity raises several types; the message says what to fix.
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise EntraTokenError(reason or type(exc).__name__) from exc
            return cached.token

    def attrs_before(self) -> dict[int, bytes]:
        """The pyodbc `attrs_before` mapping that signs a connection in with the token."""
        return {SQL_COPT_SS_ACCESS_TOKEN: token_struct(self.token())}
