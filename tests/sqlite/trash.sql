.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- trash: a planned migration (premix_migrate, premix_apply of a
-- premix_diff plan) that drops a table renames it premix_trash_<table>
-- (its indexes and triggers dropped, re-created by the down SQL); a dropped
-- column's values are first copied with the key (the primary key, else the
-- rowid) into premix_trash_<table>__<column>, and the down SQL puts them
-- back.  premix_rollback() restores structure and rows; premix_purge()
-- empties the trash; {"trash": false} turns it off.  Trash tables are never
-- part of premix_schema() or a plan.  premix is called from statements that
-- read no table; targets that depend on the live schema are built first
-- into parameters.  Results are shown as extracted fields (never versions
-- or times); recorded versions and times are pinned before an error that
-- names them is shown.
.parameter init

-- ---------------------------------------------------------------- setup
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, fax TEXT DEFAULT 'none');
CREATE TABLE prefs (user_id INTEGER PRIMARY KEY, theme TEXT, tier INTEGER NOT NULL DEFAULT 1);
CREATE TABLE kv (ns TEXT, k TEXT, v, PRIMARY KEY (ns, k));
CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), total INTEGER NOT NULL);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE UNIQUE INDEX orders_big_uq ON orders (total) WHERE total > 100;
INSERT INTO users VALUES (1, 'ann', 'F1'), (2, 'bo', NULL), (3, NULL, 'F3');
INSERT INTO prefs VALUES (1, 'dark', 3), (2, NULL, 2);
INSERT INTO kv VALUES ('a', 'int', 1), ('a', 'text', '1'), ('a', 'blob', x'00ff'), ('b', 'real', 1.5), ('b', 'null', NULL);
INSERT INTO orders VALUES (10, 1, 50), (11, 2, 150), (12, NULL, 7);
CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit (msg) VALUES ('order ' || NEW.id); END;
-- the live schema's tables as premix sees them, and the trash tables
CREATE TEMP VIEW live_tables AS SELECT json_extract(value, '$.name') AS name, value FROM json_each(premix_schema(), '$.tables');
CREATE TEMP VIEW trash AS SELECT ifnull(group_concat(name, ', '), '(none)') AS names FROM
  (SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name LIKE 'premix\_trash\_%' ESCAPE '\' ORDER BY name);
SELECT 'setup: trash', names FROM trash;

-- ------------------------- 1. dropped columns: values kept, put back
-- each table's last column goes (fax: nullable with a default, NULL in one
-- row; tier: NOT NULL DEFAULT 1; v: no type, one value of each storage
-- class, composite primary key); the other tables are not listed
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES
  ('@s0', premix_schema()),
  ('@t1', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE prefs (user_id INTEGER PRIMARY KEY, theme TEXT);
CREATE TABLE kv (ns TEXT, k TEXT, PRIMARY KEY (ns, k));'),
  ('@fax0', (SELECT group_concat(id || ':' || quote(fax), ',') FROM (SELECT * FROM users ORDER BY id))),
  ('@tier0', (SELECT group_concat(user_id || ':' || quote(tier), ',') FROM (SELECT * FROM prefs ORDER BY user_id))),
  ('@v0', (SELECT group_concat(ns || '.' || k || '=' || quote(v) || ':' || typeof(v), ',') FROM (SELECT * FROM kv ORDER BY ns, k)));
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES ('@plan1', premix_diff(@t1, '{"scope": "listed"}'));
SELECT '1. before', @fax0, @tier0, @v0;
SELECT '1. plan', json_extract(value, '$.op'), json_extract(value, '$.table') || '.' || json_extract(value, '$.object'),
       json_extract(value, '$.safety'), json_extract(value, '$.reversible'), json_extract(value, '$.reason')
  FROM json_each(@plan1, '$.steps');
-- the up and down SQL of two steps: the copy before the drop; the column
-- added back (with its default), the values copied back by key, NOT NULL
-- with it, the trash table dropped
SELECT '1. up users.fax', d.value FROM json_each(@plan1, '$.steps') s, json_each(s.value, '$.sql') d WHERE json_extract(s.value, '$.object') = 'fax';
SELECT '1. down users.fax', d.value FROM json_each(@plan1, '$.steps') s, json_each(s.value, '$.down') d WHERE json_extract(s.value, '$.object') = 'fax';
SELECT '1. down prefs.tier', d.value FROM json_each(@plan1, '$.steps') s, json_each(s.value, '$.down') d WHERE json_extract(s.value, '$.object') = 'tier';
-- refused without allow_destructive: nothing moves to the trash
SELECT premix_migrate(@t1, 0, '{"scope": "listed"}');
SELECT '1. refused: trash', names FROM trash;
SELECT '1. refused: schema unchanged', premix_schema() = @s0;
SELECT '1. migrate', json_extract(premix_migrate(@t1, 1, '{"scope": "listed"}'), '$.applied', '$.ledger_id');
SELECT '1. columns now', (SELECT group_concat(name, ',') FROM pragma_table_info('users')), (SELECT group_concat(name, ',') FROM pragma_table_info('prefs')),
       (SELECT group_concat(name, ',') FROM pragma_table_info('kv'));
SELECT '1. trash', names FROM trash;
SELECT '1. trash columns', m.name, group_concat(p.name, ',') FROM main.sqlite_schema m, pragma_table_info(m.name) p
  WHERE m.name LIKE 'premix\_trash\_%' ESCAPE '\' GROUP BY m.name ORDER BY m.name;
SELECT '1. premix_trash_users__fax', * FROM premix_trash_users__fax ORDER BY id;
SELECT '1. premix_trash_prefs__tier', * FROM premix_trash_prefs__tier ORDER BY user_id;
SELECT '1. premix_trash_kv__v', ns, k, quote(v), typeof(v) FROM premix_trash_kv__v ORDER BY ns, k;
-- the trash is not part of the schema, of a plan or of drift
SELECT '1. premix_schema tables', group_concat(name, ', ') FROM live_tables;
SELECT '1. premix_schema names no trash', instr(premix_schema(), 'premix_trash') = 0;
SELECT '1. same target again: steps', json_array_length(premix_diff(@t1, '{"scope": "listed"}'), '$.steps');
SELECT '1. drift', json_extract(premix_status(), '$.drift');
-- rows written after the migration, then the rollback
INSERT INTO users (id, name) VALUES (4, 'dee');
INSERT INTO prefs (user_id, theme) VALUES (3, 'light');
INSERT INTO kv (ns, k) VALUES ('c', 'new');
UPDATE users SET name = 'ANN' WHERE id = 1;
SELECT '1. rollback', json_extract(premix_rollback(), '$.rolled_back[0].ledger_id', '$.rolled_back[0].name', '$.rolled_back[1]');
-- the old rows have their values back exactly (NULLs and storage classes
-- too), the new rows the column's default, the update is kept
SELECT '1. users', group_concat(id || ':' || ifnull(name, 'NULL') || ':' || quote(fax), ',') FROM (SELECT * FROM users ORDER BY id);
SELECT '1. prefs', group_concat(user_id || ':' || ifnull(theme, 'NULL') || ':' || quote(tier), ',') FROM (SELECT * FROM prefs ORDER BY user_id);
SELECT '1. kv', group_concat(ns || '.' || k || '=' || quote(v) || ':' || typeof(v), ',') FROM (SELECT * FROM kv ORDER BY ns, k);
SELECT '1. old values as before',
  (SELECT group_concat(id || ':' || quote(fax), ',') FROM (SELECT * FROM users WHERE id <= 3 ORDER BY id)) = @fax0,
  (SELECT group_concat(user_id || ':' || quote(tier), ',') FROM (SELECT * FROM prefs WHERE user_id <= 2 ORDER BY user_id)) = @tier0,
  (SELECT group_concat(ns || '.' || k || '=' || quote(v) || ':' || typeof(v), ',') FROM (SELECT * FROM kv WHERE ns <> 'c' ORDER BY ns, k)) = @v0;
SELECT '1. schema text as before', premix_schema() = @s0;
SELECT '1. tier NOT NULL again', "notnull", dflt_value FROM pragma_table_info('prefs') WHERE name = 'tier';
SELECT '1. trash', names FROM trash;
SELECT '1. ledger', id, name, kind, steps, rolled_back_at IS NOT NULL FROM premix_migrations;

-- ------------------- 2. a dropped table: rows, indexes, trigger kept
-- target: the live schema without orders; the plan is reviewed, then applied
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES ('@s0', premix_schema()),
  ('@trg0', (SELECT sql FROM main.sqlite_schema WHERE name = 'orders_audit')),
  ('@t2', (SELECT json_object('tables', json_group_array(json(value))) FROM live_tables WHERE name <> 'orders'));
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES ('@plan2', premix_diff(@t2));
SELECT '2. plan', json_extract(value, '$.op'), json_extract(value, '$.object'), json_extract(value, '$.safety'),
       json_extract(value, '$.reversible'), json_extract(value, '$.reason') FROM json_each(@plan2, '$.steps');
SELECT '2. up', value FROM json_each(@plan2, '$.steps[0].sql');
SELECT '2. down', value FROM json_each(@plan2, '$.steps[0].down');
SELECT premix_apply(@plan2);
SELECT '2. refused: orders rows', count(*) FROM orders;
SELECT '2. apply', json_extract(premix_apply(@plan2, 1), '$.applied', '$.ledger_id');
SELECT '2. trash', names FROM trash;
SELECT '2. no table orders', count(*) FROM main.sqlite_schema WHERE name = 'orders';
-- the trashed table keeps its rows; its indexes and trigger are gone (their
-- names are free for others)
SELECT '2. premix_trash_orders', * FROM premix_trash_orders ORDER BY id;
SELECT '2. indexes and triggers of orders left', count(*) FROM main.sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name LIKE '%orders';
SELECT '2. premix_schema tables', group_concat(name, ', ') FROM live_tables;
SELECT '2. same target again: steps', json_array_length(premix_diff(@t2), '$.steps');
DELETE FROM audit;
SELECT '2. rollback', json_extract(premix_rollback(), '$.rolled_back[0].ledger_id', '$.rolled_back[1]');
SELECT '2. orders rows', group_concat(id || ':' || ifnull(user_id, 'NULL') || ':' || total, ',') FROM (SELECT * FROM orders ORDER BY id);
SELECT '2. schema text as before', premix_schema() = @s0;
SELECT '2. indexes and trigger', group_concat(type || ' ' || name, ', ') FROM (SELECT * FROM main.sqlite_schema WHERE tbl_name = 'orders' AND type <> 'table' ORDER BY name);
SELECT '2. trigger text as before', (SELECT sql FROM main.sqlite_schema WHERE name = 'orders_audit') = @trg0;
SELECT '2. trash', names FROM trash;
SELECT '2. ledger', id, steps, rolled_back_at IS NOT NULL FROM premix_migrations WHERE id = (SELECT max(id) FROM premix_migrations);
-- the trigger fires again, the partial unique index constrains again
INSERT INTO orders VALUES (13, 1, 9);
SELECT '2. audit', group_concat(msg, ',') FROM audit;
INSERT INTO orders VALUES (14, 1, 150);
SELECT '2. orders rows', group_concat(id, ',') FROM (SELECT * FROM orders ORDER BY id);

-- -------------------------------- 3. a rowid table without primary key
-- a rowid is no key (VACUUM renumbers it): the values cannot be kept, the
-- step says so, and the rollback restores the column empty, with a warning
CREATE TABLE notes (body TEXT, extra TEXT);
INSERT INTO notes VALUES ('a', 'x1'), ('b', NULL), ('c', 'x3');
SELECT '3. plan', json_extract(value, '$.reversible'), json_extract(value, '$.reason')
  FROM json_each(premix_diff('CREATE TABLE notes (body TEXT)', '{"scope": "listed"}'), '$.steps');
SELECT '3. migrate', json_extract(premix_migrate('CREATE TABLE notes (body TEXT)', 1, '{"scope": "listed"}'), '$.applied', '$.ledger_id');
SELECT '3. no trash table for it', count(*) FROM sqlite_schema WHERE name LIKE 'premix_trash_notes%';
UPDATE notes SET body = upper(body);
INSERT INTO notes (body) VALUES ('d');
UPDATE premix_migrations SET version = '20260101000300' WHERE id = 3;   -- pinned: the warning names it
SELECT '3. rollback', json_extract(premix_rollback(), '$.rolled_back[0].ledger_id', '$.rolled_back[1]', '$.warnings');
SELECT '3. notes', group_concat(rowid || ':' || body || ':' || ifnull(extra, 'NULL'), ',') FROM (SELECT rowid, * FROM notes ORDER BY rowid);
SELECT '3. trash', names FROM trash;

-- ----------------------- 4. values kept, but no rollback can restore them
-- a NOT NULL column without a default (ALTER TABLE ADD COLUMN cannot add
-- it back), and a column dropped by a rebuild
CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT, color TEXT);
INSERT INTO stock VALUES ('s1', 5), ('s2', 0);
INSERT INTO tags VALUES (1, 'red one', 'red'), (2, 'plain', NULL);
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES ('@t4', 'CREATE TABLE stock (sku TEXT PRIMARY KEY);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);');
SELECT '4. plan', json_extract(value, '$.op'), json_extract(value, '$.table'), json_extract(value, '$.reversible'),
       json_extract(value, '$.down'), json_extract(value, '$.reason')
  FROM json_each(premix_diff(@t4, '{"scope": "listed"}'), '$.steps');
