"""Class 8: writes and side effects on every engine — data-modifying CTEs, SELECT INTO,
locking clauses, sequences, locks, settings, COPY, ATTACH, PRAGMA, LOAD/INSTALL,
several statements, and code hidden in comments. Every one must be refused and leave the
database as it was."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "writes"
PG, MY, LITE, DUCK = "postgres", "mariadb", "sqlite", "duckdb"
ALL = (PG, MY, LITE, DUCK)


def w(name: str, *queries: str, engines: tuple[str, ...] | str = ALL, **kw) -> Case:
    return case(C, name, *queries, engines=engines, refused=True, **kw)


CASES: list[Case] = [
    w("delete", "DELETE FROM products"),
    w("update", "UPDATE products SET price = 0"),
    w("insert", "INSERT INTO products VALUES (9, 'x', 1)"),
    w("drop-table", "DROP TABLE products"),
    w("create-table", "CREATE TABLE pwned (x INTEGER)"),
    w("create-table-as", "CREATE TABLE pwned AS SELECT * FROM customers"),
    w("create-view", "CREATE VIEW pwned AS SELECT * FROM secrets"),
    w("alter-table", "ALTER TABLE products ADD COLUMN pwned INTEGER"),
    w("truncate", "TRUNCATE TABLE products", engines=(PG, MY, DUCK)),
    w("two-statements", "SELECT 1; DELETE FROM products"),
    w("statement-after-comment", "SELECT 1; -- harmless\nDROP TABLE products"),
    w("commit-then-write", "SELECT 1; COMMIT; DELETE FROM products"),
    w("replace-into", "REPLACE INTO products VALUES (1, 'x', 1)", engines=(MY, LITE)),
    w(
        "insert-or-replace",
        "INSERT OR REPLACE INTO products VALUES (1, 'x', 1)",
        engines=(LITE, DUCK),
    ),
    w(
        "upsert",
        "INSERT INTO products VALUES (1, 'x', 1) ON CONFLICT (id) DO UPDATE SET price = 0",
        engines=(PG, LITE, DUCK),
    ),
    w(
        "merge",
        "MERGE INTO products p USING (SELECT 1 AS id) s ON p.id = s.id WHEN MATCHED THEN DELETE",
        engines=(PG, DUCK),
    ),
    # Writes hidden inside a query.
    w(
        "delete-in-cte",
        "WITH d AS (DELETE FROM products RETURNING *) SELECT * FROM d",
        engines=(PG, DUCK),
    ),
    w(
        "update-in-cte",
        "WITH u AS (UPDATE products SET price = 0 RETURNING *) SELECT * FROM u",
        engines=(PG, DUCK),
    ),
    w(
        "insert-in-cte",
        "WITH i AS (INSERT INTO products VALUES (9, 'x', 1) RETURNING *) SELECT * FROM i",
        engines=(PG, DUCK),
    ),
    w(
        "delete-in-nested-cte",
        "SELECT * FROM (WITH d AS (DELETE FROM products RETURNING id) SELECT id FROM d) AS x",
        engines=(PG,),
    ),
    w("select-into", "SELECT * INTO pwned FROM products", engines=(PG, DUCK)),
    w("select-into-outfile", "SELECT * FROM products INTO OUTFILE '$DIR/out.txt'", engines=(MY,)),
    w(
        "select-into-dumpfile",
        "SELECT token FROM secrets INTO DUMPFILE '$DIR/out.bin'",
        engines=(MY,),
    ),
    w("select-into-variable", "SELECT name INTO @x FROM products LIMIT 1", engines=(MY,)),
    w("for-update", "SELECT * FROM products FOR UPDATE", engines=(PG, MY)),
    w("for-share", "SELECT * FROM products FOR SHARE", engines=(PG, MY)),
    w("for-no-key-update", "SELECT * FROM products FOR NO KEY UPDATE", engines=(PG,)),
    w(
        "for-key-share-skip-locked",
        "SELECT * FROM products FOR KEY SHARE SKIP LOCKED",
        engines=(PG,),
    ),
    w("lock-in-share-mode", "SELECT * FROM products LOCK IN SHARE MODE", engines=(MY,)),
    w("lock-table", "LOCK TABLE products IN ACCESS EXCLUSIVE MODE", engines=(PG,)),
    w("lock-tables", "LOCK TABLES products WRITE", engines=(MY,)),
    # Sequences, locks, settings.
    w("nextval", "SELECT nextval('order_seq')", engines=(PG, DUCK)),
    w("setval", "SELECT setval('order_seq', 100)", engines=(PG, MY)),
    w(
        "nextval-in-where",
        "SELECT id FROM products WHERE nextval('order_seq') > 0",
        engines=(PG, DUCK),
    ),
    w("mariadb-nextval", "SELECT NEXTVAL(order_seq)", engines=(MY,)),
    w("mariadb-next-value-for", "SELECT NEXT VALUE FOR order_seq", engines=(MY,)),
    w("advisory-lock", "SELECT pg_advisory_lock(1)", engines=(PG,)),
    w("advisory-xact-lock", "SELECT pg_advisory_xact_lock(1)", engines=(PG,)),
    w("try-advisory-lock", "SELECT pg_try_advisory_lock(42)", engines=(PG,)),
    w("advisory-lock-in-subquery", "SELECT (SELECT pg_try_advisory_lock(7)) AS x", engines=(PG,)),
    w("get-lock", "SELECT GET_LOCK('da_lock', 0)", engines=(MY,)),
    w("get-lock-in-where", "SELECT id FROM products WHERE GET_LOCK('x', 0) = 1", engines=(MY,)),
    w("set-config", "SELECT set_config('search_path', 'vault', false)", engines=(PG,)),
    w(
        "set-config-read-only-off",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        engines=(PG,),
    ),
    w("set-statement", "SET search_path TO vault", engines=(PG,)),
    w("set-session-variable", "SET @@session.sql_mode = ''", engines=(MY,)),
    w("set-role", "SET ROLE postgres", engines=(PG,)),
    w("reset-all", "RESET ALL", engines=(PG,)),
    w("discard-all", "DISCARD ALL", engines=(PG,)),
    w("pg-notify", "SELECT pg_notify('x', 'y')", engines=(PG,)),
    w("listen", "LISTEN pwned", engines=(PG,)),
    w("prepare", "PREPARE p AS DELETE FROM products", engines=(PG,)),
    w("do-block", "DO $$ BEGIN DELETE FROM products; END $$", engines=(PG,)),
    w("call-procedure", "CALL purge_orders(0)", engines=(PG, MY)),
    w("explain-analyze-delete", "EXPLAIN ANALYZE DELETE FROM products", engines=(PG,)),
    w("explain-delete", "EXPLAIN DELETE FROM products", engines=(PG, MY, LITE, DUCK)),
    w("refresh-materialized-view", "REFRESH MATERIALIZED VIEW order_summary", engines=(PG,)),
    w("analyze", "ANALYZE products", engines=(PG, MY, LITE, DUCK)),
    w("vacuum", "VACUUM products", engines=(PG, LITE, DUCK)),
    w("txid-current", "SELECT txid_current()", engines=(PG,)),
    w("lo-create", "SELECT lo_create(0)", engines=(PG,)),
    w("pg-terminate-backend", "SELECT pg_terminate_backend(pg_backend_pid())", engines=(PG,)),
    # COPY, files, extensions, attach.
    w("copy-to-file", "COPY products TO '$DIR/out.csv'", engines=(PG, DUCK)),
    w("copy-to-program", "COPY (SELECT 1) TO PROGRAM 'id'", engines=(PG,)),
    w("copy-from-file", "COPY products FROM '$DIR/secret.csv'", engines=(PG, DUCK)),
    w("load-data-infile", "LOAD DATA INFILE '$FILE' INTO TABLE products", engines=(MY,)),
    w("attach", "ATTACH DATABASE '$DIR/pwned.db' AS pwned", engines=(LITE, DUCK)),
    w("detach", "DETACH DATABASE main", engines=(LITE, DUCK)),
    w("pragma-query-only-off", "PRAGMA query_only = OFF", engines=(LITE,)),
    w("pragma-writable-schema", "PRAGMA writable_schema = ON", engines=(LITE,)),
    w("pragma-function-call", "SELECT * FROM pragma_query_only", engines=(LITE,)),
    w("duckdb-install", "INSTALL httpfs", engines=(DUCK,)),
    w("duckdb-load", "LOAD httpfs", engines=(DUCK,)),
    w("duckdb-set", "SET enable_external_access = true", engines=(DUCK,)),
    w("duckdb-reset", "RESET enable_external_access", engines=(DUCK,)),
    w("duckdb-pragma", "PRAGMA enable_profiling", engines=(DUCK,)),
    w("duckdb-checkpoint", "CHECKPOINT", engines=(DUCK,)),
    w("duckdb-checkpoint-function", "SELECT * FROM checkpoint()", engines=(DUCK,)),
    w("duckdb-export", "EXPORT DATABASE '$DIR/export'", engines=(DUCK,)),
    w("duckdb-create-secret", "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')", engines=(DUCK,)),
    w("duckdb-use", "USE vault", engines=(DUCK,)),
    w("use-database", "USE $VAULT", engines=(MY,)),
    w("handler-open", "HANDLER secrets OPEN", engines=(MY,)),
    # Executable comments: only what the guard checked may reach the database, so the comment
    # is dropped (or the query refused); either way nothing in it runs.
    case(C, "mariadb-executable-comment", "SELECT 1 /*! ; DELETE FROM products */", engines=(MY,)),
    case(
        C,
        "mariadb-versioned-comment-reads-denied",
        "SELECT 1 /*!50000 , token FROM secrets */",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-comment-hides-union",
        "SELECT id FROM products /*! UNION SELECT token FROM secrets */",
        engines=(MY,),
    ),
    case(
        C,
        "mariadb-comment-hides-where-or",
        "SELECT note FROM orders WHERE 1 = 1 /*! OR 1 = 1 */",
        engines=(MY,),
    ),
    w("mariadb-do-statement", "DO GET_LOCK('lock1', 0)", engines=(MY,)),
    w("begin-transaction", "BEGIN; DELETE FROM products; COMMIT"),
    w("savepoint", "SAVEPOINT s", engines=(PG, MY, LITE)),
]
