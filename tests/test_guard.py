"""The SQL guard: what passes, what is rejected and why, and how the row cap is written."""

from __future__ import annotations

import re
import sqlite3

import pytest
import sqlglot

import data_assistant.guard
from data_assistant.errors import GuardRejection
from data_assistant.guard import GuardedQuery, cap_rows, check_sql, validate_sql


def case(case_id: str, dialect: str, sql: str, *expected: object) -> object:
    """One table row with a readable id."""
    return pytest.param(dialect, sql, *expected, id=case_id)


# --- benign queries, many of which a keyword filter would reject -----------------------------

# fmt: off
ALLOWED = [
    # sqlite
    case("sqlite-columns-named-like-keywords", "sqlite",
         "SELECT id, created_at, is_deleted, update_count FROM orders WHERE deleted = 0"),
    case("sqlite-string-with-semicolon-and-drop", "sqlite",
         "SELECT 'a; DROP TABLE users; --' AS note FROM orders"),
    case("sqlite-comments-inside-query", "sqlite",
         "SELECT id -- the key\nFROM orders /* all of them */ WHERE status = 'paid'"),
    case("sqlite-quoted-insert-column", "sqlite", 'SELECT "insert", "Order Total" FROM orders'),
    case("sqlite-window-function", "sqlite",
         "SELECT id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at) AS n FROM "
         "orders"),
    case("sqlite-recursive-cte-without-keyword", "sqlite",
         "WITH cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10) SELECT x FROM "
         "cnt"),
    case("sqlite-json-each-table-function", "sqlite",
         "SELECT j.value FROM orders, json_each(orders.tags) AS j"),
    case("sqlite-json-tree-table-function", "sqlite", "SELECT key FROM json_tree('{\"a\": 1}')"),
    case("sqlite-date-functions", "sqlite",
         "SELECT strftime('%Y-%m', created_at) AS month, COUNT(*) FROM orders WHERE created_at "
         ">= date('now', '-30 days') GROUP BY 1"),
    case("sqlite-case-and-cast", "sqlite",
         "SELECT CASE WHEN total > 100 THEN 'big' ELSE 'small' END, CAST(total AS INTEGER) FROM "
         "orders"),
    case("sqlite-group-by-having-order-by", "sqlite",
         "SELECT customer_id, SUM(total) FROM orders GROUP BY customer_id HAVING SUM(total) > 10 "
         "ORDER BY 2 DESC"),
    case("sqlite-limit-offset", "sqlite", "SELECT id FROM orders ORDER BY id LIMIT 10 OFFSET 20"),
    case("sqlite-union-all", "sqlite", "SELECT id FROM orders UNION ALL SELECT id FROM refunds"),
    case("sqlite-exists-subquery", "sqlite",
         "SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = "
         "c.id)"),
    case("sqlite-left-and-cross-join", "sqlite",
         "SELECT * FROM orders o LEFT JOIN customers c ON c.id = o.customer_id CROSS JOIN "
         "products"),
    case("sqlite-values-only", "sqlite", "VALUES (1, 'a'), (2, 'b')"),
    case("sqlite-randomblob-small", "sqlite", "SELECT hex(randomblob(16))"),
    case("sqlite-trailing-semicolon", "sqlite", "SELECT 1;"),
    case("sqlite-trailing-semicolon-and-comment", "sqlite", "SELECT 1; -- done"),
    case("sqlite-distinct", "sqlite", "SELECT DISTINCT status FROM orders"),
    # postgres
    case("postgres-columns-named-like-keywords", "postgres",
         "SELECT deleted, drop_rate, update_count, created_at FROM metrics"),
    case("postgres-generate-series-in-from", "postgres",
         "SELECT d::date FROM generate_series('2024-01-01'::date, '2024-01-31', interval '1 "
         "day') AS d"),
    case("postgres-current-timestamp-at-time-zone", "postgres",
         "SELECT now() AT TIME ZONE 'UTC', current_date"),
    case("postgres-ilike-and-date-trunc", "postgres",
         "SELECT date_trunc('month', created_at), count(*) FROM orders WHERE name ILIKE '%drop%' "
         "GROUP BY 1"),
    case("postgres-distinct-on", "postgres",
         "SELECT DISTINCT ON (customer_id) customer_id, created_at FROM orders ORDER BY "
         "customer_id, created_at DESC"),
    case("postgres-fetch-first", "postgres",
         "SELECT id FROM orders ORDER BY id FETCH FIRST 5 ROWS ONLY"),
    case("postgres-with-recursive", "postgres",
         "WITH RECURSIVE tree AS (SELECT id, parent_id FROM categories WHERE parent_id IS NULL "
         "UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = "
         "t.id) SELECT * FROM tree"),
    case("postgres-full-outer-join", "postgres",
         "SELECT * FROM orders o FULL OUTER JOIN refunds r ON r.order_id = o.id"),
    case("postgres-lateral-subquery", "postgres",
         "SELECT c.id, o.total FROM customers c, LATERAL (SELECT total FROM orders WHERE "
         "customer_id = c.id ORDER BY total DESC LIMIT 1) o"),
    case("postgres-unnest", "postgres", "SELECT x FROM unnest(ARRAY[1, 2, 3]) AS u(x)"),
    case("postgres-string-holding-a-delete", "postgres",
         "SELECT 'DELETE FROM users; --' AS s, '/* */' AS t"),
    case("postgres-mixed-case-quoted-identifiers", "postgres",
         'SELECT "Order Details"."Unit Price" FROM "Order Details"'),
    case("postgres-ordered-set-aggregate", "postgres",
         "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders"),
    case("postgres-aggregate-filter", "postgres",
         "SELECT count(*) FILTER (WHERE status = 'paid') FROM orders"),
    case("postgres-intersect-and-except", "postgres",
         "SELECT id FROM a INTERSECT SELECT id FROM b EXCEPT SELECT id FROM c"),
    case("postgres-json-operators", "postgres", "SELECT payload->>'name' FROM events"),
    case("postgres-dollar-quoted-string", "postgres", "SELECT $$;DROP TABLE users$$ AS s"),
    case("postgres-comment-mentioning-drop", "postgres",
         "SELECT id FROM orders -- DROP TABLE orders\nWHERE id > 1"),
    case("postgres-table-shorthand", "postgres", "TABLE orders"),
    case("postgres-parenthesised-query", "postgres", "(SELECT id FROM orders)"),
    # mysql and mariadb
    case("mysql-backtick-identifiers", "mysql", "SELECT `insert`, `my column` FROM `my table`"),
    case("mysql-date-sub-interval", "mysql",
         "SELECT * FROM orders WHERE created_at > DATE_SUB(NOW(), INTERVAL 7 DAY)"),
    case("mysql-limit-offset-comma-form", "mysql", "SELECT id FROM orders LIMIT 5, 10"),
    case("mysql-ifnull-and-group-concat", "mysql",
         "SELECT IFNULL(name, '?'), GROUP_CONCAT(sku SEPARATOR ', ') FROM products GROUP BY name"),
    case("mysql-right-join", "mysql",
         "SELECT * FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id"),
    case("mysql-window-function", "mysql",
         "SELECT id, RANK() OVER (ORDER BY total DESC) AS r FROM orders"),
    case("mysql-cte", "mysql",
         "WITH big AS (SELECT * FROM orders WHERE total > 100) SELECT COUNT(*) FROM big"),
    case("mysql-keyword-like-columns", "mysql",
         "SELECT update_count, is_deleted FROM users WHERE is_deleted = 0"),
    case("mysql-string-with-stacked-statement", "mysql",
         "SELECT * FROM users WHERE name = '; DROP TABLE users; --'"),
    case("mariadb-plain-select", "mariadb", "SELECT id FROM orders WHERE total BETWEEN 1 AND 9"),
    case("mysql-optimizer-hint", "mysql", "SELECT /*+ MAX_EXECUTION_TIME(1000) */ id FROM orders"),
    # tsql
    case("tsql-top", "tsql", "SELECT TOP 10 id FROM orders"),
    case("tsql-top-with-order-by", "tsql", "SELECT TOP 10 id FROM orders ORDER BY total DESC"),
    case("tsql-offset-fetch", "tsql",
         "SELECT id FROM orders ORDER BY id OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY"),
    case("tsql-bracketed-identifiers", "tsql",
         "SELECT [insert], [Unit Price] FROM [Order Details]"),
    case("tsql-date-functions", "tsql",
         "SELECT DATEADD(day, -7, GETDATE()), CONVERT(VARCHAR(10), created_at, 120) FROM orders"),
    case("tsql-outer-apply", "tsql",
         "SELECT o.id, x.n FROM orders o OUTER APPLY (SELECT COUNT(*) AS n FROM items i WHERE "
         "i.order_id = o.id) x"),
    case("tsql-nolock-hint", "tsql", "SELECT id FROM orders WITH (NOLOCK)"),
    case("tsql-cte", "tsql", "WITH t AS (SELECT id FROM orders) SELECT id FROM t"),
    case("tsql-isnull-and-iif", "tsql",
         "SELECT ISNULL(total, 0), IIF(total > 1, 'y', 'n') FROM orders"),
    case("tsql-string-agg", "tsql", "SELECT STRING_AGG(name, ',') FROM customers"),
    case("tsql-openjson", "tsql", "SELECT [value] FROM OPENJSON('[1, 2]')"),
    case("tsql-schema-qualified-table", "tsql", "SELECT id FROM dbo.orders"),
    case("tsql-union-all", "tsql", "SELECT id FROM orders UNION ALL SELECT id FROM refunds"),
    # duckdb
    case("duckdb-qualify", "duckdb",
         "SELECT id FROM orders QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY "
         "total) = 1"),
    case("duckdb-list-and-struct", "duckdb", "SELECT list_value(1, 2), struct_pack(a := 1)"),
    case("duckdb-from-first", "duckdb", "FROM orders"),
    case("duckdb-range", "duckdb", "SELECT * FROM range(10)"),
]
# fmt: on

