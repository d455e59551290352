-- trash: a planned migration (premix_migrate, premix_apply of a
-- premix_diff plan) that drops a table moves it to schema premix_trash
-- (its own foreign keys dropped, re-added by the down SQL); a dropped
-- column's values are first copied with the primary key into
-- premix_trash.<table>__<column>, and the down SQL puts them back.
-- premix_rollback() restores structure and rows; premix_purge() empties
-- the trash; {"trash": false} turns it off.  Trash tables are never part of
-- premix_schema() or a plan.  Run by a role that is not a superuser, in its
-- own schema (its own ledger history).  premix_trash and premix.migrations
-- are shared by the whole database, so only this role's trash tables and
-- this schema's ledger rows are shown, never ids or times; recorded versions
-- and times are pinned (as superuser) before an error or a purge shows them.
-- Table names start with tr_, which no other test uses.  No identifier
-- here is the name of a table other tests leave in premix_trash (a__w, b,
-- doomed): premix_purge dates a trash table by the ledger rows whose up SQL
-- holds its quoted name, so such a name would make it take another
-- history's table for this one's (a known bug).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE ROLE regress_trash;
CREATE SCHEMA t_trash AUTHORIZATION regress_trash;
SET search_path = t_trash, public;
\set VERBOSITY default
\pset null '(null)'
SET ROLE regress_trash;

CREATE TABLE tr_users (id integer PRIMARY KEY, name text, fax text DEFAULT 'none');
CREATE TABLE tr_prefs (user_id integer PRIMARY KEY, theme text, tier integer NOT NULL DEFAULT 1);
CREATE TABLE tr_kv (ns text, k text, v numeric, PRIMARY KEY (ns, k));
CREATE TABLE tr_orders (id integer PRIMARY KEY, user_id integer REFERENCES tr_users (id), total integer NOT NULL CHECK (total >= 0));
CREATE INDEX tr_orders_user_idx ON tr_orders (user_id);
INSERT INTO tr_users VALUES (1, 'ann', 'F1'), (2, 'bo', NULL), (3, NULL, 'F3');
INSERT INTO tr_prefs VALUES (1, 'dark', 3), (2, NULL, 2);
INSERT INTO tr_kv VALUES ('a', 'scale', 1.50), ('a', 'tiny', 0.000001), ('b', 'neg', -7), ('b', 'null', NULL);
INSERT INTO tr_orders VALUES (10, 1, 50), (11, 2, 150), (12, NULL, 7);

-- this role's trash tables
CREATE FUNCTION my_trash() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(relname, ', ' ORDER BY relname), '(none)') FROM pg_class
   WHERE relnamespace = 'premix_trash'::regnamespace AND relkind = 'r' AND relowner = 'regress_trash'::regrole
$$;
-- a plan's steps
CREATE FUNCTION steps(plan jsonb) RETURNS TABLE (op text, object text, safety text, reversible text, reason text)
LANGUAGE sql AS $$
  SELECT s->>'op', (s->>'table') || '.' || (s->>'object'), s->>'safety', s->>'reversible', s->>'reason'
    FROM jsonb_array_elements(plan->'steps') s
