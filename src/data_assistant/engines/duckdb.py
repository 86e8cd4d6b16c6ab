"""DuckDB: a `duckdb:///file.duckdb` database, or CSV, Parquet and JSON files as views.

Files (paths, globs or folders) become one view each, named after the file without its
extensions, in a small database written to a temporary folder; the source opens that
database, or the user's own, read-only. File access is then limited to the listed files
(none for a database file), for good: a query can neither read other files nor write any.
DuckDB has no statement timeout: a watchdog timer interrupts the connection when time is up.
Its EXPLAIN gives each operator's estimated cardinality, which the cost gate reads.
"""

from __future__ import annotations

import glob
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlglot import exp

from data_assistant.engines.base import Engine

# File suffix -> DuckDB table function that reads it.
READERS = {
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".parquet": "read_parquet",
    ".pq": "read_parquet",
    ".json": "read_json",
    ".jsonl": "read_json",
    ".ndjson": "read_json",
}
COMPRESSIONS = (".gz", ".zst")
# Extensions are never fetched or loaded behind the user's back.
BASE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class DuckDB(Engine):
    name = "duckdb"
    display_name = "DuckDB"
    sqlglot_dialect = "duckdb"
    url_names = ("duckdb",)
    install_hint = "duckdb duckdb-engine"
    default_schema = "main"
    catalog_schemas = frozenset({"information_schema", "pg_catalog", "system", "temp"})
    # duckdb_tables, pragma_storage_info, sqlite_master and pg_class all resolve bare (and
    # most as table functions too).
    catalog_table_prefixes = ("duckdb_", "pragma_", "sqlite_", "pg_")
    file_table_names = True
    native_booleans = True
    syntax_functions = (
        "Array", "Struct", "JSONExtract", "JSONExtractScalar", "RegexpLike", "RegexpILike",
        "StrPosition", "If", "TryCast", "Unnest", "ExplodingGenerateSeries", "Localtime",
        "Localtimestamp", "PercentileCont", "PercentileDisc",
    )  # fmt: skip
    pure_functions = (
        # math
        "abs", "acos", "asin", "atan", "atan2", "bit_count", "cbrt", "ceil", "ceiling", "cos",
        "cot", "degrees", "even", "exp", "factorial", "floor", "gamma", "gcd", "greatest",
        "isfinite", "isinf", "isnan", "lcm", "least", "lgamma", "ln", "log", "log10", "log2",
        "nextafter", "pi", "pow", "power", "radians", "random", "round", "sign", "signbit",
        "sin", "sqrt", "tan", "trunc", "mod",
        # strings
        "ascii", "bit_length", "chr", "concat", "concat_ws", "contains", "ends_with", "format",
        "from_base64", "hash", "instr", "lcase", "left", "length", "levenshtein", "lower",
        "lpad", "ltrim", "md5", "nfc_normalize", "ord", "position", "prefix", "printf",
        "regexp_extract", "regexp_extract_all", "regexp_full_match", "regexp_matches",
        "regexp_replace", "regexp_split_to_array", "repeat", "replace", "reverse", "right",
        "rpad", "rtrim", "sha256", "split", "split_part", "starts_with", "str_split",
        "string_split", "strip_accents", "strlen", "strpos", "substr", "substring", "suffix",
        "to_base64", "trim", "ucase", "unicode", "upper", "jaccard", "jaro_similarity",
        "jaro_winkler_similarity", "damerau_levenshtein", "hamming", "array_to_string",
        # dates and times
        "age", "date_add", "date_diff", "date_part", "date_sub", "date_trunc", "datediff",
        "datepart", "datesub", "datetrunc", "dayname", "day", "dayofmonth", "dayofweek",
        "dayofyear", "epoch", "epoch_ms", "hour", "isodow", "isoyear", "julian", "last_day",
        "make_date", "make_time", "make_timestamp", "microsecond", "millisecond", "minute",
        "month", "monthname", "now", "quarter", "second", "strftime", "strptime",
        "try_strptime", "time_bucket", "timezone", "to_timestamp", "today", "week", "weekday",
        "weekofyear", "year", "yearweek", "get_current_timestamp", "to_days", "to_hours",
        "to_minutes", "to_seconds", "to_months", "to_years", "to_weeks", "to_milliseconds",
        "to_microseconds", "current_localtimestamp",
        # aggregates
        "any_value", "arbitrary", "arg_max", "arg_min", "argmax", "argmin", "array_agg",
        "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "count", "count_if",
        "countif", "favg", "first", "fsum", "geomean", "histogram", "last", "list", "max",
        "max_by", "min", "min_by", "product", "string_agg", "sum", "approx_count_distinct",
        "approx_quantile", "corr", "covar_pop", "covar_samp", "entropy", "kurtosis", "mad",
        "median", "mode", "quantile", "quantile_cont", "quantile_disc", "regr_avgx",
        "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
        "regr_sxy", "regr_syy", "reservoir_quantile", "skewness", "stddev", "stddev_pop",
        "stddev_samp", "var_pop", "var_samp", "variance", "group_concat", "listagg",
        # windows
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
        "lead", "first_value", "last_value", "nth_value",
        # lists, structs, maps
        "list_value", "array_length", "len", "list_concat", "list_contains", "list_has",
        "list_position", "list_extract", "list_element", "list_slice", "list_sort",
        "list_reverse_sort", "list_distinct", "list_unique", "list_filter", "list_transform",
        "list_reduce", "list_aggregate", "list_sum", "list_min", "list_max", "list_avg",
        "array_contains", "array_has", "unnest", "flatten", "generate_series", "range",
        "struct_pack", "struct_extract", "struct_insert", "row", "map", "map_keys",
        "map_values", "map_extract", "map_from_entries", "cardinality", "element_at",
        # JSON
        "json", "json_array", "json_array_length", "json_contains", "json_extract",
        "json_extract_path", "json_extract_string", "json_extract_path_text",
        "json_group_array", "json_group_object", "json_group_structure", "json_keys",
        "json_merge_patch", "json_object", "json_quote", "json_structure", "json_transform",
        "json_transform_strict", "from_json", "from_json_strict", "json_type", "json_valid",
        "json_value", "to_json", "json_exists", "json_pretty",
        # conditionals, types, identifiers
        "coalesce", "ifnull", "nullif", "if", "typeof", "uuid", "gen_random_uuid",
    )  # fmt: skip

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        files = self.options.get("files")
        # View name -> file, resolved now so that a wrong path fails at start-up.
        self.views: dict[str, Path] = file_views(files) if files else {}
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def fence(self, select: exp.Select) -> None:
        # OFFSET 0 puts a limit operator between the scan and the query around it: DuckDB
        # pushes no filter through a limit.
        select.set("offset", exp.Offset(expression=exp.Literal.number(0)))

    def error_class(self, error: BaseException | None) -> str | None:
        # duckdb.ConversionException and friends: the class names the kind of error.
        name = type(error).__name__
        return name if name.endswith(("Exception", "Error")) else None

    def is_timeout(self, error: BaseException | None) -> bool:
        return type(error).__name__ == "InterruptException"

    def estimate_rows(
        self, conn: sa.Connection, sql: str, params: Mapping[str, Any]
    ) -> float | None:
        rows = conn.execute(text(f"EXPLAIN (FORMAT json) {sql}"), dict(params)).fetchall()
        if not rows:
            return None
        plans = json.loads(rows[0][-1])
        return max((_operator_rows(plan)[1] for plan in plans), default=0.0)

    def catalog(self, engine: sa.Engine, schema: str | None) -> Any:
        from data_assistant.schema.introspect import DuckDBCatalog

        return DuckDBCatalog(engine, schema)

    def url(self, url: URL) -> URL:
        if self.views and url.database not in (None, "", ":memory:"):
            raise ValueError("files need a duckdb:///:memory: URL or none")
        return url

    def create_engine(self, url: URL) -> sa.Engine:
        allowed: list[str] = []
        if self.views:
            url = url.set(database=str(self._write_views()))
            allowed = [str(path) for path in self.views.values()]
        if url.database in (None, "", ":memory:"):
            # An empty in-memory database: nothing to protect, one per thread.
            engine = sa.create_engine(url, connect_args={"config": dict(BASE_CONFIG)})
        else:
            engine = sa.create_engine(
                url,
                connect_args={"read_only": True, "config": dict(BASE_CONFIG)},
                **super().engine_kwargs(url),
            )
        event.listen(engine, "connect", lambda conn, record: self._lock_down(conn, allowed))
        return engine

    def _write_views(self) -> Path:
        import duckdb

        with self._lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="data-assistant-duckdb-"))
            path = self._folder / "files.duckdb"
            if path.exists():
                return path
            building = path.with_suffix(".building")
            con = duckdb.connect(str(building), config=dict(BASE_CONFIG))
            try:
                for name, file in self.views.items():
                    reader = READERS[_data_suffix(file)]
                    source = exp.func(reader, exp.Literal.string(str(file))).sql("duckdb")
                    view = exp.to_identifier(name, quoted=True).sql("duckdb")
                    con.execute(f"CREATE VIEW {view} AS SELECT * FROM {source}")
            finally:
                con.close()
            building.rename(path)
            return path

    def _lock_down(self, dbapi_conn: Any, allowed: list[str]) -> None:
        """Limit file access to `allowed`, once per database; no progress bars.

        File access belongs to the database instance, which DuckDB shares between the
        connections of a process, and once switched off it cannot be switched on again,
        nor the allowed paths changed.
        """
        cursor = dbapi_conn.cursor()
        try:
            # A server has no terminal to draw them on; a per-connection setting.
            cursor.execute("SET enable_progress_bar = false")
            # A name that is no table must never read a Python variable of that name.
            cursor.execute("SET python_enable_replacements = false")
            with self._lock:
                cursor.execute("SELECT current_setting('enable_external_access')")
                if not cursor.fetchone()[0]:
                    return
                if allowed:
                    paths = exp.Array(expressions=[exp.Literal.string(p) for p in allowed])
                    cursor.execute(f"SET allowed_paths = {paths.sql('duckdb')}")
                cursor.execute("SET enable_external_access = false")
        finally:
            cursor.close()

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        raw: Any = conn.connection.driver_connection
        done = False
        lock = threading.Lock()

        def interrupt() -> None:
            with lock:
                if not done:
                    raw.interrupt()

        def stop() -> None:
            nonlocal done
            with lock:
                done = True
            watchdog.cancel()

        watchdog = threading.Timer(timeout_s, interrupt)
        watchdog.daemon = True
        watchdog.start()
        try:
            with conn.begin() as tx:
                try:
                    yield
                finally:
                    # Stopped before the rollback, which it must not interrupt.
                    stop()
                    tx.rollback()
        finally:
            stop()

    def close(self) -> None:
        with self._lock:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None


