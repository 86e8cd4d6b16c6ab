"""Schema snapshots of sources: introspection, caching and the context given to translators."""

from data_assistant.schema.model import Column, ForeignKey, GlossaryTerm, SchemaSnapshot, Table

__all__ = ["Column", "ForeignKey", "GlossaryTerm", "SchemaSnapshot", "Table"]
