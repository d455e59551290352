-- hand-written: dropped columns that indexes, a multi-column check and a foreign key use, and a
-- dropped parent table with its child (allow_destructive)
-- @schema m_drops
CREATE SCHEMA m_drops;
SET search_path = m_drops, public;
CREATE TABLE p (id integer PRIMARY KEY, name text);
CREATE TABLE c (id integer PRIMARY KEY, pid integer REFERENCES p (id));
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, lo integer, hi integer, p_id integer,
                CONSTRAINT t_range CHECK (lo <= hi));
CREATE INDEX t_b_idx ON t (b);
CREATE INDEX t_ab_idx ON t (a, b) WHERE a > 0;
CREATE TABLE keep (id integer PRIMARY KEY, t_id integer REFERENCES t (id));
INSERT INTO p VALUES (1, 'p1');
INSERT INTO c VALUES (1, 1), (2, NULL);
INSERT INTO t VALUES (1, 1, 'x', 1, 2, NULL), (2, -1, NULL, 0, 0, NULL);
INSERT INTO keep VALUES (1, 1), (2, 2);
-- @target
{"tables": [
 {"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "a", "type": "integer"}, {"name": "p_id", "type": "integer"}],
  "primary_key": {"columns": ["id"]}},
 {"name": "keep", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "t_id", "type": "integer"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["t_id"], "ref_table": "t"}]}]}
