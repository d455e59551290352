-- hand-written: a text column becomes an enum, an enum column becomes text, a label is added
-- (to an enum type new in the same plan it is blocked today: the cast check runs before the type exists)
-- @schema m_enumcol
CREATE SCHEMA m_enumcol;
SET search_path = m_enumcol, public;
CREATE TYPE state AS ENUM ('on', 'off');
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE t (id integer PRIMARY KEY, s state, k text);
INSERT INTO t VALUES (1, 'on', 'red'), (2, NULL, 'green');
-- @target
{"enums": [{"name": "state", "values": ["on", "off", "unknown"]}, {"name": "color", "values": ["red", "green"]}],
 "tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "s", "type": "text"}, {"name": "k", "type": "color"}],
   "primary_key": {"columns": ["id"]}}]}
