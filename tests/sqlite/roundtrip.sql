.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- roundtrip: premix_diff(premix_schema()) is an empty plan on a realistic
-- hand-written schema, and portable types survive target -> database ->
-- premix_schema, with SQLite enforcing them.

-- ================================================== a hand-written schema
CREATE TABLE orgs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  slug TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT orgs_slug_check CHECK (length(slug) BETWEEN 2 AND 40)
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  score REAL DEFAULT 0.5,
  level INTEGER DEFAULT -1,
  big INTEGER DEFAULT 9007199254740993,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  nick TEXT DEFAULT 'n/a',
  quote TEXT DEFAULT 'it''s',
  empty TEXT DEFAULT '',
  blob_col BLOB DEFAULT x'00ff',
  no_default TEXT DEFAULT NULL,
  created TEXT DEFAULT (datetime('now')),
  today TEXT DEFAULT CURRENT_DATE,
  now_time TEXT DEFAULT CURRENT_TIME,
  expr INTEGER DEFAULT (1 + 2),
  manager_id INTEGER,
  FOREIGN KEY (manager_id) REFERENCES users(id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_active_partial ON users (org_id) WHERE active = 1;
CREATE INDEX users_score_desc ON users (score DESC, id);
CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users(id) ON UPDATE CASCADE,
  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE RESTRICT,
  role TEXT NOT NULL DEFAULT 'member',
  since TEXT,
  PRIMARY KEY (user_id, org_id),
  CHECK (role IN ('member', 'admin'))
) WITHOUT ROWID;
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload ANY,
  at INTEGER NOT NULL,
  CHECK (at > 0)
) STRICT;
CREATE TABLE "Odd Table" (
  "select" TEXT,
  "col with space" INTEGER,
  "quote""d" TEXT DEFAULT 'x',
  "MixedCase" TEXT
);
CREATE INDEX "odd idx" ON "Odd Table" ("col with space", "select");
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = 1;
CREATE TRIGGER orgs_slug_lower AFTER INSERT ON orgs BEGIN UPDATE orgs SET slug = lower(slug) WHERE id = NEW.id; END;
INSERT INTO orgs(name, slug, created_at) VALUES ('Acme', 'ACME', '2024-01-01 00:00:00');
INSERT INTO users(id, org_id, email, manager_id) VALUES (1, 1, 'a@acme.test', NULL), (2, 1, 'b@acme.test', 1);
INSERT INTO memberships(user_id, org_id) VALUES (1, 1), (2, 1);
INSERT INTO events VALUES (1, 'signup', x'01', 100);
INSERT INTO "Odd Table" VALUES ('s', 1, 'q', 'M');

SELECT 'roundtrip: steps', json_array_length(premix_diff(premix_schema()),'$.steps');
SELECT 'roundtrip: unexpected step', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(premix_schema()),'$.steps');
SELECT premix_preview(premix_schema());
SELECT 'roundtrip: premix_schema is stable', premix_schema() = premix_schema();
SELECT 'roundtrip: views and triggers are not in the model', instr(premix_schema(), 'active_users') = 0 AND instr(premix_schema(), 'orgs_slug_lower') = 0;

-- what premix_schema() reads
SELECT 'tables', group_concat(json_extract(value,'$.name'), ', ') FROM json_each(premix_schema(),'$.tables');
SELECT 'column', json_extract(t.value,'$.name'), json_extract(c.value,'$.name'), json_extract(c.value,'$.type'),
       json_extract(c.value,'$.nullable'), json_extract(c.value,'$.default'), json_extract(c.value,'$.collation'), json_extract(c.value,'$.identity')
  FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.columns') c;
SELECT 'primary key', json_extract(value,'$.name'), json_extract(value,'$.primary_key.columns') FROM json_each(premix_schema(),'$.tables') WHERE json_extract(value,'$.primary_key') IS NOT NULL;
SELECT 'unique', json_extract(t.value,'$.name'), json_extract(u.value,'$.columns') FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.unique') u;
SELECT 'foreign key', json_extract(t.value,'$.name'), json_extract(f.value,'$.columns'), json_extract(f.value,'$.ref_table'), json_extract(f.value,'$.ref_columns'),
       json_extract(f.value,'$.on_delete'), json_extract(f.value,'$.on_update')
  FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.foreign_keys') f;
SELECT 'check', json_extract(t.value,'$.name'), json_extract(k.value,'$.name'), json_extract(k.value,'$.expression')
  FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.checks') k;
