"""The knowledge step in front of any translator: golden queries first, then the glossary
and similar golden queries as examples for the translator behind it."""

from __future__ import annotations

import dataclasses

from sqlglot.errors import SqlglotError

from data_assistant.errors import Refusal
from data_assistant.knowledge.base import KnowledgeBase
from data_assistant.knowledge.golden import best_match
from data_assistant.knowledge.text import similarity_ranking
from data_assistant.translate.base import Example, Translation, TranslationRequest, Translator
from data_assistant.translate.offline.glossary import (
    apply_terms,
    find_terms,
    plain_question,
    with_term_columns,
)


class KnowledgeTranslator:
    """Wraps a translator: a question a golden query answers gets that query (`verified`);
    others go to the translator with similar golden queries as examples and, for a
    translator that does not read the glossary itself, the glossary's terms put in."""

    def __init__(self, inner: Translator, knowledge: KnowledgeBase, *, examples: int = 3) -> None:
        self.inner = inner
        self.knowledge = knowledge
        self.examples = examples
        self.name = inner.name
        self.self_corrects = getattr(inner, "self_corrects", True)
        self.steerable = getattr(inner, "steerable", True)

    def translate(self, request: TranslationRequest) -> Translation:
        if not request.attempts:
            golden = self.golden(request)
            if golden is not None:
                return golden
        request = dataclasses.replace(request, examples=self.similar(request))
        if getattr(self.inner, "reads_glossary", False) or not request.schema.terms:
            return self.inner.translate(request)
        return self._with_glossary(request)

    def suggest(self, request: TranslationRequest) -> list[str]:
        """Questions the translator behind can answer, close to a refused one (if it
        suggests any: the offline translator does, a model is not asked again)."""
        suggest = getattr(self.inner, "suggest", None)
        return list(suggest(request)) if suggest is not None else []

    def golden(self, request: TranslationRequest) -> Translation | None:
        """The golden query answering the question exactly or near-exactly, if any."""
        templates = self.knowledge.templates(request.source_name, request.dialect)
        match = best_match(templates, request.question, request.schema)
        if match is None:
            return None
        explanation = f"verified query for '{match.golden.question}'"
        if match.bound:
            explanation += " with " + ", ".join(
                f"{new!r} for {old!r}" for old, new in match.bound.items()
            )
        return Translation(query=match.query, explanation=explanation, verified=True)

    def similar(self, request: TranslationRequest) -> tuple[Example, ...]:
        """The golden queries of the most similar questions, for the model to follow."""
        if not self.examples:
            return ()
        golden = self.knowledge.golden(request.source_name, strict=False)
        ranked = similarity_ranking(
            request.question, [g.question for g in golden], limit=self.examples
        )
        return tuple(Example(golden[i].question, golden[i].query) for i, _ in ranked)

    def _with_glossary(self, request: TranslationRequest) -> Translation:
        uses = find_terms(request.question, request.schema.terms)
        if not uses:
            return self.inner.translate(request)
        plain = dataclasses.replace(
            request,
            question=plain_question(request.question, uses),
            schema=with_term_columns(request.schema, uses),
        )
        translation = self.inner.translate(plain)
        try:
            query = apply_terms(translation.query, uses, request.dialect)
        except (ValueError, SqlglotError) as exc:
            raise Refusal(f"I could not use the glossary for this question: {exc}.") from exc
        said = "; ".join(f"{u.term.name}: {u.term.sql}" for u in uses)
        explanation = f"{translation.explanation}; {said}" if translation.explanation else said
        return dataclasses.replace(translation, query=query, explanation=explanation)
