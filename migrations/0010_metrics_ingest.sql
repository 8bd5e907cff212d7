-- Bulk metrics ingest (POST /metrics, the collector) writes up to 10,000 rows per statement, and
-- every foreign key costs one trigger call per row. post_metrics' plain organisation_id key is
-- implied by the composite key to scheduled_posts (organisation_id, id): a snapshot's post
-- exists in the same organisation, and that post's own organisation_id references
-- organisations. Deleting an organisation still removes its snapshots, through its posts.
ALTER TABLE post_metrics DROP CONSTRAINT post_metrics_organisation_id_fkey;
