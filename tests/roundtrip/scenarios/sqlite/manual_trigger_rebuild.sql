-- hand-written: a column a trigger, a view and a partial index use is renamed and the table is
-- rebuilt in the same plan (a NOT NULL added on a column without NULLs, a default changed)
CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER, label TEXT DEFAULT 'x');
CREATE INDEX items_pos ON items (label) WHERE qty > 0;
CREATE TABLE audit (msg TEXT);
CREATE VIEW stock AS SELECT id, qty FROM items WHERE qty > 0;
CREATE TRIGGER items_upd AFTER UPDATE OF qty ON items BEGIN INSERT INTO audit VALUES ('qty ' || new.qty); END;
INSERT INTO items VALUES (1, 5, 'a'), (2, 0, 'b');
-- @target
{"tables": [
 {"name": "items", "columns": [{"name": "id", "type": "integer"}, {"name": "amount", "type": "integer", "nullable": false, "renamed_from": "qty"},
   {"name": "label", "type": "text", "default": "'y'"}], "primary_key": {"columns": ["id"]},
  "indexes": [{"name": "items_pos", "columns": ["label"], "where": "amount > 0"}]},
 {"name": "audit", "columns": [{"name": "msg", "type": "text"}]}]}
