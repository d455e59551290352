.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- atomicity: a step that fails part-way through a plan leaves nothing
-- behind (schema, rows, ledger, pragmas), in autocommit mode and inside
-- the caller's own transaction; a successful migrate inside BEGIN ...
-- ROLLBACK is undone with the rest.  Targets and plans are bound
-- parameters, so the statement calling premix reads no table.  (A stale
-- plan is in tests/harness/test_apply.c: its error shows fingerprints.)
.parameter init

-- ---------------------------------------------------------------- setup
PRAGMA foreign_keys = ON;
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, n TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT);
CREATE TABLE audit (msg TEXT);
CREATE TRIGGER users_guard BEFORE UPDATE OF n ON users WHEN old.username = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'user frozen is read-only'); END;
INSERT INTO users VALUES (1, 'alice', '1'), (2, 'bob', '2'), (3, 'carol', NULL);
INSERT INTO posts VALUES (1, 1, 'hello'), (2, 1, 'again'), (3, 2, 'hi'), (4, 3, 'yo');

-- the first premix call fails: not even the ledger table is left behind
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$bad_first', '{"tables":[
  {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text"},{"name":"n","type":"text"}],"primary_key":{"columns":["id"]}},
  {"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"user_id","type":"integer"},{"name":"title","type":"text","nullable":false}],"primary_key":{"columns":["id"]},
   "foreign_keys":[{"columns":["user_id"],"ref_table":"users","ref_columns":["id"],"on_delete":"cascade"}]},
  {"name":"audit","columns":[{"name":"msg","type":"text"}]},
  {"name":"tags","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$plan0', premix_diff($bad_first));
SELECT 'plan 0 steps', json_array_length($plan0, '$.steps');
INSERT INTO posts VALUES (5, 2, NULL);
SELECT premix_apply($plan0);
SELECT 'first call failed: no ledger table', count(*) = 0 FROM sqlite_schema WHERE name = 'premix_migrations';
SELECT 'first call failed: no table tags', count(*) = 0 FROM sqlite_schema WHERE name = 'tags';
DELETE FROM posts WHERE id = 5;

-- one successful migrate, so that the ledger exists and has one row
SELECT 'setup migrate', json_extract(premix_migrate('{"tables":[
  {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text"},{"name":"n","type":"text"}],"primary_key":{"columns":["id"]}},
  {"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"user_id","type":"integer"},{"name":"title","type":"text"}],"primary_key":{"columns":["id"]},
   "foreign_keys":[{"columns":["user_id"],"ref_table":"users","ref_columns":["id"],"on_delete":"cascade"}],
   "indexes":[{"name":"posts_user_id_idx","columns":["user_id"]}]},
  {"name":"audit","columns":[{"name":"msg","type":"text"}]}]}'), '$.applied');

-- what "exactly as before" means: premix_schema(), the whole catalog
-- (tables, indexes, triggers), the rows, the ledger
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$schema0', premix_schema());
CREATE TEMP TABLE catalog0 AS SELECT type, name, tbl_name, sql FROM main.sqlite_schema;
SELECT 'baseline', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- ------------------------------------------------------------------------
-- 1. the data changes between premix_diff and premix_apply: the CHECK of
--    the last step no longer holds when its checks are re-run
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$target1', '{"tables":[
  {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"username","type":"text"},{"name":"n","type":"text"}],"primary_key":{"columns":["id"]},
   "checks":[{"name":"username_len","expression":"length(username) > 2"}]},
  {"name":"posts","columns":[{"name":"id","type":"integer"},{"name":"user_id","type":"integer"},{"name":"title","type":"text"},{"name":"score","type":"integer"}],"primary_key":{"columns":["id"]},
   "foreign_keys":[{"columns":["user_id"],"ref_table":"users","ref_columns":["id"],"on_delete":"cascade"}],
   "indexes":[{"name":"posts_user_id_idx","columns":["user_id"]},{"name":"posts_title_idx","columns":["title"]}]},
  {"name":"audit","columns":[{"name":"msg","type":"text"}]},
  {"name":"tags","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$plan1', premix_diff($target1));
SELECT 'plan 1', group_concat(op || ' ' || tbl, ', ') FROM (SELECT json_extract(value, '$.op') AS op, json_extract(value, '$.table') AS tbl FROM json_each($plan1, '$.steps'));
INSERT INTO users VALUES (4, 'al', '4');
SELECT premix_apply($plan1);
DELETE FROM users WHERE id = 4;
SELECT '1. nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);
SELECT '1. no table tags', count(*) = 0 FROM sqlite_schema WHERE name = 'tags';
SELECT '1. no column posts.score', count(*) = 0 FROM pragma_table_info('posts') WHERE name = 'score';
SELECT '1. no index posts_title_idx', count(*) = 0 FROM sqlite_schema WHERE name = 'posts_title_idx';

-- ------------------------------------------------------------------------
-- 2. a statement of the last step fails: the rebuild copies a value the
--    new STRICT column cannot store (inserted after the plan was made)
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$plan2', premix_diff(replace(replace($target1,
  '"checks":[{"name":"username_len","expression":"length(username) > 2"}]', '"options":{"strict":true}'),
  '{"name":"n","type":"text"}', '{"name":"n","type":"integer"}')));
SELECT 'plan 2', group_concat(op || ' ' || tbl, ', ') FROM (SELECT json_extract(value, '$.op') AS op, json_extract(value, '$.table') AS tbl FROM json_each($plan2, '$.steps'));
UPDATE users SET n = 'three' WHERE id = 3;
SELECT premix_apply($plan2, true);
UPDATE users SET n = NULL WHERE id = 3;
SELECT '2. nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);
SELECT '2. no table tags', count(*) = 0 FROM sqlite_schema WHERE name = 'tags';
SELECT '2. no leftover premix_new table', count(*) = 0 FROM sqlite_schema WHERE name LIKE 'premix%new%';

-- ------------------------------------------------------------------------
-- 3. a statement of the last step fails at run time, after the rebuild
--    (with its NULL backfill) already ran: an expression index cannot be
--    computed for a row (json_extract over a title that is not JSON)
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$target3', replace(replace($target1,
  '{"name":"n","type":"text"}', '{"name":"n","type":"text","nullable":false,"default":"''0''"}'),
  '{"name":"posts_title_idx","columns":["title"]}', '{"name":"posts_title_idx","columns":["title"]},{"name":"posts_json_idx","columns":["json_extract(title, ''$.a'')"]}'));
