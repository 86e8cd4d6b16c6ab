"""Readings found wrong or refused on schemas the translator had never met (the spider-f
tuning half and what was like it), each as a class on a small schema of our own."""

from __future__ import annotations

import pytest

from data_assistant.errors import Refusal
from tests.offline.conftest import Shop

PEAKS_SQL = """
CREATE TABLE range_ (range_id INTEGER PRIMARY KEY, name TEXT, country TEXT);
CREATE TABLE peak (peak_id INTEGER PRIMARY KEY, name TEXT, height REAL, prominence REAL,
                   range_id INTEGER REFERENCES range_(range_id));
CREATE TABLE college (college_id INTEGER PRIMARY KEY, name TEXT, county TEXT, year INTEGER);
CREATE TABLE festival (festival_id INTEGER PRIMARY KEY, theme TEXT, year INTEGER,
                       opened DATE, closed DATE);
INSERT INTO range_ VALUES (1, 'Alps', 'France'), (2, 'Atlas', 'Morocco');
INSERT INTO peak VALUES (1, 'Blanc', 4808, 4695, 1), (2, 'Toubkal', 4167, 3755, 2),
  (3, 'Eiger', 3967, 362, 1), (4, 'Ouanoukrim', 4089, 420, 2);
INSERT INTO college VALUES (1, 'Old Hall', 'Kent', 1857), (2, 'New Hall', 'Kent', 1960),
  (3, 'Mid Hall', 'Essex', 1921);
INSERT INTO festival VALUES (1, 'Spring', 2005, '2005-04-01', '2005-04-03'),
  (2, 'Autumn', 2007, '2007-10-01', '2007-10-02');
"""


@pytest.fixture(scope="module")
def peaks() -> Shop:
    return Shop(PEAKS_SQL)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("the tallest peak", [("Blanc",)]),
        (
            "names and heights of the 2 tallest peaks, tallest first",
            [("Blanc", 4808), ("Toubkal", 4167)],
        ),
        ("colleges founded after 1900", [("New Hall",), ("Mid Hall",)]),
        ("colleges established before 1950 in Kent", [("Old Hall",)]),
        ("when was the Mid Hall college founded?", [(1921,)]),
    ],
)
def test_heights_and_year_numbers_are_found_by_the_words_people_use(
    peaks: Shop, question: str, expected: list[tuple]
) -> None:
    assert peaks.answer(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # a festival has two dates of its own besides its year: which one `when` asks is unsure
        "when was the Spring festival held?",
        # no height column: `tallest` is not the largest of some other number
        "the tallest range",
    ],
)
def test_when_and_tallest_without_one_column_to_mean_are_refused(
    peaks: Shop, question: str
) -> None:
    with pytest.raises(Refusal):
        peaks.translate(question)
