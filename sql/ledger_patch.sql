-- ledger_patch: after its steps an apply re-reads only the tables its
-- plan changes (the plan's "changed": each one's fingerprint after, null
-- for one it takes away) and records them in the ledger as a patch over
-- the schema before; premix_status puts the patches together to explain
-- drift.  An edited "changed" is caught and rolls everything back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_patch;
SET search_path = t_patch, public;
CREATE TABLE a (id integer PRIMARY KEY, x text);
CREATE TABLE b (id integer PRIMARY KEY, y text);
INSERT INTO a VALUES (1, 'a1');
INSERT INTO b VALUES (1, 'b1');
SELECT coalesce(max(id), 0) AS first_id FROM premix.migrations \gset

\set t1 '{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "x", "type": "text"}, {"name": "z", "type": "integer"}], "primary_key": {"columns": ["id"]}}, {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "y", "type": "text"}], "primary_key": {"columns": ["id"]}}]}'
-- the plan names the one table it changes, with its fingerprint after
SELECT jsonb_object_keys(premix_diff(:'t1') -> 'changed') AS changed;
SELECT length(premix_diff(:'t1') #>> '{changed,a}') AS fingerprint_length;
SELECT premix_migrate(:'t1') ->> 'applied' AS applied;
-- the ledger row: a patch holding table a only, over the schema before
SELECT to_schema::jsonb ? 'base' AS is_patch,
       to_schema::jsonb -> 'gone' AS gone,
       jsonb_path_query_array(to_schema::jsonb, '$.schema.tables[*].name') AS tables,
       to_schema::jsonb ->> 'base' = from_fingerprint AS base_is_from
  FROM premix.migrations WHERE id > :first_id ORDER BY id;
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same, s->>'explain' IS NULL AS no_explain FROM premix_status() s;

-- drift in the table the migration changed: shown column by column
ALTER TABLE a DROP COLUMN z;
SELECT premix_status()->>'drift' AS drift;
SELECT regexp_replace(premix_status()->>'explain', '[0-9]{14}', 'V') AS explain;
ALTER TABLE a ADD COLUMN z integer;
-- drift in a table no record holds: seen, and said not shown
ALTER TABLE b ADD COLUMN w text;
SELECT premix_status()->>'drift' AS drift;
SELECT regexp_replace(premix_status()->>'explain', '[0-9]{14}', 'V') AS explain;
ALTER TABLE b DROP COLUMN w;
SELECT premix_status()->>'drift' AS drift;

-- a whole record (premix_run) then a patch over it: drift anywhere shown
SELECT premix_run('20260301000000', 'b_note', 'ALTER TABLE b ADD COLUMN note text;') ->> 'applied' AS applied;
\set t2 '{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "x", "type": "text"}, {"name": "z", "type": "integer"}, {"name": "v", "type": "boolean"}], "primary_key": {"columns": ["id"]}}, {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "y", "type": "text"}, {"name": "note", "type": "text"}], "primary_key": {"columns": ["id"]}}]}'
SELECT premix_migrate(:'t2') ->> 'applied' AS applied;
SELECT to_schema::jsonb ? 'base' AS is_patch FROM premix.migrations WHERE id > :first_id ORDER BY id;
ALTER TABLE b DROP COLUMN note;
SELECT regexp_replace(premix_status()->>'explain', '[0-9]{14}', 'V') AS explain;
ALTER TABLE b ADD COLUMN note text;
SELECT premix_status()->>'drift' AS drift;

-- a rename: the new name with its fingerprint, the old one gone
\set t3 '{"tables": [{"name": "a2", "renamed_from": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "x", "type": "text"}, {"name": "z", "type": "integer"}, {"name": "v", "type": "boolean"}], "primary_key": {"columns": ["id"]}}, {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "y", "type": "text"}, {"name": "note", "type": "text"}], "primary_key": {"columns": ["id"]}}]}'
SELECT key, value IS NULL OR value = 'null' AS gone FROM jsonb_each(premix_diff(:'t3') -> 'changed') ORDER BY key;
SELECT premix_migrate(:'t3') ->> 'applied' AS applied;
SELECT * FROM a2;
SELECT to_schema::jsonb -> 'gone' AS gone FROM premix.migrations WHERE id = (SELECT max(id) FROM premix.migrations);
SELECT premix_status()->>'drift' AS drift;
SELECT premix_diff(:'t3') -> 'steps' AS rediff;

-- scope "listed": the ledger's fingerprint covers the tables left out too
\set t4 '{"tables": [{"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "y", "type": "text"}, {"name": "note", "type": "text"}, {"name": "n", "type": "bigint"}], "primary_key": {"columns": ["id"]}}]}'
SELECT premix_diff(:'t4', '{"scope": "listed"}') ? 'to_schema' AS has_to_schema;
SELECT premix_migrate(:'t4', options => '{"scope": "listed"}') ->> 'applied' AS applied;
SELECT s->>'drift' AS drift, s->>'expected' = s->>'actual' AS same FROM premix_status() s;
SELECT to_regclass('a2') IS NOT NULL AS a2_kept;

-- an edited "changed": the steps run, the check after them fails, nothing stays
\set t5 '{"tables": [{"name": "a2", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "x", "type": "text"}, {"name": "z", "type": "integer"}, {"name": "v", "type": "boolean"}, {"name": "u", "type": "date"}], "primary_key": {"columns": ["id"]}}, {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "y", "type": "text"}, {"name": "note", "type": "text"}, {"name": "n", "type": "bigint"}], "primary_key": {"columns": ["id"]}}]}'
SELECT count(*) AS ledger_rows FROM premix.migrations \gset before_
SELECT premix_apply(jsonb_set(premix_diff(:'t5'), '{changed,a2}', to_jsonb(repeat('0', 64))));
\echo :LAST_ERROR_SQLSTATE
SELECT premix_apply(jsonb_set(premix_diff(:'t5'), '{changed,b}', 'null'));
\echo :LAST_ERROR_SQLSTATE
SELECT premix_apply(jsonb_set(premix_diff(:'t5'), '{changed,c}', to_jsonb(repeat('0', 64))));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS u_columns FROM pg_attribute WHERE attrelid = 'a2'::regclass AND attname = 'u';
SELECT count(*) - :before_ledger_rows AS new_ledger_rows FROM premix.migrations;
-- malformed
SELECT premix_apply(jsonb_set(premix_diff(:'t5'), '{changed,a2}', '5'));
\echo :LAST_ERROR_SQLSTATE
SELECT premix_apply(jsonb_set(premix_diff(:'t5'), '{changed}', '[]'));
\echo :LAST_ERROR_SQLSTATE
-- unedited, it applies
SELECT premix_apply(premix_diff(:'t5')) ->> 'applied' AS applied;
SELECT premix_status()->>'drift' AS drift;

DROP SCHEMA t_patch CASCADE;
