"""Date phrases: absolute periods, open ranges and periods counted back from today."""

from __future__ import annotations

from datetime import date

import pytest

from data_assistant.errors import Refusal
from data_assistant.translate.offline.dates import parse_date_phrase
from data_assistant.translate.offline.tagger import _word
from data_assistant.translate.offline.text import tokenize

TODAY = date(2025, 6, 30)


def _parse(phrase: str) -> tuple[int, date | None, date | None, bool]:
    words = [_word(t) for t in tokenize(phrase)]
    found = parse_date_phrase(words, 0, TODAY)
    assert found is not None, phrase
    used, rng = found
    return used, rng.start, rng.end, rng.relative


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("in 2024", date(2024, 1, 1), date(2025, 1, 1)),
        ("during 2023", date(2023, 1, 1), date(2024, 1, 1)),
        ("in March 2025", date(2025, 3, 1), date(2025, 4, 1)),
        ("in march of 2025", date(2025, 3, 1), date(2025, 4, 1)),
        ("Feb 2024", date(2024, 2, 1), date(2024, 3, 1)),
        ("since 2024-01-01", date(2024, 1, 1), None),
        ("after 2024-06-30", date(2024, 7, 1), None),
        ("after 1993", date(1994, 1, 1), None),
        ("before 2024", None, date(2024, 1, 1)),
        ("prior to March 2024", None, date(2024, 3, 1)),
        ("until 2024-02-10", None, date(2024, 2, 11)),
        ("between 2024-01-01 and 2024-01-31", date(2024, 1, 1), date(2024, 2, 1)),
        ("from Jan 2024 to Mar 2024", date(2024, 1, 1), date(2024, 4, 1)),
        ("from 2024", date(2024, 1, 1), date(2025, 1, 1)),
        ("in Q4 2024", date(2024, 10, 1), date(2025, 1, 1)),
        ("in the first quarter of 2025", date(2025, 1, 1), date(2025, 4, 1)),
        ("on 2024-02-29", date(2024, 2, 29), date(2024, 3, 1)),
        ("on March 5th, 2024", date(2024, 3, 5), date(2024, 3, 6)),
        ("5 March 2024", date(2024, 3, 5), date(2024, 3, 6)),
    ],
)
def test_absolute_dates(phrase: str, start: date | None, end: date | None) -> None:
    _, got_start, got_end, relative = _parse(phrase)
    assert (got_start, got_end, relative) == (start, end, False)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("last 30 days", date(2025, 5, 31), date(2025, 7, 1)),
        ("in the last 7 days", date(2025, 6, 23), date(2025, 7, 1)),
        ("past 3 months", date(2025, 3, 30), date(2025, 7, 1)),
        ("last month", date(2025, 5, 1), date(2025, 6, 1)),
        ("last year", date(2024, 1, 1), date(2025, 1, 1)),
        ("last quarter", date(2025, 1, 1), date(2025, 4, 1)),
        ("this year", date(2025, 1, 1), date(2026, 1, 1)),
        ("this month", date(2025, 6, 1), date(2025, 7, 1)),
        ("today", date(2025, 6, 30), date(2025, 7, 1)),
        ("yesterday", date(2025, 6, 29), date(2025, 6, 30)),
        ("year to date", date(2025, 1, 1), date(2025, 7, 1)),
    ],
)
def test_relative_dates_count_back_from_today(phrase: str, start: date, end: date) -> None:
    _, got_start, got_end, relative = _parse(phrase)
    assert (got_start, got_end, relative) == (start, end, True)


@pytest.mark.parametrize("phrase", ["customers", "in Germany", "over 2000 dollars", "last order"])
def test_not_dates(phrase: str) -> None:
    words = [_word(t) for t in tokenize(phrase)]
    assert parse_date_phrase(words, 0, TODAY) is None


def test_a_month_without_a_year_is_refused() -> None:
    words = [_word(t) for t in tokenize("in March")]
    with pytest.raises(Refusal, match="which year"):
        parse_date_phrase(words, 0, TODAY)


def test_an_impossible_date_is_refused() -> None:
    words = [_word(t) for t in tokenize("on February 30 2024")]
    with pytest.raises(Refusal):
        parse_date_phrase(words, 0, TODAY)
