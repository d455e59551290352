-- many: a target of more tables than one shadow subtransaction takes (the
-- shadow works in chunks so the server's lock table, sized by
-- max_locks_per_transaction, is never exhausted), with foreign keys that
-- cross chunks; the migrate creates them all and the re-diff is empty.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_many;
SET search_path = t_many, public;
SHOW max_locks_per_transaction;
CREATE TEMP TABLE tgt AS
SELECT jsonb_build_object('tables', jsonb_agg(jsonb_build_object(
         'name', format('m%s', lpad(i::text, 4, '0')),
         'columns', jsonb_build_array(
            jsonb_build_object('name', 'id', 'type', 'integer', 'nullable', false),
            jsonb_build_object('name', 'prev', 'type', 'integer')),
         'primary_key', jsonb_build_object('columns', jsonb_build_array('id')),
         'foreign_keys', CASE WHEN i > 1 THEN jsonb_build_array(jsonb_build_object(
            'columns', jsonb_build_array('prev'),
            'ref_table', format('m%s', lpad(((i * 7) % (i - 1) + 1)::text, 4, '0')),
            'ref_columns', jsonb_build_array('id'))) ELSE '[]'::jsonb END)))
  AS t FROM generate_series(1, 1200) AS i;
SELECT (premix_diff(t) -> 'steps' -> 0 ->> 'op') AS first_op, jsonb_array_length(premix_diff(t) -> 'steps') AS steps FROM tgt;
SELECT premix_migrate(t) ->> 'applied' AS applied FROM tgt;
SELECT count(*) AS tables FROM pg_tables WHERE schemaname = 't_many';
SELECT count(*) AS fks FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
 WHERE n.nspname = 't_many' AND c.contype = 'f';
SELECT premix_diff(t) -> 'steps' AS rediff FROM tgt;
-- every table changes at once: the shadow still fits the lock table
CREATE TEMP TABLE tgt2 AS
SELECT jsonb_set(s, '{tables}', (SELECT jsonb_agg(jsonb_set(x, '{columns}', (x -> 'columns') || '[{"name": "note", "type": "text"}]'))
                                 FROM jsonb_array_elements(s -> 'tables') x)) AS t
  FROM (SELECT premix_schema() AS s) q;
SELECT jsonb_array_length(premix_diff(t) -> 'steps') AS steps FROM tgt2;
SET client_min_messages = warning;
DROP SCHEMA t_many CASCADE;
RESET client_min_messages;
