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

CREATE INDEX clients_search_idx ON clients USING gin (chorus_search_vector(name));
CREATE INDEX campaigns_search_idx ON campaigns USING gin (chorus_search_vector(name));
CREATE INDEX scheduled_posts_search_idx ON scheduled_posts USING gin (chorus_search_vector(content));
CREATE INDEX notes_search_idx ON notes USING gin (chorus_search_vector(body));
