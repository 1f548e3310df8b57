#!/bin/sh
# /docker-entrypoint-initdb.d hook of the timescale/timescaledb image: the image has created
# POSTGRES_DB and the timescaledb extension in it; this adds seagrid's two roles (roles.sql) with
# passwords read from the compose secrets.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v dbname="$POSTGRES_DB" \
  -v owner_password="$(cat /run/secrets/db_owner_password)" \
  -v app_password="$(cat /run/secrets/db_app_password)" \
  -f /seagrid/roles.sql
