.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- errors: every refusal is precise (position, path, nearest name, SQLSTATE)
-- and leaves the schema exactly as it was.
.parameter init
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL, org_id INTEGER);
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO orgs VALUES (1, 'acme');
INSERT INTO users VALUES (1, 'alice', 1);
SELECT 'setup', json_extract(premix_migrate('{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text","nullable":false},{"name":"org_id","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"orgs","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]},"indexes":[{"name":"orgs_name_idx","columns":["name"]}]}]}'), '$.applied');
CREATE TEMP TABLE catalog0 AS SELECT type, name, tbl_name, sql FROM main.sqlite_schema;
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$schema0', premix_schema());

-- ------------------------------------------------------- malformed JSON
SELECT premix_diff('{"tables": [');
SELECT premix_diff('{"tables":[{"name":"users",
  "columns":[{"name":"id","type":"integer"},
             {"name":"username","type":"text" "nullable":false}]}]}');
SELECT premix_diff('{"tables":[]} trailing');
SELECT premix_diff('{"tables":[{"name":"a","name":"b","columns":[{"name":"id","type":"integer"}]}]}');
SELECT premix_diff('{"tables":[{"name":"a\u0000b","columns":[{"name":"id","type":"integer"}]}]}');
SELECT premix_migrate('{"tables": [}');
SELECT premix_diff('{"tables":[]}', '{bad');

-- --------------------------------------------- unknown keys, every depth
SELECT premix_diff('{"tables":[],"tabels":[]}');
SELECT premix_diff('{"tables":[{"name":"users","colums":[]}]}');
SELECT premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text","nulable":false}]}]}');
SELECT premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer"}],"primary_key":{"columns":["id"],"nmae":"pk"}}]}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer"}],"foreign_keys":[{"columns":["id"],"ref_table":"users","on_delet":"cascade"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expresion":"id > 0"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[]}', '{"scope":"listed","scoep":"all"}');
SELECT premix_migrate('{"tables":[]}', false, '{"scop":"listed"}');
SELECT premix_schema('{"nope":1}');

-- ---------------------------------------------------- wrong value types
SELECT premix_diff('[1,2]');
SELECT premix_diff('{"tables":{}}');
SELECT premix_diff('{"tables":[{"name":5,"columns":[]}]}');
SELECT premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer","nullable":"no"}]}]}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","default":{"x":1}}]}]}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer"}],"foreign_keys":[{"columns":["id"],"ref_table":"users","on_delete":"explode"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id","type":"integer","identity":"by defualt"}],"primary_key":{"columns":["id"]}}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"a","columns":[{"name":"id"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"columns":[{"name":"id","type":"integer"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"","columns":[{"name":"id","type":"integer"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"format":2,"tables":[]}');
SELECT premix_diff('{"tables":[]}', '{"scope":"some"}');
SELECT premix_diff('{"tables":[]}', '[1]');
SELECT premix_diff('{"tables":[]}', '{"trash":"yes"}');
-- trash off: a dropped table is a plain DROP TABLE (and cannot come back)
SELECT json_extract(premix_diff('{"tables":[]}', '{"trash":false}'), '$.steps[0].sql[0]'), json_extract(premix_diff('{"tables":[]}', '{"trash":false}'), '$.steps[0].reversible');
SELECT premix_diff('{"tables":[]}', '{"schemas":["other"]}');
SELECT premix_diff(NULL);
SELECT premix_diff('');

-- ------------------------------------------------- references and names
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"user_id","type":"integer"}],"foreign_keys":[{"columns":["user_id"],"ref_table":"user","ref_columns":["id"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"org_id","type":"integer"}],"foreign_keys":[{"columns":["org_id"],"ref_table":"orgs","ref_columns":["name"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"}],"foreign_keys":[{"columns":["idd"],"ref_table":"users"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"}]},{"name":"Posts","columns":[{"name":"id","type":"integer"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"ID","type":"text"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"}],"indexes":[{"name":"ix","columns":["a"]},{"name":"ix","columns":["id"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"}],"indexes":[{"name":"orgs_name_idx","columns":["id"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"}],"indexes":[{"columns":["idd"]}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"text","identity":"by default"}],"primary_key":{"columns":["id"]}}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer","identity":"by default"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id","b"]}}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"premix_migrations","columns":[{"name":"id","type":"integer"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"sqlite_foo","columns":[{"name":"id","type":"integer"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer","default":"nwo()"}]}]}', '{"scope":"listed"}');
SELECT premix_diff('{"tables":[{"name":"posts","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expression":"idd > 0"}]}]}', '{"scope":"listed"}');

-- ------------------------------------------------------------ DDL targets
SELECT premix_diff('CREATE TABLE a (x); DROP TABLE users;');
SELECT premix_diff('CREATE TABLE a (x); INSERT INTO a VALUES (1);');
SELECT premix_diff('CREATE TABLE a (x); CREATE VIEW v AS SELECT 1;');
SELECT premix_diff('CREATE TABLE a (x); CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;');
SELECT premix_diff('CREATE TABLE a (x,);');
SELECT premix_diff('CREATE TABLE a (x); CREATE INDEX i ON b (x);');
SELECT premix_diff('CREATE TABLE a (x TEXT DEFAULT ''unterminated);');

-- --------------------------------------------------------------- plans
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$plan', premix_diff('{"tables":[{"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text","nullable":false},{"name":"org_id","type":"integer"},{"name":"email","type":"text"}],"primary_key":{"columns":["id"]}}]}', '{"scope":"listed"}'));
SELECT 'plan', json_extract($plan, '$.steps[0].op'), json_extract($plan, '$.steps[0].object');
SELECT premix_apply(json_set($plan, '$.extra', 1));
SELECT premix_apply(json_set($plan, '$.steps[0].extra', 1));
SELECT premix_apply(json_set($plan, '$.steps[0].op', 'explode'));
SELECT premix_apply(json_set($plan, '$.steps[0].sql', 'x'));
SELECT premix_apply(json_set($plan, '$.steps[0].safety', 'meh'));
SELECT premix_apply(json_remove($plan, '$.steps'));
SELECT premix_apply(json_set($plan, '$.format', 7));
SELECT premix_apply(json_set($plan, '$.dialect', 'oracle'));
SELECT premix_apply(json_set($plan, '$.dialect', 'postgresql'));
SELECT premix_apply(json_set($plan, '$.dialect', 'mysql'));
SELECT premix_apply('not json');
SELECT premix_apply('');
SELECT premix_apply(NULL);
SELECT premix_preview(json_set($plan, '$.steps[0].op', 'explode'));
SELECT premix_preview(NULL);

-- ----------------------------------------------- nothing changed by any of it
SELECT 'schema unchanged', premix_schema() = $schema0;
SELECT 'catalog unchanged', (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                          + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0;
SELECT 'rows unchanged', (SELECT count(*) FROM users) = 1 AND (SELECT count(*) FROM orgs) = 1;
SELECT 'ledger unchanged', count(*) FROM premix_migrations;
SELECT 'the plan still applies', json_extract(premix_apply($plan), '$.applied');