# --- unsafe or malformed queries, with a fragment the reason must mention ---------------------

# fmt: off
REJECTED = [
    # several statements, none, or comment tricks
    case("postgres-stacked-drop", "postgres", "SELECT 1; DROP TABLE users", "one statement"),
    case("sqlite-two-selects", "sqlite", "SELECT 1; SELECT 2", "found 2 statements"),
    case("mysql-select-then-delete", "mysql", "SELECT * FROM t; DELETE FROM t", "one statement"),
    case("tsql-comment-then-drop", "tsql",
         "SELECT 1; -- harmless\nDROP TABLE users", "one statement"),
    case("postgres-empty-comment-then-drop", "postgres",
         "SELECT 1; -- \nDROP TABLE users", "one statement"),
    case("sqlite-empty-input", "sqlite", "", "empty"),
    case("postgres-only-a-comment", "postgres", "-- just a comment", "empty"),
    case("mysql-only-a-block-comment", "mysql", "/* nothing */ ;", "empty"),
    case("tsql-only-whitespace", "tsql", "   \n ", "empty"),
    # data-modifying and DDL statements at the root
    case("postgres-delete", "postgres", "DELETE FROM users", "found DELETE"),
    case("sqlite-insert", "sqlite", "INSERT INTO t VALUES (1)", "found INSERT"),
    case("mysql-update", "mysql", "UPDATE t SET a = 1", "found UPDATE"),
    case("tsql-merge", "tsql",
         "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;", "found MERGE"),
    case("postgres-drop-table", "postgres", "DROP TABLE users", "DROP TABLE"),
    case("sqlite-create-table", "sqlite", "CREATE TABLE x (a INT)", "CREATE TABLE"),
    case("mysql-alter-table", "mysql", "ALTER TABLE t ADD COLUMN b INT", "ALTER"),
    case("postgres-truncate", "postgres", "TRUNCATE users", "TRUNCATE"),
    case("sqlite-replace-into", "sqlite", "REPLACE INTO t VALUES (1)", "REPLACE"),
    case("sqlite-insert-or-replace", "sqlite", "INSERT OR REPLACE INTO t VALUES (1)", "INSERT"),
    case("tsql-create-view", "tsql", "CREATE VIEW v AS SELECT 1 AS a", "CREATE VIEW"),
    case("duckdb-copy-to-file", "duckdb", "COPY (SELECT 1) TO 'out.csv'", "COPY"),
    case("postgres-comment-on", "postgres", "COMMENT ON TABLE t IS 'x'", "COMMENT ON"),
    # writes and locks nested inside a query
    case("postgres-cte-delete-returning", "postgres",
         "WITH gone AS (DELETE FROM users RETURNING *) SELECT * FROM gone", "DELETE"),
    case("postgres-cte-insert-returning", "postgres",
         "WITH n AS (INSERT INTO audit VALUES (1) RETURNING id) SELECT id FROM n", "INSERT"),
    case("postgres-cte-update-returning", "postgres",
         "WITH u AS (UPDATE users SET admin = true RETURNING id) SELECT count(*) FROM u", "UPDATE"),
    case("postgres-delete-in-derived-table-cte", "postgres",
         "SELECT * FROM (WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d) x", "DELETE"),
    case("postgres-select-into", "postgres", "SELECT * INTO backup FROM users", "SELECT INTO"),
    case("tsql-select-into-temp-table", "tsql", "SELECT * INTO #tmp FROM users", "SELECT INTO"),
    case("tsql-select-into-table", "tsql", "SELECT name INTO dbo.copy FROM users", "SELECT INTO"),
    case("mysql-select-into-variable", "mysql", "SELECT a INTO @x FROM t", "SELECT INTO"),
    case("postgres-for-update", "postgres", "SELECT * FROM users FOR UPDATE", "FOR UPDATE"),
    case("postgres-for-share", "postgres", "SELECT * FROM users FOR SHARE", "FOR SHARE"),
    case("postgres-for-no-key-update-skip-locked", "postgres",
         "SELECT * FROM users FOR NO KEY UPDATE SKIP LOCKED", "FOR UPDATE"),
    case("mysql-for-update", "mysql", "SELECT * FROM users FOR UPDATE", "FOR UPDATE"),
    case("mysql-lock-in-share-mode", "mysql",
         "SELECT * FROM users LOCK IN SHARE MODE", "FOR SHARE"),
    case("tsql-updlock-hint", "tsql", "SELECT * FROM users WITH (UPDLOCK)", "UPDLOCK"),
    case("tsql-tablockx-hint", "tsql", "SELECT * FROM users WITH (TABLOCKX, HOLDLOCK)", "TABLOCKX"),
    # statements sqlglot keeps as Command or as their own nodes
    case("sqlite-pragma", "sqlite", "PRAGMA writable_schema = 1", "PRAGMA"),
    case("sqlite-attach", "sqlite", "ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH"),
    case("sqlite-detach", "sqlite", "DETACH x", "DETACH"),
    case("sqlite-vacuum", "sqlite", "VACUUM", "VACUUM"),
    case("sqlite-analyze", "sqlite", "ANALYZE", "ANALYZE"),
    case("postgres-set-search-path", "postgres", "SET search_path TO evil", "SET"),
    case("mysql-set-global", "mysql", "SET GLOBAL general_log = 1", "SET"),
    case("postgres-copy-to-file", "postgres", "COPY users TO '/tmp/users.csv'", "COPY"),
    case("postgres-copy-to-program", "postgres", "COPY users TO PROGRAM 'curl x'", "COPY"),
    case("postgres-grant", "postgres", "GRANT ALL ON users TO public", "GRANT"),
    case("postgres-revoke", "postgres", "REVOKE ALL ON users FROM public", "REVOKE"),
    case("tsql-exec-xp-cmdshell", "tsql", "EXEC xp_cmdshell 'dir'", "EXEC"),
    case("tsql-exec-sp-configure", "tsql", "EXEC sp_configure 'show advanced options', 1", "EXEC"),
    case("tsql-execute-string", "tsql", "EXECUTE ('DROP TABLE users')", "EXEC"),
    case("postgres-call", "postgres", "CALL do_things()", "CALL"),
    case("postgres-explain-analyze-delete", "postgres",
         "EXPLAIN ANALYZE DELETE FROM users", "EXPLAIN"),
    case("postgres-do-block", "postgres", "DO $$ BEGIN DELETE FROM users; END $$", "DO"),
    case("postgres-listen", "postgres", "LISTEN channel", "LISTEN"),
    case("postgres-notify", "postgres", "NOTIFY channel", "NOTIFY"),
    case("postgres-lock-table", "postgres", "LOCK TABLE users", "LOCK"),
    case("postgres-refresh-materialized-view", "postgres",
         "REFRESH MATERIALIZED VIEW v", "REFRESH"),
    case("postgres-prepare", "postgres", "PREPARE p AS SELECT 1", "PREPARE"),
    case("postgres-rollback", "postgres", "ROLLBACK", "ROLLBACK"),
    case("mysql-show-tables", "mysql", "SHOW TABLES", "SHOW"),
    case("mysql-kill", "mysql", "KILL 5", "KILL"),
    case("tsql-use-database", "tsql", "USE master", "USE"),
    case("tsql-begin-transaction", "tsql", "BEGIN TRANSACTION", "TRANSACTION"),
    case("tsql-declare", "tsql", "DECLARE @x INT", "DECLARE"),
    case("tsql-shutdown", "tsql", "SHUTDOWN", "SHUTDOWN"),
    case("tsql-dbcc", "tsql", "DBCC CHECKDB", "DBCC"),
    case("duckdb-install-extension", "duckdb", "INSTALL httpfs", "INSTALL"),
    case("duckdb-load-extension", "duckdb", "LOAD httpfs", "LOAD"),
    # postgres functions
    case("postgres-pg-sleep", "postgres", "SELECT pg_sleep(10)", "pg_sleep"),
    case("postgres-schema-qualified-pg-sleep-for", "postgres",
         "SELECT pg_catalog.pg_sleep_for('5 minutes')", "pg_sleep_for"),
    case("postgres-upper-case-pg-sleep", "postgres", "SELECT PG_SLEEP(1)", "pg_sleep"),
    case("postgres-quoted-pg-sleep", "postgres", 'SELECT "pg_sleep"(1)', "pg_sleep"),
    case("postgres-pg-read-file-in-from", "postgres",
         "SELECT * FROM pg_read_file('/etc/passwd')", "pg_read_file"),
    case("postgres-pg-read-binary-file", "postgres",
         "SELECT pg_read_binary_file('/etc/passwd')", "pg_read_binary_file"),
    case("postgres-pg-ls-dir", "postgres", "SELECT * FROM pg_ls_dir('.')", "pg_ls_dir"),
    case("postgres-pg-stat-file", "postgres",
         "SELECT pg_stat_file('postgresql.conf')", "pg_stat_file"),
    case("postgres-lo-import", "postgres", "SELECT lo_import('/etc/passwd')", "lo_import"),
    case("postgres-lo-export", "postgres", "SELECT lo_export(1234, '/tmp/x')", "lo_export"),
    case("postgres-set-config", "postgres",
         "SELECT set_config('log_statement', 'none', false)", "set_config"),
    case("postgres-advisory-lock", "postgres", "SELECT pg_advisory_lock(42)", "pg_advisory_lock"),
    case("postgres-try-advisory-xact-lock", "postgres",
         "SELECT pg_try_advisory_xact_lock(1)", "pg_try_advisory_xact_lock"),
    case("postgres-terminate-backend", "postgres",
         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity", "pg_terminate_backend"),
    case("postgres-cancel-backend", "postgres", "SELECT pg_cancel_backend(1)", "pg_cancel_backend"),
    case("postgres-reload-conf", "postgres", "SELECT pg_reload_conf()", "pg_reload_conf"),
    case("postgres-dblink", "postgres",
         "SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(a int)", "dblink"),
    case("postgres-nextval", "postgres", "SELECT nextval('orders_id_seq')", "nextval"),
    case("postgres-setval", "postgres", "SELECT setval('orders_id_seq', 1)", "setval"),
    case("postgres-query-to-xml", "postgres",
         "SELECT query_to_xml('SELECT * FROM secrets', true, true, '')", "query_to_xml"),
    case("postgres-logical-slot", "postgres",
         "SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)",
         "pg_logical_slot_get_changes"),
    case("postgres-create-restore-point", "postgres",
         "SELECT pg_create_restore_point('x')", "pg_create_restore_point"),
    case("postgres-txid-current", "postgres", "SELECT txid_current()", "txid_current"),
    case("postgres-function-in-where-subquery", "postgres",
         "SELECT * FROM orders WHERE id IN (SELECT pg_sleep(5)::int)", "pg_sleep"),
    case("postgres-function-in-case", "postgres",
         "SELECT CASE WHEN total > 0 THEN pg_sleep(1) END FROM orders", "pg_sleep"),
    case("postgres-function-in-where", "postgres",
         "SELECT * FROM orders WHERE pg_sleep(1) IS NOT NULL", "pg_sleep"),
    case("postgres-function-in-cte", "postgres",
         "WITH x AS (SELECT pg_read_file('/etc/passwd') AS f) SELECT * FROM x", "pg_read_file"),
    # mysql functions
    case("mysql-sleep", "mysql", "SELECT SLEEP(5)", "sleep"),
    case("mysql-sleep-in-where", "mysql", "SELECT * FROM t WHERE id = 1 AND SLEEP(5)", "sleep"),
    case("mysql-benchmark", "mysql", "SELECT BENCHMARK(1000000, MD5('x'))", "benchmark"),
    case("mysql-load-file", "mysql", "SELECT LOAD_FILE('/etc/passwd')", "load_file"),
    case("mysql-get-lock", "mysql", "SELECT GET_LOCK('x', 10)", "get_lock"),
    case("mysql-release-lock", "mysql", "SELECT RELEASE_LOCK('x')", "release_lock"),
    case("mysql-is-free-lock", "mysql", "SELECT IS_FREE_LOCK('x')", "is_free_lock"),
    case("mysql-master-pos-wait", "mysql", "SELECT MASTER_POS_WAIT('log', 4)", "master_pos_wait"),
    case("mysql-source-pos-wait", "mysql", "SELECT SOURCE_POS_WAIT('log', 4)", "source_pos_wait"),
    case("mysql-sys-exec", "mysql", "SELECT sys_exec('id')", "sys_exec"),
    case("mysql-sys-eval", "mysql", "SELECT sys_eval('id')", "sys_eval"),
    case("mariadb-nextval", "mariadb", "SELECT NEXTVAL(s)", "nextval"),
    # sqlite functions
    case("sqlite-load-extension", "sqlite",
         "SELECT load_extension('/tmp/evil.so')", "load_extension"),
    case("sqlite-readfile", "sqlite", "SELECT readfile('/etc/passwd')", "readfile"),
    case("sqlite-writefile", "sqlite", "SELECT writefile('/tmp/x', 'y')", "writefile"),
    case("sqlite-edit", "sqlite", "SELECT edit('x')", "edit"),
    case("sqlite-fts3-tokenizer", "sqlite", "SELECT fts3_tokenizer('simple')", "fts3_tokenizer"),
    case("sqlite-fsdir-table-function", "sqlite", "SELECT name FROM fsdir('/')", "fsdir"),
    # tsql functions
    case("tsql-openrowset", "tsql",
         "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=evil;', 'SELECT 1')", "openrowset"),
    case("tsql-openquery", "tsql", "SELECT * FROM OPENQUERY(linked, 'SELECT 1')", "openquery"),
    case("tsql-opendatasource", "tsql",
         "SELECT * FROM OPENDATASOURCE('SQLNCLI', 'Data Source=evil').db.dbo.t", "OPENDATASOURCE"),
    case("tsql-openxml", "tsql", "SELECT * FROM OPENXML(@doc, '/x', 1)", "openxml"),
    case("tsql-xp-function", "tsql", "SELECT xp_cmdshell('dir')", "xp_cmdshell"),
    case("tsql-sp-function", "tsql", "SELECT sp_helptext('v')", "sp_helptext"),
    case("tsql-next-value-for", "tsql", "SELECT NEXT VALUE FOR dbo.seq", "next value for"),
    case("tsql-read-xe-file", "tsql",
         "SELECT * FROM sys.fn_xe_file_target_read_file('x', NULL, NULL, NULL)",
         "fn_xe_file_target_read_file"),
    # duckdb file and network reads
    case("duckdb-read-csv", "duckdb", "SELECT * FROM read_csv('secrets.csv')", "read_csv"),
    case("duckdb-read-csv-auto", "duckdb", "SELECT * FROM read_csv_auto('x.csv')", "read_csv_auto"),
    case("duckdb-read-parquet", "duckdb",
         "SELECT * FROM read_parquet('s3://b/x.parquet')", "read_parquet"),
    case("duckdb-read-json-auto", "duckdb",
         "SELECT * FROM read_json_auto('x.json')", "read_json_auto"),
    case("duckdb-glob", "duckdb", "SELECT * FROM glob('/etc/*')", "glob"),
    case("duckdb-file-named-as-table", "duckdb", "SELECT * FROM 'data.csv'", "data.csv"),
    case("duckdb-url-named-as-table", "duckdb",
         "SELECT * FROM 's3://bucket/k.parquet'", "s3://bucket/k.parquet"),
    case("duckdb-getenv", "duckdb", "SELECT getenv('AWS_SECRET_ACCESS_KEY')", "getenv"),
    case("duckdb-query-function", "duckdb",
         "SELECT * FROM query('SELECT * FROM secrets')", "query"),
    case("duckdb-secrets", "duckdb", "SELECT * FROM duckdb_secrets()", "duckdb_secrets"),
    case("duckdb-sqlite-scan", "duckdb",
         "SELECT * FROM sqlite_scan('other.db', 't')", "sqlite_scan"),
    # garbage
    case("postgres-misspelt-keyword", "postgres", "SELEC * FROM t", "could not be parsed"),
    case("postgres-missing-table", "postgres", "SELECT * FROM", "line 1"),
    case("sqlite-unterminated-string", "sqlite", "SELECT 'unterminated", "could not be parsed"),
    case("mysql-into-outfile", "mysql",
         "SELECT * FROM t INTO OUTFILE '/tmp/x'", "could not be parsed"),
    case("tsql-waitfor-delay", "tsql", "WAITFOR DELAY '00:00:05'", "could not be parsed"),
    case("postgres-brackets-only", "postgres", ")))(((", "column 1"),
    case("postgres-error-on-third-line", "postgres", "SELECT a,\n  FROM\n WHERE", "line 3"),
]
# fmt: on

# --- table checks ---------------------------------------------------------------------------

TABLES = {"orders", "customers", "order_items", "products", "public.orders"}

# fmt: off
UNKNOWN_TABLES = [
    case("postgres-plain-unknown-table", "postgres", "SELECT * FROM secrets", "'secrets'"),
    case("postgres-unknown-table-in-join", "postgres",
         "SELECT * FROM orders o JOIN secrets s ON s.id = o.id", "'secrets'"),
    case("sqlite-unknown-table-in-subquery", "sqlite",
         "SELECT * FROM orders WHERE id IN (SELECT id FROM secrets)", "'secrets'"),
    case("mysql-unknown-table-in-cte-body", "mysql",
         "WITH x AS (SELECT * FROM secrets) SELECT * FROM x", "'secrets'"),
    case("tsql-unknown-table-in-scalar-subquery", "tsql",
         "SELECT (SELECT MAX(pw) FROM secrets) FROM orders", "'secrets'"),
    case("sqlite-unknown-table-in-union", "sqlite",
         "SELECT id FROM orders UNION SELECT id FROM secrets", "'secrets'"),
    case("postgres-unknown-table-in-exists", "postgres",
         "SELECT 1 FROM orders WHERE EXISTS (SELECT 1 FROM secrets)", "'secrets'"),
    case("postgres-unknown-table-in-lateral", "postgres",
         "SELECT * FROM orders o, LATERAL (SELECT * FROM secrets s WHERE s.id = o.id) x",
         "'secrets'"),
    case("postgres-allowed-name-in-other-schema", "postgres",
         "SELECT * FROM private.orders", "'private.orders'"),
    case("tsql-allowed-name-in-other-database", "tsql",
         "SELECT * FROM otherdb.dbo.orders", "'otherdb.dbo.orders'"),
    case("tsql-linked-server", "tsql", "SELECT * FROM srv.db.dbo.orders", "srv.db.dbo.orders"),
    case("tsql-temp-table-with-allowed-name", "tsql", "SELECT * FROM #orders", "#orders"),
    case("postgres-cte-name-out-of-scope", "postgres",
         "SELECT * FROM (WITH secrets AS (SELECT 1 AS a) SELECT * FROM secrets) x, secrets",
         "'secrets'"),
    case("postgres-non-recursive-cte-naming-itself", "postgres",
         "WITH secrets AS (SELECT * FROM secrets) SELECT * FROM secrets", "'secrets'"),
    case("postgres-cte-referring-to-a-later-cte", "postgres",
         "WITH a AS (SELECT * FROM secrets), secrets AS (SELECT 1) SELECT * FROM a", "'secrets'"),
    case("sqlite-catalog-table", "sqlite", "SELECT sql FROM sqlite_master", "'sqlite_master'"),
    case("postgres-catalog-table", "postgres",
         "SELECT * FROM pg_catalog.pg_shadow", "'pg_catalog.pg_shadow'"),
    case("mysql-system-table", "mysql", "SELECT * FROM mysql.user", "'mysql.user'"),
    case("duckdb-unknown-table", "duckdb", "SELECT * FROM secrets", "'secrets'"),
    # PostgreSQL keeps the case of a quoted name: "Orders" is another table than orders.
    case("postgres-quoted-mixed-case-is-another-table", "postgres",
         'SELECT * FROM "Orders"', "'Orders'"),
]
# fmt: on

# fmt: off
KNOWN_TABLES = [
    case("sqlite-plain", "sqlite", "SELECT * FROM orders", {"orders"}),
    case("postgres-case-insensitive", "postgres", "SELECT * FROM ORDERS", {"orders"}),
    case("postgres-quoted-lower-case", "postgres", 'SELECT * FROM "orders"', {"orders"}),
    case("postgres-schema-qualified", "postgres", "SELECT * FROM public.orders", {"public.orders"}),
    case("postgres-cte-name-is-not-a-table", "postgres",
         "WITH secrets AS (SELECT id FROM orders) SELECT * FROM secrets", {"orders"}),
    case("postgres-recursive-cte-name", "postgres",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * "
         "FROM r JOIN products p ON p.id = r.n", {"products"}),
    case("postgres-earlier-cte-used-by-later-cte", "postgres",
         "WITH a AS (SELECT * FROM orders), b AS (SELECT * FROM a) SELECT * FROM b", {"orders"}),
    case("sqlite-table-function-is-not-a-table", "sqlite",
         "SELECT o.id, j.value FROM orders o, json_each(o.tags) j", {"orders"}),
    case("tsql-bare-name-under-dbo", "tsql",
         "SELECT * FROM dbo.customers c JOIN order_items i ON i.id = c.id",
         {"dbo.customers", "order_items"}),
    case("mysql-backticks", "mysql", "SELECT * FROM `products`", {"products"}),
    case("postgres-table-shorthand", "postgres", "TABLE customers", {"customers"}),
    case("duckdb-plain", "duckdb", "SELECT * FROM orders", {"orders"}),
]
# fmt: on

# --- the row cap: (dialect, sql, cap, expected capped SQL) ----------------------------------

# fmt: off
CAPS = [
    case("sqlite-limit-injected", "sqlite", "SELECT a FROM t", 100, "SELECT a FROM t LIMIT 100"),
    case("postgres-larger-limit-lowered", "postgres",
         "SELECT a FROM t LIMIT 500", 100, "SELECT a FROM t LIMIT 100"),
    case("postgres-smaller-limit-kept", "postgres",
         "SELECT a FROM t LIMIT 5", 100, "SELECT a FROM t LIMIT 5"),
    case("mysql-offset-kept-limit-lowered", "mysql",
         "SELECT a FROM t LIMIT 20, 500", 100, "SELECT a FROM t LIMIT 100 OFFSET 20"),
    case("postgres-offset-only-gets-limit", "postgres",
         "SELECT a FROM t ORDER BY a OFFSET 10",
         100, "SELECT a FROM t ORDER BY a LIMIT 100 OFFSET 10"),
    case("postgres-fetch-first-lowered", "postgres",
         "SELECT a FROM t FETCH FIRST 500 ROWS ONLY",
         100, "SELECT a FROM t FETCH FIRST 100 ROWS ONLY"),
    case("postgres-limit-all-replaced", "postgres",
         "SELECT a FROM t LIMIT ALL", 100, "SELECT a FROM t LIMIT 100"),
    case("postgres-parameter-limit-wrapped", "postgres",
         "SELECT a FROM t LIMIT $1",
         100, "SELECT * FROM (SELECT a FROM t LIMIT $1) AS _capped LIMIT 100"),
    case("sqlite-negative-limit-wrapped", "sqlite",
         "SELECT a FROM t LIMIT -1",
         100, "SELECT * FROM (SELECT a FROM t LIMIT -1) AS _capped LIMIT 100"),
    case("mysql-placeholder-limit-wrapped", "mysql",
         "SELECT a FROM t LIMIT ?",
         100, "SELECT * FROM (SELECT a FROM t LIMIT ?) AS _capped LIMIT 100"),
    case("postgres-expression-limit-wrapped", "postgres",
         "SELECT a FROM t LIMIT 5 + 5",
         100, "SELECT * FROM (SELECT a FROM t LIMIT 5 + 5) AS _capped LIMIT 100"),
    case("postgres-with-ties-wrapped", "postgres",
         "SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS WITH TIES",
         100, "SELECT * FROM (SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS WITH TIES) "
         "AS _capped LIMIT 100"),
    case("postgres-union-capped-outside", "postgres",
         "SELECT a FROM t UNION SELECT a FROM u",
         100, "SELECT a FROM t UNION SELECT a FROM u LIMIT 100"),
    case("postgres-union-limit-lowered", "postgres",
         "SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 1000",
         100, "SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 100"),
    case("mysql-union-branch-limits-kept", "mysql",
         "(SELECT a FROM t LIMIT 5) UNION (SELECT a FROM u LIMIT 500)",
         100, "(SELECT a FROM t LIMIT 5) UNION (SELECT a FROM u LIMIT 500) LIMIT 100"),
    case("postgres-cte-limit-untouched", "postgres",
         "WITH x AS (SELECT a FROM t LIMIT 1000) SELECT a FROM x",
         100, "WITH x AS (SELECT a FROM t LIMIT 1000) SELECT a FROM x LIMIT 100"),
    case("postgres-parentheses-capped-inside", "postgres",
         "(SELECT a FROM t)", 100, "(SELECT a FROM t LIMIT 100)"),
    case("postgres-values-truncated", "postgres", "VALUES (1), (2), (3)", 2, "VALUES (1), (2)"),
    case("duckdb-limit-injected", "duckdb", "SELECT a FROM t", 50, "SELECT a FROM t LIMIT 50"),
    case("tsql-top-injected", "tsql", "SELECT a FROM t", 100, "SELECT TOP 100 a FROM t"),
    case("tsql-larger-top-lowered", "tsql",
         "SELECT TOP 500 a FROM t ORDER BY a", 100, "SELECT TOP 100 a FROM t ORDER BY a"),
    case("tsql-smaller-top-kept", "tsql", "SELECT TOP 5 a FROM t", 100, "SELECT TOP 5 a FROM t"),
    case("tsql-top-after-distinct", "tsql",
         "SELECT DISTINCT a FROM t", 100, "SELECT DISTINCT TOP 100 a FROM t"),
    case("tsql-fetch-lowered", "tsql",
         "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 500 ROWS ONLY",
         100, "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 100 ROWS ONLY"),
    case("tsql-smaller-fetch-kept", "tsql",
         "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY",
         100, "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY"),
    case("tsql-offset-gets-fetch", "tsql",
         "SELECT a FROM t ORDER BY a OFFSET 5 ROWS",
         100, "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 100 ROWS ONLY"),
    case("tsql-union-wrapped-with-top", "tsql",
         "SELECT a FROM t UNION SELECT a FROM u",
         100, "SELECT TOP 100 * FROM (SELECT a FROM t UNION SELECT a FROM u) AS _capped"),
    case("tsql-ordered-union-gets-fetch", "tsql",
         "SELECT a FROM t UNION SELECT a FROM u ORDER BY a",
         100, "SELECT a FROM t UNION SELECT a FROM u ORDER BY a "
         "OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY"),
    case("tsql-union-with-cte-hoisted", "tsql",
         "WITH x AS (SELECT a FROM t) SELECT a FROM x UNION SELECT a FROM x",
         # sqlglot's T-SQL output names every CTE column, hence `a AS a`.
         100, "WITH x AS (SELECT a AS a FROM t) SELECT TOP 100 * "
         "FROM (SELECT a FROM x UNION SELECT a FROM x) AS _capped"),
    case("tsql-variable-top-wrapped", "tsql",
         "SELECT TOP (@n) a FROM t",
         100, "SELECT TOP 100 * FROM (SELECT TOP (@n) a AS a FROM t) AS _capped"),
    case("tsql-percent-top-wrapped", "tsql",
         "SELECT TOP 10 PERCENT a FROM t",
         100, "SELECT TOP 100 * FROM (SELECT TOP 10 PERCENT a AS a FROM t) AS _capped"),
]
# fmt: on


def _one_sentence(reason: str) -> bool:
    """No line break, one final full stop, and no other sentence end outside quotes."""
    unquoted = re.sub(r"'[^']*'", "''", reason[:-1])
    return "\n" not in reason and reason.endswith(".") and ". " not in unquoted


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("dialect", "sql"), ALLOWED)
def test_benign_query_is_allowed_and_capped(dialect: str, sql: str) -> None:
    guarded = check_sql(sql, dialect=dialect, row_cap=100)
    assert isinstance(guarded, GuardedQuery)
    assert isinstance(guarded.expression, (sqlglot.exp.Query, sqlglot.exp.Values))
    assert guarded.sql.strip()