def _operator_rows(plan: Mapping[str, Any]) -> tuple[float, float]:
    """(rows out, most rows of any operator below) of a DuckDB JSON plan; a cross product,
    which states no estimate, puts out the product of its inputs."""
    outs, peaks = [], []
    for child in plan.get("children") or ():
        out, peak = _operator_rows(child)
        outs.append(out)
        peaks.append(peak)
    stated = (plan.get("extra_info") or {}).get("Estimated Cardinality")
    if stated is not None:
        own = float(stated)
    elif plan.get("name") == "CROSS_PRODUCT":
        own = 1.0
        for rows in outs:
            own *= max(rows, 1.0)
    else:
        own = max(outs, default=0.0)
    return own, max([own, *peaks])


def file_views(entries: list[str]) -> dict[str, Path]:
    """View name -> file for paths, globs and folders; raises ValueError naming the problem."""
    views: dict[str, Path] = {}
    taken: dict[str, Path] = {}
    for entry in entries:
        for path in _expand(entry):
            name = view_name(path)
            other = taken.get(name.lower())
            if other is not None and other != path:
                raise ValueError(
                    f"files: {other.name} and {path.name} would both be the view {name!r}"
                )
            taken[name.lower()] = path
            views[name] = path
    return views


def view_name(path: Path) -> str:
    """The view for a file: its name without extensions, other characters as `_`.

    Dots and slashes are left out because the guard reads them as file paths.
    """
    stem = path.name[: len(path.name) - len(_suffixes(path))]
    return re.sub(r"[^\w ]+", "_", stem).strip() or "file"


