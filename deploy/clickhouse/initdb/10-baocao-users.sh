#!/bin/bash
# The analyst and ingest users. The clickhouse-server image runs this on its
# first start (empty data volume), as the admin user $CLICKHOUSE_USER, before
# the server listens on the network; the users are stored in the volume
# (/var/lib/clickhouse/access). To apply a change to an existing volume:
#   docker compose exec clickhouse bash /docker-entrypoint-initdb.d/10-baocao-users.sh
#
# The grants name objects "baocao migrate" creates later: ClickHouse grants
# by name and accepts a grant on a table that does not exist yet, and a
# grant outlives DROP/CREATE of its object (rebuild and changed views
# recreate theirs). cmd/baocao/compose_test.go checks the lists below
# against schema.QueryViews() and the tables the projector inserts into.
set -e

for password in "${BAOCAO_ANALYST_PASSWORD:?}" "${BAOCAO_INGEST_PASSWORD:?}"; do
    case "$password" in
    *"'"* | *'\'*) echo "$0: passwords must not contain ' or \\" >&2; false ;;
    esac
done

clickhouse-client --host 127.0.0.1 --user "${CLICKHOUSE_USER:?}" --password "${CLICKHOUSE_PASSWORD:-}" --multiquery <<SQL
-- analyst: reads the report views (queries/*.sql) and nothing else. The
-- views run as their definer (config.d, users.d), so no table grant is
-- needed. readonly = 1: no writes, no DDL, no changing settings.
CREATE USER OR REPLACE analyst IDENTIFIED WITH sha256_password BY '${BAOCAO_ANALYST_PASSWORD}' SETTINGS readonly = 1;
GRANT SELECT ON baocao.calendar TO analyst;
GRANT SELECT ON baocao.periods TO analyst;
GRANT SELECT ON baocao.started_periods TO analyst;
GRANT SELECT ON baocao.agency_periods TO analyst;
GRANT SELECT ON baocao.dossier_periods TO analyst;
GRANT SELECT ON baocao.dossier_totals TO analyst;
GRANT SELECT ON baocao.procedure_catalogue TO analyst;
GRANT SELECT ON baocao.dossier_form_by_agency TO analyst;
GRANT SELECT ON baocao.dossier_form_by_field TO analyst;
GRANT SELECT ON baocao.feedback_summary TO analyst;
GRANT SELECT ON baocao.task_summary TO analyst;
GRANT SELECT ON baocao.catalogue_summary TO analyst;
GRANT SELECT ON baocao.indicator_targets TO analyst;
GRANT SELECT ON baocao.agency_scores TO analyst;
GRANT SELECT ON baocao.indicator_values TO analyst;
GRANT SELECT ON baocao.agency_coverage TO analyst;
GRANT SELECT ON baocao.dossier_working_days TO analyst;
GRANT SELECT ON baocao.event_conflicts TO analyst;
GRANT SELECT ON baocao.contributions TO analyst;
GRANT SELECT ON baocao.period_agencies TO analyst;
GRANT SELECT ON baocao.dossier_form_by_agency_field TO analyst;
GRANT SELECT ON baocao.procedure_counts TO analyst;
GRANT SELECT ON baocao.late_causes TO analyst;
GRANT SELECT ON baocao.province_dossier_form TO analyst;
GRANT SELECT ON baocao.province_feedback TO analyst;
GRANT SELECT ON baocao.province_tasks TO analyst;

-- ingest: appends to the tables the projector writes, reads those it checks
-- reused event ids against (consumers.ReadTables), and nothing else, for
-- a projector that does not migrate (the baocao services here use the admin,
-- since consume applies the schema first). The materialized views on
-- baocao.events run as their definer, so no grant on the *_state tables.
CREATE USER OR REPLACE ingest IDENTIFIED WITH sha256_password BY '${BAOCAO_INGEST_PASSWORD}';
GRANT INSERT ON baocao.events TO ingest;
GRANT INSERT ON baocao.dead_letters TO ingest;
GRANT SELECT ON baocao.event_ids TO ingest;
GRANT SELECT ON baocao.events TO ingest;
SQL

# On a cluster (docker-compose.cluster.yml sets BAOCAO_CLICKHOUSE_CLUSTER) the
# tables above are Distributed tables over <table>_local on every node. An
# insert or a read through a Distributed table does its own node's part as
# the user who sent it, so ingest needs the same rights on the local tables
# (the other nodes' parts run as the cluster's user of remote_servers). The
# analyst reads views that run as their definer and needs nothing more.
if [ -n "${BAOCAO_CLICKHOUSE_CLUSTER:-}" ]; then
clickhouse-client --host 127.0.0.1 --user "${CLICKHOUSE_USER:?}" --password "${CLICKHOUSE_PASSWORD:-}" --multiquery <<CLUSTER_SQL
GRANT INSERT ON baocao.events_local TO ingest;
GRANT INSERT ON baocao.dead_letters_local TO ingest;
GRANT SELECT ON baocao.event_ids_local TO ingest;
GRANT SELECT ON baocao.events_local TO ingest;
CLUSTER_SQL
fi
