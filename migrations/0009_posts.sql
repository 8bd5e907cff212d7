-- Why a post was sent back or cancelled, shown to the team beside its status.
ALTER TABLE scheduled_posts ADD COLUMN status_reason text CHECK (length(status_reason) <= 2000);
