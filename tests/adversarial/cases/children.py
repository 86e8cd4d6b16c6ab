"""Class 4: children of filtered tables — partitions, inheritance children, views and
materialized views over them. Each must carry the parent's rule or be closed."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "children"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"

CASES: list[Case] = [
    case(C, "partition-of-filtered-table", "SELECT * FROM payments_2024", engines=(PG,)),
    case(C, "second-partition", "SELECT memo, tenant FROM payments_2025", engines=(PG,)),
    case(
        C,
        "partition-in-a-join",
        "SELECT p.memo FROM payments AS x JOIN payments_2024 AS p ON p.id <> x.id",
        engines=(PG,),
    ),
    case(C, "partition-count", "SELECT count(*) FROM payments_2024", engines=(PG,)),
    case(
        C,
        "schema-qualified-partition",
        "SELECT memo FROM public.payments_2025",
        engines=(PG,),
    ),
    case(C, "inheritance-child", "SELECT * FROM orders_archive", engines=(PG,)),
    case(
        C,
        "inheritance-child-in-subquery",
        "SELECT id FROM products WHERE EXISTS (SELECT 1 FROM orders_archive "
        "WHERE tenant <> 'acme')",
        engines=(PG,),
    ),
    case(C, "only-parent-keeps-filter", "SELECT note, tenant FROM ONLY orders", engines=(PG,)),
    case(C, "parent-with-star-keeps-filter", "SELECT note, tenant FROM orders*", engines=(PG,)),
    case(
        C,
        "tableoid-of-parent-rows",
        "SELECT tableoid::regclass::text, note FROM orders",
        engines=(PG,),
        refused=True,
        differential=False,
    ),
    case(C, "parent-filtered-includes-children", "SELECT note, tenant FROM orders"),
    case(C, "partitioned-parent-filtered", "SELECT memo, tenant FROM payments"),
    case(C, "materialized-view-over-filtered-table", "SELECT * FROM order_summary", engines=(PG,)),
    case(C, "view-over-filtered-table", "SELECT * FROM big_orders"),
    case(C, "view-exposing-denied-and-masked-columns", "SELECT * FROM customer_emails"),
    case(
        C, "view-in-a-subquery", "SELECT name FROM products WHERE id IN (SELECT id FROM big_orders)"
    ),
    case(C, "view-in-a-cte", "WITH b AS (SELECT * FROM big_orders) SELECT note FROM b"),
    case(C, "allowed-view-answers", "SELECT * FROM product_list"),
    case(
        C,
        "mariadb-partition-selection",
        "SELECT memo, tenant FROM payments PARTITION (p2024)",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-partition-selection-both",
        "SELECT memo FROM payments PARTITION (p2024, p2025) WHERE tenant <> 'acme'",
        engines=(MY,),
    ),
]
