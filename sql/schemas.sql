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
