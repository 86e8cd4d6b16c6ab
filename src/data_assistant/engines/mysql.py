"""MySQL and MariaDB: read-only sessions, `COM_RESET_CONNECTION` on return, EXPLAIN rows.

The session is read-only from its init command, each question runs in a
`START TRANSACTION READ ONLY` with the server's statement time limit, and a pooled
connection is reset when handed back, so that nothing a question did (a lock, a variable,
a prepared statement) is seen by the next one. One class serves both servers: a `mysql://`
URL may reach a MariaDB server, so what differs between them is asked of the connection.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlglot import exp

from data_assistant.engines.base import Engine, connect_timeout

# MySQL's own idiom for "no limit": a derived table with a LIMIT is materialised, never
# merged into the query around it nor given that query's conditions.
NO_LIMIT = "18446744073709551615"
# The protocol command that resets a session (MySQL 5.7.3+, MariaDB 10.2.4+); PyMySQL has
# no method for it and names the value COM_END.
COM_RESET_CONNECTION = 0x1F


class MySQL(Engine):
    name = "mysql"
    display_name = "MySQL / MariaDB"
    sqlglot_dialect = "mysql"
    url_names = ("mysql",)
    default_driver = "pymysql"
    install_hint = "pymysql"
    sets_default_schema = True
    catalog_schemas = frozenset({"information_schema", "mysql", "performance_schema", "sys"})
    dummy_tables = frozenset({"dual"})
    native_booleans = True
    syntax_functions = (
        "If", "JSONExtract", "JSONExtractScalar", "RegexpLike", "StrPosition", "Convert",
        "GroupConcat", "MatchAgainst", "JSONTable", "Localtime", "Localtimestamp",
        "PercentileCont", "PercentileDisc",
    )  # fmt: skip
    pure_functions = (
        # strings
        "ascii", "bin", "bit_length", "char", "char_length", "character_length", "concat",
        "concat_ws", "elt", "export_set", "field", "find_in_set", "format", "from_base64", "hex",
        "insert", "instr", "lcase", "left", "length", "locate", "lower", "lpad", "ltrim",
        "make_set", "mid", "oct", "octet_length", "ord", "position", "quote", "regexp_instr",
        "regexp_like", "regexp_replace", "regexp_substr", "repeat", "replace", "reverse",
        "right", "rpad", "rtrim", "soundex", "space", "strcmp", "substr", "substring",
        "substring_index", "to_base64", "trim", "ucase", "unhex", "upper", "sformat",
        "natural_sort_key",
        # math
        "abs", "acos", "asin", "atan", "atan2", "ceil", "ceiling", "conv", "cos", "cot", "crc32",
        "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power",
        "radians", "rand", "round", "sign", "sin", "sqrt", "tan", "truncate",
        # dates and times
        "adddate", "addtime", "convert_tz", "curdate", "curtime", "date", "date_add",
        "date_format", "date_sub", "datediff", "day", "dayname", "dayofmonth", "dayofweek",
        "dayofyear", "from_days", "from_unixtime", "get_format", "hour", "last_day",
        "makedate", "maketime", "microsecond", "minute", "month", "monthname", "now",
        "period_add", "period_diff", "quarter", "sec_to_time", "second", "str_to_date",
        "subdate", "subtime", "sysdate", "time", "time_format", "time_to_sec", "timediff",
        "timestamp", "timestampadd", "timestampdiff", "to_days", "to_seconds",
        "unix_timestamp", "utc_date", "utc_time", "utc_timestamp", "week", "weekday",
        "weekofyear", "year", "yearweek",
        # conditionals
        "if", "ifnull", "nullif", "coalesce", "greatest", "least", "isnull",
        # aggregates and windows
        "avg", "bit_and", "bit_or", "bit_xor", "count", "group_concat", "json_arrayagg",
        "json_objectagg", "max", "min", "std", "stddev", "stddev_pop", "stddev_samp", "sum",
        "var_pop", "var_samp", "variance", "median", "cume_dist", "dense_rank", "first_value",
        "lag", "last_value", "lead", "nth_value", "ntile", "percent_rank", "rank",
        "row_number",
        # JSON
        "json_array", "json_array_append", "json_array_insert", "json_contains",
        "json_contains_path", "json_depth", "json_extract", "json_insert", "json_keys",
        "json_length", "json_merge", "json_merge_patch", "json_merge_preserve", "json_object",
        "json_overlaps", "json_pretty", "json_quote", "json_remove", "json_replace",
        "json_search", "json_set", "json_type", "json_unquote", "json_valid", "json_value",
        "json_query", "json_exists", "json_detailed", "json_compact", "json_loose",
        "json_normalize", "json_equals",
        # hashes, addresses, identifiers
        "md5", "sha", "sha1", "sha2", "inet_aton", "inet_ntoa", "inet6_aton", "inet6_ntoa",
        "is_ipv4", "is_ipv6", "uuid",
    )  # fmt: skip

    def portable(self, tree: exp.Expression) -> exp.Expression:
        # sqlglot writes `x REGEXP p` as REGEXP_LIKE(), which MariaDB lacks (and a mysql://
        # URL may reach MariaDB); REGEXP_INSTR() > 0 means the same on both, NULL included.
        for node in list(tree.find_all(exp.RegexpLike)):
            if node.args.get("flag") is None:
                found = exp.Anonymous(this="REGEXP_INSTR", expressions=[node.this, node.expression])
                node.replace(exp.Paren(this=exp.GT(this=found, expression=exp.Literal.number(0))))
        return tree

    def fence(self, select: exp.Select) -> None:
        select.set("limit", exp.Limit(expression=exp.Literal.number(NO_LIMIT)))

    def error_class(self, error: BaseException | None) -> str | None:
        args: tuple[Any, ...] = getattr(error, "args", ())
        return f"error {args[0]}" if args and isinstance(args[0], int) else None

    def is_timeout(self, error: BaseException | None) -> bool:
        args: tuple[Any, ...] = getattr(error, "args", ())
        # 3024: MySQL max_execution_time; 1969: MariaDB max_statement_time.
        return bool(args) and args[0] in (3024, 1969)

    def estimate_rows(
        self, conn: sa.Connection, sql: str, params: Mapping[str, Any]
    ) -> float | None:
        try:
            result = conn.execute(text(f"EXPLAIN {sql}"), dict(params))
        except DBAPIError:
            # Not a query EXPLAIN takes; an error leaves the transaction usable here, so the
            # statement itself runs and says what is wrong with it.
            return None
        keys = [str(k).lower() for k in result.keys()]  # noqa: SIM118 (a Result, not a dict)
        if "rows" not in keys or "id" not in keys:
            return None
        at_id, at_rows = keys.index("id"), keys.index("rows")
        # Tables of one SELECT are joined in nested loops: their estimates multiply.
        per_select: dict[Any, float] = {}
        for row in result:
            rows = float(row[at_rows] or 1)
            per_select[row[at_id]] = per_select.get(row[at_id], 1.0) * max(rows, 1.0)
        return max(per_select.values(), default=0.0)

    def url(self, url: URL) -> URL:
        url = super().url(url)
        # In MySQL a schema is a database: connecting to it makes it the default one.
        return url.set(database=self.schema) if self.schema else url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        connect_args = {
            "connect_timeout": connect_timeout(self.timeout_s),
            # A backstop should the server's own statement limit not fire.
            "read_timeout": math.ceil(self.timeout_s) + 30,
            "init_command": "SET SESSION TRANSACTION READ ONLY",
        }
        return {
            **super().engine_kwargs(url),
            "pool_recycle": 3600,
            "connect_args": connect_args,
            "pool_reset_on_return": None,
        }

    def install_events(self, engine: sa.Engine) -> None:
        event.listen(engine, "reset", _reset_mysql_session)

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        with conn.begin() as tx:
            try:
                if getattr(conn.dialect, "is_mariadb", False):
                    conn.exec_driver_sql(
                        "SET SESSION max_statement_time = %s", (round(timeout_s, 3),)
                    )
                else:
                    conn.exec_driver_sql(
                        "SET SESSION max_execution_time = %s", (max(1, int(timeout_s * 1000)),)
                    )
                # The session is read-only too (init_command): a DDL statement commits the
                # transaction it is in and would otherwise run outside it.
                conn.exec_driver_sql("START TRANSACTION READ ONLY")
                yield
            finally:
                tx.rollback()

    def claim_parameter(self, value: Any) -> Any:
        """Claims are bound as text: MySQL compares a text column with a number by turning
        the column's strings into numbers, so a claim `0` would match every tenant named by
        a word. Text against a number column is turned into a number, as it should be."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, int | float | Decimal):
            return str(value)
        return value


class MariaDB(MySQL):
    name = "mariadb"
    url_names = ("mariadb",)


def _reset_mysql_session(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for MySQL/MariaDB: roll back, reset the session, make it read-only again.

    COM_RESET_CONNECTION drops user variables, temporary tables, GET_LOCK locks and
    prepared statements, and resets session variables to the server's globals. A failure
    here makes the pool throw the connection away, which is also safe.
    """
    dbapi_conn.rollback()
    if reset_state.terminate_only:
        return
    dbapi_conn._execute_command(COM_RESET_CONNECTION, b"")
    dbapi_conn._read_ok_packet()
    dbapi_conn.set_character_set(dbapi_conn.charset, dbapi_conn.collation)
    dbapi_conn.autocommit(False)
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
