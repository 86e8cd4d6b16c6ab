"""The attack tables, one module per class; `ALL_SQL` and `ALL_DOCUMENTS` gather them."""
