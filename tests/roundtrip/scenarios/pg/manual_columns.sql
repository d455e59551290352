-- hand-written: a column renamed and retyped and given a default in one plan; a check renamed;
-- DROP NOT NULL with a new default; a column a partial and an expression index use renamed
-- @schema m_columns
CREATE SCHEMA m_columns;
SET search_path = m_columns, public;
CREATE TABLE t (id integer PRIMARY KEY, qty integer NOT NULL, label varchar(10) NOT NULL, code text,
                CONSTRAINT t_qty_pos CHECK (qty >= 0));
CREATE INDEX t_code_partial ON t (id) WHERE code IS NOT NULL;
CREATE INDEX t_code_lower ON t (lower(code));
INSERT INTO t VALUES (1, 3, 'a', 'X'), (2, 0, 'b', NULL);
-- @target
{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false},
 {"name": "amount", "type": "bigint", "nullable": false, "default": "1", "renamed_from": "qty"},
 {"name": "label", "type": "varchar(20)", "default": "'none'"},
 {"name": "sku", "type": "text", "renamed_from": "code"}],
 "primary_key": {"columns": ["id"]}, "checks": [{"name": "t_amount_nonneg", "expression": "amount >= 0"}],
 "indexes": [{"name": "t_code_partial", "columns": ["id"], "where": "sku IS NOT NULL"}, {"name": "t_code_lower", "columns": ["lower(sku)"]}]}]}