@pytest.mark.parametrize(("dialect", "sql", "fragment"), REJECTED)
def test_unsafe_query_is_rejected_with_a_one_sentence_reason(
    dialect: str, sql: str, fragment: str
) -> None:
    with pytest.raises(GuardRejection) as caught:
        validate_sql(sql, dialect=dialect)
    reason = caught.value.reason
    assert fragment.lower() in reason.lower(), reason
    assert _one_sentence(reason), reason
    assert caught.value.sql == sql
    assert caught.value.status == 400


@pytest.mark.parametrize(("dialect", "sql", "fragment"), UNKNOWN_TABLES)
def test_table_outside_the_allowed_set_is_rejected(dialect: str, sql: str, fragment: str) -> None:
    with pytest.raises(GuardRejection) as caught:
        check_sql(sql, dialect=dialect, tables=TABLES)
    assert fragment.lower() in caught.value.reason.lower(), caught.value.reason
    assert _one_sentence(caught.value.reason), caught.value.reason


@pytest.mark.parametrize(("dialect", "sql", "expected"), KNOWN_TABLES)
def test_allowed_tables_pass_and_are_reported_without_cte_names(
    dialect: str, sql: str, expected: set[str]
) -> None:
    allowed = TABLES | {"dbo.customers"}
    assert check_sql(sql, dialect=dialect, tables=allowed).tables == frozenset(expected)


