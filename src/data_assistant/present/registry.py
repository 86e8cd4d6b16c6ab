"""The presenter of each query language, and the API's answer object of any answer."""

from __future__ import annotations

from typing import Any

from data_assistant.answers import Answer
from data_assistant.present.base import Presenter
from data_assistant.present.documents import DocumentsPresenter
from data_assistant.present.sql import SqlPresenter

PRESENTERS: dict[str, Presenter] = {"sql": SqlPresenter(), "cosmos": DocumentsPresenter()}


def presenter_for(language: str) -> Presenter:
    """The presenter of a query language (`sql` or `cosmos`)."""
    return PRESENTERS[language]


def answer_body(answer: Answer, *, debug: bool = False) -> dict[str, Any]:
    """The API's answer object for `answer`, in its language's shape."""
    return presenter_for(answer.result.language).body(answer, debug=debug)