$$;
-- the live schema without one table (a target for scope "all")
CREATE FUNCTION schema_without(tbl text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('tables', coalesce(jsonb_agg(t), '[]'))
    FROM jsonb_array_elements(premix_schema()->'tables') t WHERE t->>'name' <> tbl
$$;
-- the tables premix_schema() lists
CREATE FUNCTION schema_tables() RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(t->>'name', ', ' ORDER BY t->>'name') FROM jsonb_array_elements(premix_schema()->'tables') t
$$;
SELECT my_trash() AS trash;

-- ---------------------------- 1. dropped columns: values kept, put back
-- each table's last column goes (fax: nullable with a default, NULL in one
-- row; tier: NOT NULL DEFAULT 1; v: numeric whose scale must survive,
-- composite primary key); the other tables are not listed
SELECT premix_schema()::text AS schema0 \gset
SELECT string_agg(id || ':' || coalesce(fax, '(null)'), ',' ORDER BY id) AS fax0 FROM tr_users \gset
SELECT string_agg(user_id || ':' || tier, ',' ORDER BY user_id) AS tier0 FROM tr_prefs \gset
SELECT string_agg(ns || '.' || k || '=' || coalesce(v::text, '(null)'), ',' ORDER BY ns, k) AS v0 FROM tr_kv \gset
\set t1 'CREATE TABLE tr_users (id integer PRIMARY KEY, name text); CREATE TABLE tr_prefs (user_id integer PRIMARY KEY, theme text); CREATE TABLE tr_kv (ns text, k text, PRIMARY KEY (ns, k));'
SELECT premix_diff(:'t1', '{"scope": "listed"}') AS plan1 \gset
SELECT * FROM steps(:'plan1');
-- the up and down SQL of two steps: the copy before the drop; the column
-- added back (with its default), the values copied back by key, NOT NULL,
-- the trash table dropped
SELECT s->>'object' AS object, d AS up FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s, jsonb_array_elements_text(s->'sql') d
 WHERE s->>'object' = 'fax';
SELECT s->>'object' AS object, d AS down FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s, jsonb_array_elements_text(s->'down') d
 WHERE s->>'object' IN ('fax', 'tier');
-- refused without allow_destructive: nothing moves to the trash
SELECT premix_migrate(:'t1', options => '{"scope": "listed"}');
\echo :LAST_ERROR_SQLSTATE
SELECT my_trash() AS trash, premix_schema()::text = :'schema0' AS schema_unchanged;
SELECT r->>'applied' AS applied FROM premix_migrate(:'t1', allow_destructive => true, options => '{"scope": "listed"}') r;
SELECT my_trash() AS trash;
SELECT c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) AS columns
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 'premix_trash'::regnamespace AND c.relowner = 'regress_trash'::regrole AND a.attnum > 0
 GROUP BY c.relname ORDER BY c.relname;
SELECT * FROM premix_trash.tr_users__fax ORDER BY id;
SELECT * FROM premix_trash.tr_prefs__tier ORDER BY user_id;
SELECT * FROM premix_trash.tr_kv__v ORDER BY ns, k;
-- the trash is not part of the schema, of a plan or of drift
SELECT schema_tables() AS premix_schema_tables, strpos(premix_schema()::text, 'trash') = 0 AS no_trash_in_schema;
SELECT jsonb_array_length(premix_diff(:'t1', '{"scope": "listed"}')->'steps') AS same_target_steps;
SELECT premix_status()->>'drift' AS drift;
-- rows written after the migration, then the rollback
INSERT INTO tr_users (id, name) VALUES (4, 'dee');
INSERT INTO tr_prefs (user_id, theme) VALUES (3, 'light');
INSERT INTO tr_kv (ns, k) VALUES ('c', 'new');
UPDATE tr_users SET name = 'ANN' WHERE id = 1;
SELECT jsonb_array_length(r->'rolled_back') AS rolled_back, r->'rolled_back'->0->>'name' AS name FROM premix_rollback() r;
-- the old rows have their values back exactly (NULLs too, numeric scale
-- too), the new rows the column's default, the update is kept
SELECT * FROM tr_users ORDER BY id;
SELECT * FROM tr_prefs ORDER BY user_id;
SELECT * FROM tr_kv ORDER BY ns, k;
SELECT (SELECT string_agg(id || ':' || coalesce(fax, '(null)'), ',' ORDER BY id) FROM tr_users WHERE id <= 3) = :'fax0' AS fax_back,
       (SELECT string_agg(user_id || ':' || tier, ',' ORDER BY user_id) FROM tr_prefs WHERE user_id <= 2) = :'tier0' AS tier_back,
       (SELECT string_agg(ns || '.' || k || '=' || coalesce(v::text, '(null)'), ',' ORDER BY ns, k) FROM tr_kv WHERE ns <> 'c') = :'v0' AS v_back;
