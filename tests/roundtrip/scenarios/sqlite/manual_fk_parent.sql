-- hand-written: a parent table rebuilt (new CHECK, type widened) while children reference it
-- with ON DELETE CASCADE, foreign keys on; the child's rows must survive the up and the down
CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, score INTEGER);
CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent (id) ON DELETE CASCADE, note TEXT);
CREATE INDEX child_pid ON child (pid);
INSERT INTO parent (name, score) VALUES ('a', 1), ('b', 2);
INSERT INTO child VALUES (10, 1, 'x'), (11, 2, 'y'), (12, 1, NULL);
PRAGMA foreign_keys = ON;
-- @target
{"tables": [
 {"name": "parent", "columns": [{"name": "id", "type": "integer", "identity": "by default"}, {"name": "name", "type": "text", "nullable": false},
   {"name": "score", "type": "real"}], "primary_key": {"columns": ["id"]}, "checks": [{"name": "parent_name_len", "expression": "length(name) > 0"}]},
 {"name": "child", "columns": [{"name": "id", "type": "integer"}, {"name": "pid", "type": "integer"}, {"name": "note", "type": "text"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["pid"], "ref_table": "parent", "on_delete": "cascade"}],
  "indexes": [{"name": "child_pid", "columns": ["pid"]}]}]}
