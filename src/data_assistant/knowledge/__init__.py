"""What the organisation knows about its sources: golden queries, a glossary, descriptions,
hidden columns, and the translation cache that reuses what was translated before.

    knowledge/<source>.yaml, knowledge/<source>/*.sql   files.py  (read at start)
    golden queries added through the API / CLI          store.py  (SQLite or Redis)
    schema a translator sees                            base.py   (descriptions, terms)
    question -> golden query, literals rebound          golden.py, translator.py
    translation cache                                   cache.py, reuse.py
"""

from data_assistant.knowledge.base import (
    AppliedSchema,
    KnowledgeBase,
    fingerprint,
    knowledge_folder,
    load_knowledge,
    make_store,
    with_hidden_columns,
)
from data_assistant.knowledge.cache import (
    CachedTranslation,
    MemoryCache,
    RedisCache,
    TranslationCache,
    make_cache,
)
from data_assistant.knowledge.model import GoldenQuery, SourceKnowledge, TermDefinition
from data_assistant.knowledge.reuse import TranslationReuse
from data_assistant.knowledge.store import GoldenStore, RedisGoldenStore, SqliteGoldenStore
from data_assistant.knowledge.translator import KnowledgeTranslator
from data_assistant.knowledge.verify import VerifyResult, verify_golden

__all__ = [
    "AppliedSchema",
    "CachedTranslation",
    "GoldenQuery",
    "GoldenStore",
    "KnowledgeBase",
    "KnowledgeTranslator",
    "MemoryCache",
    "RedisCache",
    "RedisGoldenStore",
    "SourceKnowledge",
    "SqliteGoldenStore",
    "TermDefinition",
    "TranslationCache",
    "TranslationReuse",
    "VerifyResult",
    "fingerprint",
    "knowledge_folder",
    "load_knowledge",
    "make_cache",
    "make_store",
    "verify_golden",
    "with_hidden_columns",
]
