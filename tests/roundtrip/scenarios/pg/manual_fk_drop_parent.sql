-- hand-written: a parent table dropped while its child stays (the child's foreign key goes),
-- a deferrable foreign key, and a foreign key to a renamed column
-- @schema m_fkdrop
CREATE SCHEMA m_fkdrop;
SET search_path = m_fkdrop, public;
CREATE TABLE p (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE q (id integer PRIMARY KEY);
CREATE TABLE c (id integer PRIMARY KEY, pid integer REFERENCES p (id) ON DELETE CASCADE,
                pcode text REFERENCES p (code) ON UPDATE CASCADE,
                qid integer REFERENCES q (id) DEFERRABLE INITIALLY DEFERRED);
INSERT INTO p VALUES (1, 'a'), (2, 'b');
INSERT INTO q VALUES (1);
INSERT INTO c VALUES (1, 1, 'a', 1), (2, 2, NULL, NULL);
-- @target
{"tables": [
 {"name": "q", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "c", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "pid", "type": "integer"}, {"name": "pcode", "type": "text"}, {"name": "qid", "type": "integer"}],
  "primary_key": {"columns": ["id"]}}]}