SELECT premix_schema()::text = :'schema0' AS schema_text_as_before;
SELECT attnotnull AS tier_not_null, pg_get_expr(adbin, adrelid) AS tier_default
  FROM pg_attribute JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'tr_prefs'::regclass AND attname = 'tier';
SELECT my_trash() AS trash;
SELECT name, kind, steps, rolled_back_at IS NOT NULL AS rolled_back FROM premix.migrations WHERE schema_name = 't_trash' ORDER BY id;

-- ------------------- 2. a dropped table: rows, index, foreign key kept
-- target: the live schema without tr_orders; the plan is reviewed, then applied
SELECT premix_schema()::text AS schema0 \gset
SELECT premix_diff(schema_without('tr_orders')) AS plan2 \gset
SELECT * FROM steps(:'plan2');
SELECT d AS up FROM jsonb_array_elements_text(:'plan2'::jsonb->'steps'->0->'sql') d;
SELECT d AS down FROM jsonb_array_elements_text(:'plan2'::jsonb->'steps'->0->'down') d;
SELECT premix_apply(:'plan2');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS tr_orders_rows FROM tr_orders;
SELECT r->>'applied' AS applied FROM premix_apply(:'plan2', allow_destructive => true) r;
SELECT my_trash() AS trash, to_regclass('tr_orders') AS tr_orders;
SELECT * FROM premix_trash.tr_orders ORDER BY id;
-- its index and CHECK went with it; its foreign key was dropped
SELECT indexname FROM pg_indexes WHERE schemaname = 'premix_trash' AND tablename = 'tr_orders' ORDER BY 1;
SELECT conname, contype FROM pg_constraint WHERE conrelid = 'premix_trash.tr_orders'::regclass ORDER BY 1;
SELECT schema_tables() AS premix_schema_tables;
SELECT jsonb_array_length(premix_diff(schema_without('tr_orders'))->'steps') AS same_target_steps;
-- so the parent row of a trashed order can be deleted meanwhile
DELETE FROM tr_users WHERE id = 2;
SELECT count(*) AS user_2_rows, (SELECT count(*) FROM premix_trash.tr_orders WHERE user_id = 2) AS trashed_orders_of_user_2
  FROM tr_users WHERE id = 2;
-- but then the rollback cannot add the foreign key back: refused, nothing
-- changed (its version pinned to show it)
RESET ROLE;
UPDATE premix.migrations SET version = '20260101000200' WHERE id = (SELECT max(id) FROM premix.migrations WHERE schema_name = 't_trash');
SET ROLE regress_trash;
SELECT premix_rollback();
\echo :LAST_ERROR_SQLSTATE
SELECT my_trash() AS trash, to_regclass('tr_orders') AS tr_orders,
       (SELECT rolled_back_at IS NULL FROM premix.migrations WHERE schema_name = 't_trash' AND version = '20260101000200') AS still_applied;
-- the parent row back: the rollback restores table, rows, index and key
INSERT INTO tr_users VALUES (2, 'bo', NULL);
SELECT jsonb_array_length(r->'rolled_back') AS rolled_back, r->'rolled_back'->0->>'version' AS version FROM premix_rollback() r;
SELECT * FROM tr_orders ORDER BY id;
SELECT premix_schema()::text = :'schema0' AS schema_text_as_before;
SELECT indexname FROM pg_indexes WHERE schemaname = 't_trash' AND tablename = 'tr_orders' ORDER BY 1;
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'tr_orders'::regclass ORDER BY 1;
SELECT my_trash() AS trash;
SELECT rolled_back_at IS NOT NULL AS rolled_back FROM premix.migrations WHERE schema_name = 't_trash' AND version = '20260101000200';
-- the key holds again
DELETE FROM tr_users WHERE id = 2;

