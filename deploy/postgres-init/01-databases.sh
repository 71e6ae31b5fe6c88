#!/usr/bin/env bash
# Roles and databases in the one PostgreSQL server of docker-compose.yml:
#   exit      owns exit_pathways                      (migrations, at the start of the API and the worker: DATABASE_URL)
#   exit_pathways_app                                 (the API's and the worker's queries: DATABASE_APP_URL; the owner
#                                                      grants it its rights at every start, and only INSERT and SELECT
#                                                      on audit_log: libs/persistence/src/database.ts)
#   temporal  owns temporal and temporal_visibility   (the Temporal server; its schemas are set up by auto-setup)
# No role is a superuser or may create databases or roles; other roles cannot connect to these databases.
#
# The postgres image runs this once, as the superuser, when it initialises an empty data directory. The script is
# idempotent and (re)sets the three passwords from the environment, so after changing POSTGRES_PASSWORD on an existing
# volume, or to add what is missing, run it again:
#   docker compose exec postgres /docker-entrypoint-initdb.d/01-databases.sh
set -euo pipefail

# Each password may come from a file instead (a Docker secret): X_FILE, as the application reads its settings.
for name in EXIT_DB_PASSWORD TEMPORAL_DB_PASSWORD EXIT_APP_DB_PASSWORD; do
  file_var="${name}_FILE"
  if [ -n "${!file_var:-}" ]; then
    export "$name"="$(<"${!file_var}")"
  fi
done

: "${EXIT_DB_PASSWORD:?EXIT_DB_PASSWORD must be set}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"
: "${EXIT_APP_DB_PASSWORD:?EXIT_APP_DB_PASSWORD must be set}"
# One secret per role: the role that may only append to the audit trail must not open the owner's door.
if [ "$EXIT_DB_PASSWORD" = "$EXIT_APP_DB_PASSWORD" ] || [ "$EXIT_DB_PASSWORD" = "$TEMPORAL_DB_PASSWORD" ] ||
  [ "$EXIT_APP_DB_PASSWORD" = "$TEMPORAL_DB_PASSWORD" ]; then
  echo 'EXIT_DB_PASSWORD, EXIT_APP_DB_PASSWORD and TEMPORAL_DB_PASSWORD must all differ' >&2
  exit 1
fi

# Passwords are read with \getenv (psql >= 15) rather than passed on the command line, so they never show up in ps.
psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
\getenv exit_password EXIT_DB_PASSWORD
\getenv temporal_password TEMPORAL_DB_PASSWORD
\getenv exit_app_password EXIT_APP_DB_PASSWORD

SELECT 'CREATE ROLE exit' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exit')
\gexec
ALTER ROLE exit WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'exit_password';

SELECT 'CREATE ROLE exit_pathways_app' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exit_pathways_app')
\gexec
ALTER ROLE exit_pathways_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'exit_app_password';

SELECT 'CREATE ROLE temporal' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal')
\gexec
ALTER ROLE temporal WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'temporal_password';

SELECT 'CREATE DATABASE exit_pathways OWNER exit'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'exit_pathways')
\gexec
SELECT 'CREATE DATABASE temporal OWNER temporal'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal')
\gexec
SELECT 'CREATE DATABASE temporal_visibility OWNER temporal'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal_visibility')
\gexec

-- The owner keeps every privilege; PUBLIC (every other role) loses CONNECT and TEMPORARY.
REVOKE ALL ON DATABASE exit_pathways FROM PUBLIC;
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
GRANT CONNECT ON DATABASE exit_pathways TO exit_pathways_app;
SQL
