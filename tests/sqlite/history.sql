.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- history: hand-written migrations (premix_run) applied once and judged by
-- their effect, rolled back (premix_rollback), compared with the live
-- schema (premix_status), and the versioned text of a plan (premix_script).
-- premix_run is called from a SELECT that reads no table (a rebuild or a
-- DROP TABLE needs that), and its result is shown with one json_extract of
-- several paths, so that it runs once: the output is a JSON array of the
-- values at those paths.  Recorded times are pinned before they are shown.
-- No planned migration here drops anything: hand-written drops only.
.parameter init

-- ---------------------------------------------------------------- setup
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);
CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT, qty INTEGER);
INSERT INTO users VALUES (1, 'ann', 'L1'), (2, NULL, NULL), (3, 'cy', 'L3');
INSERT INTO audit VALUES (1, 'a'), (2, 'b');
INSERT INTO items VALUES (1, 'abcdef', 5), (2, 'ab', NULL), (3, NULL, 7);
-- "nothing left behind": premix_schema(), the whole catalog, the rows of
-- the table concerned, the ledger
CREATE TEMP TABLE snap (s TEXT, cat TEXT, r TEXT, ledger INTEGER);

-- no ledger yet: an empty history, no drift, nothing expected
SELECT 'fresh status', json_extract(premix_status(), '$.migrations', '$.drift', '$.expected', '$.explain');
SELECT 'fresh: status created no ledger', count(*) FROM sqlite_schema WHERE name = 'premix_migrations';

-- ------------------------------------------------------ 1. run once
SELECT '1. add_email', json_extract(premix_run('20260101000100', 'add_email',
  'ALTER TABLE users ADD COLUMN email TEXT;', 'ALTER TABLE users DROP COLUMN email;'),
  '$.applied', '$.ledger_id', '$.checksum', '$.effect', '$.after_commit', '$.warnings');
SELECT '1. email column', count(*) FROM pragma_table_info('users') WHERE name = 'email';
SELECT '1. ledger row', id, version, name, kind, checksum, steps, down_sql, rolled_back_at FROM premix_migrations;
UPDATE premix_migrations SET applied_at = '2026-01-01T00:00:00Z';
-- the same version and text again: a no-op that records nothing
SELECT '1. again', json_extract(premix_run('20260101000100', 'add_email',
  'ALTER TABLE users ADD COLUMN email TEXT;', 'ALTER TABLE users DROP COLUMN email;'),
  '$.applied', '$.ledger_id', '$.message', '$.effect');
SELECT '1. again: ledger rows', count(*) FROM premix_migrations;

