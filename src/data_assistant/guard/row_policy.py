"""Row policies: every reference to a protected table becomes a filtered derived table.

`FROM orders AS o` turns into `FROM (SELECT * FROM orders AS _rp WHERE _rp.region = :p_0)
AS o`, wherever the reference sits: joins, subqueries, CTE bodies, set operations, any
quoting or schema prefix. The rest of the query is left as written, so `SELECT *`, aliases
and the author's own conditions keep their meaning over the rows the policy lets through.
Only the outer WHERE could widen a filter, and it never sees the inner one.

Claim values are bound parameters (`:p_0`, rendered the same in every dialect so that
SQLAlchemy `text()` binds them); a missing claim raises Forbidden and never widens.

The same rewrite carries column policies: the derived table may list only some columns,
or a mask in place of one (see guard/column_policy.py).

Each derived table is fenced by default: the engine applies the policy's filter before
any condition of the query can see a row (PostgreSQL's security_barrier; elsewhere a form
the engine's optimiser does not push conditions through), so an error raised by the
query's own condition can never be caused by, nor tell of, a hidden row.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from data_assistant import engines
from data_assistant.engines import Engine
from data_assistant.errors import Forbidden, GuardRejection
from data_assistant.guard.names import (
    matching_keys,
    policy_key,
    real_table_refs,
)

POLICY_ALIAS = "_rp"
PARAM_PREFIX = "p_"
CLAIMS = "claims"
# Arguments of a table reference that belong outside the derived table.
_OUTER_ARGS = ("joins", "pivots", "laterals")
ClaimPath = tuple[str, ...]
_POSITION_KEYS = ("line", "col", "start", "end")


@dataclass(frozen=True)
class RowPredicate:
    """A parsed policy condition and the claims it reads."""

    text: str
    template: exp.Expression
    claims: tuple[ClaimPath, ...]


@dataclass(frozen=True)
class TableRule:
    """What a protected table turns into: a row filter and/or an explicit select list."""

    predicate: RowPredicate | None = None
    projection: tuple[exp.Expression, ...] | None = None


def compile_predicate(text: str, dialect: str | Engine) -> RowPredicate:
    """Parse a policy condition once; ValueError names what is wrong with it."""
    return _compile_predicate(text, engines.get(dialect).sqlglot_dialect)


@functools.lru_cache(maxsize=256)
def _compile_predicate(text: str, dialect: str) -> RowPredicate:
    try:
        statements = sqlglot.parse(f"SELECT 1 WHERE ({text})", read=dialect)
    except (ParseError, TokenError) as exc:
        raise ValueError(f"cannot parse the row policy {text!r}: {exc}") from None
    root = statements[0] if len(statements) == 1 else None
    where = root.args.get("where") if isinstance(root, exp.Select) else None
    extra = {k for k, v in root.args.items() if v} - {"expressions", "where"} if root else set()
    if where is None or root is None or extra:
        raise ValueError(f"the row policy {text!r} must be one condition")
    for node in root.walk():
        if isinstance(node, (exp.DML, exp.DDL, exp.Command)):
            raise ValueError(f"the row policy {text!r} must only read")
    template = where.this
    if isinstance(template, exp.Paren):
        template = template.this
    template = _strip_positions(template.copy())
    paths = []
    for placeholder in list(template.find_all(exp.Placeholder)):
        node, path = _claim_chain(placeholder)
        if not path:
            raise ValueError(f"the row policy {text!r} may use only :claims.<name> placeholders")
        paths.append(path)
    for column in _own_columns(template):
        if column.table:
            raise ValueError(
                f"the row policy {text!r} must name the table's columns without a prefix"
            )
    return RowPredicate(text=text, template=template, claims=tuple(dict.fromkeys(paths)))


def predicate_columns(predicate: RowPredicate) -> set[str]:
    """The table's own columns a condition reads (lower-cased), to check against the schema."""
    return {column.name.lower() for column in _own_columns(predicate.template)}


