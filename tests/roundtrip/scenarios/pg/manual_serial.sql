-- hand-written: serial columns become plain integers and plain integers become serials, with rows.
-- a: serial -> integer (the default goes, the sequence stays owned: the down puts it back with
-- its counter); b: integer -> bigserial (a sequence created past the largest id); c: serial ->
-- bigserial (the sequence's type follows); d: integer with an owned sequence left by an earlier
-- serial -> integer becomes serial again (that sequence is reused).
-- @schema m_serial
CREATE SCHEMA m_serial;
SET search_path = m_serial, public;
CREATE TABLE a (id serial PRIMARY KEY, v text);
CREATE TABLE b (id integer PRIMARY KEY, v text);
CREATE TABLE c (id serial PRIMARY KEY, v text);
CREATE TABLE d (id serial PRIMARY KEY, v text);
INSERT INTO a (v) VALUES ('a1'), ('a2'), ('a3');
INSERT INTO b VALUES (1, 'b1'), (2, 'b2');
INSERT INTO c (v) VALUES ('c1'), ('c2');
INSERT INTO d (v) VALUES ('d1'), ('d2');
ALTER TABLE d ALTER COLUMN id DROP DEFAULT;
-- @target
{"tables": [
 {"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "b", "columns": [{"name": "id", "type": "bigserial", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "c", "columns": [{"name": "id", "type": "bigserial", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "d", "columns": [{"name": "id", "type": "serial", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}}]}
