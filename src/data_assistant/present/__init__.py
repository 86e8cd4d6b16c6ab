"""Presenters: one per query language, shared by HTTP, MCP, the CLI, the web page and eval."""

from __future__ import annotations

from data_assistant.answers import Answer
from data_assistant.present.base import Attempt, Presenter
from data_assistant.present.documents import CosmosQueryResponse, DocumentsPresenter
from data_assistant.present.sql import SqlPresenter, SqlQueryResponse

PRESENTERS: dict[str, Presenter] = {"sql": SqlPresenter(), "cosmos": DocumentsPresenter()}


def presenter_for(language: str) -> Presenter:
    """The presenter of a query language (`sql` or `cosmos`)."""
    return PRESENTERS[language]


def answer_body(answer: Answer, *, debug: bool = False) -> dict:
    """The API's answer object for `answer`, in its language's shape."""
    return presenter_for(answer.result.language).body(answer, debug=debug)


__all__ = [
    "PRESENTERS",
    "Attempt",
    "CosmosQueryResponse",
    "DocumentsPresenter",
    "Presenter",
    "SqlPresenter",
    "SqlQueryResponse",
    "answer_body",
    "presenter_for",
]
