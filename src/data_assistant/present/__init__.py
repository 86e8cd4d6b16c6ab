"""Presenters: one per query language, shared by HTTP, MCP, the CLI, the web page and eval."""

from data_assistant.present.base import Attempt, Presenter
from data_assistant.present.documents import CosmosQueryResponse, DocumentsPresenter
from data_assistant.present.registry import PRESENTERS, answer_body, presenter_for
from data_assistant.present.sql import SqlPresenter, SqlQueryResponse

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
