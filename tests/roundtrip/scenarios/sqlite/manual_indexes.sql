-- hand-written: indexes changed under the same name, a unique index turned into a unique
-- constraint, a partial and an expression index, an index renamed
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c TEXT);
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_b_uidx ON t (b);
CREATE INDEX t_old_name ON t (c COLLATE NOCASE, a DESC);
INSERT INTO t VALUES (1, 1, 'x', 'P'), (2, 2, NULL, 'q');
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer"}, {"name": "a", "type": "integer"}, {"name": "b", "type": "text"}, {"name": "c", "type": "text"}],
 "primary_key": {"columns": ["id"]}, "unique": [{"columns": ["b"]}],
 "indexes": [{"name": "t_a", "columns": ["a", "b"]}, {"name": "t_new_name", "columns": ["c collate nocase", "a desc"]},
   {"name": "t_lower_c", "columns": ["lower(c)"], "where": "a > 0"}]}]}
