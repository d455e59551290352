-- blocked: data-aware checks.  Each step that cannot succeed on the rows
-- is blocked with the count and a way out; nothing changes; a declared
-- default turns NOT NULL over NULLs into a backfill.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_blocked;
SET search_path = t_blocked, public;
\set VERBOSITY default

CREATE TABLE t (id integer PRIMARY KEY, code text, nick varchar(20), n text, parent integer, qty integer);
CREATE TABLE p (id integer PRIMARY KEY);
INSERT INTO p VALUES (1);
INSERT INTO t VALUES (1, 'a', 'short', '1', 1, 5), (2, 'a', 'a much longer nick', 'x', 7, -1), (3, NULL, NULL, '3', NULL, 2);

-- a helper to build targets from the live schema, changing one column
CREATE FUNCTION target(col text, patch jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_set(s, '{tables}', (
    SELECT jsonb_agg(CASE WHEN tb->>'name' = 't' THEN jsonb_set(tb, '{columns}', (
        SELECT jsonb_agg(CASE WHEN c->>'name' = col THEN c || patch ELSE c END ORDER BY o)
        FROM jsonb_array_elements(tb->'columns') WITH ORDINALITY AS x(c, o))) ELSE tb END ORDER BY tb->>'name')
    FROM jsonb_array_elements(s->'tables') tb))
  FROM premix_schema() s
$$;

-- NOT NULL over a NULL, no default: blocked with the count
SELECT s->>'op' AS op, s->>'safety' AS safety, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(target('code', '{"nullable": false}'))->'steps') s;
SELECT premix_migrate(target('code', '{"nullable": false}'));
-- with a default: backfilled, then NOT NULL
SELECT s->>'safety' AS safety, s->>'reason' AS reason, s->'sql' AS sql
  FROM jsonb_array_elements(premix_diff(target('code', '{"nullable": false, "default": "''none''"}'))->'steps') s;
SELECT premix_migrate(target('code', '{"nullable": false, "default": "''none''"}')) ->> 'applied' AS applied;
SELECT id, code FROM t ORDER BY id;

-- UNIQUE over duplicates
SELECT premix_migrate(jsonb_set(premix_schema(), '{tables,1,unique}', '[{"columns": ["code"]}]'));
-- FK over orphans (parent 7 does not exist)
SELECT premix_migrate(jsonb_set(premix_schema(), '{tables,1,foreign_keys}',
  '[{"columns": ["parent"], "ref_table": "p", "ref_columns": ["id"]}]'));
-- CHECK over violators
SELECT premix_migrate(jsonb_set(premix_schema(), '{tables,1,checks}', '[{"expression": "qty > 0"}]'));
-- narrowing below the longest value
SELECT premix_migrate(target('nick', '{"type": "varchar(10)"}'), true);
-- a narrowing that fits is destructive: refused without the flag, applied with it
SELECT premix_migrate(target('nick', '{"type": "varchar(18)"}'));
SELECT premix_migrate(target('nick', '{"type": "varchar(18)"}'), true) ->> 'applied' AS applied;
-- a cast the data cannot take: text 'x' to integer
SELECT premix_migrate(target('n', '{"type": "integer"}'), true);
-- one that it can
UPDATE t SET n = '2' WHERE id = 2;
SELECT s->>'safety' AS safety, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(target('n', '{"type": "integer"}'))->'steps') s;
SELECT premix_migrate(target('n', '{"type": "integer"}')) ->> 'applied' AS applied;
SELECT id, n, pg_typeof(n) FROM t ORDER BY id;

-- a cast that succeeds but changes values (numeric fractions to integer)
-- is destructive: every value casts, and the reason says what it costs
ALTER TABLE t ADD COLUMN price numeric(6,2);
UPDATE t SET price = 9.75;
SELECT s->>'safety' AS safety, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(target('price', '{"type": "integer"}'))->'steps') s;
SELECT premix_migrate(target('price', '{"type": "integer"}'));
ALTER TABLE t DROP COLUMN price;

-- nothing blocked changed the table
SELECT column_name, data_type, is_nullable FROM information_schema.columns
 WHERE table_schema = 't_blocked' AND table_name = 't' ORDER BY ordinal_position;
SELECT conname FROM pg_constraint WHERE conrelid = 't_blocked.t'::regclass ORDER BY conname;