SELECT '4. migrate', json_extract(premix_migrate(@t4, 1, '{"scope": "listed"}'), '$.applied', '$.ledger_id');
SELECT '4. premix_trash_stock__qty', * FROM premix_trash_stock__qty ORDER BY sku;
SELECT '4. premix_trash_tags__color', * FROM premix_trash_tags__color ORDER BY id;
-- no rollback: the migration has no down SQL (its version pinned to show it)
UPDATE premix_migrations SET version = '20260101000400' WHERE id = (SELECT max(id) FROM premix_migrations);
SELECT premix_rollback();
SELECT '4. not rolled back', (SELECT count(*) FROM pragma_table_info('stock') WHERE name = 'qty'), (SELECT count(*) FROM premix_trash_stock__qty),
  (SELECT rolled_back_at IS NULL FROM premix_migrations WHERE version = '20260101000400');

-- ------------------------------------------ 5. {"trash": false}: plain drops
CREATE TABLE scratch (id INTEGER PRIMARY KEY, junk TEXT, more TEXT);
INSERT INTO scratch VALUES (1, 'j', 'm');
SELECT '5. drop column', json_extract(value, '$.sql'), json_extract(value, '$.reversible'), json_extract(value, '$.reason')
  FROM json_each(premix_diff('CREATE TABLE scratch (id INTEGER PRIMARY KEY, junk TEXT)', '{"scope": "listed", "trash": false}'), '$.steps');
