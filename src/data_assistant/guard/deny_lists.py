"""What a read-only query may not call, per dialect: functions by lower-case SQL name, lock hints.

A function is denied when it sleeps, takes locks, writes (sequences, large objects, files),
reads files or the network, runs SQL given as text (which would dodge the table check), or
administers the server. Names are matched exactly or by prefix, case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionDenyList:
    """Denied function names: exact lower-case names and lower-case prefixes."""

    names: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def denies(self, name: str) -> bool:
        """Whether the lower-case function `name` is denied."""
        return name in self.names or name.startswith(self.prefixes)


# Sequence writes: sqlglot parses T-SQL `NEXT VALUE FOR s` into a typed node named so.
_SEQUENCE_WRITES = frozenset({"nextval", "setval", "next_value_for"})

POSTGRES = FunctionDenyList(
    names=_SEQUENCE_WRITES
    | {
        "pg_stat_file",
        "set_config",
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_switch_wal",
        "pg_switch_xlog",
        "pg_promote",
        "pg_backup_start",
        "pg_backup_stop",
        "pg_start_backup",
        "pg_stop_backup",
        "pg_wal_replay_pause",
        "pg_wal_replay_resume",
        "pg_notify",
        "pg_log_backend_memory_contexts",
        "pg_import_system_collations",
        "pg_drop_replication_slot",
        "pg_copy_physical_replication_slot",
        "pg_copy_logical_replication_slot",
        "pg_replication_slot_advance",
        "pg_stat_statements_reset",
        "pg_logdir_ls",
        # Assigns a transaction id, i.e. a write, and fails in read-only transactions anyway.
        "txid_current",
        "pg_current_xact_id",
        # Large objects without the lo_ prefix.
        "loread",
        "lowrite",
        # These run SQL given as text or read a table given by name, dodging the table check.
        "query_to_xml",
        "query_to_xmlschema",
        "query_to_xml_and_xmlschema",
        "cursor_to_xml",
        "cursor_to_xmlschema",
        "table_to_xml",
        "table_to_xmlschema",
        "table_to_xml_and_xmlschema",
        "ts_stat",
        "connectby",
        "xpath_table",
    },
    prefixes=(
        "pg_sleep",
        "pg_read_",
        "pg_ls_",
        "pg_file_",
        "lo_",
        "pg_advisory_",
        "pg_try_advisory_",
        "dblink",
        "pg_logical_",
        "pg_create_",
        "pg_replication_origin_",
        "pg_stat_reset",
        "schema_to_xml",
        "database_to_xml",
        "crosstab",
    ),
)

MYSQL = FunctionDenyList(
    names=_SEQUENCE_WRITES
    | {
        "sleep",
        "benchmark",
        "load_file",
        "get_lock",
        "release_lock",
        "release_all_locks",
        "is_free_lock",
        "is_used_lock",
        "master_pos_wait",
        "source_pos_wait",
        "wait_for_executed_gtid_set",
        "wait_until_sql_thread_after_gtids",
    },
    # lib_mysqludf_sys: sys_exec, sys_eval, sys_get, sys_set, sys_bineval.
    prefixes=("sys_",),
)

SQLITE = FunctionDenyList(
    names=frozenset(
        {
            "load_extension",
            "readfile",
            "writefile",
            "edit",
            "fts3_tokenizer",
            "fsdir",
            "lsdir",
            "zipfile",
            "sqlite_dbpage",
            "sqlite_dbdata",
            "sqlite_dbptr",
        }
    ),
    # pragma_table_info('secrets') and friends read the catalog around the table allow-list.
    prefixes=("pragma_",),
)

TSQL = FunctionDenyList(
    names=_SEQUENCE_WRITES
    | {
        "openrowset",
        "openquery",
        "opendatasource",
        "openxml",
        "fn_get_audit_file",
        "fn_trace_gettable",
        "fn_dblog",
        "fn_dump_dblog",
    },
    prefixes=("xp_", "sp_", "fn_xe_"),
)

DUCKDB = FunctionDenyList(
    names=_SEQUENCE_WRITES
    | {
        "glob",
        "sniff_csv",
        # query() and query_table() run SQL or read tables given as text.
        "query",
        "query_table",
        "getenv",
        "duckdb_secrets",
        "which_secret",
        "load_aws_credentials",
        "checkpoint",
        "force_checkpoint",
    },
    prefixes=(
        "read_",
        "parquet_",
        "iceberg_",
        "delta_",
        "st_read",
        "sqlite_",
        "postgres_",
        "mysql_",
        "http_",
        # duckdb_columns(), duckdb_settings() ...: the catalog and file paths, past the
        # allow-list.
        "duckdb_",
    ),
)

# T-SQL table hints that take update, exclusive or long-held locks on a plain SELECT.
TSQL_LOCK_HINTS = frozenset({"updlock", "xlock", "tablock", "tablockx", "holdlock"})
