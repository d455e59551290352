-- hand-written: SET NOT NULL without NULLs, DROP NOT NULL, a new NOT NULL column with a default
-- @schema m_not_null
CREATE SCHEMA m_not_null;
SET search_path = m_not_null, public;
CREATE TABLE t (id integer PRIMARY KEY, a text, b text NOT NULL);
INSERT INTO t VALUES (1, 'x', 'y'), (2, 'z', 'w');
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false},
 {"name": "a", "type": "text", "nullable": false}, {"name": "b", "type": "text"},
 {"name": "n", "type": "integer", "nullable": false, "default": "0"}], "primary_key": {"columns": ["id"]}}]}
