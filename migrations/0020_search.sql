-- Search: PostgreSQL full text over unaccented words, so `cafe` finds `Café` and a word
-- matches by prefix (`to_tsquery('simple', 'caf:*')`). The 'simple' configuration keeps every
-- word as written (no stemming, no stop words): names and posts are in many languages.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes this
-- wrapper safe to index.
CREATE FUNCTION chorus_search_vector(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, coalesce($1, ''))) $$;

CREATE FUNCTION chorus_search_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce($1, ''))) $$;

-- Names are short: an expression index is enough. Post and note text is long, and ranking
-- reads every match's vector, so theirs is stored (computed once per write, not per search).
CREATE INDEX clients_search_idx ON clients USING gin (chorus_search_vector(name));
CREATE INDEX campaigns_search_idx ON campaigns USING gin (chorus_search_vector(name));
ALTER TABLE scheduled_posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (chorus_search_vector(content)) STORED;
ALTER TABLE notes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (chorus_search_vector(body)) STORED;
CREATE INDEX scheduled_posts_search_idx ON scheduled_posts USING gin (search_vector);
CREATE INDEX notes_search_idx ON notes USING gin (search_vector);

-- Row-level security lets an index answer a condition only when its operator is LEAKPROOF
-- (it cannot reveal hidden rows' values through errors). Text-search matching raises no
-- data-dependent errors, but PostgreSQL does not mark it so; without the mark every search
-- reads every row of the organisation. Only a superuser may set it: a migration run by
-- another role skips this and search stays correct, only slower (BENCHMARKS.md).
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
  END IF;
END
$$;
