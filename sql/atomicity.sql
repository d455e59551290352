-- atomicity: a failing step leaves nothing behind; BEGIN ... ROLLBACK undoes
-- a successful migrate and its ledger row; applying twice is a no-op; a plan
-- made against a schema that changed since is refused.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_atomic;
SET search_path = t_atomic, public;

CREATE TABLE a (id integer PRIMARY KEY, v text);
CREATE TABLE b (id integer PRIMARY KEY, v text);
INSERT INTO a VALUES (1, 'x'), (2, 'x');
INSERT INTO b VALUES (1, 'y');
CREATE TEMP TABLE plan AS
  SELECT premix_diff('{"tables":[
    {"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"},{"name":"w","type":"integer"}],"primary_key":{"columns":["id"]}},
    {"name":"b","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]},
     "unique":[{"columns":["v"]}]}]}') AS p;
SELECT jsonb_array_length(p->'steps') AS steps FROM plan;

-- the data changes after the plan: b.v gets a duplicate; the apply-time
-- check of step 2 refuses, and step 1 (already run) is undone with it
INSERT INTO b VALUES (2, 'y');
SELECT premix_apply(p) FROM plan;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
DELETE FROM b WHERE id = 2;

-- a successful migrate inside BEGIN ... ROLLBACK leaves no trace
SELECT count(*) AS ledger_before FROM premix.migrations \gset
BEGIN;
SELECT premix_apply(p) ->> 'applied' AS applied FROM plan;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
ROLLBACK;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
SELECT count(*) - :ledger_before AS new_ledger_rows FROM premix.migrations;

-- the caller's own work before a failing premix call survives a SAVEPOINT
-- rollback exactly as with any failing statement
BEGIN;
INSERT INTO a VALUES (3, 'kept');
SAVEPOINT s;
SELECT premix_migrate('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false}]}]}');
ROLLBACK TO s;
SELECT * FROM a ORDER BY id;
COMMIT;

-- apply, then apply the same plan again: the second finds nothing to do
SELECT premix_apply(p) ->> 'applied' AS applied FROM plan;
SELECT premix_apply(p) - 'from' - 'to' AS again FROM plan;
SELECT count(*) - :ledger_before AS new_ledger_rows FROM premix.migrations;
-- the same target through premix_migrate twice: the second is a no-op
SELECT premix_migrate(premix_schema()) ->> 'message' AS message;

-- stale: a plan made before someone else changed the schema
CREATE TEMP TABLE plan2 AS
  SELECT premix_diff(jsonb_set(premix_schema(), '{tables,0,columns,3}', '{"name":"z","type":"text"}')) AS p;
ALTER TABLE b ADD COLUMN sneaky integer;
SELECT premix_apply(p) FROM plan2;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;

-- a destructive step is refused and nothing runs, the allowed one runs
SELECT premix_migrate('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}', options => '{"scope":"listed"}');
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
SELECT premix_migrate('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}',
                      allow_destructive => true, options => '{"scope":"listed"}') ->> 'applied' AS applied;
SELECT * FROM a ORDER BY id;
-- dropping a table needs the flag; scope "all" drops what the target omits
SELECT premix_migrate('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT premix_migrate('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}', true) ->> 'applied' AS applied;
SELECT tablename FROM pg_tables WHERE schemaname = 't_atomic' ORDER BY 1;

-- a plan carries a catalog token: when nothing touched the catalog since,
-- the apply trusts it; when something did but the schema is the same again
-- (a column added and dropped), the full comparison lets the plan run
CREATE TEMP TABLE plan3 AS
  SELECT premix_diff(jsonb_set(premix_schema(), '{tables,0,columns,2}', '{"name":"w2","type":"text"}')) AS p;
SELECT p ? 'from_catalog' AS has_token FROM plan3;
ALTER TABLE a ADD COLUMN tmp integer;
ALTER TABLE a DROP COLUMN tmp;
SELECT premix_apply(p) ->> 'applied' AS applied FROM plan3;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;

-- the steps' statements run together (one subtransaction between two data
-- checks): one failing in the middle names its own step, and the steps
-- before it, already run, are undone with it
CREATE TEMP TABLE plan4 AS
  SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"},{"name":"w2","type":"text"},{"name":"x1","type":"integer"},{"name":"x2","type":"integer"},{"name":"x3","type":"integer"}],"primary_key":{"columns":["id"]}}]}') AS p;
SELECT st->>'op' AS op, st->>'object' AS object FROM plan4, jsonb_array_elements(p->'steps') st;
SELECT premix_apply(jsonb_set(p, '{steps,1,sql,0}', '"ALTER TABLE \"a\" ADD COLUMN \"x1\" integer"')) FROM plan4;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
SELECT premix_apply(p) ->> 'applied' AS applied FROM plan4;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_atomic' AND table_name = 'a' ORDER BY 1;
