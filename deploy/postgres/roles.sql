-- seagrid's two database roles, least privilege (run once by a superuser with psql):
--   psql -v dbname=seagrid -v owner_password=… -v app_password=… -f roles.sql
-- seagrid_owner owns the schema and applies migrations (`seagrid migrate`, before each upgrade);
-- seagrid_app is what the service connects as: it reads and writes rows and can change nothing else.
\set ON_ERROR_STOP on
create role seagrid_owner login password :'owner_password';
create role seagrid_app login password :'app_password';

-- The owner of the database owns its public schema (pg_database_owner), so it may create there.
alter database :"dbname" owner to seagrid_owner;
revoke all on database :"dbname" from public;
grant connect, temporary on database :"dbname" to seagrid_app;

\connect :"dbname"
revoke create on schema public from public;
grant usage on schema public to seagrid_app;
-- Every table, view and sequence a migration creates is open to the service for rows only.
alter default privileges for role seagrid_owner in schema public
  grant select, insert, update, delete on tables to seagrid_app;
alter default privileges for role seagrid_owner in schema public
  grant usage, select on sequences to seagrid_app;
alter default privileges for role seagrid_owner in schema public
  grant execute on functions to seagrid_app;
