"""Guards: only a single safe read-only query over allowed tables reaches a database."""

from data_assistant.guard.sql_guard import GuardedQuery, cap_rows, check_sql, validate_sql

__all__ = ["GuardedQuery", "cap_rows", "check_sql", "validate_sql"]
