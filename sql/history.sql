-- history: hand-written migrations (premix_run) applied once and judged by
-- their effect, rolled back (premix_rollback), compared with the live
-- schema (premix_status), and the versioned text of a plan (premix_script)
-- with its after-commit part (CREATE INDEX CONCURRENTLY).  Run by a role
-- that is not a superuser.  The ledger premix.migrations is shared by the
-- whole database, so only this role's rows are shown, never ids or
-- times; recorded times are pinned (as superuser) before they are shown.
-- No planned migration here drops anything: hand-written drops only.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE ROLE regress_history;
CREATE SCHEMA t_history AUTHORIZATION regress_history;
SET search_path = t_history, public;
\set VERBOSITY default
\pset null '(null)'
SET ROLE regress_history;

CREATE TABLE users (id integer PRIMARY KEY, name text, legacy text);
CREATE TABLE audit (id integer PRIMARY KEY, msg text);
CREATE TABLE items (id integer PRIMARY KEY, code text, qty integer);
INSERT INTO users VALUES (1, 'ann', 'L1'), (2, NULL, NULL), (3, 'cy', 'L3');
INSERT INTO audit VALUES (1, 'a'), (2, 'b');
INSERT INTO items VALUES (1, 'abcdef', 5), (2, 'ab', 40000), (3, NULL, 7);

-- what "nothing left behind" means: premix_schema(), the catalog (columns
-- with types and NOT NULL, indexes), the rows of one table, this role's
-- ledger rows
CREATE FUNCTION state(tbl text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  EXECUTE format('SELECT string_agg(t::text, '','' ORDER BY t::text) FROM %I t', tbl) INTO r;
  RETURN jsonb_build_object('schema', premix_schema(),
    'catalog', (SELECT string_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                                  || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY c.relname, a.attnum)
                  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                 WHERE c.relnamespace = 't_history'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped)
               || ' / ' || (SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 't_history'),
    'rows', r,
    'ledger', (SELECT count(*) FROM premix.migrations WHERE applied_by = 'regress_history'));
