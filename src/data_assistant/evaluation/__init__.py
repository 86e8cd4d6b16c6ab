"""Evaluation: run question sets against a translator and a database, and score them."""

from data_assistant.evaluation.cases import EvalCase, EvalFileError, load_cases, parse_case
from data_assistant.evaluation.compare import (
    documents_match,
    is_ordered,
    is_ordered_query,
    json_values_match,
    results_match,
    values_match,
)
from data_assistant.evaluation.harness import (
    CaseResult,
    EvalSummary,
    Prediction,
    Target,
    evaluate_case,
    run_cases,
    run_eval,
    summarize,
)

__all__ = [
    "CaseResult",
    "EvalCase",
    "EvalFileError",
    "EvalSummary",
    "Prediction",
    "Target",
    "documents_match",
    "evaluate_case",
    "is_ordered",
    "is_ordered_query",
    "json_values_match",
    "load_cases",
    "parse_case",
    "results_match",
    "run_cases",
    "run_eval",
    "summarize",
    "values_match",
]