def test_tables_are_reported_even_without_an_allowed_set() -> None:
    guarded = check_sql(
        "WITH x AS (SELECT * FROM s.a) SELECT * FROM x JOIN B ON true", dialect="postgres"
    )
    assert guarded.tables == frozenset({"s.a", "b"})


@pytest.mark.parametrize(
    ("dialect", "sql", "allowed"),
    [
        pytest.param("postgres", "SELECT * FROM public.orders", {"orders"}, id="postgres-public"),
        pytest.param("postgres", "SELECT * FROM orders", {"public.orders"}, id="postgres-bare"),
        pytest.param("tsql", "SELECT * FROM dbo.orders", {"orders"}, id="tsql-dbo"),
        pytest.param("sqlite", "SELECT * FROM main.orders", {"orders"}, id="sqlite-main"),
        pytest.param("duckdb", "SELECT * FROM main.orders", {"orders"}, id="duckdb-main"),
    ],
)
def test_the_default_schema_and_the_bare_name_are_the_same_table(
    dialect: str, sql: str, allowed: set[str]
) -> None:
    assert check_sql(sql, dialect=dialect, tables=allowed).tables


@pytest.mark.parametrize(
    ("dialect", "sql", "allowed"),
    [
        pytest.param("postgres", "SELECT * FROM sales.orders", {"orders"}, id="postgres-schema"),
        pytest.param("postgres", "SELECT * FROM orders", {"sales.orders"}, id="postgres-bare"),
        pytest.param("mysql", "SELECT * FROM otherdb.orders", {"orders"}, id="mysql-database"),
        pytest.param("tsql", "SELECT * FROM hr.orders", {"orders"}, id="tsql-schema"),
        pytest.param("sqlite", "SELECT * FROM attached.orders", {"orders"}, id="sqlite-attached"),
    ],
)
def test_a_name_in_another_schema_needs_its_own_entry(
    dialect: str, sql: str, allowed: set[str]
) -> None:
    with pytest.raises(GuardRejection, match="orders' is not available"):
        check_sql(sql, dialect=dialect, tables=allowed)


