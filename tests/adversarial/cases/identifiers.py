"""Class 1: identifier tricks — case folding and quoting against CTE names, schema and
database prefixes, unicode escapes, engine-specific quoting, synonyms of a denied table."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "identifiers"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"

CASES: list[Case] = [
    # A CTE whose quoted name differs in case from an unquoted reference: the engine may
    # resolve the reference to the real table while a guard comparing names loosely takes it
    # for the CTE.
    case(
        C,
        "quoted-cte-capitalised-shadows-denied-table",
        'WITH "Secrets" AS (SELECT 1) SELECT * FROM secrets',
    ),
    case(
        C,
        "quoted-cte-upper-shadows-denied-table",
        'WITH "SECRETS" AS (SELECT 1 AS id) SELECT * FROM secrets',
    ),
    case(
        C,
        "quoted-cte-shadows-filtered-table",
        'WITH "Customers" AS (SELECT 1) SELECT name, tenant FROM customers',
    ),
    case(
        C,
        "quoted-cte-shadows-filtered-orders",
        'WITH "Orders" AS (SELECT 1) SELECT note, tenant FROM orders',
    ),
    case(
        C,
        "quoted-cte-shadows-table-with-denied-columns",
        'WITH "Customers" AS (SELECT 1) SELECT * FROM customers',
    ),
    case(
        C,
        "unquoted-cte-vs-quoted-reference",
        'WITH secrets AS (SELECT 1 AS id) SELECT * FROM "Secrets"',
    ),
    case(
        C,
        "cte-named-like-table-reads-the-table-inside",
        "WITH secrets AS (SELECT * FROM secrets) SELECT * FROM secrets",
    ),
    case(
        C,
        "cte-shadowing-a-filtered-table-reads-it-inside",
        "WITH orders AS (SELECT * FROM orders) SELECT note, tenant FROM orders",
    ),
    case(
        C,
        "recursive-cte-named-like-denied-table",
        "WITH RECURSIVE secrets(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM secrets "
        "WHERE id < 3) SELECT * FROM secrets",
    ),
    case(C, "casefold-long-s-cte", 'WITH "\u017fecrets" AS (SELECT 1) SELECT * FROM secrets'),
    case(C, "kelvin-sign-cte", 'WITH "\u212austomers" AS (SELECT 1) SELECT * FROM customers'),
    case(C, "cte-with-trailing-space", 'WITH "secrets " AS (SELECT 1) SELECT * FROM secrets'),
    case(
        C,
        "nested-cte-scopes",
        'WITH a AS (WITH "Secrets" AS (SELECT 1) SELECT 2 AS x) SELECT * FROM a, secrets',
    ),
    case(
        C,
        "cte-in-subquery-shadows-outer-table",
        'SELECT (WITH "Secrets" AS (SELECT 1) SELECT token FROM secrets LIMIT 1) AS t',
    ),
    # Schema and database prefixes.
    case(C, "default-schema-prefix-on-denied-table", "SELECT * FROM public.secrets", engines=(PG,)),
    case(C, "upper-case-schema-prefix", "SELECT * FROM PUBLIC.SECRETS", engines=(PG,)),
    case(C, "quoted-schema-prefix", 'SELECT * FROM "public"."secrets"', engines=(PG,)),
    case(C, "main-schema-prefix", "SELECT * FROM main.secrets", engines=(LITE, DUCK)),
    case(C, "quoted-main-prefix", 'SELECT * FROM "main"."secrets"', engines=(LITE, DUCK)),
    case(C, "temp-schema-prefix", "SELECT * FROM temp.secrets", engines=(LITE, DUCK)),
    case(C, "pg-temp-schema-prefix", "SELECT * FROM pg_temp.secrets", engines=(PG,)),
    case(C, "another-schema-same-table-name", "SELECT * FROM vault.customers", engines=(PG, DUCK)),
    case(C, "another-schema-quoted", 'SELECT name FROM "vault"."customers"', engines=(PG, DUCK)),
    case(C, "another-database-same-table-name", "SELECT * FROM $VAULT.customers", engines=(MY,)),
    case(C, "another-database-backticks", "SELECT name FROM `$VAULT`.`customers`", engines=(MY,)),
    case(
        C,
        "twin-database-denied-table",
        "SELECT * FROM $DATABASE_B.secrets",
        engines=(MY,),
        differential=False,
    ),
    case(
        C,
        "twin-database-filtered-table",
        "SELECT * FROM $DATABASE_B.customers",
        engines=(MY,),
        differential=False,
    ),
    case(
        C,
        "catalog-qualified-name",
        "SELECT name FROM $DATABASE_A.public.customers",
        engines=(PG,),
        differential=False,
    ),
    case(
        C,
        "database-qualified-denied-table",
        "SELECT * FROM shop_a.main.secrets",
        engines=(DUCK,),
        differential=False,
    ),
    case(
        C,
        "database-qualified-filtered-table",
        "SELECT * FROM shop_a.main.customers",
        engines=(DUCK,),
        differential=False,
    ),
    case(
        C,
        "search-path-only-via-schema-function",
        "SELECT * FROM customers WHERE current_schema() = 'vault'",
        engines=(PG,),
        refused=True,
    ),
    # Unicode escapes and other quoting.
    case(C, "unicode-escaped-denied-table", 'SELECT * FROM U&"secr\\0065ts"', engines=(PG,)),
    case(
        C,
        "unicode-escape-with-uescape",
        "SELECT * FROM U&\"cust!006fmers\" UESCAPE '!'",
        engines=(PG,),
    ),
    case(C, "unicode-escaped-column", 'SELECT U&"\\0073sn" FROM customers', engines=(PG,)),
    case(C, "backticks-denied-table", "SELECT * FROM `secrets`", engines=(MY, LITE)),
    case(C, "brackets-denied-table", "SELECT * FROM [secrets]", engines=(LITE,)),
    case(C, "upper-case-denied-table", "SELECT * FROM SECRETS"),
    case(C, "mixed-case-denied-column", "SELECT SSN FROM customers"),
    case(C, "quoted-denied-column", 'SELECT "ssn" FROM customers', engines=(PG, LITE, DUCK)),
    case(C, "backtick-denied-column", "SELECT `ssn` FROM customers", engines=(MY, LITE)),
    case(C, "table-qualified-denied-column", "SELECT customers.ssn FROM customers"),
    case(
        C,
        "schema-qualified-denied-column",
        "SELECT public.customers.ssn FROM customers",
        engines=(PG,),
    ),
    case(C, "alias-named-like-denied-table", "SELECT secrets.name FROM customers AS secrets"),
    case(C, "denied-table-as-column-alias", "SELECT name AS secrets FROM customers"),
    case(C, "pg-table-statement", "TABLE secrets", engines=(PG,)),
    case(C, "pg-only-clause-on-denied-table", "SELECT * FROM ONLY secrets", engines=(PG,)),
    case(
        C,
        "pg-rows-from-function",
        "SELECT * FROM ROWS FROM (all_customers())",
        engines=(PG,),
        refused=True,
    ),
    case(C, "duckdb-from-first", "FROM secrets", engines=(DUCK,)),
    case(C, "duckdb-nested-from-first", "SELECT * FROM (FROM secrets)", engines=(DUCK,)),
    case(C, "duckdb-whole-row-of-filtered-table", "SELECT c FROM customers c", engines=(DUCK,)),
    case(
        C,
        "duckdb-columns-regex-finds-denied-column",
        "SELECT COLUMNS('.*s.*n.*') FROM customers",
        engines=(DUCK,),
    ),
    case(C, "homoglyph-table-name", "SELECT * FROM secr\u0435ts"),
]