def apply_row_policies(
    expression: exp.Expression,
    *,
    dialect: str | Engine,
    policies: Mapping[str, str | RowPredicate],
    claims: Mapping[str, Any],
    copy: bool = True,
    barrier: bool = True,
) -> tuple[exp.Expression, dict[str, Any]]:
    """A copy of `expression` with every protected table filtered, and the values to bind.

    `policies` maps a table name (`orders` or `schema.orders`) to a condition such as
    `region = :claims.region`. `copy=False` rewrites `expression` itself (faster).
    """
    rules = {
        table: TableRule(
            predicate=p if isinstance(p, RowPredicate) else compile_predicate(p, dialect)
        )
        for table, p in policies.items()
    }
    return apply_table_rules(
        expression, dialect=dialect, rules=rules, claims=claims, copy=copy, barrier=barrier
    )


def apply_table_rules(
    expression: exp.Expression,
    *,
    dialect: str | Engine,
    rules: Mapping[str, TableRule],
    claims: Mapping[str, Any],
    copy: bool = True,
    barrier: bool = True,
) -> tuple[exp.Expression, dict[str, Any]]:
    """Rewrite each real reference to a table in `rules`; returns the tree and its params.

    `barrier` (the default) makes each derived table the engine's optimisation fence, so
    the database applies the policy before the query's own conditions: a condition that
    raises an error on some value then never sees a hidden row, and its error cannot tell
    that such a row exists. It costs the push-down of the query's conditions into the
    scan; `barrier=False` is the explicit opt-out.
    """
    engine = engines.get(dialect)
    tree = expression.copy() if copy else expression
    keys = {policy_key(name): name for name in rules}
    targets = [
        (table, [keys[k] for k in matched])
        for table in real_table_refs(tree, dialect=engine)
        if (matched := matching_keys(table, keys))
    ]
    params: dict[str, Any] = {}
    if not targets:
        return tree, params
    if tree.find(exp.Placeholder) is not None:
        # Only the policy binds parameters; a query's own would be bound to claim values.
        raise GuardRejection("Query parameters are not allowed.", sql=None)
    bound: dict[ClaimPath, exp.Expression | list[exp.Expression]] = {}
    for table, names in targets:
        select = _wrap(tree, table, [rules[n] for n in names], names, claims, params, bound)
        if barrier:
            engine.fence(select)
    return tree, params


# --- rewriting ----------------------------------------------------------------------------


def _wrap(
    tree: exp.Expression,
    table: exp.Table,
    rules: Sequence[TableRule],
    names: Sequence[str],
    claims: Mapping[str, Any],
    params: dict[str, Any],
    bound: dict[ClaimPath, Any],
) -> exp.Select:
    """Replace `table` by a derived table over it; returns the derived table's SELECT."""
    conditions = [
        _instantiate(rule.predicate, name, claims, params, bound)
        for rule, name in zip(rules, names, strict=True)
        if rule.predicate is not None
    ]
    projections = [rule.projection for rule in rules if rule.projection is not None]
    projection = projections[0] if projections else (exp.Star(),)

    # The reference itself becomes the derived table's FROM: moved, not copied, since
    # copying parsed nodes (with their source positions) is most of a rewrite's cost.
    alias = table.args.get("alias")
    outer = {arg: table.args.get(arg) for arg in _OUTER_ARGS if table.args.get(arg)}
    db = table.text("db").lower()
    derived = exp.Subquery(
        alias=alias or exp.TableAlias(this=_fresh_identifier(table.this)), **outer
    )
    table.replace(derived)
    for arg in ("alias", *_OUTER_ARGS):
        table.set(arg, None)
    table.set("alias", exp.TableAlias(this=exp.to_identifier(POLICY_ALIAS)))
    select = exp.Select(expressions=[p.copy() for p in projection])
    select.set("from_", exp.From(this=table))
    if conditions:
        select.set("where", exp.Where(this=exp.and_(*conditions, copy=False)))
    derived.set("this", select)
    if alias is None and db:
        _unqualify_columns(tree, table.name.lower(), db)
    return select


