-- Keyset paging: for every list, an index in the list's own order, led by what the list is
-- filtered on, so that a page is one seek and `limit` rows read however long the list is.
-- The services name the organisation in each list query (organisation_id = app_organisation_id())
-- besides row security, whose OR-ed policy cannot lead an index scan by itself.

-- Posts sort by scheduled time, unscheduled last, and the from/to filters are ranges on that
-- key. It is a stored column rather than an expression index: under row security PostgreSQL
-- only lets leakproof conditions into an index scan, and a COALESCE never counts as one, so a
-- cursor on the expression would be a filter over the whole organisation.
-- These replace the plain (…, scheduled_at, id) indexes.
ALTER TABLE scheduled_posts
  ADD COLUMN sort_at timestamptz NOT NULL GENERATED ALWAYS AS (coalesce(scheduled_at, 'infinity'::timestamptz)) STORED;
DROP INDEX scheduled_posts_calendar_idx;
DROP INDEX scheduled_posts_campaign_time_idx;
CREATE INDEX scheduled_posts_org_sort_idx ON scheduled_posts (organisation_id, sort_at, id);
CREATE INDEX scheduled_posts_campaign_sort_idx ON scheduled_posts (campaign_id, sort_at, id);
CREATE INDEX scheduled_posts_status_sort_idx ON scheduled_posts (organisation_id, status, sort_at, id);

CREATE INDEX clients_list_idx ON clients (organisation_id, name, id);

CREATE INDEX campaigns_list_idx ON campaigns (organisation_id, start_date, id);
CREATE INDEX campaigns_client_list_idx ON campaigns (client_id, start_date, id);

-- An asset list is one campaign's or one post's media in upload order (also how a post's
-- assetIds are read). These replace the unordered (organisation_id, …) ones.
DROP INDEX assets_campaign_idx;
DROP INDEX assets_post_idx;
CREATE INDEX assets_campaign_idx ON assets (campaign_id, created_at, id) WHERE campaign_id IS NOT NULL;
CREATE INDEX assets_post_idx ON assets (scheduled_post_id, created_at, id) WHERE scheduled_post_id IS NOT NULL;

CREATE INDEX users_list_idx ON users (organisation_id, created_at, id);
