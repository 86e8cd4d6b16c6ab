"""Load the demo sales data into PostgreSQL, MySQL/MariaDB, DuckDB or a SQLite file.

The rows are generated once into a temporary SQLite file (`generate_sales_db`, so every
engine holds exactly the same data for a seed), the tables are created with the types,
primary and foreign keys and indexes of `DEMO_TABLES`, and the rows are copied in bulk:
PostgreSQL with COPY, MySQL/MariaDB with batched multi-row INSERTs, DuckDB with its own CSV
reader (or by attaching the SQLite file when its sqlite extension is installed).
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    create_engine,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable
from sqlglot import exp

from data_assistant.engines import engine_for_url
from data_assistant.sample_data.sales import DEMO_SEED, generate_sales_db
from data_assistant.settings import normalise_db_url

BATCH_ROWS = 5_000
# Engines that take foreign keys and indexes after the rows (DuckDB cannot add a foreign
# key to an existing table; MySQL would rebuild the table, and skips the checks instead).
KEYS_AFTER_LOAD = frozenset({"postgresql"})
_ENGINE_OPTIONS: dict[str, dict[str, Any]] = {
    "mysql": {"connect_args": {"local_infile": True}},
    "mariadb": {"connect_args": {"local_infile": True}},
    # Never fetch DuckDB extensions from the network while loading.
    "duckdb": {
        "connect_args": {
            "config": {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        }
    },
}

DEMO_TABLES = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=False)


Table("regions", DEMO_TABLES, _id(), Column("name", String(100), nullable=False))
Table(
    "customers",
    DEMO_TABLES,
    _id(),
    Column("name", String(200), nullable=False),
    Column("email", String(200)),
    Column("country", String(100), nullable=False),
    Column("city", String(100)),
    Column("region_id", Integer, ForeignKey("regions.id"), nullable=False),
    Column("segment", String(50), nullable=False),
    Column("created_at", Date, nullable=False),
    Index("idx_customers_region_id", "region_id"),
)
Table(
    "categories",
    DEMO_TABLES,
    _id(),
    Column("name", String(100), nullable=False),
    Column("description", Text),
)
Table(
    "products",
    DEMO_TABLES,
    _id(),
    Column("name", String(200), nullable=False),
    Column("category_id", Integer, ForeignKey("categories.id"), nullable=False),
    Column("unit_price", Numeric(10, 2), nullable=False),
    Column("cost", Numeric(10, 2), nullable=False),
    Column("is_discontinued", Boolean, nullable=False, default=False),
    Column("launched_at", Date),
    Index("idx_products_category_id", "category_id"),
)
Table(
    "orders",
    DEMO_TABLES,
    _id(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("shipped_date", Date),
    Column("shipping_cost", Numeric(10, 2), nullable=False),
    Column("channel", String(20), nullable=False),
    Index("idx_orders_customer_id", "customer_id"),
    Index("idx_orders_order_date", "order_date"),
)
Table(
    "order_items",
    DEMO_TABLES,
    _id(),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("product_id", Integer, ForeignKey("products.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Numeric(10, 2), nullable=False),
    Column("discount", Numeric(4, 2), nullable=False, default=0),
    Index("idx_order_items_order_id", "order_id"),
    Index("idx_order_items_product_id", "product_id"),
)


class DemoTargetExists(ValueError):
    """The demo data is there already (tables, or the SQLite file), and `replace` was not
    asked for; `what` says what was found, for the caller to say how to replace it."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}; pass replace=True to replace it")
        self.what = what


