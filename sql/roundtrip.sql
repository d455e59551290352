-- roundtrip: premix_diff(premix_schema()) is empty on a realistic schema,
-- and the same schema declared in JSON (from premix_schema) recreated in a
-- fresh schema through premix_migrate reads back identical.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_round;
SET search_path = t_round, public;

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE orgs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name varchar(100) NOT NULL UNIQUE,
  region char(2) NOT NULL DEFAULT 'eu',
  CONSTRAINT orgs_name_len CHECK (length(name) > 1)
);
CREATE TABLE users (
  id serial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE ON UPDATE RESTRICT,
  email text NOT NULL,
  feeling mood DEFAULT 'ok',
  settings jsonb NOT NULL DEFAULT '{}',
  balance numeric(12,2) NOT NULL DEFAULT 0,
  ratio double precision,
  score real,
  born date,
  wakes time,
  seen timestamp,
  created_at timestamptz NOT NULL DEFAULT now(),
  token uuid,
  blob bytea,
  tags text[],
  small smallint,
  flag boolean NOT NULL DEFAULT false,
  label text COLLATE "C",
  UNIQUE (org_id, email),
  UNIQUE (org_id, id)
);
CREATE TABLE memberships (
  org_id bigint NOT NULL,
  user_id integer NOT NULL,
  role text NOT NULL DEFAULT 'member',
  PRIMARY KEY (org_id, user_id),
  CONSTRAINT memberships_user_fk FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE ON UPDATE SET NULL,
  CONSTRAINT memberships_role_check CHECK (role IN ('member', 'admin'))
);
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE INDEX users_active_idx ON users (created_at DESC) WHERE NOT flag;
CREATE INDEX users_settings_gin ON users USING gin (settings);
CREATE INDEX users_org_cover ON users (org_id) INCLUDE (email, flag);
CREATE UNIQUE INDEX users_token_key ON users (token) WHERE token IS NOT NULL;
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'where we write, it''s unique per org';
ALTER TABLE users ADD CONSTRAINT users_self_fk FOREIGN KEY (org_id) REFERENCES orgs (id) DEFERRABLE INITIALLY DEFERRED;
INSERT INTO orgs (name) VALUES ('acme');
INSERT INTO users (org_id, email) VALUES (1, 'a@acme');

SELECT premix_diff(premix_schema()) -> 'steps' AS steps;
SELECT jsonb_pretty(premix_schema());

-- the same schema built from its JSON in an empty schema reads back the same
CREATE TEMP TABLE src AS SELECT premix_schema() AS s;
CREATE SCHEMA t_round2;
SET search_path = t_round2, t_round, public;
SELECT premix_migrate(s) ->> 'applied' AS applied FROM src;
SELECT premix_schema() = s AS same FROM src;
SELECT premix_diff(s) -> 'steps' AS steps FROM src;

-- a changed table: only the change is planned; its unchanged indexes,
-- keys and checks (taken from the live model, not rebuilt in the shadow)
-- are not touched, and after the apply the re-diff is empty
SET search_path = t_round, public;
CREATE TEMP TABLE tgt AS
  SELECT jsonb_set(s, '{tables,2,columns}', (s #> '{tables,2,columns}') || '[{"name": "nick", "type": "text"}]') AS t
  FROM (SELECT premix_schema() AS s) x;
SELECT s->>'op' AS op, s->>'object' AS object FROM tgt, jsonb_array_elements(premix_diff(t)->'steps') s;
SELECT premix_migrate(t) ->> 'applied' AS applied FROM tgt;
SELECT premix_diff(t) -> 'steps' AS rediff FROM tgt;
-- a type change under an expression index: the server spells the index
-- anew over the new type (lower((email)::text)), so it is rebuilt; after
-- the apply the live schema is exactly the target
CREATE TEMP TABLE tgt2 AS
  SELECT jsonb_set(s, '{tables,2,columns}', (
    SELECT jsonb_agg(CASE WHEN c->>'name' = 'email' THEN c || '{"type": "varchar(200)"}' ELSE c END ORDER BY o)
    FROM jsonb_array_elements(s #> '{tables,2,columns}') WITH ORDINALITY AS e(c, o))) AS t
  FROM (SELECT premix_schema() AS s) x;
SELECT s->>'op' AS op, s->>'object' AS object FROM tgt2, jsonb_array_elements(premix_diff(t)->'steps') s;
SELECT premix_migrate(t, true) ->> 'applied' AS applied FROM tgt2;
SELECT premix_diff(t) -> 'steps' AS rediff FROM tgt2;