@pytest.mark.parametrize(
    ("dialect", "sql", "tables", "resolved"),
    [
        # Unquoted names fold to lower case in PostgreSQL, and every name in SQLite.
        ("postgres", "SELECT * FROM Public.Orders", {"public.orders"}, {"public.orders"}),
        ("sqlite", 'SELECT * FROM "Orders"', {"ORDERS"}, {"orders"}),
        ("duckdb", 'SELECT * FROM "ORDERS"', {"Orders"}, {"orders"}),
        (
            "postgres",
            'SELECT * FROM "Sales"."Order Lines"',
            {"Sales.Order Lines"},
            {"Sales.Order Lines"},
        ),
        ("mysql", "SELECT * FROM `Orders`", {"Orders"}, {"Orders"}),
    ],
)
def test_allowed_names_are_compared_as_the_engine_resolves_them(
    dialect, sql, tables, resolved
) -> None:
    assert check_sql(sql, dialect=dialect, tables=tables).tables == frozenset(resolved)


@pytest.mark.parametrize(("dialect", "sql", "cap", "expected"), CAPS)
def test_row_cap_takes_the_dialects_own_form(
    dialect: str, sql: str, cap: int, expected: str
) -> None:
    assert check_sql(sql, dialect=dialect, row_cap=cap).sql == expected
    capped = cap_rows(validate_sql(sql, dialect=dialect), dialect=dialect, row_cap=cap)
    assert capped.sql(dialect=dialect) == expected