SELECT 'index', json_extract(t.value,'$.name'), json_extract(i.value,'$.name'), json_extract(i.value,'$.columns'), json_extract(i.value,'$.unique'), json_extract(i.value,'$.where')
  FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.indexes') i;
SELECT 'options', json_extract(value,'$.name'), json_extract(value,'$.options') FROM json_each(premix_schema(),'$.tables') WHERE json_extract(value,'$.options') IS NOT NULL;

-- migrating to the schema it already has changes nothing
SELECT 'roundtrip: migrate to itself applies', json_extract(premix_migrate(premix_schema()),'$.applied');
SELECT 'roundtrip: rows untouched', (SELECT count(*) FROM users) = 2 AND (SELECT created_at FROM orgs) = '2024-01-01 00:00:00';
SELECT 'roundtrip: view and trigger kept', count(*) = 2 FROM sqlite_schema WHERE type IN ('view', 'trigger');

-- ================================================== portable types
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@types', '{"tables":[{"name":"things","columns":[
 {"name":"id","type":"bigint","identity":"by default"},
 {"name":"flag","type":"boolean","nullable":false,"default":"false"},
 {"name":"title","type":"varchar(50)"},
 {"name":"doc","type":"json"},
 {"name":"docb","type":"jsonb","default":"''{}''"},
 {"name":"uid","type":"uuid"},
 {"name":"price","type":"numeric(10,2)"},
 {"name":"raw","type":"bytes"},
 {"name":"day","type":"date"},
 {"name":"at","type":"timestamptz","default":"now()"},
 {"name":"code","type":"char(3)"},
 {"name":"small","type":"smallint"},
 {"name":"ratio","type":"double"},
 {"name":"created","type":"text","default":"CURRENT_TIMESTAMP"}
],"primary_key":{"columns":["id"]}}]}');
SELECT 'types: warning', value FROM json_each(premix_diff(@types, '{"scope":"listed"}'),'$.warnings');
SELECT 'types: applied', json_extract(premix_migrate(@types, 0, '{"scope":"listed"}'),'$.applied');
SELECT 'types: reported', json_extract(c.value,'$.name'), json_extract(c.value,'$.type'), json_extract(c.value,'$.nullable'), json_extract(c.value,'$.identity'), json_extract(c.value,'$.default')
  FROM json_each(premix_schema(),'$.tables') t, json_each(t.value,'$.columns') c WHERE json_extract(t.value,'$.name') = 'things';
SELECT 'types: diff of the same target is empty', json_array_length(premix_diff(@types, '{"scope":"listed"}'),'$.steps') = 0;
SELECT 'types: whole database still round-trips', json_array_length(premix_diff(premix_schema()),'$.steps') = 0;
-- SQLite enforces them: each refused row is valid except for one column
INSERT OR IGNORE INTO things(flag, title, doc, uid) VALUES (2, 'ok', '{}', '123e4567-e89b-12d3-a456-426614174000');
SELECT 'types: boolean refuses 2', changes() = 0;
INSERT OR IGNORE INTO things(flag, title, doc, uid) VALUES (1, 'ok', '{not json', '123e4567-e89b-12d3-a456-426614174000');
SELECT 'types: json refuses invalid JSON', changes() = 0;
INSERT OR IGNORE INTO things(flag, title, doc, uid) VALUES (1, printf('%.60c', 'x'), '{}', '123e4567-e89b-12d3-a456-426614174000');
SELECT 'types: varchar(50) refuses 60 chars', changes() = 0;
INSERT OR IGNORE INTO things(flag, title, doc, uid) VALUES (1, 'ok', '{}', 'not-a-uuid');
SELECT 'types: uuid refuses a short string', changes() = 0;
INSERT OR IGNORE INTO things(flag, title, doc, docb, uid, price, raw, day) VALUES (1, printf('%.50c', 'x'), '{"a": [1, 2]}', '[]', '123e4567-e89b-12d3-a456-426614174000', 12.5, x'0102', '2024-01-31');
SELECT 'types: a valid row is accepted', changes() = 1;
INSERT OR IGNORE INTO things(flag) VALUES (0);
SELECT 'types: a row with every nullable column NULL is accepted', changes() = 1;
SELECT 'types: rows', flag, length(title), doc, docb, uid, price, hex(raw), day, at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z',
       created GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]' FROM things ORDER BY id;
SELECT 'integrity', * FROM pragma_integrity_check;