SELECT premix_migrate($target3);
SELECT '3. rows as before', group_concat(id || ':' || username || ':' || quote(n), ' ') FROM users;
SELECT '3. nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- ------------------------------------------------------------------------
-- 5. inside the caller's transaction: a failing call leaves the caller's
--    own earlier work in place; ROLLBACK removes it.  (foreign_keys is off
--    around the transaction: with it on, SQLite cannot rebuild a table that
--    others reference inside a transaction; see rebuild.sql)
PRAGMA foreign_keys = OFF;
BEGIN;
INSERT INTO audit VALUES ('caller row 5');
INSERT INTO users VALUES (4, 'al', '4');
SELECT premix_apply($plan1);
SELECT '5. caller''s rows still there', count(*) = 2 FROM (SELECT 1 FROM audit WHERE msg = 'caller row 5' UNION ALL SELECT 1 FROM users WHERE id = 4);
SELECT '5. no table tags', count(*) = 0 FROM sqlite_schema WHERE name = 'tags';
ROLLBACK;
PRAGMA foreign_keys = ON;
SELECT '5. rolled back: caller''s rows gone', count(*) = 0 FROM (SELECT 1 FROM audit WHERE msg = 'caller row 5' UNION ALL SELECT 1 FROM users WHERE id = 4);
SELECT '5. nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- 6. the same, then COMMIT keeps the caller's work (and only that)
PRAGMA foreign_keys = OFF;
BEGIN;
INSERT INTO audit VALUES ('caller row 6');
SELECT premix_migrate($target3);
SELECT '6. caller''s rows still there', (SELECT count(*) FROM audit WHERE msg = 'caller row 6') = 1;
COMMIT;
PRAGMA foreign_keys = ON;
SELECT '6. committed: caller''s row kept', count(*) FROM audit WHERE msg = 'caller row 6';
DELETE FROM audit;
SELECT '6. nothing else changed', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- 7. premix_migrate sees the violating row when it plans: the step is
--    blocked and refused before anything runs
INSERT INTO users VALUES (4, 'al', '4');
SELECT premix_migrate($target1);
DELETE FROM users WHERE id = 4;
SELECT '7. nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- ------------------------------------------------------------------------
-- 8. a successful migrate inside BEGIN ... ROLLBACK is fully undone
--    (foreign_keys is turned off around it: a rebuild of a referenced
--    table cannot run inside a transaction while keys are enforced)
PRAGMA foreign_keys = OFF;
BEGIN;
INSERT INTO audit VALUES ('caller row 8');
SELECT '8. applied steps', json_extract(premix_migrate($target1), '$.applied');
SELECT '8. inside: table tags exists', count(*) FROM sqlite_schema WHERE name = 'tags';
SELECT '8. inside: ledger rows', count(*) FROM premix_migrations;
SELECT '8. inside: check in force', sql LIKE '%username_len%' FROM sqlite_schema WHERE name = 'users';
SELECT '8. inside: rows kept', (SELECT count(*) FROM users) = 3 AND (SELECT count(*) FROM posts) = 4;
ROLLBACK;
PRAGMA foreign_keys = ON;
SELECT '8. rolled back: caller''s row gone', count(*) = 0 FROM audit;
SELECT '8. rolled back: nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- 8b. with foreign_keys on, a plan that rebuilds no referenced table runs
--    inside BEGIN too; ROLLBACK undoes it
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$target8b', replace($target1,
  '"checks":[{"name":"username_len","expression":"length(username) > 2"}]', '"checks":[]'));
