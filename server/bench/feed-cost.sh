#!/usr/bin/env bash
# What the change feed costs a write in PostgreSQL itself, with no Node in the loop: pgbench
# runs the realtime suite's write (one UPDATE of a client in a tenant transaction) without and
# with its change row (into the outbox, migrations/0013), and with the change row while a
# sequencer runs a numbering round every 3 ms, as the server's does under load. The outbox is
# emptied before each sequencer run, so it measures the steady state, not a backlog. Rounds
# are interleaved and repeated because this machine's figures drift by ±10 % between runs.
# Usage: DATABASE_URL=… bench/feed-cost.sh [seconds per run]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${DATABASE_URL:?set DATABASE_URL to a PostgreSQL server}"
secs="${1:-6}"
db=chorus_feed_cost
admin="${base%/*}/postgres"
url="${base%/*}/$db"
export PGOPTIONS='-c client_min_messages=warning'
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
org=$(node --input-type=module -e "
  const { openDatabase } = await import('./src/db/connect.ts');
  const { seedTenant } = await import('./test/fixtures.ts');
  const h = await openDatabase({ databaseUrl: '$url' });
  await h.migrate(); const t = await seedTenant(h.db); await h.close();
  console.log(t.orgId);
")
psql "$url" -qc "INSERT INTO clients (organisation_id, name) SELECT '$org', 'w' || g FROM generate_series(1, 8) g"
dir=$(mktemp -d)
head='\set i random(1, 8)
BEGIN;
SELECT set_config('"'"'app.organisation_id'"'"', '"'"$org"'"', true);
UPDATE clients SET contact_name = '"'"'n'"'"' || :i WHERE organisation_id = '"'"$org"'"' AND name = '"'"'w'"'"' || :i;'
change="INSERT INTO change_outbox (organisation_id, entity, op, entity_id, data) VALUES ('$org', 'client', 'update', gen_random_uuid(), '{\"name\":\"Bench client\",\"contactName\":\"n\",\"version\":3}')"
printf '%s\nCOMMIT;\n' "$head" > "$dir/off.sql"
# As the server sends it: the change row in the same message as COMMIT (src/db/commit-tail.ts).
printf '%s\n%s \\;\nCOMMIT;\n' "$head" "$change" > "$dir/on.sql"
# As the server's sequencer under load: a round at most every 3 ms (src/realtime/sequencer.ts).
printf 'SELECT count(*) FROM chorus_number_changes(5000);\n\\sleep 3 ms\n' > "$dir/sequencer.sql"
tps() { pgbench -n -c 8 -j 2 -T "$secs" -f "$1" "$url" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
drain() { psql "$url" -qAtc 'SELECT count(*) FROM chorus_number_changes(10000000)' >/dev/null; }
for round in 1 2 3; do
  off=$(tps "$dir/off.sql")
  on=$(tps "$dir/on.sql")
  drain
  pgbench -n -c 1 -T "$secs" -f "$dir/sequencer.sql" "$url" >/dev/null 2>&1 &
  seq=$(tps "$dir/on.sql")
  wait
  drain
  awk -v r="$round" -v a="$off" -v b="$on" -v c="$seq" 'BEGIN {
    printf "round %d: no feed %.0f tx/s · change row %.0f tx/s (%.2fx) · change row + sequencer %.0f tx/s (%.2fx)\n", r, a, b, b / a, c, c / a }'
done