-- ------------------------------------------- 2. an edited migration
-- the error names the recorded checksum (the one above) and the new one
-- (sha256 of the new text: 4ecbf577...)
SELECT premix_run('20260101000100', 'add_email', 'ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '''';');
SELECT '2. edited: column unchanged', type, "notnull", dflt_value FROM pragma_table_info('users') WHERE name = 'email';
SELECT '2. edited: ledger rows', count(*) FROM premix_migrations;

-- ------------------------------------------------- 3. out of order
SELECT premix_run('20260101000050', 'early', 'CREATE TABLE early (id INTEGER PRIMARY KEY);', 'DROP TABLE early;');
SELECT '3. refused: no table early', count(*) FROM sqlite_schema WHERE name = 'early';
-- a misspelt option is an error naming the nearest key
SELECT premix_run('20260101000050', 'early', 'CREATE TABLE early (id INTEGER PRIMARY KEY);', 'DROP TABLE early;', 0, '{"out_of_ordr": true}');
SELECT '3. out_of_order', json_extract(premix_run('20260101000050', 'early',
  'CREATE TABLE early (id INTEGER PRIMARY KEY);', 'DROP TABLE early;', 0, '{"out_of_order": true}'),
  '$.applied', '$.effect');
SELECT '3. table early', count(*) FROM sqlite_schema WHERE name = 'early';

-- --------------------------------------- 4. hand-written DROP COLUMN
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)),
  (SELECT group_concat(id || ':' || ifnull(name, 'NULL') || ':' || ifnull(legacy, 'NULL'), ',') FROM users), (SELECT count(*) FROM premix_migrations);
SELECT premix_run('20260101000200', 'drop_legacy', 'ALTER TABLE users DROP COLUMN legacy;', 'ALTER TABLE users ADD COLUMN legacy TEXT;');
SELECT premix_run('20260101000200', 'drop_legacy', 'ALTER TABLE users DROP COLUMN legacy;', 'ALTER TABLE users ADD COLUMN legacy TEXT;', 0);
SELECT '4. refused: nothing left behind', 'schema ' || (premix_schema() = s)
  || ' catalog ' || ((SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)) = cat)
  || ' rows ' || ((SELECT group_concat(id || ':' || ifnull(name, 'NULL') || ':' || ifnull(legacy, 'NULL'), ',') FROM users) = r)
  || ' ledger ' || ((SELECT count(*) FROM premix_migrations) = ledger) FROM snap;
SELECT '4. allowed', json_extract(premix_run('20260101000200', 'drop_legacy',
  'ALTER TABLE users DROP COLUMN legacy;', 'ALTER TABLE users ADD COLUMN legacy TEXT;', 1), '$.applied', '$.effect');
SELECT '4. legacy gone', count(*) FROM pragma_table_info('users') WHERE name = 'legacy';
SELECT '4. rows', group_concat(id || ':' || ifnull(name, 'NULL'), ',') FROM users;

-- ---------------------------------------- 5. hand-written DROP TABLE
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)),
  (SELECT group_concat(id || ':' || msg, ',') FROM audit), (SELECT count(*) FROM premix_migrations);
SELECT premix_run('20260101000300', 'drop_audit', 'DROP TABLE audit;', 'CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);');
SELECT '5. refused: nothing left behind', 'schema ' || (premix_schema() = s)
  || ' catalog ' || ((SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)) = cat)
  || ' rows ' || ((SELECT group_concat(id || ':' || msg, ',') FROM audit) = r)
  || ' ledger ' || ((SELECT count(*) FROM premix_migrations) = ledger) FROM snap;
SELECT '5. allowed', json_extract(premix_run('20260101000300', 'drop_audit',
  'DROP TABLE audit;', 'CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);', 1), '$.applied', '$.effect');
SELECT '5. audit gone', count(*) FROM sqlite_schema WHERE name = 'audit';

-- ----------------------- 6. narrowing: a rebuild to varchar(n) (CHECK)
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)),
  (SELECT group_concat(id || ':' || ifnull(code, 'NULL') || ':' || ifnull(qty, 'NULL'), ',') FROM items), (SELECT count(*) FROM premix_migrations);
-- 'abcdef' does not fit in 3: blocked, with the count
SELECT premix_run('20260101000400', 'narrow_code', 'CREATE TABLE items_new (id INTEGER PRIMARY KEY, code TEXT CHECK (length(code) <= 3), qty INTEGER);
INSERT INTO items_new SELECT id, code, qty FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;');
-- every value fits in 10: destructive (longer values refused from now on)
SELECT premix_run('20260101000400', 'narrow_code', 'CREATE TABLE items_new (id INTEGER PRIMARY KEY, code TEXT CHECK (length(code) <= 10), qty INTEGER);
INSERT INTO items_new SELECT id, code, qty FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;');
SELECT '6. refused: nothing left behind', 'schema ' || (premix_schema() = s)
  || ' catalog ' || ((SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)) = cat)
  || ' rows ' || ((SELECT group_concat(id || ':' || ifnull(code, 'NULL') || ':' || ifnull(qty, 'NULL'), ',') FROM items) = r)
  || ' ledger ' || ((SELECT count(*) FROM premix_migrations) = ledger) FROM snap;
SELECT '6. allowed', json_extract(premix_run('20260101000400', 'narrow_code', 'CREATE TABLE items_new (id INTEGER PRIMARY KEY, code TEXT CHECK (length(code) <= 10), qty INTEGER);
INSERT INTO items_new SELECT id, code, qty FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;', 'CREATE TABLE items_old (id INTEGER PRIMARY KEY, code TEXT, qty INTEGER);
INSERT INTO items_old SELECT id, code, qty FROM items;
DROP TABLE items;
ALTER TABLE items_old RENAME TO items;', 1), '$.applied', '$.effect', '$.warnings');
SELECT '6. code is varchar(10)', json_extract(c.value, '$.type') FROM json_each(premix_schema(), '$.tables') t, json_each(t.value, '$.columns') c
  WHERE json_extract(t.value, '$.name') = 'items' AND json_extract(c.value, '$.name') = 'code';
SELECT '6. rows', group_concat(id || ':' || ifnull(code, 'NULL') || ':' || ifnull(qty, 'NULL'), ',') FROM items;

-- ------------------------------- 7. NOT NULL over NULLs (a rebuild)
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)),
  (SELECT group_concat(id || ':' || ifnull(name, 'NULL') || ':' || ifnull(email, 'NULL'), ',') FROM users), (SELECT count(*) FROM premix_migrations);
-- user 2 has no name: blocked, with the count, even with allow_destructive
SELECT premix_run('20260101000500', 'name_not_null', 'CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
INSERT INTO users_new SELECT id, name, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;', NULL, 1);
SELECT '7. refused: nothing left behind', 'schema ' || (premix_schema() = s)
  || ' catalog ' || ((SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM main.sqlite_schema ORDER BY name)) = cat)
  || ' rows ' || ((SELECT group_concat(id || ':' || ifnull(name, 'NULL') || ':' || ifnull(email, 'NULL'), ',') FROM users) = r)
  || ' ledger ' || ((SELECT count(*) FROM premix_migrations) = ledger) FROM snap;
-- the same script with a backfill first: the database checked the rows (warn)
SELECT '7. backfilled', json_extract(premix_run('20260101000500', 'name_not_null', 'UPDATE users SET name = ''?'' WHERE name IS NULL;
CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
INSERT INTO users_new SELECT id, name, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;', 'CREATE TABLE users_old (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO users_old SELECT id, name, email FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;'), '$.applied', '$.effect');
SELECT '7. name NOT NULL', "notnull" FROM pragma_table_info('users') WHERE name = 'name';
SELECT '7. rows', group_concat(id || ':' || name, ',') FROM users;

-- ------------------------------------------- 8. renames by a script
SELECT '8. rename column', json_extract(premix_run('20260101000600', 'rename_name',
  'ALTER TABLE users RENAME COLUMN name TO full_name;', 'ALTER TABLE users RENAME COLUMN full_name TO name;'),
  '$.applied', '$.effect');
SELECT '8. rows', group_concat(id || ':' || full_name, ',') FROM users;
SELECT '8. rename table', json_extract(premix_run('20260101000700', 'rename_items',
  'ALTER TABLE items RENAME TO products;', 'ALTER TABLE products RENAME TO items;'),
  '$.applied', '$.effect');
SELECT '8. rows', group_concat(id || ':' || ifnull(code, 'NULL') || ':' || ifnull(qty, 'NULL'), ',') FROM products;

-- ------------------ 9. DROP COLUMN x; ADD COLUMN x loses x's values
SELECT premix_run('20260101000800', 'reset_qty', 'ALTER TABLE products DROP COLUMN qty; ALTER TABLE products ADD COLUMN qty INTEGER;');
SELECT '9. refused: values kept', group_concat(id || ':' || ifnull(qty, 'NULL'), ',') FROM products;

-- ------------------------------------------- 10. refused arguments
SELECT premix_run('20260101000800', 'in_tx', 'BEGIN; ALTER TABLE products ADD COLUMN note TEXT; COMMIT;');
SELECT premix_run('abc', 'bad_version', 'ALTER TABLE products ADD COLUMN note TEXT;');
SELECT premix_run('20260101000800', 'empty', '');
SELECT premix_run('20260101000800', 'empty', NULL);
SELECT '10. refused: no column note', count(*) FROM pragma_table_info('products') WHERE name = 'note';
SELECT '10. refused: ledger rows', count(*) FROM premix_migrations;

-- ------------------------------------------------------ 11. status
SELECT '11. ledger', json_extract(value, '$.id'), json_extract(value, '$.version'), json_extract(value, '$.name'), json_extract(value, '$.kind'),
       json_extract(value, '$.steps'), json_extract(value, '$.rolled_back_at'), json_extract(value, '$.after_commit_pending')
  FROM json_each(premix_status(), '$.migrations');
SELECT '11. no drift', json_extract(premix_status(), '$.drift', '$.explain'), json_extract(premix_status(), '$.expected') = json_extract(premix_status(), '$.actual');
-- a manual change behind premix's back
ALTER TABLE users DROP COLUMN email;
SELECT '11. drift', json_extract(premix_status(), '$.drift'), json_extract(premix_status(), '$.expected') = json_extract(premix_status(), '$.actual');
SELECT json_extract(premix_status(), '$.explain');
-- undone: no drift
ALTER TABLE users ADD COLUMN email TEXT;
SELECT '11. undone', json_extract(premix_status(), '$.drift', '$.explain'), json_extract(premix_status(), '$.expected') = json_extract(premix_status(), '$.actual');

-- ---------------------------------------------------- 12. rollback
-- the newest: the table rename, undone with its rows
SELECT '12. rollback newest', premix_rollback();
SELECT '12. items back', group_concat(id || ':' || ifnull(code, 'NULL') || ':' || ifnull(qty, 'NULL'), ',') FROM items;
SELECT '12. no products', count(*) FROM sqlite_schema WHERE name = 'products';
SELECT '12. no drift', json_extract(premix_status(), '$.drift');
-- a named version and everything applied after it, newest first
SELECT '12. rollback 500 and later', premix_rollback('20260101000500');
SELECT '12. users columns', group_concat(name || ' ' || type || ' ' || "notnull", ', ') FROM pragma_table_info('users');
SELECT '12. users rows', group_concat(id || ':' || name, ',') FROM users;
SELECT '12. ledger', json_extract(value, '$.version'), json_extract(value, '$.name'), json_extract(value, '$.rolled_back_at') IS NOT NULL
  FROM json_each(premix_status(), '$.migrations');
SELECT '12. no drift', json_extract(premix_status(), '$.drift');
-- no applied migration has that version
SELECT premix_rollback('20991231000000');
-- a rolled-back migration may be applied again, edited
SELECT '12. re-applied, edited', json_extract(premix_run('20260101000600', 'rename_name',
  'ALTER TABLE users RENAME COLUMN name TO display_name;', 'ALTER TABLE users RENAME COLUMN display_name TO name;'),
  '$.applied', '$.ledger_id', '$.effect');

-- --------------------- 13. premix_script of a plan: up, run, roll back
-- a rename, a new column, a new index on a table with rows (warn)
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('@target', '{"tables":[{"name":"users","columns":[
  {"name":"id","type":"integer"},{"name":"username","type":"text","renamed_from":"display_name"},
  {"name":"email","type":"text"},{"name":"active","type":"integer"}],
  "primary_key":{"columns":["id"]},"indexes":[{"name":"users_username_idx","columns":["username"]}]}]}');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('@plan', premix_diff(@target, '{"scope":"listed"}'));
SELECT '13. plan', json_extract(value, '$.op'), json_extract(value, '$.object'), json_extract(value, '$.safety')
  FROM json_each(@plan, '$.steps');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('@script', premix_script(@plan));
SELECT '13. script', json_extract(@script, '$.steps', '$.destructive', '$.blocked');
SELECT json_extract(@script, '$.up');
SELECT json_extract(@script, '$.down');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('@up', json_extract(@script, '$.up')), ('@down', json_extract(@script, '$.down')),
  ('@schema0', premix_schema());
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), NULL, (SELECT group_concat(id || ':' || display_name || ':' || ifnull(email, 'NULL'), ',') FROM users), NULL;
SELECT '13. run', json_extract(premix_run('20260101001000', 'script_plan', @up, @down), '$.applied', '$.effect', '$.after_commit');
SELECT '13. target reached', json_array_length(premix_diff(@target, '{"scope":"listed"}'), '$.steps');
SELECT '13. rows', group_concat(id || ':' || username || ':' || ifnull(email, 'NULL') || ':' || ifnull(active, 'NULL'), ',') FROM users;
SELECT '13. rollback', premix_rollback();
SELECT '13. schema back exactly', premix_schema() = @schema0;
SELECT '13. rows back', (SELECT group_concat(id || ':' || display_name || ':' || ifnull(email, 'NULL'), ',') FROM users) = r FROM snap;
SELECT '13. no index', count(*) FROM sqlite_schema WHERE name = 'users_username_idx';

-- ------------- 14. a down SQL that does not restore the schema: refused
SELECT '14. bad_down', json_extract(premix_run('20260101001100', 'bad_down',
  'ALTER TABLE users ADD COLUMN z TEXT;', 'ALTER TABLE users ADD COLUMN zz TEXT;'), '$.applied', '$.effect');
SELECT premix_rollback();
SELECT '14. nothing rolled back', group_concat(name, ',') FROM pragma_table_info('users');
SELECT '14. still applied', rolled_back_at IS NULL FROM premix_migrations WHERE version = '20260101001100';

-- ------------------- 15. a migration without down SQL: refused, named
SELECT '15. no_down', json_extract(premix_run('20260101001200', 'no_down',
  'CREATE INDEX users_z_idx ON users (z);'), '$.applied', '$.effect');
SELECT premix_rollback();
SELECT premix_rollback('20260101001100');
SELECT '15. nothing rolled back', count(*) FROM sqlite_schema WHERE name = 'users_z_idx';
SELECT '15. rolled back rows (700, 600, 500, 1000)', count(*) FROM premix_migrations WHERE rolled_back_at IS NOT NULL;

-- the end: the ledger and no drift
SELECT 'end', json_extract(value, '$.id'), json_extract(value, '$.version'), json_extract(value, '$.name'),
       json_extract(value, '$.steps'), json_extract(value, '$.rolled_back_at') IS NOT NULL
  FROM json_each(premix_status(), '$.migrations');
SELECT 'end: no drift', json_extract(premix_status(), '$.drift');
SELECT 'end: integrity', * FROM pragma_integrity_check;

-- ------------------------ 14. a planned migration's ledger row is a patch
-- a table added by hand: no whole record of the schema before the plan
CREATE TABLE side (id INTEGER PRIMARY KEY, s TEXT);
-- users as it is, plus a column
INSERT INTO temp.sqlite_parameters (key, value)
  SELECT '@t14', json_object('tables', json_array(json_insert(t.value, '$.columns[#]', json('{"name":"joined","type":"text"}'))))
  FROM json_each(premix_schema(), '$.tables') t WHERE json_extract(t.value, '$.name') = 'users';
SELECT '14. changed', key, length(value) FROM json_each(premix_diff(@t14, '{"scope":"listed"}'), '$.changed');
SELECT '14. migrate', json_extract(premix_migrate(@t14, 0, '{"scope":"listed"}'), '$.applied');
SELECT '14. patch', json_extract(to_schema, '$.base') = from_fingerprint, json_extract(to_schema, '$.gone'),
       (SELECT group_concat(json_extract(t.value, '$.name')) FROM json_each(to_schema, '$.schema.tables') t)
  FROM premix_migrations WHERE id = (SELECT max(id) FROM premix_migrations);
SELECT '14. no drift', json_extract(premix_status(), '$.drift');
-- drift in the table the plan changed: shown, with the note
ALTER TABLE users ADD COLUMN zz INTEGER;
SELECT '14. drift users', json_extract(premix_status(), '$.drift'),
       instr(json_extract(premix_status(), '$.explain'), 'zz') > 0,
       instr(json_extract(premix_status(), '$.explain'), 'Only the tables the ledger records') > 0;
ALTER TABLE users DROP COLUMN zz;
-- drift in a table no record holds: seen, said not shown
ALTER TABLE side ADD COLUMN w TEXT;
SELECT '14. drift side', json_extract(premix_status(), '$.drift'),
       instr(json_extract(premix_status(), '$.explain'), 'another table changed') > 0;
ALTER TABLE side DROP COLUMN w;
SELECT '14. no drift again', json_extract(premix_status(), '$.drift');
-- a ledger edited by hand: status still answers, and says what it could not read
UPDATE premix_migrations SET to_schema = '{"base": "x"}' WHERE id = (SELECT max(id) FROM premix_migrations);
ALTER TABLE side ADD COLUMN w TEXT;
SELECT '14. edited ledger', json_extract(premix_status(), '$.drift', '$.explain');
