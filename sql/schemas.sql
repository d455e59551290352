-- schemas: premix works on current_schema(), or on the one schema the
-- option "schemas" names; premix's own schema is never migrated; the
-- caller's search_path is as it was afterwards; a temporary table of the
-- same name never stands in for the real one.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_sch_a;
CREATE SCHEMA "t_sch ""b""";
SET search_path = t_sch_a, public;
CREATE TABLE items (id integer PRIMARY KEY);
CREATE TEMP TABLE items (id integer, shadowing text);

-- current_schema() is t_sch_a: the real table, not the temporary one
SELECT premix_schema() -> 'tables' -> 0 -> 'columns' AS columns;
-- the other schema, named by the option (a hostile name, quoted)
SELECT premix_migrate('{"tables":[{"name":"items","columns":[{"name":"id","type":"bigint","nullable":false},{"name":"note","type":"text"}]}]}',
                      options => '{"schemas": ["t_sch \"b\""]}') ->> 'applied' AS applied;
SELECT table_schema, table_name, column_name FROM information_schema.columns
 WHERE table_schema LIKE 't_sch%' ORDER BY 1, 2, 3;
SHOW search_path;
SELECT premix_schema('{"schemas": ["t_sch \"b\""]}') -> 'tables' -> 0 ->> 'name' AS name;
-- refusals
SELECT premix_schema('{"schemas": ["t_sch_a", "public"]}');
SELECT premix_schema('{"schemas": ["no_such_schema"]}');
SET search_path = premix, public;
SELECT premix_diff('{"tables":[]}');
RESET search_path;

-- each schema has its own history: the same version applied in two
-- schemas with different SQL, a rollback in one leaves the other alone,
-- and status compares each schema with its own last migration
CREATE SCHEMA t_hist_a;
CREATE SCHEMA t_hist_b;
SET search_path = t_hist_a, public;
SELECT premix_run('20270101000001', 'make_t', 'CREATE TABLE t (id int);', 'DROP TABLE t;') ->> 'applied' AS a_applied;
SET search_path = t_hist_b, public;
SELECT premix_status() -> 'drift' AS b_drift, jsonb_array_length(premix_status() -> 'migrations') AS b_rows;
SELECT premix_run('20270101000001', 'make_t', 'CREATE TABLE t (id int, b text);', 'DROP TABLE t;') ->> 'applied' AS b_applied;
SELECT premix_rollback() -> 'rolled_back' -> 0 ->> 'name' AS b_rolled_back;
SELECT to_regclass('t_hist_a.t') IS NOT NULL AS a_t_kept, to_regclass('t_hist_b.t') IS NULL AS b_t_gone;
SET search_path = t_hist_a, public;
SELECT premix_status() -> 'drift' AS a_drift,
       premix_status() -> 'migrations' -> 0 ->> 'rolled_back_at' IS NULL AS a_still_applied;
RESET search_path;
