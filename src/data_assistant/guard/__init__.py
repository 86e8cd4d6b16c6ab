"""Guards: only a single safe read-only query over allowed tables reaches a database."""
