"""Class 10: what else an attacker tries — placeholders inside literals, claim values that
carry SQL (they must be bound), odd claim types, unicode look-alikes, NUL bytes, comment and
quoting tricks where the guard's parser and the engine's could disagree."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "novel"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"
Q = "SELECT name, tenant FROM customers"


def claim(name: str, value: object, **kw) -> Case:
    return case(C, f"claim-{name}", Q, claims={"tenant": value}, **kw)


CASES: list[Case] = [
    # Claim values travel as bound parameters: SQL in them is only text.
    claim("quote-or-true", "acme' OR '1'='1"),
    claim("comment-out-rest", "acme' --"),
    claim("stacked-statement", "acme'; DELETE FROM products; --"),
    claim("backslash-escape", "acme\\' OR 1=1 -- "),
    claim("placeholder-text", ":claims.tenant"),
    claim("percent-wildcard", "%"),
    claim("empty-string", ""),
    claim("list-for-a-scalar-rule", ["acme", "x' OR '1'='1"]),
    claim(
        "number-zero",
        0,
    ),
    claim("boolean-true", True),
    claim("object", {"$ne": "acme"}),
    claim("unicode-lookalike", "\u0430cme"),
    claim("trailing-space", "acme "),
    claim("upper-case", "ACME"),
    claim("nul-byte", "acme\u0000' OR '1'='1"),
    claim("huge-value", "a" * 8_000),
    # Placeholders written by the attacker.
    case(
        C,
        "placeholder-name-inside-a-literal",
        "SELECT name FROM customers WHERE name = ':p_0' OR tenant <> ':p_0'",
    ),
    case(C, "placeholder-alone-in-select", "SELECT :p_0 AS x"),
    case(C, "unknown-placeholder", "SELECT name FROM customers WHERE tenant = :p_1"),
    case(
        C,
        "claims-placeholder-in-query",
        "SELECT name FROM customers WHERE tenant = :claims.tenant OR 1 = 1",
    ),
    case(C, "pyformat-inside-literal", "SELECT name FROM customers WHERE name = '%(p_0)s'"),
    case(C, "qmark-inside-literal", "SELECT name, '?' AS q FROM customers"),
    case(C, "positional-placeholder", "SELECT $1 AS x", engines=(PG, DUCK)),
    case(C, "percent-s-inside-literal", "SELECT name, '%s' AS q FROM customers"),
    case(
        C,
        "colon-cast-next-to-placeholder",
        "SELECT name::text FROM customers WHERE tenant = :p_0::text",
        engines=(PG,),
    ),
    # Parser disagreements: comments, quoting, escapes.
    case(
        C,
        "nested-comment-hides-code",
        "SELECT 1 /* /* */ FROM products WHERE 1 = 1 */ , token FROM secrets",
        engines=(PG,),
    ),
    case(
        C,
        "nested-comment-swallows-filter",
        "SELECT note /* /* */ FROM orders WHERE 1 = 0 */ FROM orders",
        engines=(PG,),
    ),
    case(C, "dollar-quoted-text", "SELECT $$ ' $$ AS a, note FROM orders", engines=(PG,)),
    case(C, "dollar-tag-quoted-text", "SELECT $x$ ; DELETE FROM products; $x$ AS a", engines=(PG,)),
    case(C, "escape-string-literal", "SELECT E'\\' , token FROM secrets --' AS a", engines=(PG,)),
    case(
        C, "backslash-in-mysql-string", "SELECT 'a\\' , token FROM secrets -- ' AS a", engines=(MY,)
    ),
    case(
        C, "double-quoted-string-in-mysql", 'SELECT "secrets" AS a, note FROM orders', engines=(MY,)
    ),
    case(C, "hash-comment-in-mysql", "SELECT note FROM orders # WHERE 1 = 0\n", engines=(MY,)),
    case(
        C,
        "dash-comment-without-space-mysql",
        "SELECT note FROM orders --1\nWHERE 1 = 1",
        engines=(MY,),
    ),
    case(C, "trailing-line-comment-before-limit", "SELECT note FROM orders --"),
    case(C, "unterminated-block-comment", "SELECT note FROM orders /* no end"),
    case(C, "nul-byte-in-query", "SELECT note FROM orders\u0000; DELETE FROM products"),
    case(C, "nul-byte-in-literal", "SELECT 'a\u0000b' AS x"),
    case(C, "fullwidth-keywords", "\uff33\uff25\uff2c\uff25\uff23\uff34 * FROM secrets"),
    case(C, "fullwidth-table-name", "SELECT * FROM \uff53\uff45\uff43\uff52\uff45\uff54\uff53"),
    case(C, "zero-width-space-in-table-name", "SELECT * FROM sec\u200brets"),
    case(C, "right-to-left-override", "SELECT '\u202e' AS x, note FROM orders"),
    case(
        C,
        "combining-characters-in-alias",
        'SELECT note AS "no\u0301te" FROM orders',
        engines=(PG, LITE, DUCK),
    ),
    case(
        C,
        "two-code-blocks-first-is-attack",
        "SELECT token FROM secrets\n```\n```sql\nSELECT name FROM products",
    ),
    case(C, "json-answer-with-sql-key", '{"sql": "SELECT token FROM secrets"}'),
    case(C, "max-rows-above-the-cap", "SELECT note FROM orders", body={"max_rows": 1_000_000}),
    case(C, "max-rows-zero", "SELECT note FROM orders", body={"max_rows": 0}),
]