def load_demo_into(
    url: str,
    *,
    seed: int = DEMO_SEED,
    replace: bool = False,
    generated: Path | None = None,
) -> dict[str, int]:
    """Create the demo sales tables in the database at `url` and fill them; rows per table.

    Works for PostgreSQL, MySQL/MariaDB, DuckDB and SQLite URLs (a bare path is a SQLite
    file). Existing demo tables raise ValueError unless `replace` drops them first.
    `generated` is a demo SQLite file made already (then `seed` is not used).
    """
    db_engine, sa_url = engine_for_url(normalise_db_url(url))
    kind = db_engine.url_names[0]
    if kind not in _LOADERS:
        raise ValueError(f"the demo data cannot be loaded into {kind} databases")
    if kind == "sqlite":
        # Checked before the data is generated, which takes a few seconds.
        target = _sqlite_target(sa_url, replace)
    with tempfile.TemporaryDirectory(prefix="data-assistant-demo-") as folder:
        if generated is None:
            generated = generate_sales_db(Path(folder) / "sales.db", seed=seed)
        if kind == "sqlite":
            return _copy_sqlite_file(generated, target, sa_url)
        # A copy per load: adding a key later marks it, in its metadata, as not to be
        # created with its table, which must not leak into the next load.
        tables = MetaData()
        for table in DEMO_TABLES.sorted_tables:
            table.to_metadata(tables)
        engine = create_engine(sa_url, **_ENGINE_OPTIONS.get(kind, {}))
        try:
            keys_later = kind in KEYS_AFTER_LOAD
            _create_tables(engine, tables, replace, keys_later=keys_later)
            with sqlite3.connect(generated) as source:
                _LOADERS[kind](engine, tables, source, Path(folder))
            if keys_later:
                _add_keys(engine, tables)
            _analyze(engine, kind)
            return _counts(engine)
        finally:
            engine.dispose()


def _create_tables(engine: Engine, tables: MetaData, replace: bool, *, keys_later: bool) -> None:
    """Create the demo tables; with `keys_later`, without their foreign keys and indexes,
    which `_add_keys` adds once the rows are in (one check of each key, not one a row)."""
    existing = set(inspect(engine).get_table_names()) & set(tables.tables)
    if existing and not replace:
        raise DemoTargetExists(
            f"the database already has demo tables ({', '.join(sorted(existing))})"
        )
    tables.drop_all(engine, checkfirst=True)
    if not keys_later:
        tables.create_all(engine)
        return
    with engine.begin() as conn:
        for table in tables.sorted_tables:
            conn.execute(CreateTable(table, include_foreign_key_constraints=[]))


def _add_keys(engine: Engine, tables: MetaData) -> None:
    with engine.begin() as conn:
        for table in tables.sorted_tables:
            for index in table.indexes:
                conn.execute(CreateIndex(index))
            for constraint in table.foreign_key_constraints:
                conn.execute(AddConstraint(constraint))