SELECT '5. migrate', json_extract(premix_migrate('CREATE TABLE scratch (id INTEGER PRIMARY KEY, junk TEXT)', 1, '{"scope": "listed", "trash": false}'), '$.applied');
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES
  ('@t5', (SELECT json_object('tables', json_group_array(json(value))) FROM live_tables WHERE name <> 'scratch'));
SELECT '5. drop table', json_extract(value, '$.sql'), json_extract(value, '$.down'), json_extract(value, '$.reversible'), json_extract(value, '$.reason')
  FROM json_each(premix_diff(@t5, '{"trash": false}'), '$.steps');
SELECT '5. migrate', json_extract(premix_migrate(@t5, 1, '{"trash": false}'), '$.applied');
SELECT '5. no scratch anywhere', count(*) FROM main.sqlite_schema WHERE name LIKE '%scratch%';
SELECT '5. trash', names FROM trash;
SELECT '5. ledger down SQL', id, quote(rtrim(down_sql, char(10))) FROM premix_migrations WHERE id >= (SELECT max(id) - 1 FROM premix_migrations);

-- ---------------------- 6. the same table dropped twice: a second name
-- orders goes to the trash, a new orders (same index name, which the
-- trash freed) is created and filled, and dropped as well
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES
  ('@t6', (SELECT json_object('tables', json_group_array(json(value))) FROM live_tables WHERE name <> 'orders'));
