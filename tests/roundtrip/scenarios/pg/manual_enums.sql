-- hand-written: a new enum type and a column using it; an enum type no longer listed is dropped
-- @schema m_enums
CREATE SCHEMA m_enums;
SET search_path = m_enums, public;
CREATE TYPE old_kind AS ENUM ('x', 'y');
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'ok');
INSERT INTO t VALUES (1, 'sad'), (2, NULL);
-- @target
{"enums": [{"name": "mood", "values": ["sad", "ok"]}, {"name": "color", "values": ["red", "green"]}],
 "tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "m", "type": "mood", "default": "'ok'"},
   {"name": "c", "type": "color", "default": "'red'"}], "primary_key": {"columns": ["id"]}}]}
