"""The SQL guard: one read-only query over allowed tables, capped in the engine's own form.

Safety is decided on sqlglot's syntax tree, never on keywords in the text: the root must be a
query; no node anywhere may write, lock, run a statement, read a system variable or call a
function the engine's allow-list does not hold (engines/functions.py); every real table
must be allowed, and system catalogs are closed unless listed. Names are resolved by the
engine's own identifier rules, in the one place the policies use too (guard/names.py).
Forms sqlglot cannot represent faithfully (PostgreSQL `U&"..."` names, odd dollar quoting)
are refused rather than re-rendered, and so are products of three or more unjoined tables
and recursive CTEs that nothing stops. Comments are dropped so that only what was checked
reaches the database (MySQL runs `/*! ... */` comments as code).
"""

from __future__ import annotations

import difflib
import enum
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import cast

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token

from data_assistant import engines
from data_assistant.engines import Engine
from data_assistant.engines.functions import FunctionAllowList, function_label
from data_assistant.errors import GuardRejection
from data_assistant.guard.faithful import RARE_NODES, check_faithful
from data_assistant.guard.names import TableRef, resolve
from data_assistant.guard.row_cap import cap
from data_assistant.guard.shapes import check_products, check_recursion


@dataclass(frozen=True)
class GuardedQuery:
    """A validated query: its tree (author's own limit intact), the capped SQL, its tables."""

    expression: exp.Expr
    sql: str
    tables: frozenset[str]


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
_STATEMENT_LABELS: dict[type[exp.Expr], str] = {
    cls: label
    for name, label in _STATEMENT_NAMES.items()
    if isinstance(cls := getattr(exp, name, None), type)
}
_DENIED_NODES = tuple(_STATEMENT_LABELS)
_CATALOG_REASON = "is a system catalog, which is not available in this source"


def validate_sql(
    sql: str,
    *,
    dialect: str | Engine,
    tables: Collection[str] | None = None,
    default_schema: str | None = None,
    allowed_functions: Iterable[str] = (),
) -> exp.Expression:
    """Parse `sql` for the engine `dialect` and return its tree if it is one safe read-only query.

    Raises GuardRejection with a one-sentence reason otherwise. `tables` are the allowed
    tables as the catalog names them (`name` or `schema.name`); None skips that check but
    still closes the system catalogs. `default_schema` is the schema bare names resolve in
    when a source sets its own (then `public.x` is another table than bare `x`);
    `allowed_functions` are functions a source opted in beyond the engine's allow-list.
    """
    rules = _rules(dialect, tables, default_schema, allowed_functions)
    return _validate(sql, rules)[0]


def cap_rows(expression: exp.Expression, *, dialect: str | Engine, row_cap: int) -> exp.Expression:
    """A copy of the query `expression` returning at most `row_cap` rows, in the engine's form."""
    engine = engines.get(dialect)
    _check_cap_arguments(expression, row_cap)
    return cast(exp.Expression, cap(expression.copy(), engine, row_cap))


def check_sql(
    sql: str,
    *,
    dialect: str | Engine,
    tables: Collection[str] | None = None,
    row_cap: int = 100,
    default_schema: str | None = None,
    allowed_functions: Iterable[str] = (),
) -> GuardedQuery:
    """Validate `sql`, then render it with the row cap applied."""
    rules = _rules(dialect, tables, default_schema, allowed_functions)
    expression, names = _validate(sql, rules)
    _check_cap_arguments(expression, row_cap)
    # One copy serves both the cap and the generator, which may rewrite the tree it renders.
    capped = cap(expression.copy(), rules.engine, row_cap)
    try:
        rendered = capped.sql(dialect=rules.engine.dialect, copy=False, comments=False)
    except RecursionError as exc:  # the generator recurses deeper than the parser did
        raise GuardRejection("The query is nested too deeply to check.", sql=sql) from exc
    return GuardedQuery(expression=expression, sql=rendered, tables=names)


def _check_cap_arguments(expression: exp.Expr, row_cap: int) -> None:
    if isinstance(row_cap, bool) or not isinstance(row_cap, int) or row_cap < 1:
        raise ValueError(f"row_cap must be a positive integer, not {row_cap!r}.")
    if not isinstance(expression, (exp.Query, exp.Values)):
        raise ValueError(f"cap_rows needs a query, not {type(expression).__name__}.")


# --- what one check allows ----------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    engine: Engine
    functions: FunctionAllowList
    allowed: frozenset[tuple[str, ...]] | None  # keys of allowed tables, None: no list
    names: tuple[str, ...]  # the allowed tables as configured, for suggestions
    default_schema: str | None  # its key


