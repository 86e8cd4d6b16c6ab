"""Settings of the document sources; they live in `config` beside the other settings."""

from data_assistant.config import CosmosSourceSettings, DocumentsSourceSettings

__all__ = ["CosmosSourceSettings", "DocumentsSourceSettings"]
