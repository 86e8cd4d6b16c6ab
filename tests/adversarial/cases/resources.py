"""Class 5: resources — unbounded recursion, cartesian products, huge series, huge values
and answers, deep nesting, catastrophic patterns. Each must end in a clean 4xx or 504 (or a
bounded, truncated answer) within a bounded time, never a 500, while /healthz keeps
answering."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "resources"
PG, MY, LITE, DUCK, DOCS = "postgres", "mariadb", "sqlite", "duckdb", "documents"


def res(name: str, query: str, engines: tuple[str, ...] | str, **kw) -> Case:
    return case(C, name, query, engines=engines, differential=False, **kw)


def chain(term: str, joiner: str, n: int) -> str:
    return joiner.join([term] * n)


SQL_CASES: list[Case] = [
    res(
        "unbounded-recursive-cte-count",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        (PG, MY, LITE, DUCK),
    ),
    res(
        "unbounded-recursive-cte-rows",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
        (PG,),
    ),
    res(
        "four-way-cartesian-product",
        "SELECT count(*) FROM customers a, orders b, products c, customers d",
        (PG, MY, LITE, DUCK),
        refused=True,
    ),
    res(
        "four-way-cross-join-keywords",
        "SELECT a.id FROM products a CROSS JOIN products b CROSS JOIN products c "
        "CROSS JOIN products d",
        (PG, MY, LITE, DUCK),
        refused=True,
    ),
    res(
        "cartesian-of-huge-series",
        "SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b, "
        "generate_series(1, 100000) c",
        (PG,),
    ),
    res(
        "cartesian-of-huge-ranges",
        "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c",
        (DUCK,),
    ),
    res(
        "generate-series-to-a-trillion",
        "SELECT count(*) FROM generate_series(1, 1000000000000)",
        (PG,),
    ),
    res("range-to-a-trillion", "SELECT sum(range) FROM range(1000000000000)", (DUCK,)),
    res(
        "rows-of-huge-values",
        "SELECT repeat('x', 1000000) AS big FROM generate_series(1, 10)",
        (PG,),
    ),
    res("rows-of-huge-values-duckdb", "SELECT repeat('x', 1000000) AS big FROM range(10)", (DUCK,)),
    res(
        "rows-of-huge-values-sqlite",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) "
        "SELECT printf('%.*c', 1000000, 'x') AS big FROM r",
        (LITE,),
    ),
    res(
        "rows-of-huge-values-mariadb",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) "
        "SELECT REPEAT('x', 1000000) AS big FROM r",
        (MY,),
    ),
    res("one-huge-value", "SELECT repeat('x', 10000000) AS big", (PG,)),
    res("sqlite-printf-width", "SELECT printf('%.*c', 10000000, 'x') AS big", (LITE,)),
    res(
        "sqlite-randomblob",
        "SELECT length(randomblob(50000000))",
        (LITE,),
        refused=True,
    ),
    res(
        "sqlite-zeroblob",
        "SELECT length(zeroblob(1000000000))",
        (LITE,),
        refused=True,
    ),
    res("deep-parentheses", "SELECT " + "(" * 1000 + "1" + ")" * 1000, (PG, MY, LITE, DUCK)),
    res("long-plus-chain", "SELECT " + chain("1", " + ", 3000), (PG, MY, LITE, DUCK)),
    res("long-not-chain", "SELECT " + "NOT " * 3000 + "1", (PG, MY, LITE, DUCK)),
    res(
        "deep-subqueries",
        "SELECT * FROM " + "(SELECT * FROM " * 200 + "products" + ") x" * 200,
        (PG, MY, LITE, DUCK),
    ),
    res(
        "huge-in-list",
        "SELECT id FROM products WHERE id IN (" + ",".join(str(i) for i in range(20000)) + ")",
        (PG, MY, LITE, DUCK),
    ),
    res("megabyte-of-whitespace", "SELECT 1" + " " * 1_000_000 + "AS x", (PG, MY, LITE, DUCK)),
    res("postgres-regex-backtracking", "SELECT repeat('a', 40) || '!' ~ '^(a+)+$' AS m", (PG,)),
    res(
        "mariadb-regex-backtracking",
        "SELECT CONCAT(REPEAT('a', 40), '!') REGEXP '^(a+)+$' AS m",
        (MY,),
    ),
    res(
        "duckdb-regex-backtracking",
        "SELECT regexp_matches(repeat('a', 40) || '!', '^(a+)+$') AS m",
        (DUCK,),
    ),
    res(
        "mariadb-cartesian-recursive",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100000) "
        "SELECT count(*) FROM r a, r b, r c",
        (MY,),
    ),
    res(
        "sqlite-cartesian-recursive",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100000) "
        "SELECT count(*) FROM r a, r b, r c",
        (LITE,),
    ),
]

DOC_CASES: list[Case] = [
    res(
        "regexmatch-catastrophic-pattern",
        "SELECT VALUE RegexMatch(REPLICATE('a', 26) || '!', '^(a+)+$') FROM c WHERE c.id = 't1'",
        DOCS,
    ),
    res(
        "regex-from-data-catastrophic",
        "SELECT VALUE RegexMatch(REPLICATE('a', 25) || t, '^(a+)+$') FROM c "
        "JOIN t IN c.tags WHERE c.id = 't1'",
        DOCS,
    ),
    # Sized to stall for seconds, not hours: LIKE is a backtracking regex (n^6 here).
    res(
        "like-many-wildcards",
        "SELECT VALUE REPLICATE('a', 66) LIKE '%a%a%a%a%a%a%b' FROM c WHERE c.id = 't1'",
        DOCS,
    ),
    res("replicate-huge-answer", "SELECT VALUE REPLICATE('x', 3500000) FROM c", DOCS),
    res("replicate-huge-length", "SELECT VALUE LENGTH(REPLICATE('x', 100000000)) FROM c", DOCS),
    res(
        "three-thousand-term-chain",
        "SELECT VALUE " + chain("1", " + ", 3000) + " FROM c",
        DOCS,
    ),
    res(
        "deep-parentheses-documents",
        "SELECT VALUE " + "(" * 3000 + "1" + ")" * 3000 + " FROM c",
        DOCS,
    ),
    res("long-negation-chain", "SELECT VALUE " + "-" * 3000 + "1 FROM c", DOCS),
    res(
        "join-bomb-over-arrays",
        "SELECT VALUE 1 FROM c JOIN a IN c.tags JOIN b IN c.tags JOIN d IN c.tags "
        "JOIN e IN c.tags JOIN f IN c.tags JOIN g IN c.tags",
        DOCS,
    ),
    res(
        "nested-subquery-bomb",
        "SELECT VALUE (SELECT VALUE COUNT(1) FROM a IN c.tags JOIN b IN c.tags) FROM c",
        DOCS,
    ),
]
