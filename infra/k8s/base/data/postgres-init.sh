#!/bin/bash
# Runs once, when the postgres image initialises an empty volume: tracking-svc's login and its database.
# psql substitutes the variables itself (:"name" quotes an identifier, :'name' a literal).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username postgres --dbname postgres \
  -v db_user="$MLOPS_DB_USER" -v db_password="$MLOPS_DB_PASSWORD" -v db_name="$MLOPS_DB_NAME" <<'SQL'
CREATE ROLE :"db_user" LOGIN PASSWORD :'db_password';
CREATE DATABASE :"db_name" OWNER :"db_user";
SQL
