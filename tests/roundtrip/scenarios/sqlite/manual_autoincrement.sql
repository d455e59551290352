-- hand-written: AUTOINCREMENT dropped from a table whose counter is past its rows
-- (the down must not hand out a key that was used before)
CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO t (v) VALUES ('a'), ('b'), ('c'), ('d'), ('e');
DELETE FROM t WHERE id > 3;
INSERT INTO u VALUES (1, 'x'), (2, 'y');
-- @target
{"tables": [
 {"name": "t", "columns": [{"name": "id", "type": "integer"}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "u", "columns": [{"name": "id", "type": "integer", "identity": "by default"}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}}]}
