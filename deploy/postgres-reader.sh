#!/bin/sh
# Runs once, when the PostgreSQL volume is new: a login that may only read the sales data,
# including the tables `data-assistant demo --into` creates afterwards.
set -eu
psql -v ON_ERROR_STOP=1 -U postgres -d sales -v pw="$READER_PASSWORD" <<'SQL'
CREATE ROLE reader LOGIN PASSWORD :'pw';
GRANT CONNECT ON DATABASE sales TO reader;
GRANT USAGE ON SCHEMA public TO reader;
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO reader;
SQL
