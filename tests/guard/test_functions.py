"""Function allow-lists: what analysts and models write passes, everything else is refused.

Each engine's list holds the pure functions people and LLMs write (dates, strings, maths,
conditionals, windows, aggregates, casts, JSON accessors); a function not on it is refused
with a one-sentence reason naming it: session and settings, statistics, privileges, files,
network, SQL given as text, catalog table functions, user-defined functions.
"""

from __future__ import annotations

import re

import pytest

from data_assistant.errors import GuardRejection
from data_assistant.guard import check_sql

# fmt: off
ANALYTIC = [
    # postgres
    ('postgres', "SELECT date_trunc('month', created_at) AS m, to_char(created_at, 'YYYY-MM') AS "
      "ym, extract(year FROM created_at), date_part('dow', created_at) FROM orders"),
    ('postgres', "SELECT * FROM orders WHERE created_at >= now() - interval '30 days' AND "
      'created_at < current_date - 7'),
    ('postgres', 'SELECT age(created_at), make_date(2024, 1, 1), coalesce(total, 0), nullif(total,'
      ' 0), greatest(a, b), least(a, b) FROM orders'),
    ('postgres', 'SELECT round(avg(total)::numeric, 2), percentile_cont(0.5) WITHIN GROUP (ORDER '
      'BY total), mode() WITHIN GROUP (ORDER BY status) FROM orders'),
    ('postgres', "SELECT string_agg(name, ', ' ORDER BY name), array_agg(DISTINCT status), "
      "count(*) FILTER (WHERE status = 'paid') FROM orders"),
    ('postgres', 'SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at), '
      'lag(total) OVER (ORDER BY id), sum(total) OVER (PARTITION BY customer_id ORDER '
      'BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), ntile(4) OVER (ORDER BY'
      ' total), dense_rank() OVER (ORDER BY total DESC) FROM orders'),
    ('postgres', "SELECT split_part(email, '@', 2), substring(name FROM 1 FOR 3), position('a' IN "
      'name), upper(name), lower(name), initcap(name), length(name), trim(name), '
      "replace(name, 'a', 'b'), concat(a, b), left(name, 2), right(name, 2), lpad(name,"
      " 5, '0') FROM customers"),
    ('postgres', "SELECT regexp_replace(name, '[0-9]+', ''), name ~ '^A', name ILIKE '%a%', name "
      "LIKE 'A%' FROM customers"),
    ('postgres', "SELECT payload->>'name', payload->'a'->>'b', payload#>>'{a,b}', "
      "jsonb_array_length(payload->'items'), jsonb_extract_path_text(payload, 'a') FROM"
      ' events'),
    ('postgres', "SELECT d::date FROM generate_series('2024-01-01'::date, '2024-12-31'::date, "
      "interval '1 month') AS d"),
    ('postgres', 'SELECT x FROM unnest(ARRAY[1, 2, 3]) AS t(x)'),
    ('postgres', 'SELECT CAST(total AS integer), total::numeric(10, 2), abs(total), ceil(total), '
      'floor(total), mod(id, 2), power(total, 2), sqrt(total), ln(total + 1), random() '
      'FROM orders'),
    ('postgres', "SELECT CASE WHEN total > 100 THEN 'big' WHEN total > 10 THEN 'mid' ELSE 'small' "
      'END FROM orders WHERE id IN (1, 2) AND total BETWEEN 1 AND 9 AND EXISTS (SELECT '
      '1 FROM customers c WHERE c.id = orders.customer_id)'),
    ('postgres', 'SELECT DISTINCT ON (customer_id) customer_id, total FROM orders ORDER BY '
      'customer_id, total DESC'),
    ('postgres', 'SELECT width_bucket(total, 0, 1000, 10), bool_and(total > 0), every(total > 0), '
      'stddev(total), variance(total), corr(total, id), regr_slope(total, id) FROM '
      'orders'),
    ('postgres', "SELECT date_trunc('week', created_at)::date AS week, count(*) FROM orders GROUP "
      'BY 1 ORDER BY 1'),
    ('postgres', "SELECT to_char(created_at, 'Mon YYYY'), extract(epoch FROM created_at - "
      'lag(created_at) OVER (ORDER BY created_at)) FROM orders'),
    ('postgres', "SELECT o.id FROM orders o WHERE o.created_at > CURRENT_TIMESTAMP - INTERVAL '1 "
      "year' AND o.status IS DISTINCT FROM 'void'"),
    ('postgres', 'SELECT customer_id, count(*) AS n FROM orders GROUP BY ROLLUP (customer_id) '
      'HAVING count(*) > 1'),
    ('postgres', "SELECT jsonb_build_object('id', id, 'total', total), json_agg(status), "
      'to_jsonb(name) FROM orders'),
    ('postgres', 'SELECT first_value(total) OVER w, last_value(total) OVER w, cume_dist() OVER w, '
      'percent_rank() OVER w FROM orders WINDOW w AS (ORDER BY id)'),
    ('postgres', 'SELECT EXTRACT(MONTH FROM created_at)::int, DATE(created_at), created_at::date, '
      'CAST(created_at AS timestamp) FROM orders'),
    ('postgres', "SELECT md5(name), encode(sha256(name::bytea), 'hex'), gen_random_uuid() FROM "
      'customers'),
    ('postgres', 'SELECT x.total FROM orders o, LATERAL (SELECT total FROM orders i WHERE i.id = '
      'o.id) x'),
    ('postgres', "SELECT now()::date - created_at::date AS days, date_bin('15 minutes', "
      "created_at, TIMESTAMP '2001-01-01') FROM orders"),
    # mysql
    ('mysql', "SELECT DATE_FORMAT(created_at, '%Y-%m') AS m, YEAR(created_at), "
      'MONTH(created_at), DAY(created_at), DATEDIFF(NOW(), created_at) FROM orders'),
    ('mysql', 'SELECT * FROM orders WHERE created_at > DATE_SUB(CURDATE(), INTERVAL 30 DAY) AND'
      ' created_at < DATE_ADD(NOW(), INTERVAL 1 DAY)'),
    ('mysql', "SELECT TIMESTAMPDIFF(DAY, created_at, NOW()), STR_TO_DATE('2024-01-01', "
      "'%Y-%m-%d'), LAST_DAY(created_at), FROM_UNIXTIME(1700000000), "
      'UNIX_TIMESTAMP(created_at) FROM orders'),
    ('mysql', "SELECT IFNULL(total, 0), COALESCE(total, 0), IF(total > 1, 'a', 'b'), "
      'NULLIF(total, 0), CASE WHEN total > 1 THEN 1 ELSE 0 END FROM orders'),
    ('mysql', "SELECT CONCAT(a, b), CONCAT_WS('-', a, b), GROUP_CONCAT(DISTINCT name ORDER BY "
      "name SEPARATOR ', '), SUBSTRING_INDEX(email, '@', -1) FROM customers GROUP BY a,"
      ' b'),
    ('mysql', "SELECT LEFT(name, 2), RIGHT(name, 2), LPAD(name, 5, '0'), REPLACE(name, 'a', "
      "'b'), LOWER(name), UPPER(name), LENGTH(name), CHAR_LENGTH(name), LOCATE('a', "
      "name), INSTR(name, 'a'), TRIM(name), SUBSTRING(name, 1, 3) FROM customers"),
    ('mysql', 'SELECT ROUND(AVG(total), 2), TRUNCATE(total, 2), FLOOR(total), CEIL(total), '
      'ABS(total), MOD(id, 2), POW(total, 2), SQRT(total), RAND() FROM orders GROUP BY '
      'total, id'),
    ('mysql', "SELECT JSON_EXTRACT(doc, '$.a'), doc->>'$.a', doc->'$.b', "
      "JSON_UNQUOTE(JSON_EXTRACT(doc, '$.c')), JSON_LENGTH(doc) FROM events"),
    ('mysql', 'SELECT ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY id), RANK() OVER '
      '(ORDER BY total DESC), DENSE_RANK() OVER (ORDER BY total), LAG(total) OVER '
      '(ORDER BY id), LEAD(total, 1, 0) OVER (ORDER BY id), SUM(total) OVER (ORDER BY '
      'id) FROM orders'),
    ('mysql', 'SELECT CAST(total AS DECIMAL(10, 2)), CAST(created_at AS DATE), CONVERT(total, '
      'CHAR), WEEK(created_at), DAYOFWEEK(created_at), DAYNAME(created_at), '
      'MONTHNAME(created_at), QUARTER(created_at) FROM orders'),
    ('mysql', "SELECT name FROM customers WHERE name REGEXP '^A' OR name LIKE 'B%' OR name "
      "RLIKE 'x$'"),
    ('mysql', 'SELECT STD(total), VARIANCE(total), STDDEV_SAMP(total), COUNT(DISTINCT '
      'customer_id), MAX(total), MIN(total), SUM(total) FROM orders'),
    ('mysql', 'SELECT HOUR(created_at), MINUTE(created_at), TIME(created_at), DATE(created_at),'
      ' WEEKDAY(created_at), YEARWEEK(created_at) FROM orders'),
    ('mysql', 'SELECT c.name, SUM(o.total) AS spent FROM customers c JOIN orders o ON '
      'o.customer_id = c.id GROUP BY c.name ORDER BY spent DESC LIMIT 10'),
    ('mysql', 'SELECT 1 FROM DUAL'),
    # sqlite
    ('sqlite', "SELECT strftime('%Y-%m', created_at), date(created_at), datetime(created_at, '+1"
      " day'), julianday('now') - julianday(created_at), date('now', 'start of month') "
      'FROM orders'),
    ('sqlite', "SELECT substr(name, 1, 3), instr(name, 'a'), printf('%.2f', total), round(total,"
      " 2), coalesce(total, 0), ifnull(total, 0), iif(total > 1, 'a', 'b') FROM orders"),
    ('sqlite', "SELECT group_concat(name, ', '), total(total), count(*), avg(total), max(total),"
      ' min(total), sum(total) FROM orders'),
    ('sqlite', "SELECT json_extract(doc, '$.a'), doc -> '$.a', doc ->> '$.b', "
      "json_array_length(doc, '$.items') FROM events"),
    ('sqlite', 'SELECT abs(total), length(name), lower(name), upper(name), trim(name), '
      "replace(name, 'a', 'b'), CAST(total AS INTEGER), typeof(total), max(a, b), "
      'min(a, b) FROM orders'),
    ('sqlite', 'SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY id), lag(total) '
      'OVER (ORDER BY id), sum(total) OVER (ORDER BY id) FROM orders'),
    ('sqlite', 'SELECT unixepoch(created_at), time(created_at), nullif(total, 0), hex(name), '
      'quote(name), random() FROM orders'),
    # duckdb
    ('duckdb', "SELECT date_trunc('month', created_at), strftime(created_at, '%Y-%m'), "
      "year(created_at), month(created_at), date_diff('day', created_at, now()), "
      'epoch_ms(created_at) FROM orders'),
    ('duckdb', "SELECT string_agg(name, ', '), array_agg(status), median(total), "
      'quantile_cont(total, 0.5), approx_count_distinct(customer_id), arg_max(name, '
      'total), count_if(total > 1), any_value(name), mode(status) FROM orders'),
    ('duckdb', "SELECT regexp_matches(name, '^A'), regexp_extract(name, '([0-9]+)', 1), "
      "split_part(email, '@', 2), concat_ws('-', a, b), list_value(1, 2), struct_pack(a"
      ' := 1) FROM customers'),
    ('duckdb', 'SELECT unnest([1, 2, 3]) AS x'),
    ('duckdb', 'SELECT * FROM range(10)'),
    ('duckdb', 'SELECT * FROM generate_series(1, 10)'),
    ('duckdb', "SELECT json_extract_string(doc, '$.a'), doc->>'$.b', try_cast(total AS INTEGER),"
      ' total::DECIMAL(10, 2), created_at::DATE FROM events'),
    ('duckdb', 'SELECT first(name), last(name), stddev(total), corr(total, id), '
      "date_part('year', created_at), dayname(created_at), monthname(created_at), "
      'make_date(2024, 1, 1), age(created_at), current_date, today() FROM orders'),
    ('duckdb', 'SELECT id FROM orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER '
      'BY total DESC) = 1'),
    ('duckdb', "SELECT created_at + INTERVAL 1 DAY, created_at - INTERVAL '30 days' FROM orders"),
    ('duckdb', 'FROM orders SELECT id, total WHERE total > 10'),
    # tsql
    ('tsql', 'SELECT DATEADD(day, -30, GETDATE()), DATEDIFF(day, created_at, GETDATE()), '
      'DATEPART(year, created_at), DATENAME(month, created_at), YEAR(created_at), '
      'MONTH(created_at), DAY(created_at), EOMONTH(created_at) FROM orders'),
    ('tsql', "SELECT FORMAT(created_at, 'yyyy-MM'), CONVERT(VARCHAR(10), created_at, 120), "
      'CAST(total AS DECIMAL(10, 2)), TRY_CAST(total AS INT), TRY_CONVERT(INT, total) '
      'FROM orders'),
    ('tsql', 'SELECT ISNULL(total, 0), COALESCE(total, 0), NULLIF(total, 0), IIF(total > 1, '
      "'a', 'b'), CHOOSE(2, 'a', 'b') FROM orders"),
    ('tsql', 'SELECT LEN(name), LEFT(name, 2), RIGHT(name, 2), SUBSTRING(name, 1, 3), '
      "CHARINDEX('a', name), REPLACE(name, 'a', 'b'), UPPER(name), LOWER(name), "
      'LTRIM(RTRIM(name)), TRIM(name), CONCAT(a, b) FROM customers'),
    ('tsql', "SELECT STRING_AGG(name, ', '), ROUND(AVG(total), 2), ABS(SUM(total)), "
      'CEILING(MAX(total)), FLOOR(MIN(total)), COUNT_BIG(*), STDEV(total), VAR(total) '
      'FROM orders'),
    ('tsql', 'SELECT ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY id) AS n, RANK() '
      'OVER (ORDER BY total DESC) AS r, LAG(total) OVER (ORDER BY id) AS p, SUM(total) '
      'OVER (ORDER BY id) AS s FROM orders'),
    ('tsql', 'SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY total) OVER (PARTITION BY '
      'customer_id) FROM orders'),
    ('tsql', "SELECT JSON_VALUE(doc, '$.a'), ISJSON(doc) FROM events"),
    ('tsql', "SELECT value FROM STRING_SPLIT('a,b', ',')"),
    ('tsql', 'SELECT TOP 10 c.name, SUM(o.total) AS spent FROM dbo.customers c JOIN dbo.orders'
      ' o ON o.customer_id = c.id GROUP BY c.name ORDER BY spent DESC'),
    ('tsql', 'SELECT SYSDATETIME(), DATEFROMPARTS(2024, 1, 1), POWER(total, 2), SQRT(total), '
      'GETUTCDATE() FROM orders'),
]
# fmt: on