@pytest.mark.parametrize(("dialect", "sql"), ALLOWED)
def test_capped_sql_reparses_passes_again_and_is_not_capped_twice(dialect: str, sql: str) -> None:
    first = check_sql(sql, dialect=dialect, row_cap=7)
    again = check_sql(first.sql, dialect=dialect, row_cap=7)
    assert again.sql == first.sql


@pytest.mark.parametrize(("dialect", "sql", "cap", "expected"), CAPS)
def test_check_sql_keeps_the_authors_own_limit_in_the_expression(
    dialect: str, sql: str, cap: int, expected: str
) -> None:
    author = validate_sql(sql, dialect=dialect).sql(dialect=dialect)
    assert check_sql(sql, dialect=dialect, row_cap=cap).expression.sql(dialect=dialect) == author


def test_cap_rows_returns_a_copy_and_leaves_its_input_alone() -> None:
    tree = validate_sql("SELECT a FROM t UNION SELECT a FROM u", dialect="tsql")
    before = tree.sql(dialect="tsql")
    capped = cap_rows(tree, dialect="tsql", row_cap=3)
    assert capped is not tree
    assert tree.sql(dialect="tsql") == before
    assert "TOP 3" in capped.sql(dialect="tsql")


def test_comments_never_reach_the_database() -> None:
    # MySQL runs /*! ... */ as code, so what was not parsed must not be sent.
    guarded = check_sql("SELECT 1 /*!50000 , SLEEP(10) */ FROM t -- note", dialect="mysql")
    assert guarded.sql == "SELECT 1 FROM t LIMIT 100"
    assert "SLEEP" not in guarded.expression.sql(dialect="mysql")


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("SELECT " + "(" * 400 + "1" + ")" * 400, id="parentheses"),
        pytest.param(
            "SELECT * FROM " + "(SELECT * FROM " * 120 + "t" + ") AS x" * 120, id="subqueries"
        ),
    ],
)
def test_absurdly_nested_query_is_rejected_not_crashed(sql: str) -> None:
    # How deep is too deep depends on the interpreter's stack (and on sqlglot's C build).
    try:
        guarded = check_sql(sql, dialect="postgres")
    except GuardRejection as exc:
        assert exc.reason == "The query is nested too deeply to check."
    else:
        assert guarded.sql.endswith("LIMIT 100")


