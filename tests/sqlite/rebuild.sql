.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- rebuild: SQLite's 12-step table rebuild keeps rows, values, indexes,
-- triggers, views and AUTOINCREMENT counters, and never fires ON DELETE
-- actions into child tables.  Targets are bound parameters, so the
-- statement calling premix reads no table.
.parameter init

-- ---------------------------------------------------------------- setup
PRAGMA foreign_keys = ON;
CREATE TABLE orgs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, code TEXT);
CREATE TABLE members (id INTEGER PRIMARY KEY, org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE, nick TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY, org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL, body TEXT);
CREATE TABLE items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sku TEXT CHECK (length(sku) <= 20),
  qty INTEGER,
  price TEXT,
  label TEXT
);
CREATE UNIQUE INDEX items_sku_key ON items (sku);
CREATE INDEX items_lower_label ON items (lower(label));
CREATE INDEX items_positive ON items (qty) WHERE qty > 0;
CREATE TABLE audit (msg TEXT);
CREATE TRIGGER items_ins AFTER INSERT ON items BEGIN INSERT INTO audit VALUES ('ins ' || new.sku); END;
CREATE TRIGGER items_upd BEFORE UPDATE OF qty ON items WHEN new.qty < 0 BEGIN SELECT RAISE(ABORT, 'qty must not go negative'); END;
CREATE VIEW items_stock AS SELECT sku, qty FROM items WHERE qty > 0;
CREATE VIEW org_members AS SELECT o.name AS org, m.nick FROM orgs o JOIN members m ON m.org_id = o.id;

INSERT INTO orgs (name, code) VALUES ('acme', 'A1'), ('globex', 'G2'), ('initech', 'I3'), ('gone', 'X0');
DELETE FROM orgs WHERE name = 'gone';
INSERT INTO members VALUES (1, 1, 'ann'), (2, 1, 'bob'), (3, 2, 'cid'), (4, 3, 'dee'), (5, 3, 'eve');
INSERT INTO notes VALUES (1, 1, 'n1'), (2, 2, 'n2'), (3, 3, 'n3');
INSERT INTO items (sku, qty, price, label) VALUES
  ('A-1', 5, '1.50', 'Apple'), ('B-2', 0, '2', 'Banana'), ('C-3', 12, '0.25', NULL),
  ('D-4', -1, NULL, 'Date'), ('E-5', 7, 'ten', 'Elder'), ('Z-9', 1, '9', 'gone');
DELETE FROM items WHERE sku = 'Z-9';
DELETE FROM audit;

-- snapshots to compare against (temp schema: premix manages "main" only)
CREATE TEMP TABLE items_before AS SELECT id, sku, qty, price, label FROM items;
SELECT 'index definitions before', il.name, il."unique", il.partial, group_concat(coalesce(ix.name, '<expr>'), ',')
  FROM pragma_index_list('items') il, pragma_index_xinfo(il.name) ix WHERE ix.key = 1 AND il.origin = 'c' GROUP BY il.name ORDER BY il.name;
CREATE TEMP TABLE trg_before AS SELECT name, sql FROM sqlite_schema WHERE type = 'trigger';
CREATE TEMP TABLE view_before AS SELECT name, sql FROM sqlite_schema WHERE type = 'view';
SELECT 'items seq before', seq FROM sqlite_sequence WHERE name = 'items';

-- ------------------------------------------- 1. rebuild of a plain table
-- sku varchar(20) -> varchar(40) (widening), qty integer -> bigint, label
-- becomes NOT NULL with a default (its 1 NULL is backfilled), a new CHECK;
-- the three indexes are listed unchanged.
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$items', '{"tables":[{"name":"items","columns":[
  {"name":"id","type":"integer","identity":"by default"},
  {"name":"sku","type":"varchar(40)"},
  {"name":"qty","type":"bigint"},
  {"name":"price","type":"text"},
  {"name":"label","type":"text","nullable":false,"default":"''unlabelled''"}],
 "primary_key":{"columns":["id"]},
 "checks":[{"name":"qty_sane","expression":"qty < 1000"}],
 "indexes":[{"name":"items_sku_key","columns":["sku"],"unique":true},
            {"name":"items_lower_label","columns":["lower(label)"]},
            {"name":"items_positive","columns":["qty"],"where":"qty > 0"}]}]}');