-- ---------------- 3. values that cannot be restored, and a NOT NULL that can
-- tr_loose has no primary key to find the rows again; tr_ids.n is an
-- identity column; tr_stock.qty is NOT NULL without a default (PostgreSQL
-- adds it back nullable, fills it, then sets NOT NULL)
CREATE TABLE tr_loose (num integer, note text);
CREATE TABLE tr_ids (id integer PRIMARY KEY, n integer GENERATED BY DEFAULT AS IDENTITY, label text);
CREATE TABLE tr_stock (sku text PRIMARY KEY, qty integer NOT NULL);
INSERT INTO tr_loose VALUES (1, 'x'), (2, NULL);
INSERT INTO tr_ids (id, label) VALUES (1, 'one');
INSERT INTO tr_stock VALUES ('s1', 5), ('s2', 0);
\set t3 'CREATE TABLE tr_loose (num integer); CREATE TABLE tr_ids (id integer PRIMARY KEY, label text); CREATE TABLE tr_stock (sku text PRIMARY KEY);'
SELECT premix_diff(:'t3', '{"scope": "listed"}') AS plan3 \gset
SELECT * FROM steps(:'plan3');
SELECT s->>'object' AS object, d AS down FROM jsonb_array_elements(:'plan3'::jsonb->'steps') s, jsonb_array_elements_text(s->'down') d;
SELECT r->>'applied' AS applied FROM premix_migrate(:'t3', allow_destructive => true, options => '{"scope": "listed"}') r;
SELECT my_trash() AS trash;
SELECT * FROM premix_trash.tr_stock__qty ORDER BY sku;

-- ----------------------------------------- 4. {"trash": false}: plain drops
CREATE TABLE tr_scratch (id integer PRIMARY KEY, junk text, more text);
INSERT INTO tr_scratch VALUES (1, 'j', 'm');
\set t4 'CREATE TABLE tr_scratch (id integer PRIMARY KEY, junk text);'
SELECT s->'sql' AS sql, s->>'reversible' AS reversible, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(:'t4', '{"scope": "listed", "trash": false}')->'steps') s;
SELECT r->>'applied' AS applied FROM premix_migrate(:'t4', allow_destructive => true, options => '{"scope": "listed", "trash": false}') r;
SELECT s->'sql' AS sql, s->'down' AS down, s->>'reversible' AS reversible, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(schema_without('tr_scratch'), '{"trash": false}')->'steps') s;
SELECT r->>'applied' AS applied FROM premix_migrate(schema_without('tr_scratch'), allow_destructive => true, options => '{"trash": false}') r;
SELECT to_regclass('tr_scratch') AS tr_scratch, my_trash() AS trash;
SELECT rtrim(down_sql, E'\n') AS down_sql FROM premix.migrations WHERE schema_name = 't_trash' ORDER BY id DESC LIMIT 1;

-- ---------------------- 5. the same table dropped twice: a second name
CREATE TABLE tr_log (msg text);
INSERT INTO tr_log VALUES ('first');
SELECT r->>'applied' AS applied FROM premix_migrate(schema_without('tr_log'), allow_destructive => true) r;
SELECT r->>'applied' AS applied FROM premix_migrate('CREATE TABLE tr_log (msg text, at integer);', options => '{"scope": "listed"}') r;
INSERT INTO tr_log VALUES ('second', 2);
SELECT s->'sql' AS sql, s->'down' AS down, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff(schema_without('tr_log'))->'steps') s;
SELECT r->>'applied' AS applied FROM premix_migrate(schema_without('tr_log'), allow_destructive => true) r;
SELECT my_trash() AS trash;
SELECT * FROM premix_trash.tr_log;
SELECT * FROM premix_trash.tr_log_2;

