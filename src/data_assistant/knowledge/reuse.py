"""The pipeline step between the visible schema and the translator: reuse a translation.

A question already translated for the same source, the same visible schema (its
fingerprint), the same policy scope, the same golden queries and the same translator gets
the same query back, marked `cached` with the time it was first written. Only translations
whose query prepared and ran are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time

from data_assistant.auth.principal import Principal
from data_assistant.errors import SourceUnavailable
from data_assistant.knowledge.base import AppliedSchema, KnowledgeBase
from data_assistant.knowledge.cache import CachedTranslation, TranslationCache, cache_key
from data_assistant.knowledge.text import cache_text
from data_assistant.settings import Settings
from data_assistant.translate.base import Translation, TranslationRequest, Translator


class Reuse:
    """The cache step for one question: `translate` looks up first, `keep` stores."""

    def __init__(
        self, translator: Translator, cache: TranslationCache | None, key: str | None
    ) -> None:
        self.translator = translator
        self.cache = cache
        self.key = key

    def translate(self, request: TranslationRequest) -> Translation:
        """The cached translation of the first try, else the translator's."""
        if self.cache is not None and self.key is not None and not request.attempts:
            hit = self.cache.get(self.key)
            if hit is not None:
                return Translation(
                    query=hit.query,
                    explanation=hit.explanation,
                    verified=hit.verified,
                    cached=True,
                    translated_at=hit.translated_at,
                )
        translation = self.translator.translate(request)
        return dataclasses.replace(translation, translated_at=time.time())

    def keep(self, translation: Translation) -> None:
        """Remember a translation whose query ran."""
        if self.cache is None or self.key is None or translation.cached:
            return
        self.cache.put(
            self.key,
            CachedTranslation(
                query=translation.query,
                explanation=translation.explanation,
                verified=translation.verified,
                translated_at=translation.translated_at or time.time(),
            ),
        )


class TranslationReuse:
    """Makes the cache step of each question, and forgets a source's translations."""

    def __init__(
        self, settings: Settings, cache: TranslationCache | None, knowledge: KnowledgeBase
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.knowledge = knowledge

    def for_question(
        self,
        translator: Translator,
        source: str,
        question: str,
        schema: AppliedSchema,
        principal: Principal,
    ) -> Reuse:
        """The cache step of one question asked by `principal`."""
        if self.cache is None:
            return Reuse(translator, None, None)
        try:
            golden_version = self.knowledge.version(source)
        except SourceUnavailable:
            # Without the golden queries' version a cached reading could be stale: skip.
            return Reuse(translator, None, None)
        key = cache_key(
            source,
            self.cache.generation(source),
            translator.name,
            schema.fingerprint,
            self.policy_scope(source, principal, translator),
            golden_version,
            cache_text(question),
        )
        return Reuse(translator, self.cache, key)

    def policy_scope(self, source: str, principal: Principal, translator: Translator) -> str:
        """Who may reuse a translation: the same source settings and scopes (claim values
        are bound by the policies when the query is prepared) and, for a translator a
        question can steer (an LLM), the same user — one user's cleverly worded question
        must not choose the query another user's question runs, unless
        `cache.share_llm_translations` says so."""
        settings = self.settings.sources.get(source)
        config = settings.model_dump_json() if settings is not None else ""
        scopes = "*" if principal.scopes is None else " ".join(sorted(principal.scopes))
        shared = self.settings.cache.share_llm_translations
        who = ""
        if getattr(translator, "steerable", True) and not shared:
            who = f"{principal.method}:{principal.subject}"
        return hashlib.sha256(f"{config}\n{scopes}\n{who}".encode()).hexdigest()[:16]

    def invalidate(self, source: str) -> None:
        """Forget every translation of `source` (schema refreshed, golden queries changed)."""
        if self.cache is not None:
            self.cache.invalidate(source)