def test_mariadb_is_read_as_mysql() -> None:
    assert check_sql("SELECT `a` FROM t", dialect="MariaDB").sql == "SELECT `a` FROM t LIMIT 100"


@pytest.mark.parametrize(
    ("dialect", "suggestion"),
    [("postgresql", "postgres"), ("sqlite3", "sqlite"), ("t-sql", "tsql"), ("oracle", "duckdb")],
)
def test_unknown_dialect_raises_value_error_naming_close_matches(
    dialect: str, suggestion: str
) -> None:
    with pytest.raises(ValueError, match=suggestion):
        check_sql("SELECT 1", dialect=dialect)


@pytest.mark.parametrize("row_cap", [0, -5, True])
def test_row_cap_must_be_a_positive_integer(row_cap: int) -> None:
    with pytest.raises(ValueError, match="row_cap"):
        check_sql("SELECT 1", dialect="sqlite", row_cap=row_cap)


def test_guard_package_exports_its_public_names() -> None:
    assert set(data_assistant.guard.__all__) == {
        "GuardedQuery",
        "cap_rows",
        "check_sql",
        "validate_sql",
    }
    for name in data_assistant.guard.__all__:
        assert getattr(data_assistant.guard, name)


# --- the capped SQL really returns at most the cap on real databases ------------------------

