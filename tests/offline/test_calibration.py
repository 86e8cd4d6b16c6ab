"""Readings that must not happen: words any question uses taken for values, a negated value
on related rows read as "some other value", and rows named by a column named as the table."""

from __future__ import annotations

import pytest

from data_assistant.errors import Refusal
from tests.offline.conftest import SHOP_SQL, Shop

CLUBS_SQL = """
CREATE TABLE nation (id INTEGER PRIMARY KEY, nation TEXT NOT NULL);
CREATE TABLE club (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, budget INTEGER NOT NULL,
    nation_id INTEGER NOT NULL REFERENCES nation(id)
);
CREATE TABLE facility (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE club_facility (
    club_id INTEGER NOT NULL REFERENCES club(id),
    facility_id INTEGER NOT NULL REFERENCES facility(id)
);
CREATE TABLE member (
    id INTEGER PRIMARY KEY, club_id INTEGER NOT NULL REFERENCES club(id), grade TEXT NOT NULL
);
INSERT INTO nation VALUES (1, 'Norway'), (2, 'Chile');
INSERT INTO club VALUES (1, 'Fjord Rowers', 900, 1), (2, 'Andes Climbers', 400, 2),
  (3, 'Oslo Chess', 1200, 1);
INSERT INTO facility VALUES (1, 'Sauna'), (2, 'Library');
INSERT INTO club_facility VALUES (1, 1), (3, 2), (3, 1);
INSERT INTO member VALUES (1, 1, 'A+'), (2, 1, 'A-'), (3, 2, 'A'), (4, 3, 'B'), (5, 3, 'The');
"""


@pytest.fixture(scope="module")
def clubs() -> Shop:
    return Shop(CLUBS_SQL)


@pytest.mark.parametrize(
    "question",
    [
        "which clubs have a budget of more than 800?",
        "clubs with a budget over 800",
        "clubs that have the budget above 800",
    ],
)
def test_articles_are_never_read_as_values(clubs: Shop, question: str) -> None:
    # member.grade holds 'A', 'A+', 'A-' and 'The': words every question has.
    translation = clubs.translate(question)
    assert "grade" not in translation.query
    assert sorted(r[0] for r in clubs.rows(translation.query)) == ["Fjord Rowers", "Oslo Chess"]


def test_values_that_differ_only_in_punctuation_are_not_guessed(clubs: Shop) -> None:
    try:
        translation = clubs.translate("members with grade A+")
    except Refusal:
        return
    assert "'A-'" not in translation.query and "'A'" not in translation.query


@pytest.mark.parametrize(
    "question", ["members with grade A+", "members whose grade is A+", "how many members are A+"]
)
def test_a_value_made_of_a_filler_word_is_not_dropped_unread(clubs: Shop, question: str) -> None:
    # "A" is a word every question has and "+" no word at all: dropping both read this as
    # the grades of every member.
    with pytest.raises(Refusal, match="'\\+'"):
        clubs.translate(question)


@pytest.mark.parametrize(
    "question",
    ["clubs that don't have a sauna", "clubs without a sauna", "which clubs have no sauna?"],
)
def test_a_negated_value_on_related_rows_means_no_related_row_has_it(
    clubs: Shop, question: str
) -> None:
    try:
        translation = clubs.translate(question)
    except Refusal:
        return  # refusing is fine; answering "a facility other than the sauna" is not
    names = sorted(r[0] for r in clubs.rows(translation.query))
    assert names == ["Andes Climbers"], translation.query
    assert "no " in translation.explanation


def test_a_column_named_as_its_table_names_its_rows(clubs: Shop) -> None:
    translation = clubs.translate("number of clubs per nation")
    assert sorted(clubs.rows(translation.query)) == [("Chile", 1), ("Norway", 2)]


HEADS_SQL = """
CREATE TABLE board_games (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE video_games (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE match_results (id INTEGER PRIMARY KEY, score INTEGER NOT NULL);
INSERT INTO board_games VALUES (1, 'Go'), (2, 'Chess');
INSERT INTO video_games VALUES (1, 'Tetris');
INSERT INTO match_results VALUES (1, 3);
"""


@pytest.mark.parametrize(
    "sql", [HEADS_SQL, HEADS_SQL.replace("board_games", "zz_games")], ids=["first", "second"]
)
def test_a_head_word_two_tables_share_names_neither_of_them_alone(sql: str) -> None:
    # Whichever table the catalog lists first, "games" must not become that one.
    shop = Shop(sql)
    with pytest.raises(Refusal, match="video_games"):
        shop.translate("how many games are there")
    assert shop.rows(shop.translate("how many video games").query) == [(1,)]
    assert shop.rows(shop.translate("how many results").query) == [(1,)]


# Too many different values for any column to have samples: nothing can be checked in data.
RIDERS_SQL = "CREATE TABLE riders (id INTEGER PRIMARY KEY, forename TEXT, surname TEXT,"
RIDERS_SQL += " nationality TEXT);\n" + "".join(
    f"INSERT INTO riders VALUES ({i}, 'F{i}', 'S{i}', 'N{i}');\n" for i in range(60)
)


@pytest.mark.parametrize(
    "question", ["surname of Finnish riders", "forename and surname of Finnish riders"]
)
def test_a_name_before_a_table_describes_the_table_not_the_column_before_it(question: str) -> None:
    # Never `surname = 'Finnish'`: the word says which riders, the surname is what is shown.
    riders = Shop(RIDERS_SQL)
    try:
        translation = riders.translate(question)
    except Refusal:
        return
    assert "'Finnish'" not in translation.query, translation.query


def test_a_column_followed_by_its_value_still_filters(clubs: Shop) -> None:
    translation = clubs.translate("budget of the club titled Oslo Chess")
    assert clubs.rows(translation.query) == [(1200,)]


@pytest.mark.parametrize(
    "question",
    ["how many Corporate segments are there", "number of segments that are Corporate"],
)
def test_counting_a_column_the_question_fixes_counts_the_rows(question: str) -> None:
    # COUNT(DISTINCT segment) WHERE segment = 'Corporate' is always 1.
    shop = Shop(SHOP_SQL)
    translation = shop.translate(question)
    assert shop.rows(translation.query) == [(2,)]
    assert "rows" in translation.explanation
