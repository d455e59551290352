-- hand-written: a serial column becomes a plain integer, with rows.
-- PENDING: the up is ALTER COLUMN id TYPE integer, which keeps the nextval default and the owned
-- sequence, so the apply's read-back finds "serial" again and rolls back ("the schema after
-- applying the plan does not match its target ... This is a premix bug"); its down, TYPE serial,
-- is not valid SQL either. (integer -> bigserial is blocked: the check runs CAST(id AS bigserial).)
-- @schema m_serial
CREATE SCHEMA m_serial;
SET search_path = m_serial, public;
CREATE TABLE a (id serial PRIMARY KEY, v text);
CREATE TABLE b (id integer PRIMARY KEY, v text);
INSERT INTO a (v) VALUES ('a1'), ('a2'), ('a3');
INSERT INTO b VALUES (1, 'b1'), (2, 'b2');
-- @target
{"tables": [
 {"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "v", "type": "text"}], "primary_key": {"columns": ["id"]}}]}