def rejected(dialect: str, sql: str, name: str, id_: str):
    return pytest.param(dialect, sql, name, id=id_)


# fmt: off
REFUSED = [
    # issue #9, section 2: what deny lists let through
    rejected("duckdb", "SELECT json_execute_serialized_sql(json_serialize_sql('SELECT * FROM "
             "secrets'))", "json_execute_serialized_sql", "duckdb-runs-serialized-sql"),
    rejected("duckdb", "SELECT * FROM pragma_storage_info('orders')", "pragma_storage_info",
             "duckdb-storage-info-shows-min-max"),
    rejected("duckdb", "SELECT * FROM pragma_table_info('secrets')", "pragma_table_info",
             "duckdb-table-info-of-a-denied-table"),
    rejected("postgres", "SELECT * FROM pg_stat_get_activity(NULL)", "pg_stat_get_activity",
             "postgres-other-sessions-sql"),
    rejected("postgres", "SELECT pg_stat_get_live_tuples(16384)", "pg_stat_get_live_tuples",
             "postgres-live-tuples"),
    rejected("postgres", "SELECT * FROM pg_hba_file_rules()", "pg_hba_file_rules",
             "postgres-hba-rules"),
    rejected("postgres", "SELECT * FROM pg_show_all_file_settings()", "pg_show_all_file_settings",
             "postgres-file-settings"),
    rejected("postgres", "SELECT current_setting('data_directory')", "current_setting",
             "postgres-current-setting"),
    rejected("postgres", "SELECT has_table_privilege('secrets', 'SELECT')", "has_table_privilege",
             "postgres-privilege-probe"),
    rejected("postgres", "SELECT to_regclass('public.secrets')", "to_regclass",
             "postgres-to-regclass"),
    rejected("postgres", "SELECT version()", "version", "postgres-version"),
    rejected("postgres", "SELECT inet_server_addr()", "inet_server_addr",
             "postgres-server-address"),
    rejected("tsql", "SELECT IS_SRVROLEMEMBER('sysadmin')", "is_srvrolemember",
             "tsql-server-role"),
    rejected("tsql", "SELECT * FROM fn_my_permissions(NULL, 'SERVER')", "fn_my_permissions",
             "tsql-my-permissions"),
    rejected("tsql", "SELECT * FROM sys.fn_my_permissions(NULL, 'SERVER')",
             "sys.fn_my_permissions", "tsql-my-permissions-qualified"),
    rejected("postgres", "SELECT audit.purge_old_orders(30)", "audit.purge_old_orders",
             "postgres-user-defined-function"),
    rejected("mysql", "SELECT audit.purge_old_orders(30)", "audit.purge_old_orders",
             "mysql-stored-function"),
    rejected("tsql", "SELECT dbo.purge_old_orders(30)", "dbo.purge_old_orders",
             "tsql-user-defined-function"),
    rejected("duckdb", "SELECT purge_old_orders(30)", "purge_old_orders",
             "duckdb-macro"),
    # session, identity and server
    rejected("postgres", "SELECT current_user", "current_user", "postgres-current-user"),
    rejected("postgres", "SELECT session_user", "session_user", "postgres-session-user"),
    rejected("postgres", "SELECT current_database()", "current_database",
             "postgres-current-database"),
    rejected("postgres", "SELECT pg_backend_pid()", "pg_backend_pid", "postgres-backend-pid"),
    rejected("postgres", "SELECT current_query()", "current_query", "postgres-current-query"),
    rejected("postgres", "SELECT pg_typeof(total) FROM orders", "pg_typeof", "postgres-pg-typeof"),
    rejected("postgres", "SELECT obj_description(1259)", "obj_description",
             "postgres-catalog-comment"),
    rejected("postgres", "SELECT setseed(0.5)", "setseed", "postgres-session-seed"),
    rejected("mysql", "SELECT DATABASE()", "database", "mysql-database"),
    rejected("mysql", "SELECT USER()", "user", "mysql-user"),
    rejected("mysql", "SELECT VERSION()", "version", "mysql-version"),
    rejected("mysql", "SELECT CONNECTION_ID()", "connection_id", "mysql-connection-id"),
    rejected("mysql", "SELECT LAST_INSERT_ID()", "last_insert_id", "mysql-last-insert-id"),
    rejected("sqlite", "SELECT sqlite_version()", "sqlite_version", "sqlite-version"),
    rejected("sqlite", "SELECT changes()", "changes", "sqlite-changes"),
    rejected("sqlite", "SELECT sqlite_compileoption_used('ENABLE_LOAD_EXTENSION')",
             "sqlite_compileoption_used", "sqlite-compile-options"),
    rejected("duckdb", "SELECT current_setting('memory_limit')", "current_setting",
             "duckdb-current-setting"),
    rejected("duckdb", "SELECT version()", "version", "duckdb-version"),
    rejected("duckdb", "SELECT current_database()", "current_database", "duckdb-database"),
    rejected("tsql", "SELECT SUSER_SNAME()", "suser_sname", "tsql-login-name"),
    rejected("tsql", "SELECT DB_NAME()", "db_name", "tsql-database-name"),
    rejected("tsql", "SELECT OBJECT_ID('dbo.secrets')", "object_id", "tsql-object-id"),
    rejected("tsql", "SELECT HAS_PERMS_BY_NAME('dbo.secrets', 'OBJECT', 'SELECT')",
             "has_perms_by_name", "tsql-permission-probe"),
    rejected("tsql", "SELECT SERVERPROPERTY('MachineName')", "serverproperty",
             "tsql-server-property"),
    # SQL given as text, and table functions of the catalog
    rejected("duckdb", "SELECT * FROM query('SELECT * FROM secrets')", "query",
             "duckdb-query-text"),
    rejected("duckdb", "SELECT * FROM query_table('secrets')", "query_table",
             "duckdb-query-table"),
    rejected("duckdb", "SELECT * FROM duckdb_tables()", "duckdb_tables", "duckdb-tables"),
    rejected("duckdb", "SELECT * FROM duckdb_settings()", "duckdb_settings", "duckdb-settings"),
    rejected("duckdb", "SELECT * FROM read_text('/etc/passwd')", "read_text", "duckdb-read-text"),
    rejected("duckdb", "SELECT * FROM read_blob('/etc/passwd')", "read_blob", "duckdb-read-blob"),
    rejected("duckdb", "SELECT COLUMNS('.*') FROM orders", "columns", "duckdb-columns-star"),
    rejected("postgres", "SELECT query_to_xml('SELECT * FROM secrets', true, true, '')",
             "query_to_xml", "postgres-query-to-xml"),
    rejected("postgres", "SELECT * FROM pg_ls_dir('.')", "pg_ls_dir", "postgres-ls-dir"),
    rejected("postgres", "SELECT json_populate_record(NULL::orders, '{}')",
             "json_populate_record", "postgres-populate-record"),
    rejected("sqlite", "SELECT * FROM pragma_table_info('secrets')", "pragma_table_info",
             "sqlite-table-info"),
    rejected("sqlite", "SELECT * FROM generate_series(1, 10)", "generate_series",
             "sqlite-extension-function"),
    rejected("tsql", "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;', 'SELECT 1') AS x",
             "openrowset", "tsql-openrowset"),
    # odd spellings of refused names
    rejected("postgres", "SELECT CURRENT_SETTING('x')", "current_setting",
             "postgres-upper-case"),
    rejected("postgres", 'SELECT "current_setting"(\'x\')', "current_setting",
             "postgres-quoted-name"),
    rejected("postgres", "SELECT pg_catalog.current_setting('x')",
             "pg_catalog.current_setting", "postgres-catalog-qualified"),
    rejected("postgres", "SELECT pg_catalog.lower('X')", "pg_catalog.lower",
             "postgres-qualified-allowed-name"),
    rejected("postgres", "SELECT * FROM pg_catalog.generate_series(1, 3)",
             "pg_catalog.generate_series", "postgres-qualified-table-function"),
    rejected("postgres", "SELECT (SELECT version())", "version", "postgres-in-subquery"),
    rejected("postgres", "SELECT 1 FROM orders ORDER BY version()", "version",
             "postgres-in-order-by"),
    rejected("postgres", "SELECT count(*) FILTER (WHERE current_setting('x') = '1') FROM orders",
             "current_setting", "postgres-in-filter"),
    rejected("mysql", "SELECT * FROM orders WHERE id = 1 AND `sleep`(5)", "sleep",
             "mysql-backquoted-sleep"),
    rejected("duckdb", "SELECT list_transform([1], x -> current_setting('threads'))",
             "current_setting", "duckdb-inside-lambda"),
    rejected("postgres", "SELECT 1 OPERATOR(public.===) 2", "public.===",
             "postgres-user-operator"),
]
# fmt: on


