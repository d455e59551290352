-- hand-written: table and column comments added, changed and removed
-- @schema m_comments
CREATE SCHEMA m_comments;
SET search_path = m_comments, public;
CREATE TABLE t (id integer PRIMARY KEY, a text, b text, c text);
COMMENT ON TABLE t IS 'the table';
COMMENT ON COLUMN t.a IS 'column a';
COMMENT ON COLUMN t.b IS 'column b';
INSERT INTO t VALUES (1, 'x', 'y', 'z');
-- @target
{"tables": [{"name": "t", "comment": "the table, renamed comment", "columns": [
 {"name": "id", "type": "integer", "nullable": false},
 {"name": "a", "type": "text", "comment": "column a, changed"},
 {"name": "b", "type": "text"},
 {"name": "c", "type": "text", "comment": "column c, new"}], "primary_key": {"columns": ["id"]}}]}