SELECT premix_preview($items, '{"scope":"listed"}');
SELECT 'applied steps', json_extract(premix_migrate($items, false, '{"scope":"listed"}'), '$.applied');
SELECT 'rows kept', count(*) = 5 FROM items;
SELECT 'ids kept', group_concat(id, ',') FROM (SELECT id FROM items ORDER BY id);
SELECT 'values kept', count(*) = 5 FROM items i JOIN items_before b USING (id)
  WHERE i.sku IS b.sku AND i.qty IS b.qty AND i.price IS b.price AND i.label IS coalesce(b.label, 'unlabelled');
SELECT 'label backfilled', group_concat(label, ',') FROM (SELECT label FROM items ORDER BY id);
SELECT 'columns', group_concat(name || ' ' || type || ' ' || "notnull", ', ') FROM pragma_table_info('items');
-- indexes: the same names and definitions (premix spells the CREATE INDEX
-- text itself, with quoted identifiers)
SELECT 'index', name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'items' ORDER BY name;
SELECT 'index definitions', il.name, il."unique", il.partial, group_concat(coalesce(ix.name, '<expr>'), ',')
  FROM pragma_index_list('items') il, pragma_index_xinfo(il.name) ix WHERE ix.key = 1 AND il.origin = 'c' GROUP BY il.name ORDER BY il.name;
SELECT 'triggers re-created unchanged', count(*) = 2 FROM trg_before b JOIN sqlite_schema s ON s.name = b.name AND s.sql = b.sql;
SELECT 'views unchanged', count(*) = 2 FROM view_before b JOIN sqlite_schema s ON s.name = b.name AND s.sql = b.sql;
SELECT 'no leftover premix_new table', count(*) = 0 FROM sqlite_schema WHERE name LIKE 'premix_new%';
SELECT 'integrity', * FROM pragma_integrity_check;
SELECT 'ledger rows', count(*) FROM premix_migrations;
SELECT 'same target again: nothing to do', json_extract(premix_migrate($items, false, '{"scope":"listed"}'), '$.applied');
-- the AUTOINCREMENT counter is carried over: the deleted id 6 is not reused
SELECT 'items seq after', seq FROM sqlite_sequence WHERE name = 'items';
SELECT 'no sequence row for the temporary name', count(*) = 0 FROM sqlite_sequence WHERE name LIKE 'premix_new%';
INSERT INTO items (sku, qty, price) VALUES ('F-6', 3, '4.5');
SELECT 'new id and default', id, label FROM items WHERE sku = 'F-6';
-- triggers fire, constraints hold, indexes are used, views read the new table
SELECT 'insert trigger fired', msg FROM audit;
UPDATE items SET qty = -5 WHERE sku = 'A-1';
SELECT 'update trigger kept qty', qty FROM items WHERE sku = 'A-1';
INSERT INTO items (sku, qty) VALUES ('G-7', 5000);
INSERT INTO items (sku, qty) VALUES ('A-1', 1);
INSERT INTO items (sku, qty, label) VALUES ('H-8', 1, NULL);
INSERT INTO items (sku, qty) VALUES ('this-sku-is-longer-than-forty-characters-x', 1);
SELECT 'rows after the refused inserts', count(*) FROM items;
SELECT 'view items_stock', group_concat(sku || '=' || qty, ',') FROM (SELECT * FROM items_stock ORDER BY sku);
SELECT 'index definitions', il.name, il."unique", il.partial, group_concat(coalesce(ix.name, '<expr>'), ',')
  FROM pragma_index_list('items') il, pragma_index_xinfo(il.name) ix WHERE ix.key = 1 AND il.origin = 'c' GROUP BY il.name ORDER BY il.name;

