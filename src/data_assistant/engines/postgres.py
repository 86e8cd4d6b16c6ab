"""PostgreSQL: read-only sessions, `DISCARD ALL` on return, EXPLAIN for the cost gate.

The session is read-only by default from its start-up options, and each question runs in
a transaction that sets itself read-only again (as behind PgBouncer, where start-up
options may be lost), with its statement timeout and search path, all local to it.
Partitions and inheritance children are read from pg_inherits, so that a policy on a
table reaches its children too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlglot import exp

from data_assistant.engines.base import Engine, connect_timeout


class PostgreSQL(Engine):
    name = "postgres"
    display_name = "PostgreSQL"
    sqlglot_dialect = "postgres"
    url_names = ("postgresql", "postgres")
    default_driver = "psycopg"
    install_hint = "psycopg[binary]"
    default_schema = "public"
    sets_default_schema = True
    # pg_catalog, pg_toast, pg_temp_N...: PostgreSQL reserves pg_ for its schemas, and
    # pg_catalog comes first in every search path, so a bare pg_ name is the catalog's.
    catalog_schemas = frozenset({"information_schema"})
    catalog_schema_prefixes = ("pg_",)
    catalog_table_prefixes = ("pg_",)
    unicode_escapes = True
    native_booleans = True
    syntax_functions = (
        "Array", "JSONExtract", "JSONExtractScalar", "JSONBExtract", "JSONBExtractScalar",
        "JSONBContains", "JSONBExists", "ArrayContainsAll", "ArrayContainedBy", "ArrayOverlaps",
        "RegexpLike", "RegexpILike", "StrPosition", "Overlay", "Localtime", "Localtimestamp",
        "Unnest", "ExplodingGenerateSeries", "PercentileCont", "PercentileDisc",
    )  # fmt: skip
    pure_functions = (
        # math
        "abs", "cbrt", "ceil", "ceiling", "degrees", "div", "exp", "factorial", "floor", "gcd",
        "lcm", "ln", "log", "log10", "min_scale", "mod", "pi", "power", "radians", "round",
        "scale", "sign", "sqrt", "trim_scale", "trunc", "width_bucket", "random", "acos",
        "acosd", "asin", "asind", "atan", "atand", "atan2", "atan2d", "cos", "cosd", "cot",
        "cotd", "sin", "sind", "tan", "tand", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        # strings
        "ascii", "bit_length", "btrim", "char_length", "character_length", "chr", "concat",
        "concat_ws", "format", "initcap", "left", "length", "lower", "lpad", "ltrim", "md5",
        "normalize", "octet_length", "overlay", "quote_ident", "quote_literal",
        "quote_nullable", "regexp_count", "regexp_instr", "regexp_like", "regexp_match",
        "regexp_matches", "regexp_replace", "regexp_split_to_array", "regexp_split_to_table",
        "regexp_substr", "repeat", "replace", "reverse", "right", "rpad", "rtrim", "split_part",
        "starts_with", "string_to_array", "string_to_table", "strpos", "substr", "substring",
        "to_ascii", "to_hex", "translate", "upper", "encode", "decode", "sha224", "sha256",
        "sha384", "sha512", "convert_from", "convert_to",
        # formatting
        "to_char", "to_date", "to_number", "to_timestamp",
        # dates and times
        "age", "date", "clock_timestamp", "date_add", "date_bin", "date_part", "date_subtract",
        "date_trunc", "date_trunc('month', a)", "isfinite", "justify_days", "justify_hours",
        "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp",
        "make_timestamptz", "now", "statement_timestamp", "timeofday",
        "transaction_timestamp",
        # conditionals
        "coalesce", "nullif", "greatest", "least", "num_nulls", "num_nonnulls",
        # aggregates
        "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "count",
        "every", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "max", "min",
        "range_agg", "string_agg", "sum", "corr", "covar_pop", "covar_samp", "regr_avgx",
        "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
        "regr_sxy", "regr_syy", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop",
        "var_samp", "mode", "grouping",
        # windows
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
        # arrays
        "array_append", "array_cat", "array_dims", "array_fill", "array_length", "array_lower",
        "array_ndims", "array_position", "array_positions", "array_prepend", "array_remove",
        "array_replace", "array_to_string", "array_upper", "cardinality", "trim_array",
        "unnest", "generate_subscripts",
        # JSON
        "to_json", "to_jsonb", "array_to_json", "row_to_json", "json_build_array",
        "jsonb_build_array", "json_build_object", "jsonb_build_object", "json_object",
        "jsonb_object", "json_array_elements", "jsonb_array_elements",
        "json_array_elements_text", "jsonb_array_elements_text", "json_array_length",
        "jsonb_array_length", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
        "json_extract_path", "jsonb_extract_path", "json_extract_path_text",
        "jsonb_extract_path_text", "json_object_keys", "jsonb_object_keys", "json_to_record",
        "jsonb_to_record", "json_to_recordset", "jsonb_to_recordset", "json_strip_nulls",
        "jsonb_strip_nulls", "jsonb_set", "jsonb_insert", "jsonb_pretty", "json_typeof",
        "jsonb_typeof", "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query",
        "jsonb_path_query_array", "jsonb_path_query_first",
        # series (bounded by the cost gate), identifiers, text search
        "generate_series", "gen_random_uuid", "to_tsvector", "to_tsquery", "plainto_tsquery",
        "phraseto_tsquery", "websearch_to_tsquery", "ts_rank", "ts_rank_cd", "ts_headline",
    )  # fmt: skip

    def fence(self, select: exp.Select) -> None:
        # OFFSET 0 keeps the planner from pulling the subquery up or pushing conditions
        # into it: PostgreSQL's own security_barrier behaviour.
        select.set("offset", exp.Offset(expression=exp.Literal.number(0)))

    def error_class(self, error: BaseException | None) -> str | None:
        state = getattr(error, "sqlstate", None)
        return f"SQLSTATE {state}" if state else None

    def is_timeout(self, error: BaseException | None) -> bool:
        return getattr(error, "sqlstate", None) == "57014"

    def estimate_rows(
        self, conn: sa.Connection, sql: str, params: Mapping[str, Any]
    ) -> float | None:
        document = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}"), dict(params)).scalar()
        if isinstance(document, str):
            document = json.loads(document)
        if not document:
            return None
        return max(_plan_rows(entry["Plan"]) for entry in document)

    def parents(self, engine: sa.Engine, schema: str | None) -> dict[str, tuple[str, ...]]:
        query = text(
            "SELECT c.relname, p.relname, pn.nspname FROM pg_catalog.pg_inherits i "
            "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_catalog.pg_class p ON p.oid = i.inhparent "
            "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace "
            "WHERE n.nspname = COALESCE(:schema, current_schema()) "
            "ORDER BY c.relname, i.inhseqno"
        )
        found: dict[str, list[str]] = {}
        with engine.connect() as conn:
            home = schema or conn.execute(text("SELECT current_schema()")).scalar()
            for child, parent, parent_schema in conn.execute(query, {"schema": schema}):
                # As the snapshot names tables: qualified when a schema is configured.
                bare = schema is None and parent_schema == home
                qualified = parent if bare else f"{parent_schema}.{parent}"
                found.setdefault(child, []).append(qualified)
        return {child: tuple(parents) for child, parents in found.items()}

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        # Read-only by default for the whole session, set at connection start: DISCARD ALL
        # on return resets to these start-up values, never to read-write.
        options = " ".join(
            part
            for part in (
                str(url.query.get("options") or ""),
                "-c default_transaction_read_only=on",
                f"-c statement_timeout={max(1, int(self.timeout_s * 1000))}",
            )
            if part
        )
        connect_args = {
            "options": options,
            "connect_timeout": connect_timeout(self.timeout_s),
            "application_name": str(url.query.get("application_name") or "data-assistant"),
        }
        return {
            **super().engine_kwargs(url),
            "connect_args": connect_args,
            # The reset event rolls back and discards the session itself.
            "pool_reset_on_return": None,
        }

    def install_events(self, engine: sa.Engine) -> None:
        event.listen(engine, "reset", _discard_all)

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        # One round trip: read-only (as SET TRANSACTION READ ONLY, should the session's
        # default not be in force, as behind PgBouncer), the time limit and the schema.
        # is_local=true: they end with the transaction, so nothing is left on the pooled
        # connection for the next question.
        settings = ["set_config('transaction_read_only', 'on', true)"]
        settings.append("set_config('statement_timeout', :ms, true)")
        params = {"ms": str(max(1, int(timeout_s * 1000)))}
        if self.schema:
            settings.append("set_config('search_path', :path, true)")
            params["path"] = self.sa_quote(conn.engine, self.schema)
        with conn.begin() as tx:
            try:
                conn.execute(text(f"SELECT {', '.join(settings)}"), params)
                yield
            finally:
                tx.rollback()


def _plan_rows(plan: Mapping[str, Any]) -> float:
    """The most rows any node of an EXPLAIN (FORMAT JSON) plan is expected to produce."""
    rows = float(plan.get("Plan Rows") or 0)
    for child in plan.get("Plans") or ():
        rows = max(rows, _plan_rows(child))
    return rows


def _discard_all(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for PostgreSQL: roll back, then drop all session state."""
    dbapi_conn.rollback()
    if reset_state.terminate_only:
        return
    # DISCARD ALL releases advisory locks, drops temporary tables, prepared statements and
    # LISTENs, and resets settings; it cannot run inside a transaction block.
    dbapi_conn.autocommit = True
    try:
        dbapi_conn.execute("DISCARD ALL")
    finally:
        dbapi_conn.autocommit = False
