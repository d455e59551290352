-- hand-written: a column in an index dropped (a rebuild), a column with a non-constant default
-- dropped directly, and a table dropped, with allow_destructive.
-- PENDING: the trash's down of the dropped column "at" is ALTER TABLE ADD COLUMN "at" TEXT DEFAULT
-- (current_timestamp), which SQLite refuses ("Cannot add a column with non-constant default"),
-- so the whole down fails (shared/pmx_trash.c; a NOT NULL column without a default would too).
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP, n INTEGER NOT NULL DEFAULT 0);
CREATE INDEX t_b ON t (b);
CREATE TABLE gone (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX gone_v ON gone (v);
INSERT INTO t VALUES (1, 1, 'x', '2024-01-01', 3), (2, NULL, NULL, NULL, 4);
INSERT INTO gone VALUES (1, 'g');
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer"}, {"name": "a", "type": "integer"}], "primary_key": {"columns": ["id"]}}]}
