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
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from data_assistant.errors import Forbidden, GuardRejection

POLICY_ALIAS = "_rp"
PARAM_PREFIX = "p_"
CLAIMS = "claims"
# Where a CTE may name itself without RECURSIVE (as in the SQL guard).
_IMPLICIT_RECURSIVE = frozenset({"sqlite", "tsql"})
# Dialects whose databases compare every identifier without case (the rest are matched
# exactly unless unquoted in PostgreSQL, which folds to lower case).
_CASE_INSENSITIVE = frozenset({"sqlite", "duckdb"})
# Arguments of a table reference that belong outside the derived table.
_OUTER_ARGS = ("joins", "pivots", "laterals")
ClaimPath = tuple[str, ...]
_POSITION_KEYS = ("line", "col", "start", "end")
_MYSQL_NO_LIMIT = "18446744073709551615"  # MySQL's own idiom for "no limit"


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


@functools.lru_cache(maxsize=256)
def compile_predicate(text: str, dialect: str) -> RowPredicate:
    """Parse a policy condition once; ValueError names what is wrong with it."""
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
    dialect: str,
    policies: Mapping[str, str | RowPredicate],
    claims: Mapping[str, Any],
    copy: bool = True,
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
    return apply_table_rules(expression, dialect=dialect, rules=rules, claims=claims, copy=copy)


def apply_table_rules(
    expression: exp.Expression,
    *,
    dialect: str,
    rules: Mapping[str, TableRule],
    claims: Mapping[str, Any],
    copy: bool = True,
    barrier: bool = False,
) -> tuple[exp.Expression, dict[str, Any]]:
    """Rewrite each real reference to a table in `rules`; returns the tree and its params.

    `barrier` makes each derived table an optimisation fence where the dialect has one
    (PostgreSQL, SQLite, MySQL), so the database applies the policy before the query's own
    conditions: a condition that raises an error on some value then never sees a hidden
    row, and its error cannot tell that such a row exists. It costs the push-down of the
    query's conditions into the scan.
    """
    tree = expression.copy() if copy else expression
    keys = {_policy_key(name): name for name in rules}
    targets = [
        (table, [keys[k] for k in matched])
        for table in real_table_refs(tree, dialect=dialect)
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
            _fence(select, dialect)
    return tree, params


def real_table_refs(expression: exp.Expression, *, dialect: str) -> list[exp.Table]:
    """Every reference in `expression` that reads a real table (not a CTE, not a function)."""
    found = []
    for table in expression.find_all(exp.Table):
        target = table.this
        if table.arg_key == "indexed" or not isinstance(target, exp.Identifier):
            continue
        unqualified = not table.args.get("db") and not table.args.get("catalog")
        if unqualified and _is_cte_reference(table, _identifier_key(target, dialect), dialect):
            continue
        found.append(table)
    return found


def matching_keys(table: exp.Table, keys: Mapping[tuple[str | None, str], str]) -> list:
    """The policy keys a reference may point at; doubtful cases match (over-filter, not leak)."""
    name, db = table.name.lower(), table.text("db").lower()
    return [key for key in keys if key[1] == name and (key[0] is None or not db or key[0] == db)]


def reference_key(table: exp.Table) -> str:
    """The name a reference is known by in its query: its alias, else its table name."""
    return table.alias_or_name.lower()


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


def _fence(select: exp.Select, dialect: str) -> None:
    """LIMIT/OFFSET that changes no rows but keeps the planner from merging the subquery."""
    if dialect == "postgres":
        select.set("offset", exp.Offset(expression=exp.Literal.number(0)))
    elif dialect == "sqlite":
        select.set("limit", exp.Limit(expression=exp.Neg(this=exp.Literal.number(1))))
        select.set("offset", exp.Offset(expression=exp.Literal.number(0)))
    elif dialect in ("mysql", "mariadb"):
        select.set("limit", exp.Limit(expression=exp.Literal.number(_MYSQL_NO_LIMIT)))


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
    out = []
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


def _policy_key(name: str) -> tuple[str | None, str]:
    db, _, table = name.lower().rpartition(".")
    return (db or None, table)


def _identifier_key(identifier: exp.Identifier, dialect: str) -> str:
    name = identifier.name
    if dialect in _CASE_INSENSITIVE or (dialect == "postgres" and not identifier.quoted):
        return name.lower()
    return name


def _is_cte_reference(table: exp.Table, key: str, dialect: str) -> bool:
    """Whether an unqualified reference resolves to a CTE in scope rather than a real table.

    When unsure it answers no: filtering a CTE's rows again is harmless, missing a real
    table is not. A CTE body sees the CTEs before it, and itself when recursive.
    """
    child, parent = table, table.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            recursive = dialect in _IMPLICIT_RECURSIVE or bool(parent.args.get("recursive"))
            index = child.index or 0
            visible = parent.expressions[: index + 1 if recursive else index]
            if any(_cte_key(cte, dialect) == key for cte in visible):
                return True
        elif child.arg_key != "with_":
            with_ = parent.args.get("with_")
            if isinstance(with_, exp.With) and any(
                _cte_key(cte, dialect) == key for cte in with_.expressions
            ):
                return True
        child, parent = parent, parent.parent
    return False


def _cte_key(cte: exp.Expression, dialect: str) -> str | None:
    alias = cte.args.get("alias")
    ident = alias.this if isinstance(alias, exp.TableAlias) else None
    return _identifier_key(ident, dialect) if isinstance(ident, exp.Identifier) else None
