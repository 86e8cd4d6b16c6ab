"""Every bound on the size and cost of a document query, in one place.

Query text and syntax tree, checked by the parser (a breach is a CosmosSyntaxError, 400):

    MAX_QUERY_LENGTH       characters of query text
    MAX_NESTING            parentheses, calls, subqueries and unary chains inside one another
    MAX_DEPTH              levels of the syntax tree (`a + b + c` is two levels of `+`)
    MAX_NODES              tokens of the text, and nodes of the syntax tree
    MAX_IN_ITEMS           items of one IN list
    MAX_JOINS              JOINs of one query (Cosmos DB's own default limit)

Work done and values built by the evaluator (a breach is a CosmosQueryError, 400):

    MAX_STRING_LENGTH      characters of a string the query builds (CONCAT, ||, REPLACE...)
    MAX_REPLICATE_LENGTH   REPLICATE's own limit: Cosmos DB gives undefined past it
    MAX_ARRAY_LENGTH       elements of an array the query builds (ARRAY_CONCAT, ARRAY(...)...)
    MAX_ROWS_HELD          rows held at once by GROUP BY, DISTINCT or a sort
    MAX_DOCUMENT_DEPTH     nesting of arrays and objects in a document (Cosmos DB's limit)
    MAX_GEOMETRY_POINTS    positions of one GeoJSON geometry (Cosmos DB's per-polygon limit)

Time: a `Budget` (cosmosql.budget) looks at the clock every CHECK_EVERY units of work (a
row, or an array or object walked), so one expensive document or value cannot run on
much past the source's `timeout_s`. Regular expressions run on RE2, in linear time.
"""

from __future__ import annotations

# Cosmos DB accepts 512 KB; a question's query is a few hundred characters. 64 KB and
# 16,000 terms hold a list of 2,000 values and keep a hostile parse well under a second.
MAX_QUERY_LENGTH = 64 * 1024
MAX_NESTING = 40
# Deep trees are walked recursively by the printer, the guard and the compiled closures;
# 100 levels keep them far from Python's recursion limit. AND / OR chains are built
# balanced, so 2,000 alternatives are only 11 levels deep.
MAX_DEPTH = 100
MAX_NODES = 16_000
MAX_IN_ITEMS = 2_000
MAX_JOINS = 10

MAX_STRING_LENGTH = 1_000_000
MAX_REPLICATE_LENGTH = 10_000
MAX_ARRAY_LENGTH = 100_000
MAX_ROWS_HELD = 1_000_000
MAX_DOCUMENT_DEPTH = 128
MAX_GEOMETRY_POINTS = 4_096

CHECK_EVERY = 256
