-- hand-written: a column in an index dropped (a rebuild), a column with a non-constant default
-- dropped directly, and a table dropped, with allow_destructive.
-- (was pending until the trash kept the values of a column with a non-constant default without
-- trying to add it back: that step is now "reversible": false, its down restores the structure)
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP, n INTEGER NOT NULL DEFAULT 0);
CREATE INDEX t_b ON t (b);
CREATE TABLE gone (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX gone_v ON gone (v);
INSERT INTO t VALUES (1, 1, 'x', '2024-01-01', 3), (2, NULL, NULL, NULL, 4);
INSERT INTO gone VALUES (1, 'g');
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer"}, {"name": "a", "type": "integer"}], "primary_key": {"columns": ["id"]}}]}
