"""Identity and authorization: who asks (JWT, JWKS, API keys), what they may query, and
what the manifest and OpenAPI document say about it.

    request -> Authenticator -> Principal -> authorize(source) -> SourcePolicy.enforce(query)
"""

from data_assistant.auth.apikeys import ApiKeyVerifier, hash_api_key, new_api_key
from data_assistant.auth.authenticator import (
    Authenticator,
    auth_settings,
    check_auth_mode_allowed,
    current_principal,
    install_auth,
    principal_dependency,
)
from data_assistant.auth.challenge import bearer_challenge
from data_assistant.auth.jwks import IdentityProviderUnavailable, JwksCache
from data_assistant.auth.manifest import (
    manifest_auth,
    manifest_auth_type,
    security_requirement,
    security_schemes,
)
from data_assistant.auth.policies import PolicyResult, SourcePolicy
from data_assistant.auth.principal import (
    ANONYMOUS,
    Principal,
    authorize,
    claim_values,
    visible_sources,
)
from data_assistant.auth.tokens import JwtVerifier, mint_token, parse_claim_args, parse_ttl

__all__ = [
    "ANONYMOUS",
    "ApiKeyVerifier",
    "Authenticator",
    "IdentityProviderUnavailable",
    "JwksCache",
    "JwtVerifier",
    "PolicyResult",
    "Principal",
    "SourcePolicy",
    "auth_settings",
    "authorize",
    "bearer_challenge",
    "check_auth_mode_allowed",
    "claim_values",
    "current_principal",
    "hash_api_key",
    "install_auth",
    "manifest_auth",
    "manifest_auth_type",
    "mint_token",
    "new_api_key",
    "parse_claim_args",
    "parse_ttl",
    "principal_dependency",
    "security_requirement",
    "security_schemes",
    "visible_sources",
]
