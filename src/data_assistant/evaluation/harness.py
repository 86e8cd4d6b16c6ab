"""The evaluation run: answer each case, run its gold query, compare, report, summarize.

    answered rate       answered (not refused, no error) / total
    execution accuracy  correct / total
    precision           correct / answered

A case whose gold query fails is `invalid`: reported, and left out of every rate. The rates
are also given per construct (a case counts under each of its `constructs` tags).
Container cases (gold `query` or `documents`) compare lists of JSON values: the answer's
`documents`, in order only when the gold query's outer query has ORDER BY.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from data_assistant.errors import DataAssistantError, Refusal
from data_assistant.evaluation.cases import EvalCase
from data_assistant.evaluation.compare import (
    documents_match,
    is_ordered,
    is_ordered_query,
    results_match,
)

OUTCOMES = ("correct", "wrong", "refused", "error", "invalid")


@dataclass(frozen=True)
class Prediction:
    """What the system under test answered; `translate_ms` when the caller measured it.

    For a container, `sql` holds the query and `documents` the results (JSON values).
    """

    sql: str
    rows: list[tuple]
    explanation: str | None = None
    translate_ms: float | None = None
    documents: list[Any] | None = None


@dataclass(frozen=True)
class CaseResult:
    """One line of the report."""

    id: str | None
    question: str
    outcome: str
    sql: str | None = None
    explanation: str | None = None
    error: str | None = None
    ms: float = 0.0
    translate_ms: float | None = None
    constructs: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvalSummary:
    """The rates of a run, with every case's result."""

    total: int
    answered: int
    correct: int
    wrong: int
    refused: int
    errors: int
    invalid: int
    median_ms: float
    median_translate_ms: float | None
    results: list[CaseResult] = field(default_factory=list, repr=False)

    @property
    def answered_rate(self) -> float:
        return self.answered / self.total if self.total else 0.0

    @property
    def execution_accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def line(self) -> str:
        """`answered 80.0%  accuracy 78.0%  precision 97.5%  ...` for a terminal."""
        translate = (
            f"  translate {self.median_translate_ms:.1f} ms"
            if self.median_translate_ms is not None
            else ""
        )
        invalid = f"  {self.invalid} invalid (not scored)" if self.invalid else ""
        return (
            f"{self.total} cases  answered {self.answered_rate:.1%}  "
            f"accuracy {self.execution_accuracy:.1%}  precision {self.precision:.1%}  "
            f"median {self.median_ms:.1f} ms{translate}{invalid}"
        )

    def by_construct(self) -> dict[str, EvalSummary]:
        """The rates of the cases tagged with each construct, by construct name."""
        tagged: dict[str, list[CaseResult]] = {}
        for result in self.results:
            for construct in result.constructs:
                tagged.setdefault(construct, []).append(result)
        return {name: summarize(tagged[name]) for name in sorted(tagged)}

    def construct_table(self) -> str:
        """A table of cases, answered and precision per construct, for a terminal."""
        rows = [f"{'construct':16} {'cases':>5} {'answered':>9} {'precision':>9} {'wrong':>5}"]
        for name, part in self.by_construct().items():
            precision = f"{part.precision:.1%}" if part.answered else "-"
            rows.append(
                f"{name:16} {part.total:5d} {part.answered_rate:9.1%} "
                f"{precision:>9} {part.wrong:5d}"
            )
        return "\n".join(rows)


class Target(Protocol):
    """What a run asks: `answer` a question, `run_gold` a gold query."""

    def answer(self, question: str) -> Prediction: ...

    def run_gold(self, query: str) -> list[Any]: ...


def evaluate_case(
    case: EvalCase,
    answer: Callable[[str], Prediction],
    run_gold: Callable[[str], list[Any]],
) -> CaseResult:
    """Answer one case and compare with its gold answer.

    `run_gold` runs a gold `sql` (returning rows) or a gold Cosmos `query` (returning
    JSON values).
    """
    result = _evaluate(case, answer, run_gold)
    return dataclasses.replace(result, constructs=case.constructs)


