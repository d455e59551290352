.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- ddl_target: plain CREATE TABLE / CREATE INDEX text as the target.
.parameter init

-- ------------------------------------------------- 1. create from nothing
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$v1', '
-- schema version 1
CREATE TABLE orgs (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE users (
  id       INTEGER PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  email    TEXT NOT NULL COLLATE NOCASE,
  nickname TEXT,
  active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  CONSTRAINT email_has_at CHECK (email LIKE ''%@%'')
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_org_idx ON users (org_id) WHERE active = 1;
CREATE INDEX users_lower_nick ON users (lower(nickname));
');
SELECT premix_preview($v1);
SELECT 'applied steps', json_extract(premix_migrate($v1), '$.applied');
SELECT 'object', type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name;
SELECT 'schema', premix_schema();
SELECT 'diff of the same DDL is empty', json_array_length(premix_diff($v1), '$.steps');
SELECT 'preview of the same DDL', premix_preview($v1);
SELECT 'migrate again is a no-op', json_extract(premix_migrate($v1), '$.applied'), json_extract(premix_migrate($v1), '$.ledger_id');
SELECT 'ledger rows', count(*) FROM premix_migrations;
INSERT INTO orgs (name) VALUES ('acme'), ('globex');
INSERT INTO users (org_id, email, nickname) VALUES (1, 'ann@acme.test', 'Ann'), (1, 'bob@acme.test', NULL), (2, 'cid@globex.test', 'Cid');

-- ------------------------------------- 2. the DDL the database was made with
-- Whatever text created the tables, premix_diff of that text is empty:
-- hand-written spellings (types, quoting, inline constraints, case).
CREATE TABLE "Hand Written" (
  "Id" integer primary key,
  Label varchar(30) not null default 'x',
  amount NUMERIC(10,2),
  flag boolean,
  payload json,
  ts timestamp default (strftime('%s','now')),
  unique (Label, amount)
);
CREATE INDEX hw_amount_desc ON "Hand Written" (amount DESC, Label COLLATE NOCASE);
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$hand', group_concat(sql, ';' || char(10)) FROM (SELECT sql FROM sqlite_schema WHERE tbl_name = 'Hand Written' AND sql IS NOT NULL ORDER BY type DESC);
SELECT 'hand-written DDL', $hand;
SELECT 'diff of the hand-written DDL (listed) is empty', json_array_length(premix_diff($hand, '{"scope":"listed"}'), '$.steps');
-- SQLite allows columns without a type (and CREATE TABLE ... AS makes them)
CREATE TABLE loose (a, b ANY, c "quoted type", d VARCHAR ( 20 ), e UNSIGNED BIG INT);
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$loose', sql FROM sqlite_schema WHERE name = 'loose';
SELECT 'diff of the typeless DDL (listed) is empty', json_array_length(premix_diff($loose, '{"scope":"listed"}'), '$.steps');
SELECT 'types as written in premix_schema()', json_extract(c.value, '$.name'), quote(json_extract(c.value, '$.type'))
  FROM json_each(premix_schema(), '$.tables') t, json_each(t.value, '$.columns') c
  WHERE json_extract(t.value, '$.name') = 'loose' AND json_extract(c.value, '$.name') <> 'a' ORDER BY c.key;
-- DESIGN: premix_diff(premix_schema()) is always an empty plan, typeless
-- column "a" included
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$all', group_concat(sql, ';' || char(10)) FROM (SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name <> 'premix_migrations' ORDER BY rowid);
SELECT 'diff of the whole database''s DDL is empty', json_array_length(premix_diff($all), '$.steps');
SELECT 'premix_diff(premix_schema()) is empty', json_array_length(premix_diff(premix_schema()), '$.steps');

-- ------------------------------------------------ 3. alter by giving new DDL
-- users: nickname renamed to nick_name (same type, near-identical name:
-- detected as a rename), new column bio, users_lower_nick dropped, a new
-- index; new table tags with an index.  orgs is unchanged.
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$v2', '
CREATE TABLE orgs (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE users (
  id       INTEGER PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  email    TEXT NOT NULL COLLATE NOCASE,
  nick_name TEXT,
  active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  bio      TEXT,
  CONSTRAINT email_has_at CHECK (email LIKE ''%@%'')
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_org_idx ON users (org_id) WHERE active = 1;
CREATE INDEX users_nick_name_idx ON users (nick_name);
CREATE TABLE tags (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), tag TEXT NOT NULL);
CREATE INDEX tags_user_idx ON tags (user_id);
');
SELECT premix_preview($v2, '{"scope":"listed"}');
SELECT 'applied steps', json_extract(premix_migrate($v2, false, '{"scope":"listed"}'), '$.applied');
SELECT 'users columns', group_concat(name, ', ') FROM pragma_table_info('users');
SELECT 'users indexes', group_concat(name, ', ') FROM (SELECT name FROM pragma_index_list('users') WHERE origin = 'c' ORDER BY name);
SELECT 'renamed column kept its values', group_concat(quote(nick_name), ',') FROM (SELECT nick_name FROM users ORDER BY id);
SELECT 'rows kept', (SELECT count(*) FROM users) = 3 AND (SELECT count(*) FROM orgs) = 2;
SELECT 'diff of v2 is empty', json_array_length(premix_diff($v2, '{"scope":"listed"}'), '$.steps');

-- a change ALTER TABLE cannot make: the DDL drops the CHECK on active and
-- makes bio NOT NULL with a default -> one rebuild
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$v3', replace(replace($v2,
  'active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),', 'active   INTEGER NOT NULL DEFAULT 1,'),
  'bio      TEXT,', 'bio      TEXT NOT NULL DEFAULT '''',');
SELECT 'v3 plan', group_concat(op || ' ' || tbl || ' ' || safety, ', ') FROM (SELECT json_extract(value, '$.op') AS op, json_extract(value, '$.table') AS tbl, json_extract(value, '$.safety') AS safety FROM json_each(premix_diff($v3, '{"scope":"listed"}'), '$.steps'));
SELECT 'applied steps', json_extract(premix_migrate($v3, false, '{"scope":"listed"}'), '$.applied');
SELECT 'bio backfilled', group_concat(quote(bio), ',') FROM users;
UPDATE users SET active = 2 WHERE id = 3;
SELECT 'active without CHECK', active FROM users WHERE id = 3;
SELECT 'diff of v3 is empty', json_array_length(premix_diff($v3, '{"scope":"listed"}'), '$.steps');

-- dropping a table through DDL: destructive, refused without allow_destructive
DROP TABLE "Hand Written";
DROP TABLE loose;
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$v4', substr($v3, 1, instr($v3, 'CREATE TABLE tags') - 1);
SELECT premix_migrate($v4);
SELECT 'tags still there', count(*) FROM sqlite_schema WHERE name = 'tags';
SELECT 'ledger rows', count(*) FROM premix_migrations;
SELECT 'integrity', * FROM pragma_integrity_check;
