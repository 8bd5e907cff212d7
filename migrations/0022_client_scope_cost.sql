-- The client-scope policies, with their test for a team member (no app.client_user) written
-- into the policy itself. The app_client_sees_* functions hold a subquery, so PostgreSQL cannot
-- inline them: as the whole policy they were called once per row scanned, for team members
-- too (about 12 µs a row, 120 ms for a 10,000-file library page). `app_client_user()` inlines
-- to a setting read, and a team member's rows now pass without any call.
ALTER POLICY client_scope ON clients USING (app_client_user() IS NULL OR app_client_sees_client(id));
ALTER POLICY client_scope ON campaigns USING (app_client_user() IS NULL OR app_client_sees_client(client_id));
ALTER POLICY client_scope ON scheduled_posts USING (app_client_user() IS NULL OR app_client_sees_campaign(campaign_id));
ALTER POLICY client_scope ON post_metrics USING (app_client_user() IS NULL OR app_client_sees_post(scheduled_post_id));
ALTER POLICY client_scope ON post_versions USING (app_client_user() IS NULL OR app_client_sees_post(scheduled_post_id));
ALTER POLICY client_scope ON assets
  USING (app_client_user() IS NULL OR CASE WHEN campaign_id IS NOT NULL THEN app_client_sees_campaign(campaign_id)
                                           ELSE app_client_sees_post(scheduled_post_id) END);