END $$;
CREATE FUNCTION unchanged(now jsonb, before jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT 'schema ' || (now->'schema' = before->'schema') || ' catalog ' || (now->'catalog' = before->'catalog')
         || ' rows ' || (now->'rows' = before->'rows') || ' ledger ' || (now->'ledger' = before->'ledger')
$$;
-- a premix_run result, one row per effect entry
CREATE FUNCTION effect(r jsonb) RETURNS TABLE (applied text, op text, tbl text, object text, safety text, reason text)
LANGUAGE sql AS $$
  SELECT r->>'applied', e->>'op', e->>'table', e->>'object', e->>'safety', e->>'reason'
    FROM (SELECT 1) one LEFT JOIN LATERAL jsonb_array_elements(r->'effect') e ON true
$$;

-- --------------------------------------------------------- 1. run once
SELECT e.* FROM premix_run('20260101000100', 'add_email',
  'ALTER TABLE users ADD COLUMN email text;', 'ALTER TABLE users DROP COLUMN email;') r, effect(r) e;
SELECT min(id) AS first_id FROM premix.migrations WHERE applied_by = 'regress_history' \gset
SELECT version, name, kind, checksum, steps, down_sql, after_commit, rolled_back_at, effect
  FROM premix.migrations WHERE applied_by = 'regress_history';
RESET ROLE;
UPDATE premix.migrations SET applied_at = '2026-01-01 00:00:00+00' WHERE applied_by = 'regress_history';
SET ROLE regress_history;
-- the same version and text again: a no-op that records nothing
SELECT r->>'applied' AS applied, r->>'message' AS message, r->'effect' AS effect
  FROM premix_run('20260101000100', 'add_email',
  'ALTER TABLE users ADD COLUMN email text;', 'ALTER TABLE users DROP COLUMN email;') r;
SELECT count(*) AS ledger_rows FROM premix.migrations WHERE applied_by = 'regress_history';

-- ----------------------------------------------- 2. an edited migration
-- the error names the recorded checksum (the one above) and the new one
-- (sha256 of the new text: f4d18898...)
SELECT premix_run('20260101000100', 'add_email', $$ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';$$);
\echo :LAST_ERROR_SQLSTATE
SELECT format_type(atttypid, atttypmod), attnotnull, atthasdef FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email';
SELECT count(*) AS ledger_rows FROM premix.migrations WHERE applied_by = 'regress_history';

-- ----------------------------------------------------- 3. out of order
SELECT premix_run('20260101000050', 'early', 'CREATE TABLE early (id integer PRIMARY KEY, label text);', 'DROP TABLE early;');
\echo :LAST_ERROR_SQLSTATE
SELECT to_regclass('early') AS early;
SELECT e.* FROM premix_run('20260101000050', 'early', 'CREATE TABLE early (id integer PRIMARY KEY, label text);', 'DROP TABLE early;',
  options => '{"out_of_order": true}') r, effect(r) e;
SELECT to_regclass('early') AS early;

-- ------------------------------------------- 4. hand-written DROP COLUMN
SELECT state('users') AS snap \gset
SELECT premix_run('20260101000200', 'drop_legacy', 'ALTER TABLE users DROP COLUMN legacy;', 'ALTER TABLE users ADD COLUMN legacy text;');
\echo :LAST_ERROR_SQLSTATE
SELECT unchanged(state('users'), :'snap') AS refused;
SELECT e.* FROM premix_run('20260101000200', 'drop_legacy', 'ALTER TABLE users DROP COLUMN legacy;', 'ALTER TABLE users ADD COLUMN legacy text;',
  allow_destructive => true) r, effect(r) e;
SELECT * FROM users ORDER BY id;

-- -------------------------------------------- 5. hand-written DROP TABLE
SELECT state('audit') AS snap \gset
SELECT premix_run('20260101000300', 'drop_audit', 'DROP TABLE audit;', 'CREATE TABLE audit (id integer PRIMARY KEY, msg text);');
\echo :LAST_ERROR_SQLSTATE
SELECT unchanged(state('audit'), :'snap') AS refused;
SELECT e.* FROM premix_run('20260101000300', 'drop_audit', 'DROP TABLE audit;', 'CREATE TABLE audit (id integer PRIMARY KEY, msg text);',
  allow_destructive => true) r, effect(r) e;
SELECT to_regclass('audit') AS audit;

-- ------------------------------------------------------- 6. narrowing
SELECT state('items') AS snap \gset
-- 'abcdef' does not fit in varchar(3): the server refuses it
SELECT premix_run('20260101000400', 'narrow_code', 'ALTER TABLE items ALTER COLUMN code TYPE varchar(3);');
-- every value fits in varchar(10): destructive (longer values refused from now on)
SELECT premix_run('20260101000400', 'narrow_code', 'ALTER TABLE items ALTER COLUMN code TYPE varchar(10);');
\echo :LAST_ERROR_SQLSTATE
-- 40000 does not fit in smallint: the server refuses it
SELECT premix_run('20260101000400', 'narrow_qty', 'ALTER TABLE items ALTER COLUMN qty TYPE smallint;');
-- the script changes the value that does not fit itself: still destructive
SELECT premix_run('20260101000400', 'narrow_qty', 'UPDATE items SET qty = 32767 WHERE qty > 32767; ALTER TABLE items ALTER COLUMN qty TYPE smallint;');
\echo :LAST_ERROR_SQLSTATE
SELECT unchanged(state('items'), :'snap') AS refused;
SELECT e.* FROM premix_run('20260101000400', 'narrow_code', 'ALTER TABLE items ALTER COLUMN code TYPE varchar(10);',
  'ALTER TABLE items ALTER COLUMN code TYPE text;', allow_destructive => true) r, effect(r) e;
SELECT e.* FROM premix_run('20260101000450', 'narrow_qty', 'UPDATE items SET qty = 32767 WHERE qty > 32767; ALTER TABLE items ALTER COLUMN qty TYPE smallint;',
  'ALTER TABLE items ALTER COLUMN qty TYPE integer;', allow_destructive => true) r, effect(r) e;
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT * FROM items ORDER BY id;

-- ---------------------------------------------- 7. SET NOT NULL over NULLs
SELECT state('users') AS snap \gset
-- user 2 has no name: blocked, with the count, even with allow_destructive
SELECT premix_run('20260101000500', 'name_not_null', 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;', allow_destructive => true);
\echo :LAST_ERROR_SQLSTATE
SELECT unchanged(state('users'), :'snap') AS refused;
-- the same with a backfill first: the database checked the rows (warn)
SELECT e.* FROM premix_run('20260101000500', 'name_not_null', $$UPDATE users SET name = '?' WHERE name IS NULL;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;$$, 'ALTER TABLE users ALTER COLUMN name DROP NOT NULL;') r, effect(r) e;
SELECT * FROM users ORDER BY id;

-- ------------------------------------------------ 8. renames by a script
SELECT e.* FROM premix_run('20260101000600', 'rename_name',
  'ALTER TABLE users RENAME COLUMN name TO full_name;', 'ALTER TABLE users RENAME COLUMN full_name TO name;') r, effect(r) e;
SELECT * FROM users ORDER BY id;
SELECT e.* FROM premix_run('20260101000700', 'rename_items',
  'ALTER TABLE items RENAME TO products;', 'ALTER TABLE products RENAME TO items;') r, effect(r) e;
SELECT * FROM products ORDER BY id;

-- ---------------------- 9. DROP COLUMN x; ADD COLUMN x loses x's values
SELECT premix_run('20260101000800', 'reset_qty', 'ALTER TABLE products DROP COLUMN qty; ALTER TABLE products ADD COLUMN qty integer;');
\echo :LAST_ERROR_SQLSTATE
SELECT id, qty FROM products ORDER BY id;

-- ----------------------------------------------- 10. refused arguments
SELECT premix_run('20260101000800', 'in_tx', 'BEGIN; ALTER TABLE products ADD COLUMN note text; COMMIT;');
SELECT premix_run('abc', 'bad_version', 'ALTER TABLE products ADD COLUMN note text;');
\echo :LAST_ERROR_SQLSTATE
SELECT premix_run('20260101000800', 'empty', '');
\echo :LAST_ERROR_SQLSTATE
SELECT premix_run('20260101000800', 'empty', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS note_columns FROM pg_attribute WHERE attrelid = 'products'::regclass AND attname = 'note';
SELECT count(*) AS ledger_rows FROM premix.migrations WHERE applied_by = 'regress_history';

-- ---------------------------------------------------------- 11. status
SELECT m->>'version' AS version, m->>'name' AS name, m->>'kind' AS kind, m->>'steps' AS steps,
       m->>'rolled_back_at' AS rolled_back_at, m->>'after_commit_pending' AS after_commit_pending
  FROM jsonb_array_elements(premix_status()->'migrations') m WHERE (m->>'id')::bigint >= :first_id;
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same, s->>'explain' AS explain FROM premix_status() s;
-- a manual change behind premix's back
ALTER TABLE users DROP COLUMN email;
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same FROM premix_status() s;
SELECT premix_status()->>'explain' AS explain;
-- undone: no drift
ALTER TABLE users ADD COLUMN email text;
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same, s->>'explain' AS explain FROM premix_status() s;

-- -------------------------------------------------------- 12. rollback
-- the newest: the table rename, undone with its rows
SELECT v->>'version' AS version, v->>'name' AS name FROM premix_rollback() r, jsonb_array_elements(r->'rolled_back') v;
SELECT * FROM items ORDER BY id;
SELECT to_regclass('products') AS products;
SELECT premix_status()->>'drift' AS drift;
-- a named version and everything applied after it, newest first
SELECT v->>'version' AS version, v->>'name' AS name FROM premix_rollback('20260101000500') r, jsonb_array_elements(r->'rolled_back') v;
SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT * FROM users ORDER BY id;
SELECT version, name, rolled_back_at IS NOT NULL AS rolled_back FROM premix.migrations WHERE applied_by = 'regress_history' ORDER BY id;
SELECT premix_status()->>'drift' AS drift;
-- no applied migration has that version
SELECT premix_rollback('20991231000000');
\echo :LAST_ERROR_SQLSTATE
-- a rolled-back migration may be applied again, edited
SELECT e.* FROM premix_run('20260101000600', 'rename_name',
  'ALTER TABLE users RENAME COLUMN name TO display_name;', 'ALTER TABLE users RENAME COLUMN display_name TO name;') r, effect(r) e;

-- ----------- 13. premix_script of a plan: up, run, after commit, roll back
-- a rename, a new column, a new index on a table with rows (built
-- CONCURRENTLY after commit) and one on an empty table (in the transaction)
SELECT premix_diff('{"tables":[{"name":"users","columns":[
  {"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","renamed_from":"display_name"},
  {"name":"email","type":"text"},{"name":"active","type":"boolean"}],
  "primary_key":{"columns":["id"]},"indexes":[{"name":"users_username_idx","columns":["username"]}]},
 {"name":"early","columns":[{"name":"id","type":"integer","nullable":false},{"name":"label","type":"text"}],
  "primary_key":{"columns":["id"]},"indexes":[{"name":"early_label_idx","columns":["label"]}]}]}', '{"scope":"listed"}') AS plan \gset
SELECT s->>'op' AS op, s->>'table' AS "table", s->>'object' AS object, s->>'safety' AS safety, s->>'lock' AS lock
  FROM jsonb_array_elements((:'plan')::jsonb->'steps') s;
SELECT premix_script(:'plan') AS script \gset
SELECT (:'script')::jsonb - 'up' - 'down' AS script;
SELECT (:'script')::jsonb->>'up' AS up;
SELECT (:'script')::jsonb->>'down' AS down;
SELECT (:'script')::jsonb->>'up' AS up, (:'script')::jsonb->>'down' AS down \gset
SELECT premix_schema()::text AS schema0 \gset
SELECT string_agg(u::text, ',' ORDER BY id) AS rows0 FROM users u \gset
SELECT premix_run('20260101001000', 'script_plan', :'up', :'down') AS run \gset
SELECT e.* FROM effect(:'run') e;
SELECT (:'run')::jsonb->'after_commit' AS after_commit, (:'run')::jsonb->'warnings' AS warnings;
-- the part before the mark ran; the index on users is pending
SELECT to_regclass('early_label_idx') AS early_label_idx, to_regclass('users_username_idx') AS users_username_idx;
SELECT m->>'name' AS name, m->>'after_commit_pending' AS after_commit_pending
  FROM jsonb_array_elements(premix_status()->'migrations') m WHERE m->>'version' = '20260101001000';
SELECT s->>'drift' AS drift, s->>'expected' AS expected FROM premix_status() s;
-- called again before the after-commit part ran: nothing recorded, the
-- statement still to run is handed back
SELECT r->>'applied' AS applied, r->>'completed' AS completed, r->>'message' AS message,
       r->'after_commit' AS after_commit
  FROM premix_run('20260101001000', 'script_plan', :'up', :'down') r;
-- run the after-commit statement (outside a transaction), then record it
SELECT (:'run')::jsonb->'after_commit'->>0 \gexec
SELECT r->>'applied' AS applied, r->>'completed' AS completed, r->>'message' AS message
  FROM premix_run('20260101001000', 'script_plan', :'up', :'down') r;
SELECT m->>'name' AS name, m->>'after_commit_pending' AS after_commit_pending
  FROM jsonb_array_elements(premix_status()->'migrations') m WHERE m->>'version' = '20260101001000';
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same FROM premix_status() s;
SELECT jsonb_array_length(premix_diff(premix_schema())->'steps') AS steps_left;
SELECT * FROM users ORDER BY id;
-- and again: now a no-op
RESET ROLE;
UPDATE premix.migrations SET applied_at = '2026-01-01 00:00:00+00' WHERE applied_by = 'regress_history';
SET ROLE regress_history;
SELECT r->>'applied' AS applied, r->>'completed' AS completed, r->>'message' AS message
  FROM premix_run('20260101001000', 'script_plan', :'up', :'down') r;
-- the down text undoes it all: the schema is back exactly, the rows too
SELECT v->>'version' AS version, v->>'name' AS name FROM premix_rollback() r, jsonb_array_elements(r->'rolled_back') v;
SELECT premix_schema()::text = :'schema0' AS schema_back;
SELECT string_agg(u::text, ',' ORDER BY id) = :'rows0' AS rows_back FROM users u;
SELECT to_regclass('early_label_idx') AS early_label_idx, to_regclass('users_username_idx') AS users_username_idx;

-- --------------- 14. a down SQL that does not restore the schema: refused
SELECT e.* FROM premix_run('20260101001100', 'bad_down',
  'ALTER TABLE users ADD COLUMN z text;', 'ALTER TABLE users ADD COLUMN zz text;') r, effect(r) e;
SELECT premix_rollback();
\echo :LAST_ERROR_SQLSTATE
SELECT string_agg(attname, ',' ORDER BY attnum) AS columns FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped;
SELECT rolled_back_at IS NULL AS still_applied FROM premix.migrations WHERE applied_by = 'regress_history' AND version = '20260101001100';

-- --------------------- 15. a migration without down SQL: refused, named
SELECT e.* FROM premix_run('20260101001200', 'no_down', 'CREATE INDEX users_z_idx ON users (z);') r, effect(r) e;
SELECT premix_rollback();
\echo :LAST_ERROR_SQLSTATE
SELECT premix_rollback('20260101001100');
SELECT to_regclass('users_z_idx') AS users_z_idx;
SELECT count(*) AS rolled_back_rows FROM premix.migrations WHERE applied_by = 'regress_history' AND rolled_back_at IS NOT NULL;

-- the end: this role's ledger and no drift
SELECT m->>'version' AS version, m->>'name' AS name, m->>'steps' AS steps, m->>'rolled_back_at' IS NOT NULL AS rolled_back,
       m->>'after_commit_pending' AS after_commit_pending
  FROM jsonb_array_elements(premix_status()->'migrations') m WHERE (m->>'id')::bigint >= :first_id;
SELECT premix_status()->>'drift' AS drift;

RESET ROLE;
DROP SCHEMA t_history CASCADE;
DROP ROLE regress_history;