def _evaluate(
    case: EvalCase,
    answer: Callable[[str], Prediction],
    run_gold: Callable[[str], list[Any]],
) -> CaseResult:
    gold: list[Any]
    text = case.sql if case.sql is not None else case.query
    if text is not None:
        try:
            gold = list(run_gold(text))
        except Exception as exc:
            return CaseResult(case.id, case.question, "invalid", error=f"gold query failed: {exc}")
        if case.sql is not None:
            gold = [tuple(r) for r in gold]
        ordered = is_ordered(text) if case.sql is not None else is_ordered_query(text)
    elif case.documents is not None:
        gold, ordered = list(case.documents), case.ordered
    else:
        gold, ordered = [tuple(r) for r in case.rows or ()], case.ordered
    started = time.perf_counter()
    try:
        pred = answer(case.question)
    except Refusal as exc:
        return CaseResult(case.id, case.question, "refused", error=exc.reason, ms=_ms(started))
    except DataAssistantError as exc:
        sql = getattr(exc, "sql", None)
        return CaseResult(
            case.id, case.question, "error", sql=sql, error=exc.reason, ms=_ms(started)
        )
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        return CaseResult(case.id, case.question, "error", error=error, ms=_ms(started))
    ms = _ms(started)
    if case.on_documents:
        found = pred.documents if pred.documents is not None else list(pred.rows)
        same = documents_match(found, gold, ordered)
    else:
        same = results_match([tuple(r) for r in pred.rows], gold, ordered)
    outcome = "correct" if same else "wrong"
    return CaseResult(
        case.id, case.question, outcome, pred.sql, pred.explanation, None, ms, pred.translate_ms
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def summarize(results: list[CaseResult]) -> EvalSummary:
    """The rates over a list of case results; invalid cases are left out."""
    counted = [r for r in results if r.outcome != "invalid"]
    count = {o: sum(r.outcome == o for r in results) for o in OUTCOMES}
    times = [r.ms for r in counted]
    translate = [r.translate_ms for r in counted if r.translate_ms is not None]
    return EvalSummary(
        total=len(counted),
        answered=count["correct"] + count["wrong"],
        correct=count["correct"],
        wrong=count["wrong"],
        refused=count["refused"],
        errors=count["error"],
        invalid=count["invalid"],
        median_ms=statistics.median(times) if times else 0.0,
        median_translate_ms=statistics.median(translate) if translate else None,
        results=results,
    )


def run_eval(
    cases: Sequence[EvalCase],
    answer: Callable[[str], Prediction],
    run_gold: Callable[[str], list[Any]],
    *,
    report: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalSummary:
    """Evaluate every case; write a JSONL report line per case when `report` is given.

    `answer` raises `Refusal` to decline a question and any other exception for an error;
    `run_gold` runs a gold SQL query or a gold Cosmos DB query.
    """
    target = _Functions(answer, run_gold)
    return run_cases(cases, lambda case: target, report=report, progress=progress)


@dataclass(frozen=True)
class _Functions:
    answer: Callable[[str], Prediction]
    run_gold: Callable[[str], list[Any]]


def run_cases(
    cases: Sequence[EvalCase],
    target_for: Callable[[EvalCase], Target],
    *,
    report: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalSummary:
    """Like `run_eval`, each case asked of its own target (its database, by `case.db`)."""
    results: list[CaseResult] = []
    handle = None
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        handle = report.open("w", encoding="utf-8")
    try:
        for done, case in enumerate(cases, 1):
            target = target_for(case)
            result = evaluate_case(case, target.answer, target.run_gold)
            results.append(result)
            if handle is not None:
                handle.write(json.dumps(asdict(result), ensure_ascii=False, default=str) + "\n")
            if progress is not None:
                progress(done, len(cases))
    finally:
        if handle is not None:
            handle.close()
    return summarize(results)