def _rules(
    dialect: str | Engine,
    tables: Collection[str] | None,
    default_schema: str | None,
    allowed_functions: Iterable[str],
) -> _Rules:
    return _cached_rules(
        engines.get(dialect),
        None if tables is None else frozenset(tables),
        default_schema,
        frozenset(allowed_functions),
    )


@functools.lru_cache(maxsize=256)
def _cached_rules(
    engine: Engine,
    tables: frozenset[str] | None,
    default_schema: str | None,
    allowed_functions: frozenset[str],
) -> _Rules:
    default = engine.default_schema_for(default_schema)
    allowed = None
    if tables is not None:
        allowed = frozenset(
            tuple(engine.stored_key(part) for part in name.split(".")) for name in tables
        )
    functions = engine.functions
    if allowed_functions:
        functions = functions.extended(engine.dialect, allowed_functions)
    return _Rules(
        engine=engine,
        functions=functions,
        allowed=allowed,
        names=tuple(sorted(tables or ())),
        default_schema=engine.stored_key(default) if default else None,
    )


# --- validation ---------------------------------------------------------------------------


class _Kind(enum.Enum):
    OTHER = 0
    STATEMENT = 1
    FUNCTION = 2
    TABLE = 3
    TABLE_HINT = 4
    SYSTEM_VARIABLE = 5
    PARAMETER = 6
    DATA_TYPE = 7
    CATALOG_TYPE = 8
    SELECT = 9
    WITH = 10
    QUERY_OPTION = 11
    OPERATOR = 12
    RARE = 13


# Node class -> kind, filled as classes are met: one dict look-up per node instead of a
# chain of isinstance checks against some fifty statement classes.
_KINDS: dict[type, _Kind] = {}


def _kind_of(cls: type) -> _Kind:
    checks = (
        (_DENIED_NODES, _Kind.STATEMENT),
        (exp.SessionParameter, _Kind.SYSTEM_VARIABLE),
        (exp.Parameter, _Kind.PARAMETER),
        (RARE_NODES, _Kind.RARE),
        (exp.Func, _Kind.FUNCTION),
        (exp.Table, _Kind.TABLE),
        (exp.WithTableHint, _Kind.TABLE_HINT),
        (exp.ObjectIdentifier, _Kind.CATALOG_TYPE),
        (exp.DataType, _Kind.DATA_TYPE),
        (exp.Select, _Kind.SELECT),
        (exp.With, _Kind.WITH),
        (exp.QueryOption, _Kind.QUERY_OPTION),
        (exp.Operator, _Kind.OPERATOR),
    )
    return next((kind for classes, kind in checks if issubclass(cls, classes)), _Kind.OTHER)


_POSITION_KEYS = frozenset({"line", "col", "start", "end"})
# A function under one of these may be a schema's own (`audit.purge(1)`, `FROM sys.f()`).
_QUALIFYING = (exp.Dot, exp.Table)


def _validate(sql: str, rules: _Rules) -> tuple[exp.Expression, frozenset[str]]:
    try:
        return _checked(sql, rules)
    except GuardRejection:
        raise
    except RecursionError as exc:
        raise GuardRejection("The query is nested too deeply to check.", sql=sql) from exc
    except Exception as exc:  # a bug on odd input must still fail closed, never pass
        raise GuardRejection("The query could not be checked.", sql=sql) from exc