def _rows(source: sqlite3.Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    """The generated rows of `table`, booleans as booleans, in its column order."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    booleans = [i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)]
    # Names are the fixed demo schema's, not user input.
    cursor = source.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY id')
    for row in cursor:
        if booleans:
            row = tuple(
                bool(v) if i in booleans and v is not None else v for i, v in enumerate(row)
            )
        yield row


def _load_postgres(
    engine: Engine, tables: MetaData, source: sqlite3.Connection, folder: Path
) -> None:
    from psycopg import sql

    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        with conn.cursor() as cursor:
            for table in tables.sorted_tables:
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table.name),
                    sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns),
                )
                with cursor.copy(statement) as copy:
                    for row in _rows(source, table):
                        copy.write_row(row)
        conn.commit()
    finally:
        raw.close()


def _load_mysql(engine: Engine, tables: MetaData, source: sqlite3.Connection, folder: Path) -> None:
    quote = engine.dialect.identifier_preparer.quote
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        with conn.cursor() as cursor:
            # The rows come from a database with the same keys: checking each is wasted work.
            cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
            for table in tables.sorted_tables:
                name = quote(table.name)
                columns = ", ".join(quote(c.name) for c in table.columns)
                path = folder / f"{table.name}.tsv"
                _write_tsv(path, _rows(source, table))
                try:
                    cursor.execute(
                        f"LOAD DATA LOCAL INFILE %s INTO TABLE {name} "
                        f"CHARACTER SET utf8mb4 ({columns})",
                        (str(path),),
                    )
                except Exception as exc:
                    # 1148 / 3948: the server does not allow LOCAL INFILE.
                    if not (exc.args and exc.args[0] in (1148, 3948)):
                        raise
                    # PyMySQL turns executemany of INSERT ... VALUES into multi-row INSERTs.
                    statement = (
                        f"INSERT INTO {name} ({columns}) "
                        f"VALUES ({', '.join(['%s'] * len(table.columns))})"
                    )
                    for batch in _batches(_rows(source, table), BATCH_ROWS):
                        cursor.executemany(statement, batch)
            cursor.execute("SET SESSION foreign_key_checks = 1, unique_checks = 1")
        conn.commit()
    finally:
        raw.close()


def _write_tsv(path: Path, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in LOAD DATA's default format: tabs, newlines, backslash escapes, \\N for NULL."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write("\t".join(_tsv_field(v) for v in row) + "\n")


def _tsv_field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


def _load_duckdb(
    engine: Engine, tables: MetaData, source: sqlite3.Connection, folder: Path
) -> None:
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        if not _attach_sqlite(conn, tables, source):
            for table in tables.sorted_tables:
                path = folder / f"{table.name}.csv"
                _write_csv(path, _rows(source, table))
                target = exp.to_identifier(table.name, quoted=True).sql("duckdb")
                literal = exp.Literal.string(str(path)).sql("duckdb")
                conn.execute(f"COPY {target} FROM {literal} (HEADER false, NULLSTR '\\N')")
        raw.commit()
    finally:
        raw.close()


def _attach_sqlite(conn: Any, tables: MetaData, source: sqlite3.Connection) -> bool:
    """Copy straight from the SQLite file when DuckDB's sqlite extension is installed."""
    path = source.execute("PRAGMA database_list").fetchone()[2]
    try:
        conn.execute("LOAD sqlite")
        literal = exp.Literal.string(path).sql("duckdb")
        conn.execute(f"ATTACH {literal} AS demo_source (TYPE sqlite, READ_ONLY)")
    except Exception:
        # Not installed, and nothing is fetched from the network: use CSV files instead.
        return False
    try:
        for table in tables.sorted_tables:
            name = exp.to_identifier(table.name, quoted=True).sql("duckdb")
            conn.execute(f"INSERT INTO {name} SELECT * FROM demo_source.{name}")
    finally:
        conn.execute("DETACH demo_source")
    return True


def _write_csv(path: Path, rows: Iterable[tuple[Any, ...]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(["\\N" if v is None else v for v in row])


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_target(url: URL, replace: bool) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ValueError("give the SQLite database as a file path")
    target = Path(database).expanduser()
    if target.exists() and not replace:
        raise DemoTargetExists(f"{target} already exists")
    return target


def _copy_sqlite_file(generated: Path, target: Path, url: URL) -> dict[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(generated, target)
    engine = create_engine(url)
    try:
        return _counts(engine)
    finally:
        engine.dispose()


def _analyze(engine: Engine, kind: str) -> None:
    """Give the planner statistics, as a freshly loaded database has none."""
    with engine.connect() as conn:
        if kind == "postgresql":
            conn.execute(text("ANALYZE"))
        elif kind in ("mysql", "mariadb"):
            quote = engine.dialect.identifier_preparer.quote
            names = ", ".join(quote(t) for t in DEMO_TABLES.tables)
            conn.exec_driver_sql(f"ANALYZE TABLE {names}").fetchall()
        elif kind == "duckdb":
            conn.execute(text("ANALYZE"))
        conn.commit()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in DEMO_TABLES.sorted_tables
        }


_LOADERS: dict[str, Callable[[Engine, MetaData, sqlite3.Connection, Path], None]] = {
    "postgresql": _load_postgres,
    "mysql": _load_mysql,
    "mariadb": _load_mysql,
    "duckdb": _load_duckdb,
    "sqlite": lambda engine, tables, source, folder: None,
}