-- ------------------------------------------------------------ 6. purge
-- a trash table that no migration of this history put there: left alone
CREATE TABLE premix_trash.tr_mine (x integer);
INSERT INTO premix_trash.tr_mine VALUES (1);
SELECT my_trash() AS trash;
-- refused without allow_destructive, naming tables and rows
SELECT premix_purge();
\echo :LAST_ERROR_SQLSTATE
SELECT premix_purge(NULL, false);
\echo :LAST_ERROR_SQLSTATE
SELECT my_trash() AS trash;
-- nothing was trashed before 2000
SELECT premix_purge('20000101000000') AS older_than_2000;
SELECT premix_purge('20000101000000', true) AS older_than_2000_allowed;
-- a malformed stamp is refused
SELECT premix_purge('2026-01-01', true);
\echo :LAST_ERROR_SQLSTATE
SELECT premix_purge('2026010100000', true);
\echo :LAST_ERROR_SQLSTATE
-- the migration of section 3 dated 2020: only its trash is older than 2021
RESET ROLE;
UPDATE premix.migrations SET applied_at = '2020-06-01 00:00:00+00' WHERE schema_name = 't_trash' AND up_sql LIKE '%tr_stock__qty%';
SET ROLE regress_trash;
SELECT count(*) AS dated_2020 FROM premix.migrations WHERE schema_name = 't_trash' AND applied_at < '2021-01-01';
SELECT premix_purge('20210101000000', true) AS older_than_2021;
SELECT my_trash() AS trash;
-- everything else
SELECT premix_purge();
SELECT premix_purge(NULL, true) AS purge_all;
SELECT my_trash() AS trash;
SELECT premix_purge() AS again;

-- ---------------------------------------- 7. rollback after the purge
-- the newest migration moved tr_log to premix_trash.tr_log_2, now purged:
-- the rollback fails and changes nothing (its version pinned to show it)
RESET ROLE;
UPDATE premix.migrations SET version = '20260101000700' WHERE id = (SELECT max(id) FROM premix.migrations WHERE schema_name = 't_trash');
SET ROLE regress_trash;
SELECT premix_schema()::text AS schema0 \gset
SELECT premix_rollback();
\echo :LAST_ERROR_SQLSTATE
SELECT premix_schema()::text = :'schema0' AS schema_unchanged, to_regclass('tr_log') AS tr_log,
       (SELECT rolled_back_at IS NULL FROM premix.migrations WHERE schema_name = 't_trash' AND version = '20260101000700') AS still_applied;

-- the end: this schema's ledger
SELECT name, kind, steps, rolled_back_at IS NOT NULL AS rolled_back FROM premix.migrations WHERE schema_name = 't_trash' ORDER BY id;

RESET ROLE;
DROP TABLE premix_trash.tr_mine;
DROP SCHEMA t_trash CASCADE;
DROP OWNED BY regress_trash;
DROP ROLE regress_trash;

-- a table with a primary key and a serial, dropped twice under one name:
-- its index and sequence move to the trash as "<trash table>:<name>", so
-- the second drop (to tr_keyed_2) does not collide with the first, and a
-- rollback brings back the names
CREATE SCHEMA t_trash_keyed;
SET search_path = t_trash_keyed, public;
CREATE TABLE tr_keyed (id serial PRIMARY KEY, v text);
INSERT INTO tr_keyed (v) VALUES ('first');
SELECT premix_migrate('{"tables": []}', true) ->> 'applied' AS applied;
CREATE TABLE tr_keyed (id serial PRIMARY KEY, v text);
INSERT INTO tr_keyed (v) VALUES ('second');
SELECT premix_migrate('{"tables": []}', true) ->> 'applied' AS applied;
SELECT c.relname, c.relkind FROM pg_class c
 WHERE c.relnamespace = 'premix_trash'::regnamespace AND c.relname LIKE 'tr\_keyed%' ORDER BY 1;
SELECT (SELECT v FROM premix_trash.tr_keyed) AS first, (SELECT v FROM premix_trash.tr_keyed_2) AS second;
SELECT premix_rollback() -> 'rolled_back' -> 0 ->> 'name' AS rolled_back;
SELECT v, pg_get_serial_sequence('tr_keyed', 'id') AS seq FROM tr_keyed;
SELECT indexname FROM pg_indexes WHERE schemaname = 't_trash_keyed';
RESET search_path;
DROP SCHEMA t_trash_keyed CASCADE;
DROP TABLE premix_trash.tr_keyed;
