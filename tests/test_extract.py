"""The query is found in a model's answer whatever it wraps it in."""

from __future__ import annotations

import pytest

from data_assistant.translate.extract import cannot_answer_reason, extract_query

CASES = [
    ("```sql\nSELECT 1;\n```", "SELECT 1"),
    ("Here you go:\n```sql\nSELECT a\nFROM t\n```\nThis lists a.", "SELECT a\nFROM t"),
    ("```\nSELECT 2\n```", "SELECT 2"),
    ("```SQL\nselect 3\n```", "select 3"),
    ("```python\nx = 1\n```\n```sql\nSELECT 4\n```", "SELECT 4"),
    ("SELECT 5", "SELECT 5"),
    (
        "The query is:\n\nWITH x AS (SELECT 1) SELECT * FROM x;\n\nHope it helps.",
        "WITH x AS (SELECT 1) SELECT * FROM x",
    ),
    ("SQL: SELECT 6 FROM t", "SELECT 6 FROM t"),
    ('{"sql": "SELECT 7"}', "SELECT 7"),
    ("You can run select 8 from t", "select 8 from t"),
]


@pytest.mark.parametrize(("answer", "expected"), CASES, ids=[c[1][:20] for c in CASES])
def test_the_query_is_extracted(answer, expected):
    assert extract_query(answer) == expected


@pytest.mark.parametrize("answer", ["", "   ", "I don't know.", "```\n\n```"])
def test_an_answer_without_a_query_gives_none(answer):
    assert extract_query(answer) is None


def test_a_cannot_answer_reply_gives_the_reason():
    assert cannot_answer_reason("CANNOT_ANSWER: there is no salary data.") == (
        "there is no salary data."
    )
    assert cannot_answer_reason("SELECT 1") is None
