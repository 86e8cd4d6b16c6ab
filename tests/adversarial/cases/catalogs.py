"""Class 2: catalogs, statistics, settings, sessions, files and user-defined functions.

Whatever shows the catalog, the server's settings or another session, or runs code of
unknown effect, must be refused (`refused=True`): an allow-list knows only pure functions.
"""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "catalogs"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"


def pg(name: str, query: str, hole: str | None = None, **kw) -> Case:
    return case(C, name, query, engines=(PG,), refused=True, hole=hole, **kw)


def my(name: str, query: str, hole: str | None = None, **kw) -> Case:
    return case(C, name, query, engines=(MY,), refused=True, hole=hole, **kw)


def lite(name: str, query: str, hole: str | None = None, **kw) -> Case:
    return case(C, name, query, engines=(LITE,), refused=True, hole=hole, **kw)


def duck(name: str, query: str, hole: str | None = None, **kw) -> Case:
    return case(C, name, query, engines=(DUCK,), refused=True, hole=hole, **kw)


CASES: list[Case] = [
    # PostgreSQL catalogs and statistics.
    pg(
        "pg-stats-most-common-values",
        "SELECT attname, most_common_vals::text FROM pg_stats WHERE tablename = 'customers'",
    ),
    pg(
        "pg-stats-behind-a-quoted-cte",
        'WITH "PG_STATS" AS (SELECT 1) SELECT most_common_vals::text, histogram_bounds::text '
        "FROM pg_stats",
    ),
    pg("pg-catalog-qualified-stats", "SELECT most_common_vals::text FROM pg_catalog.pg_stats"),
    pg("pg-class-reltuples", "SELECT relname, reltuples FROM pg_class"),
    pg("information-schema-tables", "SELECT table_name FROM information_schema.tables"),
    pg(
        "information-schema-columns",
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers'",
    ),
    pg("pg-stat-activity-view", "SELECT query FROM pg_stat_activity"),
    pg(
        "pg-stat-get-activity",
        "SELECT * FROM pg_stat_get_activity(NULL)",
    ),
    pg(
        "pg-stat-get-backend-activity",
        "SELECT pg_stat_get_backend_activity(s) FROM pg_stat_get_backend_idset() AS s",
    ),
    pg(
        "pg-stat-get-live-tuples",
        "SELECT pg_stat_get_live_tuples('orders'::regclass)",
    ),
    pg("pg-hba-file-rules", "SELECT * FROM pg_hba_file_rules()"),
    pg(
        "pg-show-all-file-settings",
        "SELECT * FROM pg_show_all_file_settings()",
    ),
    pg(
        "current-setting-data-directory",
        "SELECT current_setting('data_directory')",
    ),
    pg(
        "current-setting-custom",
        "SELECT current_setting('app.marker')",
    ),
    pg("pg-settings-view", "SELECT name, setting FROM pg_settings"),
    pg("has-table-privilege", "SELECT has_table_privilege('secrets', 'SELECT')"),
    pg("to-regclass-probe", "SELECT to_regclass('secrets')::text"),
    pg("regclass-cast-probe", "SELECT 'secrets'::regclass::oid", differential=False),
    pg("version", "SELECT version()"),
    pg("inet-server-addr", "SELECT inet_server_addr(), inet_server_port()"),
    pg(
        "current-database",
        "SELECT current_database()",
    ),
    pg("current-user", "SELECT current_user, session_user"),
    pg("pg-postmaster-start-time", "SELECT pg_postmaster_start_time()"),
    pg("pg-backend-pid", "SELECT pg_backend_pid()", differential=False),
    pg(
        "obj-description-of-denied-table",
        "SELECT obj_description('secrets'::regclass)",
    ),
    pg(
        "col-description-of-denied-column",
        "SELECT col_description('customers'::regclass, 6)",
    ),
    pg("pg-get-functiondef", "SELECT pg_get_functiondef('order_note'::regproc)"),
    pg("pg-get-viewdef", "SELECT pg_get_viewdef('big_orders'::regclass)"),
    pg("pg-relation-size", "SELECT pg_relation_size('secrets')"),
    pg(
        "pg-database-size",
        "SELECT pg_database_size(current_database())",
        differential=False,
    ),
    pg("pg-authid-passwords", "SELECT rolname, rolpassword FROM pg_authid"),
    pg("pg-database-list", "SELECT datname FROM pg_database"),
    pg("pg-sequences-view", "SELECT * FROM pg_sequences"),
    pg("sequence-relation", "SELECT last_value FROM order_seq"),
    pg("pg-sequence-last-value", "SELECT pg_sequence_last_value('order_seq')"),
    pg("pg-read-file", "SELECT pg_read_file('$FILE')"),
    pg("pg-read-binary-file", "SELECT pg_read_binary_file('$FILE')"),
    pg("pg-stat-file", "SELECT pg_stat_file('$FILE')"),
    pg("pg-ls-dir", "SELECT * FROM pg_ls_dir('$DIR')"),
    pg("lo-import", "SELECT lo_import('$FILE')"),
    pg("query-to-xml", "SELECT query_to_xml('SELECT token FROM secrets', true, true, '')"),
    pg("table-to-xml", "SELECT table_to_xml('secrets', true, true, '')"),
    pg("xpath-table-free-text", "SELECT database_to_xml(true, true, '')"),
    pg("udf-reads-hidden-row", "SELECT order_note(3)"),
    pg("udf-reads-denied-table", "SELECT secret_token()"),
    pg("udf-set-returning-reads-everything", "SELECT * FROM all_customers()"),
    pg("udf-in-where-clause", "SELECT id FROM products WHERE secret_token() IS NOT NULL"),
    pg("udf-security-definer-writes", "SELECT purge_orders(0)"),
    pg("pg-file-settings-view", "SELECT * FROM pg_file_settings"),
    pg("pg-prepared-statements", "SELECT * FROM pg_prepared_statements"),
    pg("pg-current-logfile", "SELECT pg_current_logfile()"),
    pg("txid-current-snapshot", "SELECT txid_current_snapshot()", differential=False),
    pg(
        "pg-typeof-of-denied-row-type",
        "SELECT (NULL::secrets).*",
    ),
    pg(
        "json-populate-denied-row-type",
        'SELECT * FROM json_populate_record(NULL::secrets, \'{"token": "x"}\')',
    ),
    # MariaDB.
    my("system-variable-datadir", "SELECT @@datadir"),
    my(
        "system-variable-secure-file-priv",
        "SELECT @@secure_file_priv",
    ),
    my("system-variable-version", "SELECT @@version"),
    my("system-variable-global", "SELECT @@global.socket"),
    my("version-function", "SELECT version()"),
    my("database-function", "SELECT database()"),
    my("user-function", "SELECT user(), current_user()"),
    my("connection-id", "SELECT connection_id()", differential=False),
    my("load-file", "SELECT LOAD_FILE('$FILE')"),
    my("information-schema-tables", "SELECT table_name FROM information_schema.tables"),
    my("information-schema-processlist", "SELECT info FROM information_schema.processlist"),
    my("performance-schema-threads", "SELECT * FROM performance_schema.threads"),
    my("mysql-user-passwords", "SELECT user, password FROM mysql.user"),
    my("mysql-proc", "SELECT body FROM mysql.proc"),
    my("udf-reads-hidden-row", "SELECT order_note(3)"),
    my("udf-reads-denied-table", "SELECT secret_token()"),
    my("udf-writes", "SELECT purge_orders(0)"),
    my("sequence-table", "SELECT * FROM order_seq"),
    my("lastval-of-sequence", "SELECT LASTVAL(order_seq)"),
    my("found-rows", "SELECT FOUND_ROWS()"),
    my("benchmark", "SELECT BENCHMARK(1000, MD5('x'))"),
    my("sys-schema", "SELECT * FROM sys.processlist"),
    # SQLite.
    lite("sqlite-master", "SELECT * FROM sqlite_master"),
    lite("sqlite-schema", "SELECT sql FROM sqlite_schema"),
    lite("main-sqlite-master", "SELECT sql FROM main.sqlite_master"),
    lite("sqlite-temp-master", "SELECT * FROM sqlite_temp_master"),
    lite("pragma-table-info", "SELECT * FROM pragma_table_info('customers')"),
    lite("pragma-table-info-quoted", "SELECT * FROM \"pragma_table_info\"('secrets')"),
    lite("pragma-database-list", "SELECT * FROM pragma_database_list()"),
    lite("pragma-as-table-name", "SELECT * FROM pragma_database_list"),
    lite("pragma-function-list", "SELECT name FROM pragma_function_list()"),
    lite("sqlite-stat1", "SELECT * FROM sqlite_stat1"),
    lite("sqlite-sequence", "SELECT * FROM sqlite_sequence"),
    lite("load-extension", "SELECT load_extension('$DIR/evil')"),
    lite("readfile", "SELECT readfile('$FILE')"),
    lite("sqlite-version", "SELECT sqlite_version()"),
    lite("sqlite-source-id", "SELECT sqlite_source_id()"),
    lite("compile-options", "SELECT sqlite_compileoption_get(0)"),
    lite("sqlite-dbpage", "SELECT * FROM sqlite_dbpage"),
    lite(
        "json-each-over-denied",
        "SELECT * FROM json_each((SELECT json_group_array(token) FROM secrets))",
    ),
    lite("changes-counters", "SELECT changes(), total_changes(), last_insert_rowid()"),
    # DuckDB.
    duck(
        "json-execute-serialized-sql",
        "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT token FROM "
        "secrets'))",
    ),
    duck(
        "json-execute-serialized-sql-tenants",
        "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT note, tenant "
        "FROM orders'))",
    ),
    duck(
        "pragma-storage-info",
        "SELECT * FROM pragma_storage_info('orders')",
    ),
    duck(
        "pragma-table-info-shows-denied-columns",
        "SELECT * FROM pragma_table_info('customers')",
    ),
    duck(
        "pragma-table-info-of-denied-table",
        "SELECT * FROM pragma_table_info('secrets')",
    ),
    duck(
        "pragma-database-size",
        "SELECT * FROM pragma_database_size()",
        differential=False,
    ),
    duck("duckdb-tables", "SELECT * FROM duckdb_tables()"),
    duck("duckdb-columns", "SELECT * FROM duckdb_columns()"),
    duck("duckdb-settings", "SELECT * FROM duckdb_settings()"),
    duck("duckdb-functions-macros", "SELECT * FROM duckdb_functions()"),
    duck("information-schema-tables", "SELECT * FROM information_schema.tables"),
    duck("sqlite-master-compat", "SELECT * FROM sqlite_master"),
    duck("read-csv", "SELECT * FROM read_csv('$DIR/secret.csv')"),
    duck("read-text", "SELECT * FROM read_text('$FILE')"),
    duck("file-path-as-table", "SELECT * FROM '$DIR/secret.csv'"),
    duck("query-function", "SELECT * FROM query('SELECT * FROM secrets')"),
    duck("query-table-function", "SELECT * FROM query_table('secrets')"),
    duck("glob", "SELECT * FROM glob('$DIR/*')"),
    duck("getenv", "SELECT getenv('HOME')"),
    duck("macro-reads-denied-table", "SELECT secret_token()"),
    duck("macro-reads-hidden-row", "SELECT order_note(3)"),
    duck("table-macro-reads-denied-table", "SELECT * FROM all_secrets()"),
    duck("current-setting", "SELECT current_setting('memory_limit')"),
    duck("version", "SELECT version()"),
    duck("current-database", "SELECT current_database()"),
    duck("currval", "SELECT currval('order_seq')"),
    duck("which-secret", "SELECT * FROM which_secret('s3://x', 's3')"),
]
