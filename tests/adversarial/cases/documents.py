"""The document engine (Cosmos DB query language on local containers), with a row filter by
tenant: filter reshaping, aliases, paths, parameters, functions and errors."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

DOCS = "documents"


def d(cls: str, name: str, query: str, **kw) -> Case:
    return case(cls, name, query, engines=DOCS, **kw)


CASES: list[Case] = [
    # Class 9: reshaping around the row filter.
    d("reshaping", "select-star", "SELECT * FROM c"),
    d("reshaping", "select-value-c", "SELECT VALUE c FROM c"),
    d("reshaping", "count", "SELECT VALUE COUNT(1) FROM c"),
    d("reshaping", "count-star-alias", "SELECT COUNT(1) AS n FROM c"),
    d("reshaping", "sum-of-priorities", "SELECT VALUE SUM(c.priority) FROM c"),
    d(
        "reshaping",
        "group-by-tenant",
        "SELECT c.tenantId, COUNT(1) AS n FROM c GROUP BY c.tenantId",
    ),
    d("reshaping", "distinct-status", "SELECT DISTINCT VALUE c.status FROM c"),
    d("reshaping", "or-true", "SELECT * FROM c WHERE true OR true"),
    d("reshaping", "not-tenant", "SELECT * FROM c WHERE c.tenantId != 'acme'"),
    d("reshaping", "not-operator", "SELECT * FROM c WHERE NOT (c.tenantId = 'acme')"),
    d("reshaping", "bracket-property", "SELECT * FROM c WHERE c['tenantId'] != 'acme'"),
    d("reshaping", "root-alias", "SELECT * FROM root r"),
    d("reshaping", "value-root", "SELECT VALUE root FROM root"),
    d("reshaping", "container-own-name", "SELECT * FROM tickets_a t", differential=False),
    d("reshaping", "other-granted-container", "SELECT * FROM tickets_b", differential=False),
    d("reshaping", "ungranted-container", "SELECT * FROM vault v"),
    d("reshaping", "path-alias-subdocument", "SELECT f FROM c.forwarded f"),
    d("reshaping", "path-alias-rebinds-c", "SELECT * FROM c.forwarded c"),
    d("reshaping", "in-iteration", "SELECT VALUE t FROM t IN c.tags"),
    d("reshaping", "join-array", "SELECT t FROM c JOIN t IN c.tags"),
    d(
        "reshaping",
        "join-then-filter-on-join-alias",
        "SELECT c.id, t FROM c JOIN t IN c.tags WHERE t = 'shipping' OR true",
    ),
    d(
        "reshaping",
        "subquery-in-select",
        "SELECT (SELECT VALUE COUNT(1) FROM x IN c.tags) AS n FROM c",
    ),
    d(
        "reshaping",
        "exists-subquery",
        "SELECT c.id FROM c WHERE EXISTS (SELECT VALUE t FROM t IN c.tags WHERE t = 'shipping')",
    ),
    d(
        "reshaping",
        "array-subquery",
        "SELECT c.id, ARRAY(SELECT VALUE t FROM t IN c.tags) AS tags FROM c",
    ),
    d("reshaping", "order-by-priority", "SELECT c.id, c.priority FROM c ORDER BY c.priority DESC"),
    d("reshaping", "top-huge", "SELECT TOP 1000000 * FROM c"),
    d("reshaping", "offset-limit-huge", "SELECT * FROM c OFFSET 0 LIMIT 1000000"),
    d("reshaping", "offset-past-visible", "SELECT * FROM c OFFSET 3 LIMIT 10"),
    d(
        "reshaping",
        "min-max-priority",
        "SELECT MIN(c.priority) AS lo, MAX(c.priority) AS hi FROM c",
    ),
    d("reshaping", "avg-priority", "SELECT VALUE AVG(c.priority) FROM c"),
    d("reshaping", "is-defined-forwarded", "SELECT * FROM c WHERE IS_DEFINED(c.forwarded)"),
    d("reshaping", "system-properties", "SELECT c._rid, c._ts, c._self, c._etag FROM c"),
    d("reshaping", "object-construction", "SELECT {'t': c.tenantId, 's': c.subject} AS o FROM c"),
    d(
        "reshaping",
        "ternary-over-tenant",
        "SELECT VALUE (c.tenantId = 'acme' ? c.id : c.subject) FROM c",
    ),
    d("reshaping", "coalesce-over-tenant", "SELECT VALUE (c.missing ?? c.subject) FROM c"),
    # Class 10: parameters and comments.
    d("novel", "trailing-line-comment", "SELECT * FROM c WHERE c.tenantId = 'acme' --"),
    d("novel", "comment-before-where", "SELECT * FROM c -- WHERE c.tenantId = 'acme'"),
    d("novel", "own-parameter-p0", "SELECT * FROM c WHERE c.tenantId = @p0"),
    d("novel", "filter-parameter-name", "SELECT * FROM c WHERE c.tenantId != @claim0"),
    d("novel", "claims-parameter", "SELECT * FROM c WHERE c.tenantId = @claims.tenant OR true"),
    d(
        "novel",
        "claim-injection-quote",
        "SELECT * FROM c",
        claims={"tenant": "acme' OR true OR 'x'='x"},
    ),
    d("novel", "claim-as-list", "SELECT * FROM c", claims={"tenant": ["acme", "x"]}),
    d("novel", "claim-as-object", "SELECT * FROM c", claims={"tenant": {"a": 1}}),
    d("novel", "claim-missing", "SELECT * FROM c", claims={"tenant": None}),
    d("novel", "unicode-escape-in-string", "SELECT * FROM c WHERE c.tenantId = '\\u0061cme'"),
    d("novel", "nul-in-string", "SELECT * FROM c WHERE c.subject = 'a\u0000b'"),
    d("novel", "fullwidth-keyword", "\uff33\uff25\uff2c\uff25\uff23\uff34 * FROM c"),
    d("novel", "two-statements", "SELECT * FROM c; SELECT * FROM c"),
    d("novel", "udf-call", "SELECT udf.leak(c) FROM c"),
    # Class 3: errors raised only by hidden documents.
    d(
        "errors",
        "regex-from-hidden-document",
        "SELECT * FROM c WHERE c.id = 'h1' AND RegexMatch('a', c.regex)",
    ),
    d("errors", "regex-from-any-document", "SELECT * FROM c WHERE RegexMatch('a', c.regex)"),
    d(
        "errors",
        "string-to-number-of-hidden",
        "SELECT * FROM c WHERE StringToNumber(c.subject) > 0",
    ),
    d("errors", "division-on-hidden-priority", "SELECT * FROM c WHERE 1 / (c.priority - 10) > 0"),
    d("errors", "array-index-error", "SELECT VALUE c.tags[100] FROM c"),
    d("errors", "string-function-on-number", "SELECT VALUE UPPER(c.priority) FROM c"),
    d("errors", "regex-invalid-pattern-constant", "SELECT VALUE RegexMatch(c.subject, '[') FROM c"),
]