SELECT '6. first drop', json_extract(premix_migrate(@t6, 1), '$.applied');
SELECT '6. create again', json_extract(premix_migrate('CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT);
CREATE INDEX orders_user_idx ON orders (note);', 0, '{"scope": "listed"}'), '$.applied');
INSERT INTO orders VALUES (100, 'second');
SELECT '6. second drop', json_extract(value, '$.sql'), json_extract(value, '$.down'), json_extract(value, '$.reason')
  FROM json_each(premix_diff(@t6), '$.steps');
SELECT '6. migrate', json_extract(premix_migrate(@t6, 1), '$.applied');
SELECT '6. trash', names FROM trash;
SELECT '6. premix_trash_orders', group_concat(id, ',') FROM (SELECT id FROM premix_trash_orders ORDER BY id);
SELECT '6. premix_trash_orders_2', * FROM premix_trash_orders_2;

-- ------------------------------------------------------------ 7. purge
-- a table named like the trash that no migration put there: left alone
CREATE TABLE premix_trash_mine (x INTEGER);
INSERT INTO premix_trash_mine VALUES (1);
SELECT '7. trash', names FROM trash;
-- refused without allow_destructive, naming tables and rows
SELECT premix_purge();
SELECT premix_purge(NULL, 0);
SELECT '7. refused: trash', names FROM trash;
-- nothing was trashed before 2000
SELECT '7. older than 2000', premix_purge('20000101000000');
SELECT '7. older than 2000, allowed', premix_purge('20000101000000', 1);
-- a malformed stamp is refused
SELECT premix_purge('2026-01-01', 1);
SELECT premix_purge('2026010100000', 1);
-- the migration of section 4 dated 2020: only its trash is older than 2021
UPDATE premix_migrations SET applied_at = '2020-06-01T00:00:00Z' WHERE up_sql LIKE '%premix_trash_stock__qty%';
SELECT '7. dated 2020', count(*) FROM premix_migrations WHERE applied_at LIKE '2020%';
SELECT '7. older than 2021', premix_purge('20210101000000', 1);
SELECT '7. trash', names FROM trash;
-- everything else
SELECT premix_purge(NULL, 0);
SELECT '7. all', premix_purge(NULL, 1);
SELECT '7. trash', names FROM trash;
SELECT '7. again', premix_purge(NULL, 0);
DROP TABLE premix_trash_mine;

-- ---------------------------------------- 8. rollback after the purge
-- the newest migration moved orders to premix_trash_orders_2, now purged:
-- the rollback fails and changes nothing (its version pinned to show it)
UPDATE premix_migrations SET version = '20260101000800' WHERE id = (SELECT max(id) FROM premix_migrations);
INSERT OR REPLACE INTO temp.sqlite_parameters (key, value) VALUES ('@s0', premix_schema()),
  ('@cat0', (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)));
SELECT premix_rollback();
SELECT '8. nothing changed', premix_schema() = @s0,
  (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)) = @cat0,
  (SELECT count(*) FROM premix_migrations WHERE id = (SELECT max(id) FROM premix_migrations) AND rolled_back_at IS NULL);

-- ------------------------------------------- 9. the trash's names are reserved
SELECT premix_diff('{"tables": [{"name": "premix_trash_x", "columns": [{"name": "id", "type": "integer"}]}]}');
SELECT premix_diff('{"tables": [{"name": "Premix_Trash_X", "columns": [{"name": "id", "type": "integer"}]}]}');

SELECT 'end: ledger', id, kind, steps, rolled_back_at IS NOT NULL FROM premix_migrations ORDER BY id;
SELECT 'end: integrity', * FROM pragma_integrity_check;