@pytest.mark.parametrize(("dialect", "sql"), ANALYTIC)
def test_the_functions_analysts_write_pass(dialect: str, sql: str) -> None:
    assert check_sql(sql, dialect=dialect, row_cap=10).sql


@pytest.mark.parametrize(("dialect", "sql", "name"), REFUSED)
def test_a_function_off_the_list_is_refused_by_name(dialect: str, sql: str, name: str) -> None:
    with pytest.raises(GuardRejection) as caught:
        check_sql(sql, dialect=dialect)
    reason = caught.value.reason
    assert f"'{name}'" in reason.lower(), reason
    unquoted = re.sub(r"'[^']*'", "''", reason[:-1])
    assert reason.endswith(".") and ". " not in unquoted and "\n" not in reason


@pytest.mark.parametrize(
    ("dialect", "sql", "opt_in"),
    [
        ("postgres", "SELECT audit_level(id) FROM orders", "audit_level"),
        ("postgres", "SELECT current_user", "current_user"),
        ("mysql", "SELECT DATABASE()", "database"),
        ("sqlite", "SELECT sqlite_version()", "sqlite_version"),
    ],
)
def test_a_source_may_opt_functions_in(dialect: str, sql: str, opt_in: str) -> None:
    with pytest.raises(GuardRejection):
        check_sql(sql, dialect=dialect)
    assert check_sql(sql, dialect=dialect, allowed_functions=[opt_in]).sql


def test_opting_one_function_in_allows_no_other() -> None:
    with pytest.raises(GuardRejection, match="current_setting"):
        check_sql(
            "SELECT current_user, current_setting('x')",
            dialect="postgres",
            allowed_functions=["current_user"],
        )
