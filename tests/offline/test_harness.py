"""The evaluation harness: reading cases, comparing result sets, scoring a run."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from data_assistant.errors import QueryFailed, Refusal
from data_assistant.evaluation import (
    EvalCase,
    EvalFileError,
    Prediction,
    is_ordered,
    load_cases,
    results_match,
    run_eval,
    values_match,
)
from data_assistant.evaluation.sqlite_target import SqliteTarget
from data_assistant.translate.offline import OfflineTranslator
from tests.offline.conftest import SHOP_SQL, TODAY


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (1, 1.0, True),
        (0.1 + 0.2, 0.3, True),
        (1_000_000.0, 1_000_000.5, True),  # within 1e-6 relative
        (100.0, 100.01, False),
        (12.35, 12.3456, True),  # gold rounded to 2 places
        (12.3456, 12.35, True),
        (12, 12.4, False),  # an integer is not a rounding of 12.4
        (Decimal("2.50"), 2.5, True),
        ("Germany", "Germany", True),
        ("Germany", "germany", False),
        (None, None, True),
        (None, 0, False),
        (True, 1, True),
    ],
)
def test_values_match(a: object, b: object, same: bool) -> None:
    assert values_match(a, b) is same


def test_rows_compare_as_multisets_unless_ordered() -> None:
    gold = [("a", 1), ("b", 2), ("b", 2)]
    assert results_match([("b", 2), ("a", 1), ("b", 2)], gold, ordered=False)
    assert not results_match([("b", 2), ("a", 1), ("b", 2)], gold, ordered=True)
    assert not results_match([("a", 1), ("b", 2)], gold, ordered=False)  # multiplicity
    assert not results_match([("a", 1, 0), ("b", 2, 0), ("b", 2, 0)], gold, ordered=False)
    assert results_match([("a", 1.0000001), ("b", 2), ("b", 2)], gold, ordered=False)


@pytest.mark.parametrize(
    ("sql", "ordered"),
    [
        ("SELECT a FROM t ORDER BY a", True),
        ("SELECT a FROM t", False),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a) AS s", False),
        ("SELECT a FROM t WHERE a IN (SELECT b FROM u ORDER BY b LIMIT 3)", False),
    ],
)
def test_only_an_outer_order_by_makes_order_matter(sql: str, ordered: bool) -> None:
    assert is_ordered(sql) is ordered


def test_load_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"id": 1, "question": "q1", "sql": "SELECT 1"}\n\n'
        "// a comment\n"
        '{"question": "q2", "rows": [[1, "a"]], "ordered": true}\n'
    )
    cases = load_cases(path)
    assert cases == [
        EvalCase("q1", sql="SELECT 1", id="1"),
        EvalCase("q2", rows=((1, "a"),), ordered=True),
    ]


@pytest.mark.parametrize(
    "line",
    ['{"question": "q"}', '{"sql": "SELECT 1"}', "not json", '{"question": "q", "rows": [1]}',
     '{"question": "q", "sql": "SELECT 1", "rows": [[1]]}'],
)  # fmt: skip
def test_bad_case_lines_are_reported_with_their_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "ok", "sql": "SELECT 1"}\n' + line + "\n")
    with pytest.raises(EvalFileError, match=":2"):
        load_cases(path)


def _answers(table: dict[str, object]):
    def answer(question: str) -> Prediction:
        outcome = table[question]
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, list)
        return Prediction("SELECT ...", outcome, "read as ...", translate_ms=1.5)

    return answer


def test_run_eval_scores_and_reports(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1,'x'),(2,'y');")
    cases = [
        EvalCase("right", sql="SELECT a, b FROM t", id="c1"),
        EvalCase("right in any order", sql="SELECT a FROM t"),
        EvalCase("wrong order", sql="SELECT a FROM t ORDER BY a DESC"),
        EvalCase("refused", sql="SELECT 1"),
        EvalCase("error", sql="SELECT 1"),
        EvalCase("crash", sql="SELECT 1"),
        EvalCase("bad gold", sql="SELECT nope FROM t"),
        EvalCase("rows gold", rows=((3,),)),
    ]
    answer = _answers(
        {
            "right": [(1, "x"), (2, "y")],
            "right in any order": [(2,), (1,)],
            "wrong order": [(1,), (2,)],
            "refused": Refusal("I could not read it."),
            "error": QueryFailed("no such column"),
            "crash": RuntimeError("boom"),
            "rows gold": [(3.0,)],
        }
    )
    seen: list[tuple[int, int]] = []
    report = tmp_path / "out" / "report.jsonl"
    summary = run_eval(
        cases,
        answer,
        lambda sql: conn.execute(sql).fetchall(),
        report=report,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (summary.total, summary.invalid) == (7, 1)
    assert (summary.correct, summary.wrong, summary.refused, summary.errors) == (3, 1, 1, 2)
    assert summary.answered == 4
    assert summary.answered_rate == pytest.approx(4 / 7)
    assert summary.execution_accuracy == pytest.approx(3 / 7)
    assert summary.precision == pytest.approx(3 / 4)
    assert summary.median_translate_ms == 1.5
    assert seen[-1] == (8, 8) and len(seen) == 8
    lines = [json.loads(x) for x in report.read_text().splitlines()]
    assert [x["outcome"] for x in lines] == [
        "correct", "correct", "wrong", "refused", "error", "error", "invalid", "correct"
    ]  # fmt: skip
    assert lines[0]["id"] == "c1" and lines[0]["explanation"] == "read as ..."
    assert lines[3]["error"] == "I could not read it."
    assert lines[5]["error"] == "RuntimeError: boom"
    assert {"question", "sql", "explanation", "outcome", "error", "ms"} <= set(lines[0])


def test_offline_translator_through_a_sqlite_target(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(SHOP_SQL)
    conn.close()
    target = SqliteTarget(db)
    cases = [
        EvalCase("how many customers", sql="SELECT COUNT(*) FROM customers"),
        EvalCase(
            "customers in Japan",
            rows=(("Chen Wei",),),
        ),
        EvalCase("average order value", sql="SELECT 1"),
    ]
    summary = run_eval(cases, target.answerer(OfflineTranslator(today=TODAY)), target.run)
    target.close()
    assert [r.outcome for r in summary.results] == ["correct", "correct", "refused"]
    assert summary.precision == 1.0 and summary.answered == 2
