-- hand-written: indexes: method, INCLUDE, DESC, partial and expression indexes created, dropped,
-- changed under the same name, renamed
-- @schema m_indexes
CREATE SCHEMA m_indexes;
SET search_path = m_indexes, public;
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, j jsonb, at timestamptz);
CREATE INDEX t_a_idx ON t (a);
CREATE INDEX t_b_old ON t (b DESC);
CREATE INDEX t_j_gin ON t USING gin (j);
CREATE UNIQUE INDEX t_ab_uidx ON t (a, b) WHERE a > 0;
INSERT INTO t VALUES (1, 1, 'x', '{"k": 1}', '2024-01-01'), (2, 2, NULL, NULL, NULL);
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "a", "type": "integer"},
  {"name": "b", "type": "text"}, {"name": "j", "type": "jsonb"}, {"name": "at", "type": "timestamptz"}],
 "primary_key": {"columns": ["id"]},
 "indexes": [{"name": "t_a_idx", "columns": ["a", "b"]},
   {"name": "t_b_desc", "columns": ["b desc"]},
   {"name": "t_at_idx", "columns": ["at"], "include": ["a"]},
   {"name": "t_lower_b", "columns": ["lower(b)"], "where": "b IS NOT NULL"},
   {"name": "t_ab_uidx", "columns": ["a", "b"], "unique": true, "where": "a > 1"}]}]}
