"""Sources: the databases and containers that questions are asked of, by name."""

from data_assistant.sources.containers import ContainerSource, DocumentBatch, PreparedDocumentQuery
from data_assistant.sources.cosmos import CosmosSource
from data_assistant.sources.documents import DocumentsSource
from data_assistant.sources.registry import SOURCE_KINDS, SourceRegistry, make_source
from data_assistant.sources.source import COSMOS, LANGUAGES, SQL, Language, Prepared, Source
from data_assistant.sources.sql import PreparedSql, QueryResult, SqlSource

__all__ = [
    "COSMOS",
    "LANGUAGES",
    "SOURCE_KINDS",
    "SQL",
    "ContainerSource",
    "CosmosSource",
    "DocumentBatch",
    "DocumentsSource",
    "Language",
    "Prepared",
    "PreparedDocumentQuery",
    "PreparedSql",
    "QueryResult",
    "Source",
    "SourceRegistry",
    "SqlSource",
    "make_source",
]
