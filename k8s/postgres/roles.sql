-- One PostgreSQL role per jitsi-ops service, each owning only its own schema (k8s/README.md, "PostgreSQL").
-- Run once as a superuser (or the database owner with CREATEROLE) in the jitsi-ops database:
--   psql -v ON_ERROR_STOP=1 -h <host> -U postgres -d jitsiops -f k8s/postgres/roles.sql
-- then give each role the password that is in its service's Secret (key JITSIOPS_DB_PASSWORD), e.g.
--   psql ... -c "ALTER ROLE jitsiops_health PASSWORD '<from health-service-secrets>'"
-- (no password is in this file). Each service's Flyway then migrates its own schema at start-up; the schema
-- exists already, so no role needs CREATE on the database. k8s-check runs this file on a real PostgreSQL and
-- migrates every service's schema as its role (PostgresRolesTest).

CREATE ROLE jitsiops_health LOGIN NOINHERIT;
CREATE ROLE jitsiops_metrics LOGIN NOINHERIT;
CREATE ROLE jitsiops_logs LOGIN NOINHERIT;
CREATE ROLE jitsiops_backups LOGIN NOINHERIT;
CREATE ROLE jitsiops_alerts LOGIN NOINHERIT;

-- Nobody but these roles (and the owner) connects; nobody creates objects in public.
REVOKE ALL ON DATABASE jitsiops FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE jitsiops TO jitsiops_health, jitsiops_metrics, jitsiops_logs, jitsiops_backups, jitsiops_alerts;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The schema of each service (quarkus.flyway.schemas), owned by its role: it creates, alters and drops its
-- own tables and nothing of the others' (they are not even visible: no USAGE on foreign schemas).
CREATE SCHEMA health AUTHORIZATION jitsiops_health;
CREATE SCHEMA metrics AUTHORIZATION jitsiops_metrics;
CREATE SCHEMA logs AUTHORIZATION jitsiops_logs;
CREATE SCHEMA backups AUTHORIZATION jitsiops_backups;
CREATE SCHEMA alerts AUTHORIZATION jitsiops_alerts;

-- Each role finds its own tables first (the services qualify names, this is for psql sessions).
ALTER ROLE jitsiops_health SET search_path = health;
ALTER ROLE jitsiops_metrics SET search_path = metrics;
ALTER ROLE jitsiops_logs SET search_path = logs;
ALTER ROLE jitsiops_backups SET search_path = backups;
ALTER ROLE jitsiops_alerts SET search_path = alerts;
