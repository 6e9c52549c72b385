#!/bin/bash
# Runs once, when the MySQL container initialises an empty data volume (after MYSQL_DATABASE and
# MYSQL_USER exist): the SELECT-only account of the read-only lookup node. Granting on the database
# covers the tables the migrate service creates later.
set -euo pipefail
: "${ORGSYNC_RO_PASSWORD:?set ORGSYNC_RO_PASSWORD for the read-only account}"
mysql --protocol=socket --user=root --password="${MYSQL_ROOT_PASSWORD}" <<SQL
CREATE USER IF NOT EXISTS 'orgsync_ro'@'%' IDENTIFIED BY '${ORGSYNC_RO_PASSWORD}';
GRANT SELECT ON \`${MYSQL_DATABASE}\`.* TO 'orgsync_ro'@'%';
SQL
echo "orgsync: created the SELECT-only account orgsync_ro on ${MYSQL_DATABASE}"
