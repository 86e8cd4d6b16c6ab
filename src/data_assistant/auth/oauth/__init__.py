"""OAuth 2.1 for every surface: the built-in authorization server, a delegated issuer, and
the resource-server side (metadata, challenges, audience) that the HTTP API and MCP share.

    settings ── runtime (one per app) ─┬─ store (SQLite | Redis): codes, refresh tokens,
                                       │    clients, signing keys, sign-in transactions
                                       ├─ keys ── JWKS, the verifier's key set
                                       ├─ server (Authlib) ── grants, registration, revocation
                                       └─ resources: "api", "mcp" ── authenticate(request)
    routes (APIRouter): metadata, /oauth/authorize (sign-in, consent), token, revoke, register
    cli (typer): oauth client add|list|remove, oauth user add

The package imports nothing at this level, so `auth.settings` may import its settings
without a cycle.
"""
