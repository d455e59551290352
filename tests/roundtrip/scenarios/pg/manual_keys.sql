-- hand-written: primary key widened and renamed, unique constraint replaced by a unique index,
-- foreign key action changed, check expression changed, all with rows
-- @schema m_keys
CREATE SCHEMA m_keys;
SET search_path = m_keys, public;
CREATE TABLE parent (id integer CONSTRAINT parent_pk PRIMARY KEY, k text NOT NULL, code text CONSTRAINT parent_code_key UNIQUE);
CREATE TABLE child (id integer PRIMARY KEY, pid integer CONSTRAINT child_pid_fkey REFERENCES parent (id) ON DELETE CASCADE,
                    qty integer CONSTRAINT child_qty_check CHECK (qty > 0));
INSERT INTO parent VALUES (1, 'a', 'A'), (2, 'b', 'B');
INSERT INTO child VALUES (10, 1, 5), (11, 2, 7), (12, NULL, 1);
-- @target
{"tables": [
 {"name": "parent", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "k", "type": "text", "nullable": false}, {"name": "code", "type": "text"}],
  "primary_key": {"name": "parent_pkey2", "columns": ["id", "k"]},
  "unique": [{"name": "parent_id_key", "columns": ["id"]}],
  "indexes": [{"name": "parent_code_uidx", "columns": ["code"], "unique": true}]},
 {"name": "child", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "pid", "type": "integer"}, {"name": "qty", "type": "integer"}],
  "primary_key": {"columns": ["id"]},
  "foreign_keys": [{"name": "child_pid_fkey", "columns": ["pid"], "ref_table": "parent", "ref_columns": ["id"], "on_delete": "set null"}],
  "checks": [{"name": "child_qty_check", "expression": "qty >= 0"}]}]}