def _checked(sql: str, rules: _Rules) -> tuple[exp.Expression, frozenset[str]]:
    engine = rules.engine
    root, tokens = _parse_one(sql, engine)
    if not isinstance(root, (exp.Query, exp.Values)):
        label = _root_label(root)
        raise GuardRejection(f"Only SELECT queries are allowed; found {label}.", sql=sql)
    names: set[str] = set()
    selects: list[exp.Select] = []
    withs: list[exp.With] = []
    rare = False
    typed = rules.functions.typed
    for node in root.walk():
        node.comments = None
        kind = _KINDS.get(type(node))
        if kind is None:
            kind = _KINDS[type(node)] = _kind_of(type(node))
        if kind is _Kind.FUNCTION and (
            type(node) not in typed or isinstance(node.parent, _QUALIFYING)
        ):
            _check_function(cast(exp.Func, node), rules, sql)  # before its named position goes
        # Token positions serve parse errors and reasons only; copying them made up most of
        # the cost of the copy that receives the row cap.
        meta = node._meta
        if meta:
            if meta.keys() <= _POSITION_KEYS:
                node._meta = None
            else:
                for key in _POSITION_KEYS:
                    meta.pop(key, None)
        if kind is _Kind.OTHER or kind is _Kind.FUNCTION:
            continue
        if kind is _Kind.TABLE:
            # A WITH comes before every table in its scope in this walk (its query's
            # first argument): with none seen yet, no table can name a CTE.
            _check_table(cast(exp.Table, node), rules, names, sql, ctes=bool(withs))
        elif kind is _Kind.SELECT:
            # Optimizer hints (MySQL's MAX_EXECUTION_TIME, SET_VAR) are dropped before they
            # are walked: the source's own limits and the planner's defaults stay in force.
            if node.args.get("hint") is not None:
                node.set("hint", None)
            selects.append(cast(exp.Select, node))
        elif kind is _Kind.STATEMENT:
            raise GuardRejection(_denied_reason(node), sql=sql)
        elif kind is _Kind.TABLE_HINT:
            _check_hints(node, engine, sql)
        elif kind is _Kind.WITH:
            withs.append(cast(exp.With, node))
        elif kind is _Kind.QUERY_OPTION:
            node.pop()  # T-SQL OPTION (MAXRECURSION 0, ...): dropped like hints
        elif kind is _Kind.RARE:
            rare = True
        elif kind is _Kind.SYSTEM_VARIABLE or (
            kind is _Kind.PARAMETER and isinstance(node.this, exp.Parameter)
        ):
            raise GuardRejection(
                f"System variables such as '{node.sql(dialect=engine.dialect)}' are not "
                "available in queries.",
                sql=sql,
            )
        elif kind is _Kind.PARAMETER:
            rare = True
        elif kind is _Kind.DATA_TYPE and node.this is exp.DataType.Type.USERDEFINED:
            raise GuardRejection(
                f"Type '{node.sql(dialect=engine.dialect)}' is not a built-in type; cast to a "
                "built-in type instead.",
                sql=sql,
            )
        elif kind is _Kind.OPERATOR:
            # OPERATOR(schema.op) calls whatever function the operator is defined with.
            raise GuardRejection(
                f"Operator '{node.args.get('operator')}' is not allowed: write the plain "
                "operator (=, <, +...) instead of OPERATOR(...).",
                sql=sql,
            )
        elif kind is _Kind.CATALOG_TYPE:
            raise GuardRejection(
                f"Type '{node.sql(dialect=engine.dialect)}' looks names up in the system "
                "catalog, which is not allowed.",
                sql=sql,
            )
    for with_ in withs:
        check_recursion(with_, engine, sql)
    for select in selects:
        check_products(select, sql)
    check_faithful(root, tokens, engine, sql, rare=rare)
    return cast(exp.Expression, root), frozenset(names)


def _parse_one(sql: str, engine: Engine) -> tuple[exp.Expr, list[Token]]:
    if not isinstance(sql, str):
        raise GuardRejection("The query must be text.", sql=None)
    dialect = engine.dialect
    try:
        tokens = dialect.tokenize(sql)
        statements = dialect.parser().parse(tokens, sql)
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
    return found[0], tokens


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


def _root_label(root: exp.Expr) -> str:
    if isinstance(root, _DENIED_NODES):
        return _statement_label(root)
    # sqlglot reads unknown statements such as NOTIFY x or SHUTDOWN as bare expressions.
    word = next(root.find_all(exp.Identifier, bfs=False), None)
    return word.name.upper() if word is not None else f"a bare {root.key} expression"


def _statement_label(node: exp.Expr) -> str:
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


def _denied_reason(node: exp.Expr) -> str:
    label = _statement_label(node)
    if node.parent is None:
        return f"Only SELECT queries are allowed; found {label}."
    if isinstance(node, exp.Into):
        return "SELECT INTO is not allowed because it writes a table."
    if isinstance(node, exp.Lock):
        return f"Locking clauses are not allowed; found {label}."
    return f"Only read-only queries are allowed; found {label} inside the query."


def _check_function(node: exp.Func, rules: _Rules, sql: str) -> None:
    engine = rules.engine
    parent = node.parent
    if isinstance(parent, exp.Dot) and node.arg_key == "expression":
        # `audit.purge_old_orders(30)`, `pg_catalog.lower(x)`: a schema's own function.
        label = parent.sql(dialect=engine.dialect).split("(", 1)[0]
        raise GuardRejection(
            f"Function '{label}' is not allowed: functions of a schema may have any effect, "
            "so only built-in functions may be called.",
            sql=sql,
        )
    if isinstance(parent, exp.Table) and node.arg_key == "this" and parent.args.get("db"):
        label = f"{parent.text('db')}.{function_label(node, engine.dialect)}"
        raise GuardRejection(
            f"Function '{label}' is not allowed: functions of a schema may have any effect, "
            "so only built-in functions may be called.",
            sql=sql,
        )
    if not rules.functions.allows(node):
        name = _written_name(node, sql) or function_label(node, engine.dialect)
        raise GuardRejection(
            f"Function '{name}' is not allowed in {engine.display_name} queries: only "
            "functions known to compute values without other effects may be called.",
            sql=sql,
        )


