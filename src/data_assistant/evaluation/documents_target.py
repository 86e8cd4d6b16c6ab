"""A local document container for evaluations: its inferred schema, gold runner and answerer.

Used by `bench/offline_eval.py` and the tests while no pipeline serves containers: an
answer is translated, checked by the Cosmos query guard (literals become parameters, TOP
is capped) and run by `DocumentsSource`, as a container source runs it; gold queries run
as written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from data_assistant.evaluation.harness import Prediction
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource
from data_assistant.translate.base import TranslationRequest, Translator

# Gold answers may hold thousands of documents; comparing them needs them all.
EVAL_MAX_ITEMS = 100_000


class DocumentsTarget:
    """A container (folder or file of JSON documents) to evaluate against."""

    def __init__(
        self, path: str | Path, container: str | None = None, source: str | None = None
    ) -> None:
        settings = DocumentsSourceSettings(
            path=str(path), container=container, max_items=EVAL_MAX_ITEMS, timeout_s=120
        )
        self.source = DocumentsSource(source or settings.container_name, settings)
        self.schema = self.source.schema()

    @property
    def container(self) -> str:
        """The container's name, as queries and the guard know it."""
        return self.source.container

    def run(self, query: str) -> list[Any]:
        """Every result of a query, run as written."""
        return self.source.execute(query, max_items=EVAL_MAX_ITEMS).documents

    def answerer(self, translator: Translator) -> Callable[[str], Prediction]:
        """question -> Prediction: translate (timed), guard, run."""

        def answer(question: str) -> Prediction:
            request = TranslationRequest(question, self.source.name, "cosmos", self.schema)
            started = time.perf_counter()
            translation = translator.translate(request)
            ms = (time.perf_counter() - started) * 1000
            guarded = check_cosmos_query(
                translation.query, container=self.container, max_items=EVAL_MAX_ITEMS
            )
            result = self.source.execute(
                guarded.query,
                parameters=guarded.parameters,
                max_items=EVAL_MAX_ITEMS,
                count_query=guarded.count_query,
            )
            return Prediction(
                translation.query, [], translation.explanation, ms, documents=result.documents
            )

        return answer

    def close(self) -> None:
        """Forget the loaded documents."""
        self.source.close()