-- ------------------------- 2. a destructive rebuild converts as SQLite does
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$price', replace($items, '"name":"price","type":"text"', '"name":"price","type":"real"'));
SELECT premix_migrate($price, false, '{"scope":"listed"}');
SELECT 'refused: price untouched', group_concat(DISTINCT typeof(price)) FROM items WHERE price IS NOT NULL;
SELECT 'applied with allow_destructive', json_extract(premix_migrate($price, true, '{"scope":"listed"}'), '$.applied');
SELECT 'price converted', group_concat(quote(price), ',') FROM (SELECT price FROM items ORDER BY id);
SELECT 'rows kept', count(*) = 6 FROM items;
SELECT 'indexes kept', group_concat(name, ',') FROM (SELECT name FROM pragma_index_list('items') WHERE origin = 'c' ORDER BY name);
SELECT 'triggers kept', count(*) = 2 FROM trg_before b JOIN sqlite_schema s ON s.name = b.name AND s.sql = b.sql;
SELECT 'items seq', seq FROM sqlite_sequence WHERE name = 'items';

-- ------------------------------- 3. rebuild of a parent, foreign_keys ON
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$orgs', '{"tables":[{"name":"orgs","columns":[
  {"name":"id","type":"integer","identity":"by default"},
  {"name":"name","type":"text","nullable":false},
  {"name":"code","type":"text","nullable":false,"default":"''-''"}],
 "primary_key":{"columns":["id"]},
 "checks":[{"name":"name_not_blank","expression":"length(name) > 0"}]}]}');
SELECT 'fk parents', json_extract(premix_diff($orgs, '{"scope":"listed"}'), '$.fk_parents');
-- inside BEGIN with foreign_keys on: refused, naming the table and the way out
BEGIN;
INSERT INTO audit VALUES ('caller row');
SELECT premix_migrate($orgs, false, '{"scope":"listed"}');
SELECT 'in txn: caller''s row still there', count(*) FROM audit WHERE msg = 'caller row';
ROLLBACK;
SELECT 'in txn: orgs unchanged', sql FROM sqlite_schema WHERE name = 'orgs';
SELECT 'in txn: members kept', count(*) = 5 FROM members;
SELECT 'in txn: notes keep their org', count(*) = 3 FROM notes WHERE org_id IS NOT NULL;
SELECT 'in txn: foreign_keys still on', foreign_keys FROM pragma_foreign_keys;
SELECT 'in txn: ledger rows', count(*) FROM premix_migrations;
-- autocommit, foreign_keys on: premix switches enforcement off for the rebuild
SELECT 'autocommit: applied steps', json_extract(premix_migrate($orgs, false, '{"scope":"listed"}'), '$.applied');
SELECT 'orgs rows kept', count(*) = 3 FROM orgs;
SELECT 'cascade children kept', count(*) = 5 FROM members;
SELECT 'set-null children keep their key', count(*) = 3 FROM notes WHERE org_id IS NOT NULL;
SELECT 'foreign_keys on afterwards', foreign_keys FROM pragma_foreign_keys;
SELECT 'no dangling keys', count(*) = 0 FROM pragma_foreign_key_check;
SELECT 'orgs seq kept', seq FROM sqlite_sequence WHERE name = 'orgs';
SELECT 'orgs code backfilled', group_concat(code, ',') FROM (SELECT code FROM orgs ORDER BY id);
SELECT 'view org_members still works', count(*) FROM org_members;
-- enforcement really is back: cascade and set null act on the new parent
DELETE FROM orgs WHERE name = 'initech';
SELECT 'cascade after rebuild', count(*) FROM members;
SELECT 'set null after rebuild', count(*) FROM notes WHERE org_id IS NULL;
INSERT INTO members VALUES (9, 999, 'orphan');
SELECT 'orphan refused', count(*) = 0 FROM members WHERE id = 9;

