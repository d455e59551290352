-- hand-written: type changes whose values come back (widening, a narrowing the values fit,
-- varchar -> text), defaults changed, added and dropped, a collation change
-- @schema m_types
CREATE SCHEMA m_types;
SET search_path = m_types, public;
CREATE TABLE t (id integer PRIMARY KEY, small smallint DEFAULT 1, name varchar(20), note varchar(50) DEFAULT 'n',
                big bigint, label text COLLATE "C", at timestamp DEFAULT now(), flag boolean);
INSERT INTO t VALUES (1, 5, 'ann', 'hello', 42, 'b', '2024-01-02 03:04:05', true), (2, NULL, 'bob', NULL, 7, 'A', NULL, NULL);
-- @target
{"tables": [{"name": "t", "columns": [
 {"name": "id", "type": "integer", "nullable": false},
 {"name": "small", "type": "bigint", "default": "2"},
 {"name": "name", "type": "varchar(5)"},
 {"name": "note", "type": "text"},
 {"name": "big", "type": "integer"},
 {"name": "label", "type": "text", "collation": "POSIX"},
 {"name": "at", "type": "timestamp"},
 {"name": "flag", "type": "boolean", "default": "false"}], "primary_key": {"columns": ["id"]}}]}
