-- premix demo on SQLite: run with `make demo` (or sh demo/run.sh).
.load sqlite_premix/premix
.headers on
.mode box
.print '== 1. a small database with rows'
CREATE TABLE users (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL,
  email     TEXT,
  fax       TEXT
);
INSERT INTO users (user_name, email, fax) VALUES
  ('alice', 'alice@example.com', '555-0101'),
  ('bob',   'bob@example.com',   NULL),
  ('carol', NULL,                '555-0199');
SELECT * FROM users;

.print ''
.print '== 2. the target: user_name -> username (rename), new NOT NULL column with a default,'
.print '==    a new index, and no fax column (a drop)'
.print "==    (demo/target.json, read with the sqlite3 shell's readfile())"
.mode list
.headers off
SELECT premix_preview(readfile('demo/target.json'));

.print ''
.print '== 3. premix_migrate refuses the destructive drop (and changes nothing)'
SELECT premix_migrate(readfile('demo/target.json'));
.mode box
.headers on
SELECT name FROM pragma_table_info('users');

.print ''
.print '== 4. keep fax in the target (demo/target_keep_fax.json): the rest is applied in one transaction'
.mode list
.headers off
SELECT 'applied ' || json_extract(premix_migrate(readfile('demo/target_keep_fax.json')), '$.applied') || ' steps';
.mode box
.headers on
SELECT * FROM users;
SELECT name, sql FROM sqlite_schema WHERE name = 'users_email_idx';

.print ''
.print '== 5. the same target again is a no-op; the live schema round-trips'
.mode list
.headers off
SELECT 'second migrate applied ' || json_extract(premix_migrate(readfile('demo/target_keep_fax.json')), '$.applied') || ' steps';
SELECT 'steps in premix_diff(premix_schema()): ' || json_array_length(premix_diff(premix_schema()), '$.steps');
.mode box
.headers on
SELECT id, version, name, steps, substr(checksum, 1, 16) AS checksum FROM premix_migrations;
