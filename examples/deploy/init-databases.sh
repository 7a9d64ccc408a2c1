#!/bin/sh
# First start of the postgres container: one database and role for n8n's own data, one for the intake store.
# The store creates and upgrades its own tables when the first process opens it.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE n8n LOGIN PASSWORD '${N8N_DB_PASSWORD}';
CREATE DATABASE n8n OWNER n8n;
CREATE ROLE intake LOGIN PASSWORD '${INTAKE_DB_PASSWORD}';
CREATE DATABASE intake OWNER intake;
SQL
