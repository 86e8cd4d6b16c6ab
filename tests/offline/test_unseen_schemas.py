"""More readings found wrong or refused on schemas the translator had never seen (the
spider-e tuning half), each as a class on a small schema of our own."""

from __future__ import annotations

import pytest

from data_assistant.errors import Refusal
from tests.offline.conftest import Shop

VENUES_SQL = """
CREATE TABLE venue (venue_id INTEGER PRIMARY KEY, name TEXT, capacity INTEGER,
                    length_meters REAL, budget_million REAL);
INSERT INTO venue VALUES (1, 'Hall', 1000, 50.0, 2.5), (2, 'Barn', 200, 20.0, 0.5),
  (3, 'Dome', 600, 80.0, 9.0);
"""


@pytest.fixture(scope="module")
def venues() -> Shop:
    return Shop(VENUES_SQL)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("the largest capacity and the average capacity", [(1000, 600.0)]),
        ("what is the largest venue capacity and what is the average capacity?", [(1000, 600.0)]),
        ("largest capacity and average budget", [(1000, 4.0)]),
        ("average venue length", [(50.0,)]),
        ("venues with a budget over 1", [("Hall",), ("Dome",)]),
    ],
)
def test_every_aggregate_and_unit_named_column_is_read(
    venues: Shop, question: str, expected: list[tuple]
) -> None:
    assert venues.answer(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # an aggregate the reading has no place for is refused, never dropped
        "which venue has the largest capacity and what is the average budget?",
        "the venue with the largest capacity and the average length",
        "the largest average capacity",
    ],
)
def test_an_aggregate_word_left_unused_is_refused(venues: Shop, question: str) -> None:
    with pytest.raises(Refusal):
        venues.translate(question)
