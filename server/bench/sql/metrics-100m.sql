-- Builds post_metrics at 100 million rows in a migrated scratch database and EXPLAINs the
-- queries the product runs against it. Run by bench/metrics-scale.sh; figures go to
-- BENCHMARKS.md. 10,000 posts in 200 campaigns of one organisation × 10,000 hourly snapshots
-- each (about 14 months of history per post).
\timing on
SET maintenance_work_mem = '2GB';
SET max_parallel_maintenance_workers = 1;
SET session_replication_role = replica; -- skip FK triggers during the bulk load only

INSERT INTO organisations (id, name, subscription_tier_id)
SELECT '00000000-0000-4000-8000-000000000001', 'Scale Org', id FROM reference_data WHERE category = 'subscription_tier' AND code = 'free';
INSERT INTO clients (id, organisation_id, name) VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Scale Client');
INSERT INTO campaigns (id, organisation_id, client_id, name, platform_id, start_date, end_date)
SELECT ('00000000-0000-4000-8001-' || lpad(to_hex(c), 12, '0'))::uuid, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
       'Campaign ' || c, (SELECT id FROM reference_data WHERE category = 'platform' AND code = 'x'), '2025-01-01', '2026-12-31'
FROM generate_series(1, 200) c;
INSERT INTO scheduled_posts (id, organisation_id, campaign_id, platform_id, content, status, scheduled_at, published_at)
SELECT ('00000000-0000-4000-8002-' || lpad(to_hex(p), 12, '0'))::uuid, '00000000-0000-4000-8000-000000000001',
       ('00000000-0000-4000-8001-' || lpad(to_hex(1 + (p - 1) / 50), 12, '0'))::uuid,
       (SELECT id FROM reference_data WHERE category = 'platform' AND code = 'x'), 'Post ' || p, 'published',
       '2025-09-01', '2025-09-01'
FROM generate_series(1, 10000) p;

DROP INDEX post_metrics_post_time_key;
DROP INDEX post_metrics_captured_at_brin;
DROP INDEX post_metrics_org_idx;
ALTER TABLE post_metrics DROP CONSTRAINT post_metrics_pkey;

-- Rows arrive in time order, as a collector writes them.
INSERT INTO post_metrics (id, organisation_id, scheduled_post_id, captured_at, likes, shares, comments, impressions)
SELECT gen_random_uuid(), '00000000-0000-4000-8000-000000000001',
       ('00000000-0000-4000-8002-' || lpad(to_hex(p), 12, '0'))::uuid,
       timestamptz '2025-09-01' + h * interval '1 hour', h / 3, h / 20, h / 10, h * 7
FROM generate_series(0, 9999) h, generate_series(1, 10000) p;

SET session_replication_role = origin;
ALTER TABLE post_metrics ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX post_metrics_post_time_key ON post_metrics (scheduled_post_id, captured_at) INCLUDE (likes, shares, comments, impressions);
CREATE INDEX post_metrics_captured_at_brin ON post_metrics USING brin (captured_at);
CREATE INDEX post_metrics_org_idx ON post_metrics (organisation_id);
VACUUM ANALYZE post_metrics;

SELECT count(*) AS rows, pg_size_pretty(pg_table_size('post_metrics')) AS heap,
       pg_size_pretty(pg_relation_size('post_metrics_post_time_key')) AS post_time_index,
       pg_size_pretty(pg_relation_size('post_metrics_captured_at_brin')) AS brin_index
FROM post_metrics;

SET app.system = 'on';
-- One post, 30 days, hourly buckets (latest snapshot per bucket).
EXPLAIN (ANALYZE, BUFFERS)
SELECT DISTINCT ON (date_trunc('hour', captured_at)) date_trunc('hour', captured_at) AS at, likes, shares, comments, impressions
FROM post_metrics
WHERE scheduled_post_id = '00000000-0000-4000-8002-000000001234'
  AND captured_at >= '2026-06-01' AND captured_at < '2026-07-01'
ORDER BY date_trunc('hour', captured_at), captured_at DESC;
-- One post, whole history, daily buckets.
EXPLAIN (ANALYZE, BUFFERS)
SELECT DISTINCT ON (date_trunc('day', captured_at)) date_trunc('day', captured_at) AS at, likes, shares, comments, impressions
FROM post_metrics
WHERE scheduled_post_id = '00000000-0000-4000-8002-000000001234'
ORDER BY date_trunc('day', captured_at), captured_at DESC;
-- A campaign's 50 posts: latest snapshot of each (the campaign's "latest" totals).
EXPLAIN (ANALYZE, BUFFERS)
SELECT sum(m.likes), sum(m.shares), sum(m.comments), sum(m.impressions)
FROM scheduled_posts p
CROSS JOIN LATERAL (
  SELECT likes, shares, comments, impressions FROM post_metrics pm
  WHERE pm.scheduled_post_id = p.id ORDER BY captured_at DESC LIMIT 1
) m
WHERE p.campaign_id = '00000000-0000-4000-8001-000000000007';
-- A campaign's 50 posts, 7 days hourly.
EXPLAIN (ANALYZE, BUFFERS)
SELECT date_trunc('hour', captured_at) AS at, sum(likes), sum(impressions)
FROM post_metrics
WHERE scheduled_post_id IN (SELECT id FROM scheduled_posts WHERE campaign_id = '00000000-0000-4000-8001-000000000007')
  AND captured_at >= '2026-06-01' AND captured_at < '2026-06-08'
GROUP BY 1 ORDER BY 1;
-- Table-wide time window (retention sweep, BI export): the BRIN index.
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM post_metrics WHERE captured_at >= '2026-10-01' AND captured_at < '2026-10-02';