BEGIN;
SELECT '8b. applied steps', json_extract(premix_migrate($target8b), '$.applied');
SELECT '8b. inside: tags, posts.score, posts_title_idx', (SELECT count(*) FROM sqlite_schema WHERE name IN ('tags', 'posts_title_idx')) = 2
  AND (SELECT count(*) FROM pragma_table_info('posts') WHERE name = 'score') = 1;
SELECT '8b. inside: ledger rows', count(*) FROM premix_migrations;
ROLLBACK;
SELECT '8b. rolled back: nothing left behind', 'schema ' || (premix_schema() = $schema0)
  || ' catalog ' || ((SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                   + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0)
  || ' users ' || (SELECT count(*) FROM users) || ' posts ' || (SELECT count(*) FROM posts)
  || ' ledger ' || (SELECT count(*) FROM premix_migrations)
  || ' fk ' || (SELECT foreign_keys FROM pragma_foreign_keys)
  || ' legacy ' || (SELECT legacy_alter_table FROM pragma_legacy_alter_table);

-- 9. after all that, the same plan applies once its data is fixed
SELECT '9. plan 1 applies', json_extract(premix_apply($plan1), '$.applied');
SELECT '9. ledger rows', count(*) FROM premix_migrations;
SELECT '9. rows kept', (SELECT count(*) FROM users) = 3 AND (SELECT count(*) FROM posts) = 4;
SELECT '9. diff now empty', json_array_length(premix_diff($target1), '$.steps');
SELECT '9. integrity', * FROM pragma_integrity_check;
SELECT '9. foreign keys hold', count(*) = 0 FROM pragma_foreign_key_check;
