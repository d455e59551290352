-- hand-written: a schema named by the "schemas" option, with a quoted name, a table renamed
-- and a foreign key to it
-- @schema App "x"
-- @options {"schemas": ["App \"x\""]}
CREATE SCHEMA "App ""x""";
CREATE TABLE "App ""x""".parent (id integer PRIMARY KEY);
CREATE TABLE "App ""x""".child (id integer PRIMARY KEY, pid integer REFERENCES "App ""x""".parent (id));
INSERT INTO "App ""x""".parent VALUES (1), (2);
INSERT INTO "App ""x""".child VALUES (1, 1), (2, NULL);
-- @target
{"tables": [
 {"name": "Parent Table", "renamed_from": "parent", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "child", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "pid", "type": "integer"}, {"name": "note", "type": "text"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["pid"], "ref_table": "Parent Table", "on_delete": "cascade"}]}]}