-- ----------------------- 4. rebuild of a parent with foreign_keys OFF
PRAGMA foreign_keys = OFF;
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$orgs2', replace($orgs, '"name":"code","type":"text"', '"name":"code","type":"varchar(10)"'));
BEGIN;
SELECT 'fk off, in txn: applied steps', json_extract(premix_migrate($orgs2, true, '{"scope":"listed"}'), '$.applied');
COMMIT;
SELECT 'fk off: orgs rows kept', count(*) = 2 FROM orgs;
SELECT 'fk off: children kept', count(*) = 3 FROM members;
SELECT 'fk off: set-null children keep their key', count(*) = 2 FROM notes WHERE org_id IS NOT NULL;
SELECT 'fk off: still off', foreign_keys FROM pragma_foreign_keys;
SELECT 'fk off: code is varchar(10) now', json_extract(premix_schema(), '$.tables[' || (SELECT key FROM json_each(premix_schema(), '$.tables') WHERE json_extract(value, '$.name') = 'orgs') || '].columns[2].type');
SELECT 'ledger rows', count(*) FROM premix_migrations;
SELECT 'premix_diff(premix_schema()) is empty', json_array_length(premix_diff(premix_schema()), '$.steps');
SELECT 'integrity', * FROM pragma_integrity_check;

-- --------------------------------------------- 5. options survive a rebuild
CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
INSERT INTO kv VALUES ('a', '1'), ('b', NULL);
SELECT 'kv applied steps', json_extract(premix_migrate('{"tables":[{"name":"kv","columns":[{"name":"k","type":"text","nullable":false},{"name":"v","type":"text","nullable":false,"default":"''0''"}],"primary_key":{"columns":["k"]},"options":{"without_rowid":true}}]}', false, '{"scope":"listed"}'), '$.applied');
SELECT 'kv still WITHOUT ROWID', sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema WHERE name = 'kv';
SELECT 'kv rows', group_concat(k || '=' || v, ',') FROM kv;

-- ------------- 6. a TEMP table of the same name does not confuse the rebuild
-- premix manages "main": its checks, backfill and copy must read main.items,
-- not a temp.items that shadows it in unqualified SQL.
CREATE TEMP TABLE items (id INTEGER PRIMARY KEY, sku TEXT, qty INTEGER, price REAL, label TEXT);
INSERT INTO temp.items VALUES (100, 'TEMP', 1, 1, NULL);
SELECT 'with a temp shadow: applied steps', json_extract(premix_migrate(replace($price, '"name":"label","type":"text"', '"name":"label","type":"varchar(30)"'), true, '{"scope":"listed"}'), '$.applied');
SELECT 'with a temp shadow: main.items rows kept', count(*) = 6 FROM main.items;
SELECT 'with a temp shadow: label is varchar(30)', sql LIKE '%length("label") <= 30%' FROM main.sqlite_schema WHERE name = 'items';
SELECT 'with a temp shadow: temp.items untouched', count(*) = 1 AND max(id) = 100 FROM temp.items;
DROP TABLE temp.items;
SELECT 'integrity', * FROM pragma_integrity_check;

-- -------- 7. a rebuild must not leave a view or a trigger that no longer works
-- Dropping a column that a view and a trigger use: SQLite's own ALTER TABLE
-- DROP COLUMN refuses this; a rebuild must not quietly leave the view
-- unreadable and the trigger failing every UPDATE.  Refused, nothing changed.
CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, fax TEXT);
INSERT INTO contacts VALUES (1, 'ann', '555');
CREATE VIEW contact_fax AS SELECT id, fax FROM contacts;
CREATE TRIGGER contacts_upd AFTER UPDATE ON contacts BEGIN INSERT INTO audit VALUES ('fax ' || new.fax); END;
SELECT premix_migrate('{"tables":[{"name":"contacts","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}}]}', true, '{"scope":"listed"}');
SELECT 'contacts: fax column still there', count(*) FROM pragma_table_info('contacts') WHERE name = 'fax';
SELECT 'contacts: view still readable', count(*) FROM contact_fax;
UPDATE contacts SET name = 'anne' WHERE id = 1;
SELECT 'contacts: update still works', name FROM contacts WHERE id = 1;