def _unqualify_columns(tree: exp.Expression, name: str, db: str) -> None:
    """`main.orders.id` -> `orders.id`: the derived table answers to its bare name only."""
    for column in tree.find_all(exp.Column):
        if column.table.lower() == name and column.text("db").lower() == db:
            column.set("db", None)
            column.set("catalog", None)


def _instantiate(
    predicate: RowPredicate,
    table: str,
    claims: Mapping[str, Any],
    params: dict[str, Any],
    bound: dict[ClaimPath, Any],
) -> exp.Expression:
    condition = predicate.template.copy()
    for column in _own_columns(condition):
        column.set("table", exp.to_identifier(POLICY_ALIAS))
    for placeholder in list(condition.find_all(exp.Placeholder)):
        node, path = _claim_chain(placeholder)
        value = bound.get(path)
        if value is None:
            value = bound[path] = _bind(path, claims, params, table)
        if isinstance(value, list):
            parent = node.parent
            if not isinstance(parent, exp.In) or node.arg_key != "expressions":
                raise Forbidden(
                    f"The claim '{'.'.join(path)}' holds a list, which the row policy on "
                    f"table '{table}' cannot compare; use it in IN (...)."
                )
            index = node.index or 0
            items = list(parent.expressions)
            items[index : index + 1] = [v.copy() for v in value]
            parent.set("expressions", items)
        else:
            node.replace(value.copy())
    return condition


def _bind(
    path: ClaimPath, claims: Mapping[str, Any], params: dict[str, Any], table: str
) -> exp.Expression | list[exp.Expression]:
    value: Any = claims
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    label = ".".join(path)
    if value is None or (isinstance(value, (list, tuple)) and not value):
        raise Forbidden(
            f"Table '{table}' is filtered by the claim '{label}', which your credentials do "
            "not carry."
        )
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    out: list[exp.Expression] = []
    for item in values:
        if isinstance(item, (Mapping, list, tuple, bytes)) or item is None:
            raise Forbidden(f"The claim '{label}' is not a plain value a row policy can use.")
        name = f"{PARAM_PREFIX}{len(params)}"
        params[name] = item
        # A Var renders verbatim: `:p_0` in every dialect, which SQLAlchemy text() binds.
        # (exp.Placeholder would render as %(p_0)s in PostgreSQL and $p_0 in DuckDB.)
        out.append(exp.Var(this=f":{name}"))
    return out if isinstance(value, (list, tuple)) else out[0]


# --- helpers ------------------------------------------------------------------------------


def _fresh_identifier(identifier: exp.Identifier) -> exp.Identifier:
    return exp.Identifier(this=identifier.this, quoted=identifier.quoted)


def _strip_positions(tree: exp.Expression) -> exp.Expression:
    """Drop the parser's source positions, which every later copy would copy too."""
    for node in tree.walk():
        meta = node._meta
        if meta:
            for key in _POSITION_KEYS:
                meta.pop(key, None)
            if not meta:
                node._meta = None
    return tree


def _claim_chain(placeholder: exp.Placeholder) -> tuple[exp.Expression, ClaimPath]:
    """The outermost node of `:claims.a.b` and its path ('a', 'b'); an empty path if not one."""
    if placeholder.name != CLAIMS or placeholder.args.get("kind"):
        return placeholder, ()
    node: exp.Expression = placeholder
    path: list[str] = []
    while isinstance(node.parent, exp.Dot) and node.arg_key == "this":
        node = node.parent
        part = node.expression
        if not isinstance(part, exp.Identifier):
            return placeholder, ()
        path.append(part.name)
    return node, tuple(path)


def _own_columns(condition: exp.Expression) -> Iterable[exp.Column]:
    """Columns of the condition itself, not of subqueries inside it."""
    for column in list(condition.find_all(exp.Column)):
        if not _inside_query(column, condition):
            yield column


def _inside_query(node: exp.Expression, stop: exp.Expression) -> bool:
    parent = node.parent
    while parent is not None and parent is not stop:
        if isinstance(parent, exp.Query):
            return True
        parent = parent.parent
    return False
