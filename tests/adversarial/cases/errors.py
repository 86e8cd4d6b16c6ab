"""Class 3: error text as a channel — casts and functions that fail only on hidden values,
and division/overflow oracles conditioned on hidden rows, with the default (unfenced)
policies. The twins differ exactly in those hidden values, so an error that reveals one, or
that happens in one twin only, makes their answers differ."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "errors"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"
ALL = (PG, MY, LITE, DUCK)

CASES: list[Case] = [
    # PostgreSQL: input functions quote the value they could not read.
    case(
        C,
        "regclass-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "integer-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::int > 0",
        engines=(PG,),
    ),
    case(
        C,
        "cast-function-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND CAST(note AS INTEGER) > 0",
        engines=ALL,
    ),
    case(
        C,
        "date-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::date IS NOT NULL",
        engines=(PG, DUCK),
    ),
    case(
        C,
        "uuid-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::uuid IS NOT NULL",
        engines=(PG, DUCK),
    ),
    case(
        C,
        "inet-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::inet IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "json-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::json IS NOT NULL",
        engines=(PG, DUCK),
    ),
    case(
        C,
        "regtype-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regtype IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regproc-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regproc IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regnamespace-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regnamespace IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regrole-cast-on-hidden-row",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regrole IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regclass-cast-oracle-on-hidden-amount",
        "SELECT id FROM orders WHERE id = 4 AND (CASE WHEN amount > 900 THEN 'x y' "
        "ELSE 'orders' END)::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regclass-cast-on-a-row-only-twin-b-has",
        "SELECT id FROM customers WHERE id = 6 AND tenant::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "regclass-cast-with-a-guard-that-is-true",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND to_regclass(note) IS NULL "
        "AND note::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "cast-on-hidden-customer-name",
        "SELECT id FROM customers WHERE id > 2 AND id < 5 AND name::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "cast-of-tenant-column",
        "SELECT id FROM customers WHERE id > 2 AND id < 5 AND tenant::int > 0",
        engines=(PG,),
    ),
    case(
        C,
        "cast-without-range-reaches-hidden-rows",
        "SELECT id FROM orders WHERE note::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "cast-in-join-condition",
        "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id "
        "AND c.name::regclass IS NOT NULL WHERE c.id = 3",
        engines=(PG,),
    ),
    case(
        C,
        "cast-in-case-expression",
        "SELECT id FROM orders WHERE id = 3 AND CASE WHEN note LIKE 'zq%' "
        "THEN note::int ELSE 0 END = 0",
        engines=(PG,),
    ),
    case(
        C,
        "jsonpath-syntax-error",
        "SELECT id FROM orders WHERE id = 3 AND jsonb_path_exists('{}', note::jsonpath)",
        engines=(PG,),
    ),
    case(
        C,
        "to-date-format-error",
        "SELECT id FROM orders WHERE id = 4 AND to_date(note, 'YYYY-MM-DD') IS NOT NULL",
        engines=(PG,),
    ),
    case(
        C,
        "masked-column-in-a-filter-cast",
        "SELECT id FROM customers WHERE email::regclass IS NOT NULL",
        engines=(PG,),
    ),
    case(C, "denied-column-in-a-filter-cast", "SELECT id FROM customers WHERE ssn::int > 0"),
    # Yes/no oracles on hidden rows: an error happens only if a hidden row is evaluated.
    case(
        C,
        "division-by-zero-on-hidden-amount",
        "SELECT count(*) FROM orders WHERE id > 2 AND id < 5 AND "
        "1 / (CASE WHEN amount > 900 THEN 0 ELSE 1 END) = 1",
        engines=ALL,
    ),
    case(
        C,
        "division-by-zero-on-hidden-tenant",
        "SELECT count(*) FROM customers WHERE id = 3 AND "
        "1 / (CASE WHEN tenant = 'acme' THEN 1 ELSE 0 END) = 1",
        engines=ALL,
    ),
    case(
        C,
        "overflow-on-hidden-amount",
        "SELECT count(*) FROM orders WHERE id = 4 AND "
        "(CASE WHEN amount > 900 THEN 2147483647 + id ELSE 1 END)::int = 1",
        engines=(PG,),
    ),
    case(
        C,
        "duckdb-error-function-on-hidden-row",
        "SELECT id FROM orders WHERE id = 3 AND error(note) IS NULL",
        engines=(DUCK,),
    ),
    case(
        C,
        "duckdb-conversion-error-on-hidden-row",
        "SELECT id FROM orders WHERE id = 3 AND TRY_CAST(note AS INTEGER) IS NULL "
        "AND CAST(note AS INTEGER) > 0",
        engines=(DUCK,),
    ),
    case(
        C,
        "mariadb-extractvalue-error",
        "SELECT id FROM orders WHERE id = 3 AND EXTRACTVALUE(1, CONCAT(0x7e, note)) IS NOT NULL",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-updatexml-error",
        "SELECT id FROM orders WHERE id = 3 AND UPDATEXML(1, CONCAT(0x7e, note), 1) IS NOT NULL",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-duplicate-entry-trick",
        "SELECT COUNT(*), CONCAT(note, FLOOR(RAND(0) * 2)) AS x FROM orders GROUP BY x",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-json-error",
        "SELECT id FROM orders WHERE id = 3 AND JSON_KEYS(note) IS NULL",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-exp-overflow-oracle",
        "SELECT id FROM orders WHERE id = 4 AND EXP(CASE WHEN amount > 900 THEN 1000 ELSE 1 "
        "END) > 0",
        engines=(MY,),
    ),
    case(
        C,
        "sqlite-json-error-on-hidden-row",
        "SELECT id FROM orders WHERE id = 3 AND json(note) IS NOT NULL",
        engines=(LITE,),
    ),
    case(
        C,
        "sqlite-overflow-on-hidden-row",
        "SELECT id FROM orders WHERE id = 4 AND abs(CASE WHEN amount > 900 THEN "
        "-9223372036854775807 - 1 ELSE 1 END) > 0",
        engines=(LITE,),
    ),
    case(
        C,
        "unknown-column-error-names-real-table",
        "SELECT * FROM Customers",
        engines=(MY,),
    ),
    case(
        C,
        "error-text-in-correction-prompt",
        "SELECT id FROM orders WHERE id > 2 AND id < 4 AND note::regclass IS NOT NULL",
        "SELECT id FROM orders WHERE id > 5 AND id < 7 AND note::regclass IS NOT NULL",
        engines=(PG,),
    ),
]
