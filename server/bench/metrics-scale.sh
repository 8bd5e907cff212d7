#!/usr/bin/env bash
# post_metrics at 100 million rows: builds a scratch database and EXPLAINs the product's
# queries. Takes tens of minutes and ~25 GB of disk. Usage: DATABASE_URL=… bench/metrics-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
base="${DATABASE_URL:?set DATABASE_URL to a PostgreSQL server}"
db=chorus_metrics_scale
admin="${base%/*}/postgres"
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
node -e "
  const { openDatabase } = await import('./src/db/connect.ts');
  const h = await openDatabase({ databaseUrl: '${base%/*}/$db' });
  await h.migrate(); await h.close();
" --input-type=module
psql "${base%/*}/$db" -v ON_ERROR_STOP=1 -f bench/sql/metrics-100m.sql