FIVE_HUNDRED = {
    "sqlite": "WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < 500) ",
    "postgres": "WITH n(a) AS (SELECT g FROM generate_series(1, 500) AS g) ",
    "mysql": "WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < 500) ",
}
EXECUTED = [
    ("no-limit", "SELECT a FROM n", 7),
    ("larger-limit", "SELECT a FROM n ORDER BY a LIMIT 500", 7),
    ("smaller-limit", "SELECT a FROM n ORDER BY a LIMIT 3", 3),
    ("limit-and-offset", "SELECT a FROM n ORDER BY a LIMIT 500 OFFSET 10", 7),
    ("union-all", "SELECT a FROM n UNION ALL SELECT a FROM n", 7),
    ("subquery-limits", "SELECT a FROM (SELECT a FROM n LIMIT 400) AS s", 7),
]


def _rows(cursor: object, sql: str) -> int:
    cursor.execute(sql)
    return len(cursor.fetchall())


@pytest.mark.parametrize(
    ("sql", "expected"),
    [pytest.param(sql, n, id=i) for i, sql, n in EXECUTED]
    + [
        pytest.param("SELECT a FROM n LIMIT -1", 7, id="negative-limit"),
        pytest.param("VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9)", 7, id="values"),
    ],
)
def test_capped_sql_returns_at_most_the_cap_on_sqlite(sql: str, expected: int) -> None:
    full = sql if sql.startswith("VALUES") else FIVE_HUNDRED["sqlite"] + sql
    guarded = check_sql(full, dialect="sqlite", row_cap=7)
    with sqlite3.connect(":memory:") as connection:
        assert _rows(connection.cursor(), guarded.sql) == expected


@pytest.fixture(scope="module")
def postgres_cursor() -> object:
    psycopg = pytest.importorskip("psycopg")
    try:
        connection = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    connection.read_only = True
    yield connection.cursor()
    connection.close()


@pytest.fixture(scope="module")
def mariadb_cursor() -> object:
    pymysql = pytest.importorskip("pymysql")
    try:
        connection = pymysql.connect(
            host="127.0.0.1", port=3306, user="root", password="", connect_timeout=3
        )
    except pymysql.err.OperationalError as exc:
        pytest.skip(f"MariaDB is not reachable: {exc}")
    yield connection.cursor()
    connection.close()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "expected"),
    [pytest.param(sql, n, id=i) for i, sql, n in EXECUTED]
    + [
        pytest.param("SELECT a FROM n LIMIT ALL", 7, id="limit-all"),
        pytest.param("SELECT a FROM n FETCH FIRST 500 ROWS ONLY", 7, id="fetch-first"),
        pytest.param("SELECT a FROM n ORDER BY a % 2 FETCH FIRST 1 ROWS WITH TIES", 7, id="ties"),
        pytest.param("(SELECT a FROM n)", 7, id="parentheses"),
    ],
)
def test_capped_sql_returns_at_most_the_cap_on_postgres(
    postgres_cursor: object, sql: str, expected: int
) -> None:
    guarded = check_sql(FIVE_HUNDRED["postgres"] + sql, dialect="postgres", row_cap=7)
    assert _rows(postgres_cursor, guarded.sql) == expected


@pytest.mark.mariadb
@pytest.mark.parametrize(
    ("sql", "expected"),
    [pytest.param(sql, n, id=i) for i, sql, n in EXECUTED]
    + [pytest.param("SELECT a FROM n LIMIT 2, 500", 7, id="comma-limit")],
)
def test_capped_sql_returns_at_most_the_cap_on_mariadb(
    mariadb_cursor: object, sql: str, expected: int
) -> None:
    guarded = check_sql(FIVE_HUNDRED["mysql"] + sql, dialect="mariadb", row_cap=7)
    assert _rows(mariadb_cursor, guarded.sql) == expected


@pytest.mark.parametrize(
    ("dialect", "sql"),
    [
        ("sqlite", "SELECT * FROM pragma_table_info('secrets')"),
        ("sqlite", "SELECT name FROM pragma_index_list('orders')"),
        ("duckdb", "SELECT * FROM duckdb_columns()"),
        ("duckdb", "SELECT * FROM duckdb_settings()"),
    ],
)
def test_catalog_functions_that_bypass_the_allow_list_are_rejected(dialect, sql):
    with pytest.raises(GuardRejection):
        check_sql(sql, dialect=dialect, tables={"orders"})


def test_a_configured_default_schema_replaces_the_dialects_own():
    tables = {"sales.orders"}
    allowed = check_sql(
        "SELECT * FROM orders", dialect="postgres", tables=tables, default_schema="sales"
    )
    assert allowed.tables == frozenset({"orders"})
    with pytest.raises(GuardRejection):
        check_sql(
            "SELECT * FROM public.orders", dialect="postgres", tables=tables, default_schema="sales"
        )
