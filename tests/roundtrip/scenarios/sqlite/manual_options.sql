-- hand-written: STRICT dropped and WITHOUT ROWID added, with rows and an index each
CREATE TABLE s (id INTEGER PRIMARY KEY, n INTEGER, t TEXT) STRICT;
CREATE INDEX s_n ON s (n);
CREATE TABLE w (k TEXT NOT NULL PRIMARY KEY, v TEXT);
CREATE INDEX w_v ON w (v);
INSERT INTO s VALUES (1, 10, 'a'), (2, NULL, 'b');
INSERT INTO w VALUES ('x', '1'), ('y', NULL);
-- @target
{"tables": [
 {"name": "s", "columns": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}, {"name": "t", "type": "text"}],
  "primary_key": {"columns": ["id"]}, "indexes": [{"name": "s_n", "columns": ["n"]}]},
 {"name": "w", "columns": [{"name": "k", "type": "text", "nullable": false}, {"name": "v", "type": "text"}],
  "primary_key": {"columns": ["k"]}, "indexes": [{"name": "w_v", "columns": ["v"]}], "options": {"without_rowid": true}}]}
