-- privileges: premix runs as the caller (SECURITY INVOKER) and lets no
-- role change what it could not change with plain DDL.  A role without
-- CREATE on the database still gets a shadow (its temporary schema).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE ROLE regress_premix_owner;
CREATE ROLE regress_premix_other;
CREATE SCHEMA t_priv AUTHORIZATION regress_premix_owner;
GRANT USAGE, CREATE ON SCHEMA t_priv TO regress_premix_other;
SET search_path = t_priv, public;

SET ROLE regress_premix_owner;
CREATE TABLE owned (id integer PRIMARY KEY, v text);
INSERT INTO owned VALUES (1, 'x');
-- the owner migrates its table (no CREATE on the database: the shadow is
-- its temporary schema, and the key to a kept table still works)
SELECT premix_migrate('{"tables":[
  {"name":"owned","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"},{"name":"w","type":"integer"}],"primary_key":{"columns":["id"]}},
  {"name":"child","columns":[{"name":"id","type":"integer","nullable":false},{"name":"owned_id","type":"integer"}],"primary_key":{"columns":["id"]},
   "foreign_keys":[{"columns":["owned_id"],"ref_table":"owned","ref_columns":["id"]}]}]}') ->> 'applied' AS applied;
SELECT premix_migrate('{"tables":[
  {"name":"owned","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"},{"name":"w","type":"integer"},{"name":"z","type":"text"}],"primary_key":{"columns":["id"]}},
  {"name":"child","columns":[{"name":"id","type":"integer","nullable":false},{"name":"owned_id","type":"integer"},{"name":"note","type":"text"}],"primary_key":{"columns":["id"]},
   "foreign_keys":[{"columns":["owned_id"],"ref_table":"owned","ref_columns":["id"]}]}]}') ->> 'applied' AS applied;
RESET ROLE;

-- another role may create in the schema but does not own "owned"
SET ROLE regress_premix_other;
SELECT premix_migrate('{"tables":[{"name":"owned","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}',
                      true, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"owned","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"},{"name":"w","type":"integer"},{"name":"z","type":"text"},{"name":"evil","type":"text"}],"primary_key":{"columns":["id"]}}]}',
                      false, '{"scope":"listed"}');
-- dropping it through scope "all" is refused by the server too
SELECT premix_migrate('{"tables":[]}', true);
RESET ROLE;
SELECT column_name FROM information_schema.columns WHERE table_schema = 't_priv' AND table_name = 'owned' ORDER BY 1;
SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 't_priv' ORDER BY 1;
-- the ledger records who applied
SELECT applied_by, steps FROM premix.migrations WHERE applied_by::text LIKE 'regress_premix%' ORDER BY id;

DROP SCHEMA t_priv CASCADE;
DROP ROLE regress_premix_owner;
DROP ROLE regress_premix_other;
