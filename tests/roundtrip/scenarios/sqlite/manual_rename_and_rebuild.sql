-- hand-written: a table renamed and rebuilt in the same plan (a column renamed, a type widened,
-- a check added), with an index, a trigger and a child's foreign key
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER, note TEXT);
CREATE INDEX orders_qty ON orders (qty);
CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders (id));
CREATE TABLE audit (msg TEXT);
CREATE TRIGGER orders_ins AFTER INSERT ON orders BEGIN INSERT INTO audit VALUES ('order ' || new.id); END;
INSERT INTO orders VALUES (1, 5, 'a'), (2, 7, NULL);
INSERT INTO lines VALUES (1, 1), (2, 2);
-- @target
{"tables": [
 {"name": "purchases", "renamed_from": "orders", "columns": [{"name": "id", "type": "integer"}, {"name": "quantity", "type": "real", "renamed_from": "qty"}, {"name": "note", "type": "text"}],
  "primary_key": {"columns": ["id"]}, "checks": [{"expression": "quantity >= 0"}], "indexes": [{"name": "orders_qty", "columns": ["quantity"]}]},
 {"name": "lines", "columns": [{"name": "id", "type": "integer"}, {"name": "order_id", "type": "integer"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["order_id"], "ref_table": "purchases"}]},
 {"name": "audit", "columns": [{"name": "msg", "type": "text"}]}]}
