"""Settings: plain, frozen pydantic models, and the one function that loads them.

The models import nothing of the project but the errors; checks that need the guard or a
driver run where the settings are used (the source and translator factories), and still
name the key and the file.
"""

from data_assistant.settings.auth import (
    DEFAULT_SCOPE,
    ApiKeyEntry,
    AuditSettings,
    AuthSettings,
    JwtSettings,
    OAuthSettings,
    RateLimitSettings,
    SourcePolicies,
    TablePolicy,
    is_loopback,
    require_https_or_loopback,
)
from data_assistant.settings.knowledge import (
    CacheSettings,
    KnowledgeSettings,
    SchemaCacheSettings,
)
from data_assistant.settings.load import (
    CONFIG_ENV_VAR,
    DEFAULT_CONFIG_FILE,
    load_settings,
    normalise_db_url,
    settings_for_workers,
    settings_from_worker_env,
    source_name_for_url,
    validation_error,
)
from data_assistant.settings.model import Settings
from data_assistant.settings.server import ManifestSettings, McpSettings, ServerSettings
from data_assistant.settings.sources import (
    AnySourceSettings,
    CosmosSourceSettings,
    DocumentsSourceSettings,
    SourceSettings,
)
from data_assistant.settings.translator import TranslatorSettings

__all__ = [
    "CONFIG_ENV_VAR",
    "DEFAULT_CONFIG_FILE",
    "DEFAULT_SCOPE",
    "AnySourceSettings",
    "ApiKeyEntry",
    "AuditSettings",
    "AuthSettings",
    "CacheSettings",
    "CosmosSourceSettings",
    "DocumentsSourceSettings",
    "JwtSettings",
    "KnowledgeSettings",
    "ManifestSettings",
    "McpSettings",
    "OAuthSettings",
    "RateLimitSettings",
    "SchemaCacheSettings",
    "ServerSettings",
    "Settings",
    "SourcePolicies",
    "SourceSettings",
    "TablePolicy",
    "TranslatorSettings",
    "is_loopback",
    "load_settings",
    "normalise_db_url",
    "require_https_or_loopback",
    "settings_for_workers",
    "settings_from_worker_env",
    "source_name_for_url",
    "validation_error",
]
