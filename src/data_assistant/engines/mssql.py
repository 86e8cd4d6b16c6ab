"""SQL Server and Azure SQL through pyodbc (or pymssql): T-SQL, read-only intent, Entra ID.

Each question runs in a transaction that is rolled back, with the driver's query timeout
and a lock timeout; the connection asks for a read-only replica (ApplicationIntent=ReadOnly,
where writes fail when an availability group or Azure SQL routes it to one) and is reset
with `sp_reset_connection` when handed back to the pool. With `azure_ad`, the login is an
Entra ID access token from azure-identity, passed to the ODBC driver before it connects.
No SQL Server runs where this project is tested: what is written here is untested against
a server (see docs/security.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlglot import exp

from data_assistant.engines.base import Engine, connect_timeout

DEFAULT_ODBC_DRIVER = "ODBC Driver 18 for SQL Server"
# TOP with the largest bigint: a row goal the optimizer keeps, so conditions around the
# derived table are not pushed below it.
NO_TOP = "9223372036854775807"


class SQLServer(Engine):
    name = "tsql"
    display_name = "Microsoft SQL Server (T-SQL)"
    sqlglot_dialect = "tsql"
    url_names = ("mssql",)
    default_driver = "pyodbc"
    install_hint = "pyodbc (with Microsoft's ODBC Driver 18 for SQL Server) or pymssql"
    default_schema = "dbo"
    catalog_schemas = frozenset(
        {"sys", "information_schema", "master", "msdb", "tempdb", "model", "mssqlsystemresource"}
    )
    # The compatibility views that resolve from any database without a schema.
    catalog_tables = frozenset(
        {
            "sysobjects", "syscolumns", "sysindexes", "sysusers", "sysdatabases", "syslogins",
            "sysprocesses", "syscomments", "sysservers", "sysfiles", "sysfilegroups",
            "sysmembers", "syspermissions", "sysprotects", "sysreferences", "systypes",
            "sysconstraints", "sysforeignkeys", "sysindexkeys", "sysdepends", "syscacheobjects",
            "syscharsets", "sysconfigures", "syscurconfigs", "syslanguages", "syslockinfo",
            "sysmessages", "sysoledbusers", "sysperfinfo", "sysremotelogins", "sysaltfiles",
            "sysdevices", "sysfulltextcatalogs", "sysxlogins", "sysproperties",
        }
    )  # fmt: skip
    row_cap = "top"
    implicit_recursive_ctes = True
    # Table hints that take update, exclusive or long-held locks on a plain SELECT.
    lock_hints = frozenset({"updlock", "xlock", "tablock", "tablockx", "holdlock"})
    syntax_functions = ("If", "Convert", "TryCast", "OpenJSON", "PercentileCont", "PercentileDisc")
    pure_functions = (
        # strings
        "ascii", "char", "charindex", "concat", "concat_ws", "difference", "format", "left",
        "len", "lower", "ltrim", "nchar", "patindex", "quotename", "replace", "replicate",
        "reverse", "right", "rtrim", "soundex", "space", "str", "string_escape", "stuff",
        "substring", "translate", "trim", "unicode", "upper", "string_split",
        # math
        "abs", "acos", "asin", "atan", "atn2", "ceiling", "cos", "cot", "degrees", "exp",
        "floor", "log", "log10", "pi", "power", "radians", "rand", "round", "sign", "sin",
        "sqrt", "square", "tan", "greatest", "least",
        # dates and times
        "dateadd", "datediff", "datediff_big", "datefromparts", "datename", "datepart",
        "datetime2fromparts", "datetimefromparts", "datetimeoffsetfromparts", "datetrunc",
        "day", "eomonth", "getdate", "getutcdate", "isdate", "month",
        "smalldatetimefromparts", "switchoffset", "sysdatetime", "sysdatetimeoffset",
        "sysutcdatetime", "timefromparts", "todatetimeoffset", "year", "date_bucket",
        # conditionals and conversions
        "coalesce", "iif", "isnull", "nullif", "choose", "isnumeric", "try_convert", "parse",
        "try_parse",
        # aggregates and windows
        "approx_count_distinct", "avg", "checksum_agg", "count", "count_big", "grouping",
        "grouping_id", "max", "min", "stdev", "stdevp", "string_agg", "sum", "var", "varp",
        "cume_dist", "first_value", "lag", "last_value", "lead", "percent_rank", "dense_rank",
        "ntile", "rank", "row_number",
        # JSON, hashes, identifiers
        "isjson", "json_value", "json_query", "json_modify", "openjson", "json_object",
        "json_array", "newid", "checksum", "binary_checksum", "hashbytes",
    )  # fmt: skip

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.azure_ad = bool(self.options.get("azure_ad"))
        self.tokens: Any = None
        if self.azure_ad:
            # Imported here: the sources package imports the engines.
            from data_assistant.sources.entra import AccessTokenCache

            self.tokens = AccessTokenCache(self.options.get("credential"))

    def fence(self, select: exp.Select) -> None:
        select.set("limit", exp.Limit(expression=exp.Literal.number(NO_TOP)))

    def error_class(self, error: BaseException | None) -> str | None:
        args: tuple[Any, ...] = getattr(error, "args", ())
        # pyodbc: (SQLSTATE, message); pymssql: (number, message bytes).
        if args and isinstance(args[0], str) and len(args[0]) == 5:
            return f"SQLSTATE {args[0]}"
        if args and isinstance(args[0], int):
            return f"error {args[0]}"
        return None

    def is_timeout(self, error: BaseException | None) -> bool:
        text = str(getattr(error, "args", ""))
        # pyodbc: SQLSTATE HYT00; pymssql (FreeTDS): 20003 "connection timed out".
        return "HYT00" in text or "20003" in text

    def url(self, url: URL) -> URL:
        url = super().url(url)
        driver = url.get_driver_name()
        if self.azure_ad and (driver != "pyodbc" or url.username or url.password):
            raise ValueError("azure_ad needs an mssql+pyodbc URL without a user name or password")
        if driver != "pyodbc":
            return url
        query = dict(url.query)
        if "odbc_connect" in query:
            raw = str(query["odbc_connect"])
            if "applicationintent" not in raw.lower():
                query["odbc_connect"] = raw.rstrip(";") + ";ApplicationIntent=ReadOnly"
            return url.set(query=query)
        query.setdefault("driver", DEFAULT_ODBC_DRIVER)
        # An explicit ApplicationIntent in the URL is kept; otherwise ask for a read replica.
        if not any(k.lower() == "applicationintent" for k in query):
            query["ApplicationIntent"] = "ReadOnly"
        return url.set(query=query)

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        login = connect_timeout(self.timeout_s)
        # Azure SQL's gateway drops connections idle for 30 minutes; renew them before.
        kwargs = {**super().engine_kwargs(url), "pool_recycle": 1800}
        if url.get_driver_name() == "pymssql":
            # pymssql sets its query timeout per connection; FreeTDS has ApplicationIntent
            # as `read_only`.
            kwargs["connect_args"] = {
                "read_only": True,
                "login_timeout": login,
                "timeout": math.ceil(self.timeout_s),
            }
            return kwargs
        kwargs["connect_args"] = {"timeout": login}
        kwargs["pool_reset_on_return"] = None
        return kwargs

    def install_events(self, engine: sa.Engine) -> None:
        if engine.dialect.driver != "pyodbc":
            return
        event.listen(engine, "reset", _reset_mssql_session)
        if self.tokens is not None:
            event.listen(engine, "do_connect", self._sign_in_with_token)

    def _sign_in_with_token(
        self, dialect: Any, record: Any, cargs: list[Any], cparams: dict[str, Any]
    ) -> None:
        """Hand the ODBC driver a fresh Entra ID token instead of a password."""
        assert self.tokens is not None
        # With no user in the URL SQLAlchemy asks for Windows authentication; a token
        # login must not.
        cargs[0] = ";".join(
            part for part in str(cargs[0]).split(";") if part.lower() != "trusted_connection=yes"
        )
        attrs = dict(cparams.get("attrs_before") or {})
        attrs.update(self.tokens.attrs_before())
        cparams["attrs_before"] = attrs

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        raw: Any = conn.connection.driver_connection
        if hasattr(raw, "timeout"):
            # pyodbc: the ODBC query timeout, in whole seconds (0 would mean none).
            raw.timeout = max(1, math.ceil(timeout_s))
        with conn.begin() as tx:
            try:
                conn.exec_driver_sql(f"SET LOCK_TIMEOUT {max(1, int(timeout_s * 1000))}")
                yield
            finally:
                tx.rollback()


def _reset_mssql_session(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for SQL Server, as SQLAlchemy documents it for pyodbc."""
    if not reset_state.terminate_only:
        dbapi_conn.execute("{call sys.sp_reset_connection}")
    # So that the driver knows the connection has been reset.
    dbapi_conn.rollback()
