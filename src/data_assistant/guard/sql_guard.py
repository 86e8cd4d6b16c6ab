"""The SQL guard: one read-only query over allowed tables, capped in the dialect's own form.

Safety is decided on sqlglot's syntax tree, never on keywords in the text: the root must be a
query, no node anywhere may write, lock, run a statement or call a denied function, and every
real table must be allowed. Comments are dropped so that only what was checked reaches the
database (MySQL runs `/*! ... */` comments as code).
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from data_assistant.errors import GuardRejection
from data_assistant.guard import deny_lists
from data_assistant.guard.deny_lists import FunctionDenyList


@dataclass(frozen=True)
class GuardedQuery:
    """A validated query: its tree (author's own limit intact), the capped SQL, its tables."""

    expression: exp.Expression
    sql: str
    tables: frozenset[str]


@dataclass(frozen=True)
class DialectProfile:
    """What the guard needs to know about one dialect."""

    read: str  # the sqlglot dialect that parses and renders it
    functions: FunctionDenyList
    top: bool = False  # caps with TOP, or OFFSET ... FETCH, instead of LIMIT
    implicit_recursive_ctes: bool = False  # a CTE may name itself without RECURSIVE
    file_table_names: bool = False  # a table name that looks like a path reads that file
    lock_hints: frozenset[str] = frozenset()
    default_schema: str | None = None  # `schema.name` here is the same table as bare `name`


_MYSQL = DialectProfile(read="mysql", functions=deny_lists.MYSQL)

PROFILES: dict[str, DialectProfile] = {
    "sqlite": DialectProfile(
        read="sqlite",
        functions=deny_lists.SQLITE,
        implicit_recursive_ctes=True,
        default_schema="main",
    ),
    "postgres": DialectProfile(
        read="postgres", functions=deny_lists.POSTGRES, default_schema="public"
    ),
    "mysql": _MYSQL,
    "mariadb": _MYSQL,
    "tsql": DialectProfile(
        read="tsql",
        functions=deny_lists.TSQL,
        top=True,
        implicit_recursive_ctes=True,
        lock_hints=deny_lists.TSQL_LOCK_HINTS,
        default_schema="dbo",
    ),
    "duckdb": DialectProfile(
        read="duckdb", functions=deny_lists.DUCKDB, file_table_names=True, default_schema="main"
    ),
}

# Statement-like nodes that never belong in a read-only query, with the name shown in reasons.
# Looked up by name so that a sqlglot release lacking one of them still imports.
_STATEMENT_NAMES = {
    "Insert": "INSERT",
    "Update": "UPDATE",
    "Delete": "DELETE",
    "Merge": "MERGE",
    "Copy": "COPY",
    "Create": "CREATE",
    "Drop": "DROP",
    "Alter": "ALTER",
    "AlterSession": "ALTER SESSION",
    "TruncateTable": "TRUNCATE",
    "Comment": "COMMENT ON",
    "Into": "SELECT INTO",
    "Lock": "FOR UPDATE",
    "LockingStatement": "LOCKING",
    "Command": "COMMAND",
    "Pragma": "PRAGMA",
    "Attach": "ATTACH",
    "Detach": "DETACH",
    "Set": "SET",
    "Grant": "GRANT",
    "Revoke": "REVOKE",
    "Execute": "EXECUTE",
    "ExecuteSql": "EXECUTE",
    "StoredProcedure": "procedure",
    "Use": "USE",
    "Transaction": "BEGIN TRANSACTION",
    "Commit": "COMMIT",
    "Rollback": "ROLLBACK",
    "Kill": "KILL",
    "LoadData": "LOAD DATA",
    "Install": "INSTALL",
    "Analyze": "ANALYZE",
    "Describe": "DESCRIBE",
    "Show": "SHOW",
    "Summarize": "SUMMARIZE",
    "Declare": "DECLARE",
    "Cache": "CACHE",
    "Uncache": "UNCACHE",
    "Refresh": "REFRESH",
    "Export": "EXPORT",
    "Undrop": "UNDROP",
    "SwapTable": "SWAP",
    "Put": "PUT",
    "Get": "GET",
    "MultitableInserts": "INSERT",
    "ConditionalInsert": "INSERT",
    "Block": "procedural block",
    "IfBlock": "IF",
    "WhileBlock": "WHILE",
    "LoopBlock": "LOOP",
    "RepeatBlock": "REPEAT",
    "Return": "RETURN",
}
_STATEMENT_LABELS: dict[type[exp.Expression], str] = {
    cls: label
    for name, label in _STATEMENT_NAMES.items()
    if isinstance(cls := getattr(exp, name, None), type)
}
_DENIED_NODES = tuple(_STATEMENT_LABELS)
_ANONYMOUS_FUNCS = tuple(
    cls for cls in (exp.Anonymous, getattr(exp, "AnonymousAggFunc", None)) if cls is not None
)
_LIMIT_FREE_MODIFIERS = ("limit", "offset", "order")
_CAPPED_ALIAS = "_capped"


def validate_sql(
    sql: str,
    *,
    dialect: str,
    tables: Collection[str] | None = None,
    default_schema: str | None = None,
) -> exp.Expression:
    """Parse `sql` in `dialect` and return its tree if it is one safe read-only query.

    Raises GuardRejection with a one-sentence reason otherwise; `tables=None` skips the table
    check. `default_schema` is the schema bare names resolve in when a source sets its own
    (then `public.x` is another table than bare `x`).
    """
    return _validate(sql, _profile(dialect, default_schema), tables)[0]


def cap_rows(expression: exp.Expression, *, dialect: str, row_cap: int) -> exp.Expression:
    """A copy of the query `expression` returning at most `row_cap` rows, in the dialect's form."""
    profile = _profile(dialect)
    _check_cap_arguments(expression, row_cap)
    return _cap(expression.copy(), profile, row_cap)


def check_sql(
    sql: str,
    *,
    dialect: str,
    tables: Collection[str] | None = None,
    row_cap: int = 100,
    default_schema: str | None = None,
) -> GuardedQuery:
    """Validate `sql`, then render it with the row cap applied."""
    profile = _profile(dialect, default_schema)
    expression, names = _validate(sql, profile, tables)
    _check_cap_arguments(expression, row_cap)
    # One copy serves both the cap and the generator, which may rewrite the tree it renders.
    capped = _cap(expression.copy(), profile, row_cap)
    try:
        rendered = capped.sql(dialect=_dialect(profile.read), copy=False, comments=False)
    except RecursionError as exc:  # the generator recurses deeper than the parser did
        raise GuardRejection("The query is nested too deeply to check.", sql=sql) from exc
    return GuardedQuery(expression=expression, sql=rendered, tables=names)


def _profile(dialect: str, default_schema: str | None = None) -> DialectProfile:
    profile = PROFILES.get(dialect.lower().strip()) if isinstance(dialect, str) else None
    if profile is not None and default_schema is not None:
        return dataclasses.replace(profile, default_schema=default_schema.lower())
    if profile is None:
        close = difflib.get_close_matches(str(dialect).lower(), PROFILES, n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else f"use {', '.join(PROFILES)}."
        raise ValueError(f"Unknown SQL dialect {dialect!r}; {hint}")
    return profile


def _check_cap_arguments(expression: exp.Expression, row_cap: int) -> None:
    if isinstance(row_cap, bool) or not isinstance(row_cap, int) or row_cap < 1:
        raise ValueError(f"row_cap must be a positive integer, not {row_cap!r}.")
    if not isinstance(expression, (exp.Query, exp.Values)):
        raise ValueError(f"cap_rows needs a query, not {type(expression).__name__}.")


# --- validation ---------------------------------------------------------------------------


class _Kind(enum.Enum):
    OTHER = 0
    STATEMENT = 1
    FUNCTION = 2
    TABLE = 3
    TABLE_HINT = 4


# Node class -> kind, filled as classes are met: one dict look-up per node instead of a
# chain of isinstance checks against some fifty statement classes.
_KINDS: dict[type, _Kind] = {}


def _kind_of(cls: type) -> _Kind:
    if issubclass(cls, _DENIED_NODES):
        return _Kind.STATEMENT
    if issubclass(cls, exp.Func):
        return _Kind.FUNCTION
    if issubclass(cls, exp.Table):
        return _Kind.TABLE
    if issubclass(cls, exp.WithTableHint):
        return _Kind.TABLE_HINT
    return _Kind.OTHER


_POSITION_KEYS = frozenset({"line", "col", "start", "end"})


@functools.cache
def _dialect(name: str) -> Dialect:
    """One sqlglot Dialect per name: looking it up by name costs more than parsing a clause."""
    return Dialect.get_or_raise(name)


def _validate(
    sql: str, profile: DialectProfile, tables: Collection[str] | None
) -> tuple[exp.Expression, frozenset[str]]:
    root = _parse_one(sql, profile)
    if not isinstance(root, (exp.Query, exp.Values)):
        label = _root_label(root)
        raise GuardRejection(f"Only SELECT queries are allowed; found {label}.", sql=sql)
    allowed = None if tables is None else frozenset(name.lower() for name in tables)
    names: set[str] = set()
    for node in root.walk():
        node.comments = None
        # Token positions serve parse errors only, which are behind us; copying them made
        # up most of the cost of the copy that receives the row cap.
        meta = node._meta
        if meta:
            if meta.keys() <= _POSITION_KEYS:
                node._meta = None
            else:
                for key in _POSITION_KEYS:
                    meta.pop(key, None)
        kind = _KINDS.get(type(node))
        if kind is None:
            kind = _KINDS[type(node)] = _kind_of(type(node))
        if kind is _Kind.OTHER:
            continue
        if kind is _Kind.STATEMENT:
            raise GuardRejection(_denied_reason(node), sql=sql)
        if kind is _Kind.FUNCTION:
            name = _denied_function(node, profile.functions)
            if name is not None:
                raise GuardRejection(
                    f"Function '{name}' is not allowed in {profile.read} queries.", sql=sql
                )
        elif kind is _Kind.TABLE:
            _check_table(node, profile, allowed, names, sql)
        elif kind is _Kind.TABLE_HINT and profile.lock_hints:
            for hint in node.expressions:
                if isinstance(hint, exp.Var) and hint.name.lower() in profile.lock_hints:
                    raise GuardRejection(
                        f"Locking table hints are not allowed; found {hint.name.upper()}.", sql=sql
                    )
    return root, frozenset(names)


def _parse_one(sql: str, profile: DialectProfile) -> exp.Expression:
    if not isinstance(sql, str):
        raise GuardRejection("The query must be text.", sql=None)
    try:
        statements = sqlglot.parse(sql, read=_dialect(profile.read))
    except ParseError as exc:
        raise GuardRejection(_parse_error_reason(exc), sql=sql) from exc
    except TokenError as exc:
        detail = _one_line(str(exc)).rstrip(".")
        raise GuardRejection(f"The query could not be parsed: {detail}.", sql=sql) from exc
    except RecursionError as exc:
        raise GuardRejection("The query is nested too deeply to check.", sql=sql) from exc
    except Exception as exc:  # a parser bug on odd input must still fail closed
        raise GuardRejection("The query could not be parsed.", sql=sql) from exc
    # A trailing comment after the last semicolon parses as a bare Semicolon node.
    found = [s for s in statements if s is not None and not isinstance(s, exp.Semicolon)]
    if not found:
        raise GuardRejection("The query is empty.", sql=sql)
    if len(found) > 1:
        raise GuardRejection(
            f"Only one statement is allowed; found {len(found)} statements.", sql=sql
        )
    return found[0]


_TOKEN_REPR = re.compile(r"<Token token_type: [\w.]+, text: (.*?), line: \d+.*?>")


def _parse_error_reason(exc: ParseError) -> str:
    if not exc.errors:
        return f"The query could not be parsed: {_one_line(str(exc)).rstrip('.')}."
    error = exc.errors[0]
    description = _TOKEN_REPR.sub(
        lambda m: "the end of the query" if m.group(1) == "SENTINEL" else f"'{m.group(1)}'",
        str(error.get("description") or "syntax error"),
    )
    reason = f"The query could not be parsed: {_one_line(description).rstrip('.')}"
    highlight = _one_line(str(error.get("highlight") or ""))[:40]
    if highlight and highlight not in description:
        reason += f" near {highlight}" if highlight[0] in "'\"" else f" near '{highlight}'"
    if error.get("line") is not None:
        reason += f" at line {error['line']}, column {error.get('col')}"
    return reason + "."


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _root_label(root: exp.Expression) -> str:
    if isinstance(root, _DENIED_NODES):
        return _statement_label(root)
    # sqlglot reads unknown statements such as NOTIFY x or SHUTDOWN as bare expressions.
    word = next(root.find_all(exp.Identifier, bfs=False), None)
    return word.name.upper() if word is not None else f"a bare {root.key} expression"


def _statement_label(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Lock):
        return "FOR UPDATE" if node.args.get("update") else "FOR SHARE"
    if isinstance(node, (exp.Create, exp.Drop)) and node.args.get("kind"):
        return f"{_STATEMENT_LABELS[type(node)]} {str(node.args['kind']).upper()}"
    for cls in type(node).__mro__:
        if cls in _STATEMENT_LABELS:
            return _STATEMENT_LABELS[cls]
    return node.key.upper()


def _denied_reason(node: exp.Expression) -> str:
    label = _statement_label(node)
    if node.parent is None:
        return f"Only SELECT queries are allowed; found {label}."
    if isinstance(node, exp.Into):
        return "SELECT INTO is not allowed because it writes a table."
    if isinstance(node, exp.Lock):
        return f"Locking clauses are not allowed; found {label}."
    return f"Only read-only queries are allowed; found {label} inside the query."


def _denied_function(node: exp.Func, deny: FunctionDenyList) -> str | None:
    if isinstance(node, _ANONYMOUS_FUNCS):
        name = node.name.lower()
        return name if deny.denies(name) else None
    return next((name for name in _sql_names(type(node)) if deny.denies(name)), None)


@functools.cache
def _sql_names(cls: type[exp.Func]) -> tuple[str, ...]:
    return tuple(name.lower() for name in cls.sql_names())


def _check_table(
    node: exp.Table,
    profile: DialectProfile,
    allowed: frozenset[str] | None,
    names: set[str],
    sql: str,
) -> None:
    """Reject a table reference that is not an allowed real table; collect the real ones."""
    target = node.this
    # SQLite's INDEXED BY names an index; ROWS FROM and table functions are judged as functions.
    if node.arg_key == "indexed" or target is None or isinstance(target, exp.Func):
        return
    if not isinstance(target, exp.Identifier):
        raise GuardRejection(
            f"Table reference '{_one_line(node.sql(dialect=profile.read))}' "
            "is not a plain table name.",
            sql=sql,
        )
    name = target.name.lower()
    if target.args.get("temporary") or target.args.get("global_"):
        raise GuardRejection(f"Temporary table '#{name}' is not available in this source.", sql=sql)
    if profile.file_table_names and any(c in name for c in "./\\:*?"):
        raise GuardRejection(f"Reading files by name is not allowed; found '{name}'.", sql=sql)
    db, catalog = node.db.lower(), node.catalog.lower()
    if not db and not catalog and _is_cte_reference(node, name, profile.implicit_recursive_ctes):
        return
    qualified = ".".join(part for part in (catalog, db, name) if part)
    if allowed is not None and not _table_allowed(qualified, name, db, catalog, profile, allowed):
        raise GuardRejection(f"Table '{qualified}' is not available in this source.", sql=sql)
    names.add(qualified)


def _table_allowed(
    qualified: str,
    name: str,
    db: str,
    catalog: str,
    profile: DialectProfile,
    allowed: frozenset[str],
) -> bool:
    if qualified in allowed:
        return True
    if catalog or db not in ("", profile.default_schema):
        # `other.orders` is another table than `orders`: only its own entry allows it.
        return False
    default = profile.default_schema
    return name in allowed or (default is not None and f"{default}.{name}" in allowed)


def _is_cte_reference(table: exp.Table, name: str, implicit_recursive: bool) -> bool:
    """Whether an unqualified `name` resolves to a CTE in scope rather than a real table."""
    child, parent = table, table.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            # Inside a CTE body only earlier CTEs are visible, or all of them when recursive;
            # without RECURSIVE a CTE naming itself in PostgreSQL or MySQL reads the real table.
            recursive = implicit_recursive or bool(parent.args.get("recursive"))
            visible = parent.expressions if recursive else parent.expressions[: child.index]
            if any(cte.alias.lower() == name for cte in visible):
                return True
        elif isinstance(parent, exp.Query) and child.arg_key != "with_":
            with_ = parent.args.get("with_")
            if with_ is not None and any(cte.alias.lower() == name for cte in with_.expressions):
                return True
        child, parent = parent, parent.parent
    return False


# --- row cap ------------------------------------------------------------------------------


def _cap(query: exp.Expression, profile: DialectProfile, cap: int) -> exp.Expression:
    """Apply the cap to `query` in place where its own clause can carry it, else wrap it."""
    if isinstance(query, exp.Subquery) and not any(
        query.args.get(key) for key in _LIMIT_FREE_MODIFIERS
    ):
        inner = _cap(query.this, profile, cap)
        return query if inner is query.this else inner
    if isinstance(query, exp.Values):
        # A VALUES list is bounded by its own text: keeping the first rows is the cap.
        if len(query.expressions) > cap:
            query.set("expressions", query.expressions[:cap])
        return query

    limit = query.args.get("limit")
    if limit is not None:
        count, plain = _limit_count(limit)
        if count is not None and plain:
            if count > cap:
                limit.set("count" if isinstance(limit, exp.Fetch) else "expression", _n(cap))
            return query
        if not (isinstance(limit, exp.Limit) and _means_no_limit(limit.expression)):
            # A parameter, an expression, PERCENT or WITH TIES: keep it and cap outside.
            return _wrap(query, cap)

    if not profile.top:
        query.set("limit", exp.Limit(expression=_n(cap)))
        return query
    # T-SQL: TOP cannot share a query with OFFSET, nor sit on a set operation.
    has_order = query.args.get("order") is not None
    if query.args.get("offset") is not None or (isinstance(query, exp.SetOperation) and has_order):
        if query.args.get("offset") is None:
            query.set("offset", exp.Offset(expression=_n(0)))
        query.set("limit", exp.Fetch(direction="NEXT", count=_n(cap)))
        return query
    if isinstance(query, exp.Select):
        query.set("limit", exp.Limit(expression=_n(cap)))
        return query
    return _wrap(query, cap)


def _limit_count(limit: exp.Expression) -> tuple[int | None, bool]:
    """The literal row count of a LIMIT, TOP or FETCH (None if not a literal), and whether
    it is plain, i.e. without PERCENT or WITH TIES."""
    options = limit.args.get("limit_options")
    plain = options is None or not (options.args.get("percent") or options.args.get("with_ties"))
    if isinstance(limit, exp.Fetch):
        count = limit.args.get("count")
        if count is None:  # FETCH FIRST ROW ONLY
            return 1, plain
    elif isinstance(limit, exp.Limit):
        count = limit.expression
    else:
        return None, plain
    if isinstance(count, exp.Literal) and not count.is_string and count.this.isdigit():
        return int(count.this), plain
    return None, plain


def _means_no_limit(count: exp.Expression | None) -> bool:
    return isinstance(count, exp.Null) or (isinstance(count, exp.Var) and count.name == "ALL")


def _wrap(query: exp.Expression, cap: int) -> exp.Select:
    """SELECT * FROM (query) AS _capped with the cap, the query's WITH moved outside."""
    # T-SQL allows no WITH inside a derived table, and every dialect accepts it outside.
    with_ = query.args.get("with_")
    if with_ is not None:
        query.set("with_", None)
    derived = exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier(_CAPPED_ALIAS)))
    outer = exp.Select(
        expressions=[exp.Star()],
        from_=exp.From(this=derived),
        limit=exp.Limit(expression=_n(cap)),
    )
    if with_ is not None:
        outer.set("with_", with_)
    return outer


def _n(value: int) -> exp.Literal:
    return exp.Literal.number(value)
