#!/bin/bash
# Runs once, when the postgres:15 container initialises an empty data volume.
# Creates the migration (owner) role, the run-time role without DDL rights, and the database.
set -euo pipefail
: "${DPB_OWNER_PASSWORD:?set DPB_OWNER_PASSWORD}" "${DPB_APP_PASSWORD:?set DPB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$DPB_OWNER_PASSWORD" -v app_pw="$DPB_APP_PASSWORD" <<'SQL'
CREATE ROLE dpb_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE dpb_app LOGIN PASSWORD :'app_pw';
CREATE DATABASE dpbridge OWNER dpb_owner;
\connect dpbridge
REVOKE CREATE, TEMPORARY ON DATABASE dpbridge FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE dpbridge TO dpb_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO dpb_app;
ALTER DEFAULT PRIVILEGES FOR ROLE dpb_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dpb_app;
ALTER DEFAULT PRIVILEGES FOR ROLE dpb_owner GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO dpb_app;
ALTER DEFAULT PRIVILEGES FOR ROLE dpb_owner GRANT USAGE ON SCHEMAS TO dpb_app;
SQL
