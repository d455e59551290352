-- errors: bad input gets a clear error and changes nothing; hostile
-- identifiers are created literally, always quoted, never pasted.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_errors;
SET search_path = t_errors, public;

CREATE TABLE users (id integer PRIMARY KEY, name text);

-- malformed JSON: the position is named
SELECT premix_diff('{"tables": [ {"name": "x", }]}');
-- unknown key (a typo of nullable), with its path and the nearest key
SELECT premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer","nulable":false}]}]}');
-- unknown option
SELECT premix_diff('{"tables":[]}', '{"scop":"listed"}');
-- a foreign key to a table that does not exist: the nearest name is suggested
SELECT premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer","nullable":false},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}},
  {"name":"orders","columns":[{"name":"id","type":"integer"},{"name":"user_id","type":"integer"}],
   "foreign_keys":[{"columns":["user_id"],"ref_table":"user","ref_columns":["id"]}]}]}');
-- duplicate names
SELECT premix_diff('{"tables":[{"name":"t","columns":[{"name":"a","type":"text"},{"name":"a","type":"integer"}]}]}');
-- a type that is not a type name is never pasted into DDL
SELECT premix_diff('{"tables":[{"name":"t","columns":[{"name":"a","type":"text; DROP TABLE users"}]}]}');
-- an expression cannot smuggle a second statement
SELECT premix_diff('{"tables":[{"name":"t","columns":[{"name":"a","type":"text","default":"1); DROP TABLE users; --"}]}]}');
-- what PostgreSQL itself refuses in the target is reported with its reason
SELECT premix_diff('{"tables":[{"name":"t","columns":[{"name":"a","type":"integer","default":"''abc''"}]}]}', '{"scope":"listed"}');
-- NULL target, a target where a plan is expected, a plan of another dialect
SELECT premix_diff(NULL::jsonb);
SELECT premix_apply('{"tables":[]}');
SELECT premix_apply('{"format":1,"dialect":"sqlite","from":"x","to":"y","destructive":false,"blocked":false,"steps":[]}');
-- nothing above changed anything
SELECT tablename FROM pg_tables WHERE schemaname = 't_errors' ORDER BY 1;

-- hostile identifiers: quotes, semicolons, spaces, unicode, case
SELECT premix_migrate($$ {"tables":[{"name":"we\"ird; DROP TABLE users; --","columns":[
   {"name":"Mixed Case","type":"text"},{"name":"sémi;colon","type":"integer","nullable":false,"default":"0"},
   {"name":"it's","type":"varchar(10)"}],
   "primary_key":{"columns":["sémi;colon"]},
   "indexes":[{"name":"ix \"q\"","columns":["Mixed Case"]}]}]} $$, options => '{"scope":"listed"}') ->> 'applied' AS applied;
SELECT tablename FROM pg_tables WHERE schemaname = 't_errors' ORDER BY 1;
SELECT attname FROM pg_attribute WHERE attrelid = 't_errors."we""ird; DROP TABLE users; --"'::regclass AND attnum > 0 ORDER BY attnum;
INSERT INTO "we""ird; DROP TABLE users; --" VALUES ('x', 1, 'y');
-- names that mean something in an array's text (braces, a comma, quotes, a
-- backslash, NULL): the apply reads the tables it changed back by name,
-- and finds each as itself
SELECT premix_migrate($$ {"tables":[{"name":"{a,b} \"c\" \\d","columns":[{"name":"x","type":"integer"}]},
   {"name":"NULL","columns":[{"name":"y","type":"text"}]}]} $$, options => '{"scope":"listed"}') ->> 'applied' AS applied;
