"""What sqlglot cannot represent faithfully is refused, not re-rendered.

The database runs the guard's rendering of the tree: where sqlglot reads the text another
way than the engine does, the tree checked is not the query meant, so the query is refused.
Rare tokens (dollar quoting, escape, bit and hex strings, parameters) are rendered, read back
and rendered again; a difference refuses the query.
"""

from __future__ import annotations

import pytest

from data_assistant.errors import GuardRejection
from data_assistant.guard import check_sql

# fmt: off
REFUSED = [
    # PostgreSQL reads U&"d\0061ta" as the name `data`; sqlglot as `U & "d\0061ta"`.
    pytest.param("postgres", 'SELECT U&"s\\0073n" FROM customers', "Unicode-escaped",
                 id="postgres-unicode-escaped-column"),
    pytest.param("postgres", 'SELECT * FROM U&"secr\\0065ts"', "could not be parsed",
                 id="postgres-unicode-escaped-table"),
    pytest.param("postgres", 'SELECT u&"s\\0073n" FROM customers', "Unicode-escaped",
                 id="postgres-lower-case-prefix"),
    # A dollar-quoted string run into another tag: sqlglot reads a parameter and a name.
    pytest.param("postgres", "SELECT $tag$a$tag$$tag$", "faithfully",
                 id="postgres-dollar-quote-run-on"),
]
ACCEPTED = [
    pytest.param("postgres", "SELECT $$it's$$ AS s", id="postgres-dollar-quoted"),
    pytest.param("postgres", "SELECT $q$a;b$q$ AS s", id="postgres-tagged-dollar-quote"),
    pytest.param("postgres", "SELECT U&'\\0041' AS s", id="postgres-unicode-string"),
    pytest.param("postgres", "SELECT E'a\\'b' AS s", id="postgres-escape-string"),
    pytest.param("postgres", "SELECT B'0101', X'1F'", id="postgres-bit-strings"),
    pytest.param("postgres", "SELECT a & b FROM t", id="postgres-bitwise-and"),
    pytest.param("tsql", "SELECT N'abc' AS s", id="tsql-national-string"),
    pytest.param("mysql", "SELECT x'41', 0x41, b'01'", id="mysql-hex-and-bit"),
    pytest.param("duckdb", "SELECT $$x$$ AS s", id="duckdb-dollar-quoted"),
]
# fmt: on


@pytest.mark.parametrize(("dialect", "sql", "fragment"), REFUSED)
def test_a_form_sqlglot_misreads_is_refused(dialect: str, sql: str, fragment: str) -> None:
    with pytest.raises(GuardRejection, match=fragment):
        check_sql(sql, dialect=dialect)


@pytest.mark.parametrize(("dialect", "sql"), ACCEPTED)
def test_rare_forms_that_survive_the_round_trip_pass(dialect: str, sql: str) -> None:
    guarded = check_sql(sql, dialect=dialect)
    assert check_sql(guarded.sql, dialect=dialect).sql == guarded.sql