def _written_name(node: exp.Expr, sql: str) -> str | None:
    """The function's name as the query wrote it (DATABASE(), not sqlglot's SCHEMA())."""
    meta = node._meta or {}
    start, end = meta.get("start"), meta.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    name = sql[start : end + 1].strip().strip('"`[]')
    return name.lower() if name and name.replace("_", "").replace("$", "").isalnum() else None


def _check_hints(node: exp.Expr, engine: Engine, sql: str) -> None:
    if not engine.lock_hints:
        return
    for hint in node.expressions:
        if isinstance(hint, exp.Var) and hint.name.lower() in engine.lock_hints:
            raise GuardRejection(
                f"Locking table hints are not allowed; found {hint.name.upper()}.", sql=sql
            )


def _check_table(node: exp.Table, rules: _Rules, names: set[str], sql: str, *, ctes: bool) -> None:
    """Reject a table reference that is not an allowed real table; collect the real ones."""
    engine = rules.engine
    target = node.this
    # SQLite's INDEXED BY names an index; ROWS FROM and table functions are judged as functions.
    if node.arg_key == "indexed" or target is None or isinstance(target, exp.Func):
        return
    if not isinstance(target, exp.Identifier):
        raise GuardRejection(
            f"Table reference '{_one_line(node.sql(dialect=engine.dialect))}' "
            "is not a plain table name.",
            sql=sql,
        )
    if target.args.get("temporary") or target.args.get("global_"):
        raise GuardRejection(
            f"Temporary table '#{target.name}' is not available in this source.", sql=sql
        )
    if engine.file_table_names and any(c in target.name for c in "./\\:*?"):
        raise GuardRejection(
            f"Reading files by name is not allowed; found '{target.name}'.", sql=sql
        )
    ref = resolve(node, engine, ctes=ctes)
    if ref is None:
        return  # a CTE
    if ref.schema is None and ref.catalog is None and ref.name.lower() in engine.dummy_tables:
        return
    if _is_catalog(ref, engine):
        if not _catalog_listed(ref, rules):
            raise GuardRejection(f"Table '{ref.qualified}' {_CATALOG_REASON}.", sql=sql)
    elif rules.allowed is not None and not _table_allowed(ref, rules):
        raise GuardRejection(_unavailable_reason(ref, rules), sql=sql)
    names.add(ref.qualified)


def _is_catalog(ref: TableRef, engine: Engine) -> bool:
    # By its schema or catalog, or by its name in any schema: SQLite's main.sqlite_master
    # is the catalog, and a user table named like one is not worth the doubt.
    return (
        (ref.catalog is not None and engine.is_catalog_schema(ref.catalog))
        or (ref.schema is not None and engine.is_catalog_schema(ref.schema))
        or engine.is_catalog_table(ref.name)
    )


def _catalog_listed(ref: TableRef, rules: _Rules) -> bool:
    allowed = rules.allowed or frozenset()
    if ref.parts in allowed:
        return True
    # A bare catalog name is listed when its table is, in whichever catalog schema.
    return (
        ref.schema is None
        and ref.catalog is None
        and any(
            len(key) == 2 and key[1] == ref.name and rules.engine.is_catalog_schema(key[0])
            for key in allowed
        )
    )


def _table_allowed(ref: TableRef, rules: _Rules) -> bool:
    allowed = rules.allowed
    assert allowed is not None
    if ref.parts in allowed:
        return True
    if ref.catalog is not None or ref.schema not in (None, rules.default_schema):
        # `other.orders` is another table than `orders`: only its own entry allows it.
        return False
    default = rules.default_schema
    return (ref.name,) in allowed or (default is not None and (default, ref.name) in allowed)


def _unavailable_reason(ref: TableRef, rules: _Rules) -> str:
    reason = f"Table '{ref.qualified}' is not available in this source"
    # Suggest only allowed names: a denied table must not be named back.
    close = difflib.get_close_matches(ref.qualified, rules.names, n=1, cutoff=0.8)
    if not close:
        folded = {name.casefold(): name for name in rules.names}
        close = [folded[ref.qualified.casefold()]] if ref.qualified.casefold() in folded else []
    if close and close[0] != ref.qualified:
        name = close[0]
        reason += f"; did you mean '{name}' (written {rules.engine.quote_path(name)})"
    return reason + "."
