"""What a hostile query can make a local container do: each bounded, as an attacker would try.

Real containers (files in tmp_path) through DocumentsSource, as the server runs them: a
query either answers, is refused with a 400 naming the limit (QueryFailed), or stops at
the source's time limit with a 504 (QueryTimeout) without running on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from data_assistant.cosmosql import evaluator, limits
from data_assistant.errors import QueryFailed, QueryTimeout
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource
from tests.documents.conftest import write_jsonl

MakeSource = Callable[..., DocumentsSource]


def doubling(step: str, start: str, levels: int) -> str:
    """A query that applies `step` (to `v`) `levels` times over FROM subqueries."""
    query = start
    for i in range(levels):
        query = f"SELECT VALUE {step.replace('v', f'v{i}')} FROM ({query}) v{i}"
    return query


DOCS: list[dict[str, Any]] = [
    {"id": str(i), "arr": list(range(50)), "empty": [], "s": "a" * 1000, "n": 3} for i in range(40)
]
# The first document also carries the large values (one of each is enough).
DOCS[0] |= {
    "many": {"type": "MultiPoint", "coordinates": [[j % 90, j % 45] for j in range(4000)]},
    "huge": {"type": "MultiPoint", "coordinates": [[0, 0]] * (limits.MAX_GEOMETRY_POINTS + 1)},
    "deep": "[" * 5000 + "]" * 5000,
    "long": "[" + "1," * 200_000 + "1]",
    "evil": "a" * 10_000 + "!",
}


TIMES_OUT = [
    ("JOINs multiplying rows", "SELECT VALUE COUNT(1) FROM c JOIN a IN c.arr JOIN b IN c.arr "
     "JOIN d IN c.arr JOIN e IN c.arr"),
    ("JOINs multiplying rows that all end empty", "SELECT VALUE COUNT(1) FROM c JOIN a IN c.arr "
     "JOIN b IN c.arr JOIN d IN c.arr JOIN e IN c.empty"),
    ("JOINs inside a subquery", "SELECT VALUE ARRAY_LENGTH(ARRAY(SELECT VALUE 1 FROM a IN c.arr "
     "JOIN b IN c.arr JOIN d IN c.arr WHERE a < 0)) FROM c"),
    ("a value doubled by sharing, returned", doubling("[v, v]", "SELECT VALUE c.arr FROM c", 20)),
    ("a value doubled by sharing, made DISTINCT",
     "SELECT DISTINCT VALUE x FROM (" + doubling("[v, v]", "SELECT VALUE c.arr FROM c", 20)
     + ") x"),
    ("a value doubled by sharing, turned to text",
     "SELECT VALUE LENGTH(TOSTRING(x)) FROM ("
     + doubling("[v, v]", "SELECT VALUE c.arr FROM c", 20) + ") x"),
    ("a value doubled by sharing, compared",
     "SELECT VALUE x = x FROM (" + doubling("{'a': v, 'b': v}", "SELECT VALUE c.arr FROM c", 20)
     + ") x"),
    ("ST_DISTANCE between two sets of 4,000 points",
     "SELECT VALUE ST_DISTANCE(c.many, c.many) FROM c"),
]  # fmt: skip


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("bounds") / "docs.jsonl", DOCS)


@pytest.fixture(scope="module")
def quick(container: Path) -> DocumentsSource:
    """The container with a time limit far below what the expensive queries need."""
    return DocumentsSource("bounds", DocumentsSourceSettings(path=str(container), timeout_s=0.3))


@pytest.fixture(scope="module")
def patient(container: Path) -> DocumentsSource:
    """The container with a time limit far above what the bounded queries need."""
    return DocumentsSource("bounds", DocumentsSourceSettings(path=str(container), timeout_s=30))


@pytest.mark.parametrize(("label", "query"), TIMES_OUT, ids=[t[0] for t in TIMES_OUT])
def test_expensive_work_stops_at_the_time_limit(
    quick: DocumentsSource, label: str, query: str
) -> None:
    quick.documents()  # loaded before the clock starts
    with pytest.raises(QueryTimeout) as caught:
        quick.execute(query, max_items=10)
    assert caught.value.status == 504


REFUSED = [
    ("|| doubling a string", doubling("v || v", "SELECT VALUE c.s FROM c", 20), "||"),
    ("CONCAT doubling a string", doubling("CONCAT(v, v)", "SELECT VALUE c.s FROM c", 20),
     "CONCAT"),
    ("nested REPLACE", "SELECT VALUE REPLACE(REPLACE(REPLACE(c.s, 'a', c.s), 'a', c.s), 'a', c.s) "
     "FROM c", "REPLACE"),
    ("StringJoin of a doubled array",
     "SELECT VALUE StringJoin(x, x[0]) FROM ("
     + doubling("ARRAY_CONCAT(v, v)", "SELECT VALUE [c.s] FROM c", 10) + ") x", "StringJoin"),
    ("ARRAY_CONCAT doubling an array",
     doubling("ARRAY_CONCAT(v, v)", "SELECT VALUE c.arr FROM c", 20), "ARRAY_CONCAT"),
    ("SetUnion of doubled arrays",
     "SELECT VALUE SetUnion(x, x) FROM ("
     + doubling("ARRAY_CONCAT(v, v)", "SELECT VALUE c.arr FROM c", 10) + ") x", "SetUnion"),
    ("JOINs filling a subquery's results", "SELECT VALUE ARRAY_LENGTH(ARRAY(SELECT VALUE 1 "
     "FROM a IN c.arr JOIN b IN c.arr JOIN d IN c.arr)) FROM c", "subquery"),
    ("a RegexMatch backreference", "SELECT VALUE RegexMatch(c.s, '(a)\\\\1') FROM c",
     "backreference"),
    ("a RegexMatch lookahead", "SELECT * FROM c WHERE RegexMatch(c.s, 'a(?=b)')", "lookahead"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "query", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_unbounded_building_is_refused_with_a_reason(
    patient: DocumentsSource, label: str, query: str, reason: str
) -> None:
    with pytest.raises(QueryFailed) as caught:
        patient.execute(query, max_items=10)
    assert reason in caught.value.reason
    assert caught.value.status == 400


ANSWERS = [
    ("the catastrophic regex of issue 9", "SELECT VALUE RegexMatch(c.evil, '^(a+)+$') FROM c",
     [False]),
    ("the same through REPLICATE", "SELECT VALUE RegexMatch(REPLICATE('a', 28) || '!', "
     "'^(a+)+$')", [False]),
    ("a catastrophic LIKE", "SELECT VALUE c.evil LIKE '%a%a%a%a%a%a%a%a%a%a%b' FROM c", [False]),
    ("REPLICATE past its limit", "SELECT VALUE IS_DEFINED(REPLICATE('ab', 1e300))", [False]),
    ("REPLICATE of nothing, many times", "SELECT VALUE REPLICATE('', 1e300)", [""]),
    ("ARRAY_SLICE with huge counts", "SELECT VALUE ARRAY_LENGTH(ARRAY_SLICE(c.arr, -1e300, 1e300))"
     " FROM c", [50]),
    ("ARRAY_SLICE with an infinite length", "SELECT VALUE ARRAY_LENGTH(ARRAY_SLICE(c.arr, 0, "
     "Infinity)) FROM c", [50]),
    ("ARRAY_SLICE from infinity", "SELECT VALUE IS_DEFINED(ARRAY_SLICE(c.arr, -Infinity)) "
     "FROM c", [False]),
    ("StringToArray on deep text", "SELECT VALUE IS_DEFINED(StringToArray(c.deep)) FROM c",
     [False]),
    ("StringToArray on long text", "SELECT VALUE ARRAY_LENGTH(StringToArray(c.long)) FROM c",
     [200_001]),
    ("ST_ on a geometry past 4,096 points", "SELECT VALUE IS_DEFINED(ST_DISTANCE(c.huge, "
     "{'type': 'Point', 'coordinates': [0, 0]})) FROM c", [False]),
    ("integers squared again and again", "SELECT VALUE x > 1e300 FROM ("
     + doubling("v * v", "SELECT VALUE c.n FROM c", 20) + ") x", [True]),
]  # fmt: skip


@pytest.mark.parametrize(("label", "query", "first"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_hostile_arguments_get_an_answer(
    patient: DocumentsSource, label: str, query: str, first: list[Any]
) -> None:
    result = patient.execute(query, max_items=1)
    assert result.documents == first


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("SELECT c.g, COUNT(1) AS n FROM c GROUP BY c.g", "GROUP BY"),
        ("SELECT DISTINCT VALUE c.g FROM c", "DISTINCT"),
        ("SELECT VALUE ARRAY(SELECT VALUE x FROM x IN c.all ORDER BY x) FROM c", "sort"),
        ("SELECT VALUE ARRAY(SELECT VALUE x FROM x IN c.all) FROM c", "subquery"),
        ("SELECT VALUE c.g FROM c", "results"),
    ],
)
def test_rows_held_at_once_are_bounded(
    tmp_path: Path,
    make_source: MakeSource,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    what: str,
) -> None:
    # The real limits are a million rows; the same code path is shown with a smaller one.
    monkeypatch.setattr(evaluator, "MAX_ROWS_HELD", 500)
    monkeypatch.setattr(evaluator, "MAX_ARRAY_LENGTH", 500)
    docs = [{"id": str(i), "g": i, "all": list(range(600))} for i in range(600)]
    (tmp_path / "d.json").write_text(json.dumps(docs), encoding="utf-8")
    with pytest.raises(QueryFailed) as caught:
        make_source(timeout_s=30).execute(query, max_items=10_000)
    assert what in caught.value.reason
