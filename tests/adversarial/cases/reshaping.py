"""Class 9: reshaping a query around the row policy — aliases, joins, subqueries, LATERAL,
set operations, whole-row references, quoting, correlated subqueries, windows, ROLLUP/CUBE,
DISTINCT ON. The filter must reach every reference to a filtered table."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "reshaping"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"


def r(name: str, query: str, **kw) -> Case:
    return case(C, name, query, **kw)


CASES: list[Case] = [
    r("plain-select", "SELECT id, name, tier, email FROM customers ORDER BY id"),
    r("star", "SELECT * FROM customers"),
    r("alias", "SELECT c.name, c.tenant FROM customers AS c"),
    r("alias-without-as", "SELECT x.note FROM orders x"),
    r("alias-named-like-another-table", "SELECT products.note FROM orders AS products"),
    r("self-join", "SELECT a.note, b.note FROM orders a JOIN orders b ON a.id <> b.id"),
    r("cross-join", "SELECT o.note, c.name FROM orders o CROSS JOIN customers c"),
    r(
        "left-join-from-unfiltered",
        "SELECT p.name, o.note FROM products p LEFT JOIN orders o ON 1 = 1",
    ),
    r(
        "right-join",
        "SELECT o.note FROM products p RIGHT JOIN orders o ON p.id = o.id",
        engines=(PG, MY, DUCK),
    ),
    r(
        "full-join",
        "SELECT o.note, c.name FROM orders o FULL JOIN customers c ON 1 = 0",
        engines=(PG, DUCK),
    ),
    r("comma-join", "SELECT o.note, c.name FROM orders o, customers c"),
    r("natural-join", "SELECT * FROM orders NATURAL JOIN customers"),
    r("using-join", "SELECT * FROM orders JOIN customers USING (tenant)"),
    r("subquery-in-from", "SELECT s.note FROM (SELECT * FROM orders) AS s"),
    r("nested-subqueries", "SELECT x.note FROM (SELECT * FROM (SELECT * FROM orders) a) x"),
    r("scalar-subquery", "SELECT (SELECT max(note) FROM orders) AS n"),
    r(
        "correlated-subquery",
        "SELECT p.name, (SELECT count(*) FROM orders o WHERE o.id > p.id) AS n FROM products p",
    ),
    r(
        "exists",
        "SELECT name FROM products WHERE EXISTS (SELECT 1 FROM orders WHERE tenant <> 'acme')",
    ),
    r(
        "not-exists",
        "SELECT name FROM products WHERE NOT EXISTS (SELECT 1 FROM orders WHERE amount > 900)",
    ),
    r(
        "in-subquery",
        "SELECT name FROM products WHERE id IN (SELECT id FROM orders WHERE tenant <> 'acme')",
    ),
    r(
        "any-subquery",
        "SELECT name FROM products WHERE 900 < ANY (SELECT amount FROM orders)",
        engines=(PG, MY, DUCK),
    ),
    r(
        "lateral",
        "SELECT p.name, l.note FROM products p, LATERAL (SELECT note FROM orders "
        "WHERE orders.id > p.id) AS l",
        engines=(PG, MY, DUCK),
    ),
    r(
        "lateral-join",
        "SELECT p.name, l.note FROM products p CROSS JOIN LATERAL (SELECT note FROM orders) AS l",
        engines=(PG, DUCK),
    ),
    r("union", "SELECT note FROM orders UNION SELECT name FROM customers"),
    r("union-all-with-products", "SELECT name FROM products UNION ALL SELECT note FROM orders"),
    r("intersect", "SELECT tenant FROM orders INTERSECT SELECT tenant FROM customers"),
    r("except", "SELECT tenant FROM customers EXCEPT SELECT 'acme'"),
    r(
        "union-in-subquery",
        "SELECT * FROM (SELECT note FROM orders UNION ALL SELECT note FROM orders) u",
    ),
    r("cte", "WITH o AS (SELECT * FROM orders) SELECT note, tenant FROM o"),
    r("cte-chain", "WITH a AS (SELECT * FROM orders), b AS (SELECT * FROM a) SELECT note FROM b"),
    r(
        "recursive-cte-over-filtered",
        "WITH RECURSIVE r(id, note) AS (SELECT id, note FROM orders WHERE id = 1 UNION ALL "
        "SELECT o.id, o.note FROM orders o JOIN r ON o.id = r.id + 1) SELECT * FROM r",
    ),
    r("whole-row-reference", "SELECT o FROM orders o", engines=(PG, DUCK)),
    r("whole-row-to-json", "SELECT row_to_json(o) FROM orders o", engines=(PG,)),
    r("whole-row-table-name", "SELECT orders FROM orders", engines=(PG, DUCK)),
    r("star-of-alias", "SELECT c.* FROM customers c"),
    r("quoted-table", 'SELECT note FROM "orders"', engines=(PG, LITE, DUCK)),
    r("backtick-table", "SELECT note FROM `orders`", engines=(MY,)),
    r("schema-prefixed", "SELECT note, tenant FROM public.orders", engines=(PG,)),
    r("schema-prefixed-main", "SELECT note, tenant FROM main.orders", engines=(LITE, DUCK)),
    r(
        "database-prefixed",
        "SELECT note, tenant FROM $DATABASE_A.orders",
        engines=(MY,),
        differential=False,
    ),
    r("upper-case-table", "SELECT NOTE FROM ORDERS", engines=(PG, LITE, DUCK)),
    r(
        "window-over-filtered",
        "SELECT id, count(*) OVER () AS n, sum(amount) OVER () AS s FROM orders",
    ),
    r(
        "window-lag-lead",
        "SELECT id, lag(note) OVER (ORDER BY id) AS prev, "
        "lead(note) OVER (ORDER BY id) AS next FROM orders",
    ),
    r(
        "window-in-subquery-with-filter-outside",
        "SELECT * FROM (SELECT id, note, row_number() OVER (ORDER BY id) AS rn FROM orders) t "
        "WHERE rn > 0",
    ),
    r("group-by-tenant", "SELECT tenant, count(*), sum(amount) FROM orders GROUP BY tenant"),
    r(
        "rollup",
        "SELECT tenant, status, count(*) FROM orders GROUP BY ROLLUP (tenant, status)",
        engines=(PG, DUCK),
    ),
    r(
        "mariadb-with-rollup",
        "SELECT tenant, count(*) FROM orders GROUP BY tenant WITH ROLLUP",
        engines=(MY,),
    ),
    r(
        "cube",
        "SELECT tenant, status, count(*) FROM orders GROUP BY CUBE (tenant, status)",
        engines=(PG, DUCK),
    ),
    r(
        "grouping-sets",
        "SELECT tenant, count(*) FROM orders GROUP BY GROUPING SETS ((tenant), ())",
        engines=(PG, DUCK),
    ),
    r("having", "SELECT tenant FROM orders GROUP BY tenant HAVING sum(amount) > 0"),
    r(
        "distinct-on",
        "SELECT DISTINCT ON (tenant) tenant, note FROM orders ORDER BY tenant",
        engines=(PG, DUCK),
    ),
    r("aggregate-over-filtered", "SELECT count(*), sum(amount), max(note), min(id) FROM orders"),
    r("string-agg", "SELECT string_agg(note, ',') FROM orders", engines=(PG, DUCK)),
    r("group-concat", "SELECT group_concat(note) FROM orders", engines=(MY, LITE)),
    r("order-by-limit-offset", "SELECT note FROM orders ORDER BY amount DESC LIMIT 1 OFFSET 0"),
    r("limit-all", "SELECT note FROM orders LIMIT ALL", engines=(PG,)),
    r("fetch-first", "SELECT note FROM orders FETCH FIRST 100 ROWS ONLY", engines=(PG, DUCK)),
    r("or-true-widening", "SELECT note FROM orders WHERE 1 = 1 OR tenant <> 'acme'"),
    r("or-in-parentheses", "SELECT note FROM orders WHERE (tenant = 'x') OR (1 = 1)"),
    r("filter-on-tenant-column", "SELECT note FROM orders WHERE tenant <> 'acme'"),
    r(
        "values-join",
        "SELECT v.x, o.note FROM (VALUES (1), (2)) AS v(x) JOIN orders o ON o.id >= v.x",
        engines=(PG, DUCK),
    ),
    r("case-over-tenant", "SELECT CASE WHEN tenant = 'acme' THEN 'mine' ELSE note END FROM orders"),
    r("duckdb-positional-join", "SELECT * FROM products POSITIONAL JOIN orders", engines=(DUCK,)),
    r(
        "duckdb-asof-join",
        "SELECT o.note FROM products p ASOF JOIN orders o ON p.id >= o.id",
        engines=(DUCK,),
    ),
    r(
        "duckdb-qualify",
        "SELECT note FROM orders QUALIFY row_number() OVER () > 0",
        engines=(DUCK,),
    ),
    r("duckdb-pivot", "PIVOT orders ON tenant USING count(*)", engines=(DUCK,)),
    r(
        "duckdb-unpivot",
        "UNPIVOT (SELECT id, note FROM orders) ON note INTO NAME k VALUE v",
        engines=(DUCK,),
    ),
    r("duckdb-struct-of-row", "SELECT {'n': note} FROM orders", engines=(DUCK,)),
    r("duckdb-list-of-notes", "SELECT list(note) FROM orders", engines=(DUCK,)),
    r("sqlite-rowid", "SELECT rowid, note FROM orders", engines=(LITE,)),
    r(
        "sqlite-indexed-by",
        "SELECT note FROM orders INDEXED BY sqlite_autoindex_orders_1",
        engines=(LITE,),
    ),
    r("masked-column-selected", "SELECT email FROM customers"),
    r("masked-column-through-function", "SELECT upper(email) FROM customers"),
    r(
        "masked-column-through-concat",
        "SELECT name || email FROM customers",
        engines=(PG, LITE, DUCK),
    ),
    r("masked-column-through-cte", "WITH x AS (SELECT email AS e FROM customers) SELECT e FROM x"),
    r("masked-column-compared", "SELECT name FROM customers WHERE email LIKE 'zq%'"),
    r("masked-column-ordered", "SELECT name FROM customers ORDER BY email"),
    r("masked-column-grouped", "SELECT email, count(*) FROM customers GROUP BY email"),
    r("masked-column-min", "SELECT min(email) FROM customers"),
    r("masked-column-length", "SELECT length(email) FROM customers"),
    r("denied-column-in-where", "SELECT name FROM customers WHERE ssn IS NOT NULL"),
    r("denied-column-through-star-in-subquery", "SELECT * FROM (SELECT * FROM customers) x"),
    r("denied-column-in-order-by", "SELECT name FROM customers ORDER BY ssn"),
    r("denied-column-in-using", "SELECT * FROM customers a JOIN customers b USING (ssn)"),
]