def _expand(entry: str) -> list[Path]:
    path = Path(entry).expanduser()
    if any(c in entry for c in "*?["):
        matches = sorted(Path(m).resolve() for m in glob.glob(str(path), recursive=True))
        found = [m for m in matches if m.is_file() and _readable(m)]
        if not found:
            raise ValueError(f"files: {entry!r} matches no CSV, Parquet or JSON file")
        return found
    if path.is_dir():
        found = sorted(p.resolve() for p in path.iterdir() if p.is_file() and _readable(p))
        if not found:
            raise ValueError(f"files: the folder {entry!r} holds no CSV, Parquet or JSON file")
        return found
    if not path.is_file():
        raise ValueError(f"files: {entry!r} does not exist")
    if not _readable(path):
        raise ValueError(
            f"files: {entry!r} is not a {', '.join(sorted(READERS))} file (optionally .gz, .zst)"
        )
    return [path.resolve()]


def _suffixes(path: Path) -> str:
    name = path.name.lower()
    compression = next((c for c in COMPRESSIONS if name.endswith(c)), "")
    data = next((s for s in READERS if name[: len(name) - len(compression)].endswith(s)), "")
    return data + compression if data else ""


def _data_suffix(path: Path) -> str:
    suffix = _suffixes(path)
    return next(c for c in READERS if suffix.startswith(c))


def _readable(path: Path) -> bool:
    return bool(_suffixes(path))