SELECT c.relname FROM pg_class c WHERE c.relnamespace = 't_errors'::regnamespace AND c.relkind = 'r' ORDER BY 1;
DROP TABLE "{a,b} ""c"" \d", "NULL";
-- the round trip is empty, and a rename of a hostile column is a RENAME
SELECT premix_diff(premix_schema()) -> 'steps' AS steps;
SELECT s->'sql' AS sql FROM jsonb_array_elements(premix_diff($$ {"tables":[{"name":"users","columns":[{"name":"id","type":"integer","nullable":false},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}},
  {"name":"we\"ird; DROP TABLE users; --","columns":[
   {"name":"Mixed Case","type":"text"},{"name":"sémi;colon","type":"integer","nullable":false,"default":"0"},
   {"name":"it''s","type":"varchar(10)","renamed_from":"it's"}],
   "primary_key":{"columns":["sémi;colon"]},
   "indexes":[{"name":"ix \"q\"","columns":["Mixed Case"]}]}]} $$) -> 'steps') s;

-- plain DDL as the target (run in the shadow, then introspected)
SELECT s->>'op' AS op, s->'sql' AS sql FROM jsonb_array_elements(premix_diff(
  'CREATE TABLE users (id integer PRIMARY KEY, name text, email text NOT NULL DEFAULT '''');
   CREATE INDEX users_email_idx ON users (email);', '{"scope":"listed"}') -> 'steps') s;
SELECT premix_diff('CREATE TABLE x (a int); DROP TABLE users;');

-- PostgreSQL's own quoting rules decide what one expression is: a dollar
-- quote cannot hide a second statement, a comma cannot add a column
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"a","type":"text","default":"$$[$$) ; DROP TABLE users; CREATE TABLE z (b int /*]*/"}]}]} $q$, '{"scope":"listed"}');
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"a","type":"text","default":"1, b int"}]}]} $q$, '{"scope":"listed"}');
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"a","type":"text","default":"  "}]}]} $q$, '{"scope":"listed"}');
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"a","type":"text","default":"$x$ it's; fine $x$ || 'a''b' || (ARRAY[1,2])[1]::text"}]}]} $q$, '{"scope":"listed"}') -> 'steps' -> 0 -> 'sql' AS sql;
SELECT tablename FROM pg_tables WHERE schemaname = 't_errors' ORDER BY 1;
-- neither a type name nor an expression can end the statement early, on
-- PostgreSQL's own lexical rules: nested block comments, dollar-quote tags
-- starting with "_", identifiers holding "$" (which open no quote)
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"c","type":"int /* /* */ [ */ ) ; DROP TABLE users; CREATE TABLE z (b int []"}]}]} $q$, '{"scope":"listed"}');
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"c","type":"text","default":"$_$'$_$; DROP TABLE t; SELECT $_$'$_$"}]}]} $q$, '{"scope":"listed"}');
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"a$y$","type":"boolean"}],"checks":[{"expression":"a$y$)); DROP TABLE users; SELECT 1 FROM t3 WHERE ((a$y$"}]}]} $q$, '{"scope":"listed"}');
-- E'' strings with backslash escapes are read as the server reads them,
-- whatever the session's standard_conforming_strings (restored afterwards)
SET standard_conforming_strings = off;
SELECT premix_diff($q$ {"tables":[{"name":"t","columns":[{"name":"c","type":"text","default":"E'it\\'s' || $x$ok$x$"}]}]} $q$, '{"scope":"listed"}') -> 'steps' -> 0 -> 'sql' AS sql;
SHOW standard_conforming_strings;
RESET standard_conforming_strings;
-- a key named like an index of the target: refused at the diff (the
-- key's index would take the name), nothing created
SELECT premix_diff('{"tables":[{"name":"kn","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"name":"kn_v_idx","columns":["id"]},"indexes":[{"name":"kn_v_idx","columns":["v"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"kn","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"name":"kn_key","columns":["id"]},"unique":[{"name":"kn_key","columns":["v"]}]}]}', '{"scope":"listed"}');
-- a key listing a column twice
SELECT premix_diff('{"tables":[{"name":"kn","columns":[{"name":"id","type":"integer","nullable":false}],"unique":[{"name":"kn_u","columns":["id","id"]}]}]}', '{"scope":"listed"}');
SELECT tablename FROM pg_tables WHERE schemaname = 't_errors' ORDER BY 1;
