"""The ChatGPT plugin manifest, `/.well-known/ai-plugin.json`, from the settings."""

from __future__ import annotations

from typing import Any

from data_assistant.auth.manifest import manifest_auth
from data_assistant.settings import Settings


def plugin_manifest(settings: Settings) -> dict[str, Any]:
    """The manifest; `api.url` points at this server's OpenAPI document."""
    base = settings.public_url
    m = settings.manifest
    return {
        "schema_version": "v1",
        "name_for_human": m.name_for_human,
        "name_for_model": m.name_for_model,
        "description_for_human": m.description_for_human,
        "description_for_model": m.description_for_model,
        "auth": manifest_auth(settings),
        "api": {"type": "openapi", "url": f"{base}/openapi.yaml"},
        "logo_url": m.logo_url or f"{base}/logo.svg",
        "contact_email": m.contact_email,
        "legal_info_url": m.legal_info_url or f"{base}/legal",
    }
